"""``tacnghiep exchange poll | relay | outbox``: the worker's exchange jobs, by hand (docs/exchange.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.exchange.hubclient import HubClient, HubError
from tacnghiep.exchange.models import OutboundPackage, OutboxState
from tacnghiep.exchange.services import inbox, outbox


class Command(BaseCommand):
    help = "Take packages from the hub, send the outbox, or list what has not gone out."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("poll", help="take the documents and statuses the hub lists for this system")
        commands.add_parser("relay", help="send what is due in the outbox")
        commands.add_parser("outbox", help="packages waiting or refused")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "outbox":
            self._outbox()
            return
        try:
            client = HubClient.from_settings()
            if action == "poll":
                report = inbox.poll(client)
                self.stdout.write(
                    f"{report.documents} văn bản, {report.statuses} trạng thái, {report.refused} gói từ chối."
                )
            else:
                sent = outbox.relay(client)
                self.stdout.write(f"Đã gửi {sent.sent}, chờ gửi lại {sent.retrying}, bị từ chối {sent.failed}.")
        except HubError as exc:
            raise CommandError(str(exc)) from exc

    def _outbox(self) -> None:
        rows = OutboundPackage.objects.exclude(state=OutboxState.SENT).order_by("id")
        for row in rows:
            self.stdout.write(
                f"{row.pk}\t{row.get_state_display()}\t{row.message_type} {row.status_code or row.business}\t"
                f"{row.document_id}\t{','.join(row.recipients)}\t{row.attempts} lần\t{row.last_error}"
            )
