"""``tacnghiep search "…" --as USER [--json]``: search documents as a given person would see them."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person
from tacnghiep.documents.models import IncomingDocument, OutgoingDocument
from tacnghiep.documents.selectors.search import find
from tacnghiep.search import selectors as search
from tacnghiep.search.services import rebuild


class Command(BaseCommand):
    help = "Search documents as a person sees them; --rebuild re-indexes every document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--as", dest="username", help="search with this person's permissions")
        parser.add_argument("--json", action="store_true", help="one JSON array, for scripts")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--kind", choices=["incoming", "outgoing"], action="append", default=[])
        parser.add_argument("--rebuild", action="store_true", help="queue and index every document again")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            total = rebuild("incoming", list(IncomingDocument.objects.values_list("pk", flat=True)))
            total += rebuild("outgoing", list(OutgoingDocument.objects.values_list("pk", flat=True)))
            self.stdout.write(f"{total}")
            return
        if not options["username"]:
            raise CommandError("--as USER is required: results depend on who is asking.")
        # An operator's command: the person is named, not asking; their permissions shape the results.
        person = Person.objects.filter(username=options["username"], is_active=True).first()
        if person is None:
            raise CommandError(f"no active person {options['username']!r}")
        results = find(
            Actor(person=person), options["query"], search.Filters(kinds=options["kind"]), limit=options["limit"]
        )
        rows = [
            {
                "kind": r.kind,
                "id": r.document.pk,
                "code_notation": r.document.code_notation,
                "subject": r.document.subject,
                "organization": r.document.organization_id,
                "score": round(r.score, 3),
            }
            for r in results
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['kind']:9} {row['id']:>8}  {row['code_notation'] or '—':20} {row['subject']}")
