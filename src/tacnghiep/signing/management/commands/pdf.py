"""``tacnghiep pdf sign`` and ``tacnghiep pdf verify``: signing and checking PDFs from scripts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.signing import keys, pdfsign, verification
from tacnghiep.signing.services.registry import parse_certificate


class Command(BaseCommand):
    help = "Sign a PDF (PAdES) with a PKCS#12 file or a PKCS#11 token, or verify the signatures of a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        sign = commands.add_parser("sign", help="sign IN into OUT")
        sign.add_argument("input")
        sign.add_argument("output")
        key = sign.add_mutually_exclusive_group(required=True)
        key.add_argument("--p12", help="PKCS#12 file with the key and certificate")
        key.add_argument("--pkcs11", metavar="LIBRARY", help="the token's PKCS#11 library")
        sign.add_argument("--password-env", default="", help="environment variable holding the password or PIN")
        sign.add_argument("--token", default="", help="token label (PKCS#11)")
        sign.add_argument("--key", default="", help="key label (PKCS#11)")
        sign.add_argument("--certificate", help="the key's certificate (PEM/DER), when the token does not hold it")
        sign.add_argument("--field", default="ChuKy", help="signature field name")
        sign.add_argument("--reason", default="")
        sign.add_argument("--text-line", default="", help="text drawn at the top right of page 1 (invisible signature)")
        verify = commands.add_parser("verify", help="check the signatures of FILE")
        verify.add_argument("file")
        verify.add_argument("--json", action="store_true", help="print the verdict as JSON")
        verify.add_argument(
            "--trust", action="append", default=[], help="trust root file (default: the configured ones)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sign":
            self._sign(options)
        else:
            self._verify(options)

    def _sign(self, options: dict[str, Any]) -> None:
        data = Path(options["input"]).read_bytes()
        secret_env = options["password_env"]
        try:
            if options["p12"]:
                signer = keys.pkcs12_signer(
                    Path(options["p12"]).read_bytes(), os.environ.get(secret_env) if secret_env else None
                )
            else:
                certificate = (
                    parse_certificate(Path(options["certificate"]).read_bytes()).dump()
                    if options["certificate"]
                    else None
                )
                location = keys.KeyLocation(
                    kind="pkcs11",
                    path=options["pkcs11"],
                    token_label=options["token"],
                    key_label=options["key"],
                    secret_env=secret_env,
                )
                signer = keys.open_signer(location, certificate)
        except (keys.KeyUnavailable, OSError) as exc:
            raise CommandError(f"Không mở được khóa ký: {exc}") from exc
        job = pdfsign.Job(field_name=options["field"], reason=options["reason"])
        if options["text_line"]:
            from django.conf import settings

            from tacnghiep.signing import appearance

            job.text_line = appearance.text_line(options["text_line"], pdfsign.font_path(settings.SIGNING_FONT), 10)
        Path(options["output"]).write_bytes(pdfsign.sign(data, signer, job))

    def _verify(self, options: dict[str, Any]) -> None:
        data = Path(options["file"]).read_bytes()
        if options["trust"]:
            roots = [parse_certificate(Path(p).read_bytes()).dump() for p in options["trust"]]
            policy = verification.Policy(trust_roots=roots)
        else:
            from tacnghiep.signing.services import checks

            policy = checks.policy()
        try:
            verdict = verification.verify(data, policy)
        except verification.Unreadable as exc:
            raise CommandError(f"Tệp PDF bị hỏng, không đọc được chữ ký: {exc}") from exc
        if options["json"]:
            for signature in verdict["signatures"]:
                signature.pop("certificate", None)
            self.stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(verdict["status"])
            for signature in verdict["signatures"]:
                self.stdout.write(
                    f"  {signature['field']}: {signature['status']} – {signature['signer']}"
                    f" ({signature['organization']}) {signature['signing_time'] or ''}"
                )
        if verdict["status"] != verification.VALID:
            raise SystemExit(1)
