"""The certificate registry, trust roots and server-side keys (administrators' work)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from asn1crypto import pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.notifications import notify
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Membership, Organization, Person, Role
from tacnghiep.directory.selectors import roles as role_selectors
from tacnghiep.signing import keys
from tacnghiep.signing.models import Certificate, KeyKind, SigningKey, TrustRoot


def parse_certificate(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes, or a Vietnamese refusal."""
    try:
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        cert = asn1_x509.Certificate.load(data)
        cert.native  # noqa: B018 - parses the whole structure, so damage shows here
    except (ValueError, TypeError, OSError) as exc:
        raise ValidationError(_("The file is not an X.509 certificate (.cer, .crt or .pem).")) from exc
    return cert


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def holder_paths(person: Person | None, organization: Organization | None) -> list[str]:
    if organization is not None:
        return [organization.path]
    if person is not None:
        return list(Membership.objects.filter(person=person).values_list("organization__path", flat=True))
    return []


def can_administer(actor: Actor, paths: list[str]) -> bool:
    """System administrators, and unit administrators over the holder's organization."""
    return actor.is_system_admin or any(actor.can_admin_path(path) for path in paths)


def register_certificate(
    *,
    actor: Actor,
    data: bytes,
    person: Person | None = None,
    organization: Organization | None = None,
) -> Certificate:
    """Record who holds a certificate (a person or an organization)."""
    if (person is None) == (organization is None):
        raise ValidationError(_("Name either a person or an organization as the holder."))
    if not can_administer(actor, holder_paths(person, organization)):
        raise deny("signing.certificate.register", by=actor)
    cert = parse_certificate(data)
    der = cert.dump()
    fingerprint = hashlib.sha256(der).hexdigest()
    subject = cert.subject.native
    with transaction.atomic():
        if Certificate.objects.filter(sha256=fingerprint).exists():
            raise ValidationError(_("This certificate is already in the registry."))
        row = Certificate.objects.create(
            der=der,
            sha256=fingerprint,
            common_name=str(subject.get("common_name", ""))[:300],
            organization_name=str(subject.get("organization_name", ""))[:300],
            issuer=str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly)[:500],
            serial=format(cert.serial_number, "x")[:100],
            not_before=_aware(cert["tbs_certificate"]["validity"]["not_before"].native),
            not_after=_aware(cert["tbs_certificate"]["validity"]["not_after"].native),
            person=person,
            organization=organization,
            added_by=actor.person,
        )
        audit.record(
            "signing.certificate.register",
            by=actor,
            organization=organization,
            obj=row,
            details={
                "sha256": fingerprint,
                "person": getattr(person, "pk", None),
                "organization": getattr(organization, "pk", None),
            },
        )
    return row


def add_trust_root(*, actor: Actor, data: bytes, name: str) -> TrustRoot:
    if not actor.is_system_admin:
        raise deny("signing.trust_root.add", by=actor)
    cert = parse_certificate(data)
    der = cert.dump()
    fingerprint = hashlib.sha256(der).hexdigest()
    with transaction.atomic():
        if TrustRoot.objects.filter(sha256=fingerprint).exists():
            raise ValidationError(_("This root is already trusted."))
        row = TrustRoot.objects.create(
            name=(name or cert.subject.human_friendly)[:200],
            der=der,
            sha256=fingerprint,
            subject=cert.subject.human_friendly[:500],
            not_after=_aware(cert["tbs_certificate"]["validity"]["not_after"].native),
            added_by=actor.person,
        )
        audit.record("signing.trust_root.add", by=actor, obj=row, details={"sha256": fingerprint})
    return row


def configure_key(
    *,
    actor: Actor,
    certificate: Certificate,
    location: keys.KeyLocation,
    image: uploads.Uploaded | None = None,
) -> SigningKey:
    """Say where the private key of a registered certificate lives; the key is opened once to prove it."""
    if not can_administer(actor, holder_paths(certificate.person, certificate.organization)):
        raise deny("signing.key.configure", by=actor, obj=certificate)
    if location.kind not in KeyKind.values:
        raise ValidationError(_("Unknown kind of key."))
    if location.kind == KeyKind.PKCS12 and not Path(location.path).is_file():
        raise ValidationError(_("The key file %(path)s does not exist on the server.") % {"path": location.path})
    try:
        signer = keys.open_signer(location, bytes(certificate.der))
        opened = signer.signing_cert.dump()
    except keys.KeyUnavailable as exc:
        raise ValidationError(
            _("The key cannot be opened: check the file or token, and the password or PIN in %(env)s.")
            % {"env": location.secret_env or "—"}
        ) from exc
    if opened != bytes(certificate.der):
        raise ValidationError(_("The key does not belong to this certificate."))
    inspected = uploads.inspect(image, {uploads.PNG}) if image is not None else None
    with transaction.atomic():
        stored = uploads.store(inspected) if inspected is not None else None
        row, _created = SigningKey.objects.update_or_create(
            certificate=certificate,
            defaults={
                "kind": location.kind,
                "path": location.path,
                "token_label": location.token_label,
                "key_label": location.key_label,
                "secret_env": location.secret_env,
                "is_active": True,
                **({"image": stored} if stored is not None else {}),
            },
        )
        audit.record(
            "signing.key.configure",
            by=actor,
            organization=certificate.organization,
            obj=row,
            details={
                "certificate": certificate.sha256,
                "kind": location.kind,
                "image": getattr(stored, "sha256", None),
            },
        )
    return row


def location_of(key: SigningKey) -> keys.KeyLocation:
    return keys.KeyLocation(
        kind=key.kind,
        path=key.path,
        token_label=key.token_label,
        key_label=key.key_label,
        secret_env=key.secret_env,
    )


def warn_expiring() -> int:
    """Tell holders and the administrators once when a certificate in use is about to expire."""
    now = timezone.now()
    horizon = now + datetime.timedelta(days=settings.SIGNING_EXPIRY_WARNING_DAYS)
    warned = 0
    due = Certificate.objects.filter(is_active=True, not_after__lte=horizon, expiry_warned_at__isnull=True)
    for cert in due.select_related("person", "organization"):
        text = _("The signing certificate of %(holder)s expires on %(date)s.") % {
            "holder": cert.common_name,
            "date": timezone.localtime(cert.not_after).strftime("%d/%m/%Y"),
        }
        people: list[Person] = [cert.person] if cert.person is not None else []
        if cert.organization is not None:
            people += role_selectors.holders(Role.CLERK, cert.organization)
            people += role_selectors.holders(Role.UNIT_ADMIN, cert.organization)
        with transaction.atomic():
            for person in {p.pk: p for p in people}.values():
                notify(person, key=f"certificate-expiry:{cert.pk}", text=text, link="/ky-so/chung-thu/")
            cert.expiry_warned_at = now
            cert.save(update_fields=["expiry_warned_at"])
            audit.record(
                "signing.certificate.expiry_warned", obj=cert, details={"not_after": cert.not_after.isoformat()}
            )
        warned += 1
    return warned
