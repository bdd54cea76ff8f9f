"""``tacnghiep signing …``: trust roots, the certificate registry and server-side keys, for administrators' scripts.

tacnghiep signing trust-add ROOT.pem --name "…" --as ADMIN
tacnghiep signing certificate-add CERT.pem (--person USERNAME | --organization ID) --as ADMIN
tacnghiep signing key-set SHA256 --p12 FILE --password-env VAR [--image PNG] --as ADMIN
tacnghiep signing key-set SHA256 --pkcs11 LIBRARY --token LABEL --key LABEL --password-env VAR --as ADMIN
tacnghiep signing list
tacnghiep signing recheck        (check every stored signed PDF again, e.g. after a trust root changed)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.core import uploads
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Person
from tacnghiep.signing import keys
from tacnghiep.signing.models import Certificate, SignatureCheck, TrustRoot
from tacnghiep.signing.services import checks, registry


class Command(BaseCommand):
    help = "Trust roots, the certificate registry and server-side signing keys."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        trust = commands.add_parser("trust-add")
        trust.add_argument("file")
        trust.add_argument("--name", default="")
        certificate = commands.add_parser("certificate-add")
        certificate.add_argument("file")
        holder = certificate.add_mutually_exclusive_group(required=True)
        holder.add_argument("--person", help="username of the holder")
        holder.add_argument("--organization", type=int, help="id of the holding organization")
        key = commands.add_parser("key-set")
        key.add_argument("certificate", help="SHA-256 fingerprint of a registered certificate")
        where = key.add_mutually_exclusive_group(required=True)
        where.add_argument("--p12")
        where.add_argument("--pkcs11", metavar="LIBRARY")
        key.add_argument("--token", default="")
        key.add_argument("--key", default="")
        key.add_argument("--password-env", default="")
        key.add_argument("--image", help="transparent PNG: the handwritten signature or the seal")
        for sub in (trust, certificate, key):
            sub.add_argument("--as", dest="username", required=True, help="the administrator recorded")
        commands.add_parser("list")
        commands.add_parser("recheck")

    def _actor(self, username: str) -> Actor:
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"Không có người dùng {username}.")
        return Actor(person=person)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "trust-add":
                root = registry.add_trust_root(
                    actor=self._actor(options["username"]),
                    data=Path(options["file"]).read_bytes(),
                    name=options["name"],
                )
                self.stdout.write(f"{root.sha256} {root.name}")
            elif action == "certificate-add":
                self._certificate(options)
            elif action == "key-set":
                self._key(options)
            elif action == "list":
                self._list()
            else:
                self._recheck()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError("Không có quyền quản trị chữ ký số.") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc

    def _certificate(self, options: dict[str, Any]) -> None:
        person = organization = None
        if options["person"]:
            person = Person.objects.filter(username=options["person"]).first()
            if person is None:
                raise CommandError(f"Không có người dùng {options['person']}.")
        else:
            organization = Organization.objects.filter(pk=options["organization"]).first()
            if organization is None:
                raise CommandError(f"Không có tổ chức {options['organization']}.")
        row = registry.register_certificate(
            actor=self._actor(options["username"]),
            data=Path(options["file"]).read_bytes(),
            person=person,
            organization=organization,
        )
        self.stdout.write(f"{row.sha256} {row.common_name} {row.not_after:%d/%m/%Y}")

    def _key(self, options: dict[str, Any]) -> None:
        certificate = Certificate.objects.filter(sha256=options["certificate"]).first()
        if certificate is None:
            raise CommandError("Chứng thư số chưa có trong danh mục.")
        location = keys.KeyLocation(
            kind="pkcs12" if options["p12"] else "pkcs11",
            path=options["p12"] or options["pkcs11"],
            token_label=options["token"],
            key_label=options["key"],
            secret_env=options["password_env"],
        )
        image = None
        if options["image"]:
            path = Path(options["image"])
            image = uploads.NamedBytes(path.name, path.read_bytes())
        registry.configure_key(
            actor=self._actor(options["username"]), certificate=certificate, location=location, image=image
        )
        self.stdout.write(f"{certificate.common_name}: {location.kind}")

    def _list(self) -> None:
        for root in TrustRoot.objects.filter(is_active=True):
            self.stdout.write(f"root  {root.sha256[:16]} {root.name} {root.not_after:%d/%m/%Y}")
        for cert in Certificate.objects.select_related("person", "organization", "key"):
            holder = cert.person.username if cert.person else f"org:{cert.organization_id}"
            key = getattr(cert, "key", None)
            self.stdout.write(
                f"cert  {cert.sha256[:16]} {cert.common_name} {holder} {cert.not_after:%d/%m/%Y}"
                f" {key.kind if key else 'desktop'}"
            )

    def _recheck(self) -> None:
        changed = 0
        for check in SignatureCheck.objects.exclude(status="unsigned").select_related("file").iterator():
            before = check.status
            if checks.recheck(check.file).status != before:
                changed += 1
        self.stdout.write(f"{changed}")
