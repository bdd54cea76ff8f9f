"""``tacnghiep bus …``: run the hub and administer it from the command line (docs/exchange.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.bus import log, selectors, services
from tacnghiep.bus.models import Agency, Delivery


class Command(BaseCommand):
    help = "The integration hub: serve, agencies, credentials, dead letters, message log."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        serve = commands.add_parser("serve", help="run the hub's HTTP server (national hub protocol)")
        serve.add_argument("--bind", default=os.environ.get("TACNGHIEP_BUS_BIND", "127.0.0.1:8100"))
        serve.add_argument("--workers", type=int, default=int(os.environ.get("TACNGHIEP_BUS_WORKERS", "2")))
        serve.add_argument("--threads", type=int, default=int(os.environ.get("TACNGHIEP_BUS_THREADS", "8")))
        commands.add_parser("sync", help="agencies from the directory's identifier codes")
        commands.add_parser("agencies", help="list the agencies")
        add = commands.add_parser("agency-add", help="register an agency that is not in the directory")
        add.add_argument("--name", required=True)
        add.add_argument("--code-qd20", default="")
        add.add_argument("--code-qcvn102", default="")
        add.add_argument("--parent", default="")
        add.add_argument("--may-register", action="store_true", help="may register agencies through the hub")
        remove = commands.add_parser("agency-remove")
        remove.add_argument("code")
        credentials = commands.add_parser("credentials", help="print an agency's systemId and secret")
        credentials.add_argument("code")
        rotate = commands.add_parser("rotate", help="give an agency a new secret (the old one stops working)")
        rotate.add_argument("code")
        dead = commands.add_parser("dead-letters", help="deliveries given up on")
        dead.add_argument("--json", action="store_true")
        redrive = commands.add_parser("redrive", help="give dead letters back to their recipients")
        redrive.add_argument("doc_ids", nargs="*", help="delivery ids (all dead letters when none)")
        verify = commands.add_parser("log-verify", help="check the message log's chain and signatures")
        verify.add_argument("--public-key", action="append", default=[], help="PEM public key(s) of the log")
        commands.add_parser("log-public-key", help="print the log's public key (PEM)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"_{action}")(options)
        except services.BusError as exc:
            raise CommandError(str(exc)) from exc

    def _agency(self, code: str) -> Agency:
        agency = selectors.agency_by_code(code)
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {code}.")
        return agency

    def _serve(self, options: dict[str, Any]) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        changed, removed = services.sync_from_directory()
        self.stdout.write(f"Danh mục cơ quan: {changed} thêm/sửa, {removed} ngừng.")
        services.hub_key()
        log.signing_key()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "tacnghiep.bus.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            # The signed header repeats every parameter; a long recipient list needs room.
            "--limit-request-field_size",
            "65536",
            "--timeout",
            "300",
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
            # Several gunicorn servers (the web, the hub) share a machine: no shared control socket.
            "--no-control-socket",
        ]
        self.stdout.write(f"Trục liên thông đang chạy tại http://{options['bind']}/", ending="\n")
        self.stdout.flush()
        # Replace this process, so that stopping (or killing) it stops the hub's server itself.
        os.execv(sys.executable, argv)  # noqa: S606

    def _sync(self, options: dict[str, Any]) -> None:
        changed, removed = services.sync_from_directory()
        self.stdout.write(f"{changed} thêm/sửa, {removed} ngừng.")

    def _agencies(self, options: dict[str, Any]) -> None:
        for agency in Agency.objects.order_by("code_qd20", "code_qcvn102"):
            state = "" if agency.active else " (ngừng)"
            self.stdout.write(f"{agency.code_qd20 or '-'}\t{agency.code_qcvn102 or '-'}\t{agency.name}{state}")

    def _agency_add(self, options: dict[str, Any]) -> None:
        data = services.AgencyData(
            name=options["name"],
            code_qd20=options["code_qd20"],
            code_qcvn102=options["code_qcvn102"],
            parent_code=options["parent"],
        )
        agency = services.register_agency(None, data, by_label="command line")
        if options["may_register"] and not agency.may_register:
            agency.may_register = True
            agency.save(update_fields=["may_register", "updated_at"])
        self.stdout.write(f"{agency.code}\t{services.secret_for(agency)}")

    def _agency_remove(self, options: dict[str, Any]) -> None:
        services.delete_agency(None, options["code"], by_label="command line")

    def _credentials(self, options: dict[str, Any]) -> None:
        agency = self._agency(options["code"])
        self.stdout.write(f"{agency.code}\t{services.secret_for(agency)}")

    def _rotate(self, options: dict[str, Any]) -> None:
        agency = self._agency(options["code"])
        self.stdout.write(f"{agency.code}\t{services.rotate_secret(agency, by_label='command line')}")

    def _dead_letters(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "doc_id": d.doc_id,
                "package": d.package.doc_id,
                "from": d.package.sender.code,
                "to": d.recipient.code,
                "type": d.message_type,
                "failures": d.failures,
                "last_error": d.last_error,
                "since": d.updated_at.isoformat(),
            }
            for d in selectors.dead_letters()
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['doc_id']}\t{row['from']} → {row['to']}\t{row['type']}\t"
                f"{row['failures']} lần lỗi\t{row['last_error']}"
            )

    def _redrive(self, options: dict[str, Any]) -> None:
        dead = selectors.dead_letters()
        if options["doc_ids"]:
            dead = dead.filter(doc_id__in=options["doc_ids"])
        deliveries: list[Delivery] = list(dead)
        count = services.redrive(deliveries, by_label="command line")
        self.stdout.write(f"Đã gửi lại {count} gói.")

    def _log_verify(self, options: dict[str, Any]) -> None:
        keys: list[Ed25519PublicKey] = []
        for path in options["public_key"]:
            loaded = serialization.load_pem_public_key(Path(path).read_bytes())
            if not isinstance(loaded, Ed25519PublicKey):
                raise CommandError(f"{path}: không phải khoá công khai Ed25519.")
            keys.append(loaded)
        report = log.verify(keys or None)
        if not report.ok:
            raise CommandError(
                f"Nhật ký hỏng tại bản ghi {report.first_bad_id} ({report.reason}); "
                f"{report.checked} bản ghi trước đó đúng."
            )
        self.stdout.write(f"Nhật ký đúng: {report.checked} bản ghi.")

    def _log_public_key(self, options: dict[str, Any]) -> None:
        pem = (
            log.signing_key()
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        self.stdout.write(pem.decode("ascii").strip())
