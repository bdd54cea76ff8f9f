"""``tacnghiep documents import FILE.xlsx --files DIR --as USER``: bring in registers from an older system."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.core import context
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person
from tacnghiep.documents.services import importing


class Command(BaseCommand):
    help = "Documents: 'import' a register from a spreadsheet (all rows or none, with a report)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("import", help="import incoming documents from an .xlsx file")
        load.add_argument("sheet", type=Path)
        load.add_argument("--files", type=Path, help="folder with the files the sheet names")
        load.add_argument("--as", dest="username", required=True, help="the clerk the import is recorded for")
        load.add_argument("--report", type=Path, help="where to write the problems (default: SHEET.report.xlsx)")
        template = commands.add_parser("template", help="write an empty sheet with the expected columns")
        template.add_argument("out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "template":
            options["out"].write_bytes(importing.template_xlsx())
            return
        person = Person.objects.filter(username=options["username"], is_active=True).first()
        if person is None:
            raise CommandError(f"no active person {options['username']!r}")
        sheet: Path = options["sheet"]
        if not sheet.is_file():
            raise CommandError(f"no such file: {sheet}")
        folder = options["files"] or sheet.parent
        report = options["report"] or sheet.with_suffix(".report.xlsx")

        def progress(phase: str, done: int, total: int) -> None:
            sys.stderr.write(f"\r{phase}: {done}/{total}")
            if phase == "done" or done == total:
                sys.stderr.write("\n")

        token = context.begin(context.RequestContext(channel="cli"))
        try:
            created = importing.import_sheet(
                actor=Actor(person=person),
                data=sheet.read_bytes(),
                files=importing.directory_files(folder),
                progress=progress,
            )
        except importing.ImportRejected as exc:
            report.write_bytes(importing.report_xlsx(exc.problems))
            for problem in exc.problems[:20]:
                self.stderr.write(f"dòng {problem.row}, {problem.column}: {problem.message}")
            raise CommandError(f"{exc.messages[0]} ({report})") from exc
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        finally:
            context.end(token)
        self.stdout.write(f"{len(created)}")
