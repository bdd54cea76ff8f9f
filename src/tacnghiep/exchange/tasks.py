"""The exchange's background work: sending the outbox and taking packages from the hub."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from tacnghiep.exchange.hubclient import HubClient, HubError
from tacnghiep.exchange.services import inbox, outbox


def _configured() -> bool:
    return bool(settings.EXCHANGE_HUB_URL and settings.EXCHANGE_SYSTEM_ID and settings.EXCHANGE_SECRET)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Send what is due in the outbox (woken on commit by every new row, and every 30 s)."""
    if not _configured():
        return 0
    client = HubClient.from_settings()
    try:
        return outbox.relay(client).sent
    finally:
        client.close()


@shared_task(ignore_result=True)
def poll_hub() -> int:
    """Take the documents and statuses the hub lists for this system."""
    if not _configured():
        return 0
    client = HubClient.from_settings()
    try:
        report = inbox.poll(client)
    except HubError:
        # The hub is down or unreachable: the next beat tries again; nothing was changed.
        return 0
    finally:
        client.close()
    return report.documents + report.statuses
