"""Sending notifications: in the application, and by e-mail after the transaction commits."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tacnghiep.core import audit
from tacnghiep.core.models import Notification

if TYPE_CHECKING:
    from tacnghiep.directory.models import Person

log = logging.getLogger(__name__)


def notify(recipient: Person, *, key: str, text: str, link: str = "", urgent: bool = False) -> Notification | None:
    """Create the notification unless one with this key exists; returns None when it already did."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key[:200], text=text[:500], link=link[:300], urgent=urgent
            )
    except IntegrityError:
        return None
    if recipient.email:
        address, site = recipient.email, settings.SITE_URL

        def mail() -> None:
            try:
                send_mail(text[:150], f"{text}\n\n{site}{link}", None, [address], fail_silently=False)
            except OSError:
                # The in-app notification stands; a mail relay outage must not undo it.
                log.warning("could not send a notification e-mail to %s", address)

        transaction.on_commit(mail)
    return notification


def mark_all_read(recipient: Person) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())
        audit.record("notifications.read", actor=recipient, details={"count": count})
        return count
