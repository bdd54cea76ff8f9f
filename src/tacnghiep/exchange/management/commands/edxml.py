"""``tacnghiep edxml inspect FILE [--json]`` and ``tacnghiep edxml validate FILE``."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.exchange import edxml


class Command(BaseCommand):
    help = "Inspect or validate an edXML package (QCVN 102:2016)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        inspect = commands.add_parser("inspect", help="print the header fields and the attachments")
        inspect.add_argument("file")
        inspect.add_argument("--json", action="store_true")
        validate = commands.add_parser("validate", help="exit non-zero with the reasons when the package is unusable")
        validate.add_argument("file")
        build = commands.add_parser("build", help="the edXML package of an issued outgoing document")
        build.add_argument("--outgoing", type=int, required=True, help="id of the issued outgoing document")
        build.add_argument("output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "build":
            self._build(options)
            return
        folder = Path(tempfile.mkdtemp(prefix="edxml-"))
        try:
            with Path(options["file"]).open("rb") as stream:
                package = edxml.parse(stream, folder=folder)
        except edxml.EdxmlError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if options["action"] == "validate":
            found = edxml.problems(package)
            for warning in package.length_warnings:
                self.stderr.write(f"cảnh báo độ dài: {warning}")
            if found:
                raise CommandError("\n".join(found))
            self.stdout.write("hợp lệ")
            return
        if options["json"]:
            self.stdout.write(json.dumps(package.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"loại gói: {package.kind}")
        self.stdout.write(f"từ: {package.sender.organ_id} {package.sender.name}")
        for recipient in package.recipients:
            self.stdout.write(f"đến: {recipient.organ_id} {recipient.name}")
        for name, value in package.fields.items():
            self.stdout.write(f"{name}: {value}")
        for answer in package.response_for:
            self.stdout.write(f"trả lời: {answer.get('DocumentId', '')}")
        for attachment in package.attachments:
            self.stdout.write(f"tệp: {attachment.name} {attachment.content_type} {attachment.size} {attachment.sha256}")

    def _build(self, options: dict[str, Any]) -> None:
        from tacnghiep.documents.models import OutgoingDocument, OutgoingStatus
        from tacnghiep.exchange.packaging import document_package

        document = OutgoingDocument.objects.filter(pk=options["outgoing"], status=OutgoingStatus.ISSUED).first()
        if document is None:
            raise CommandError("Không có văn bản đi đã ban hành với mã này.")
        folder = Path(tempfile.mkdtemp(prefix="edxml-"))
        try:
            package = document_package(document, folder)
            Path(options["output"]).write_bytes(edxml.build(package))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        for problem in edxml.problems(package):
            self.stderr.write(problem)
