"""Reads that depend on which agency is asking: each agency sees its own inbox and its own sent packages."""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from tacnghiep.bus.models import Agency, Delivery, DeliveryState, Package


def agency_by_code(code: str) -> Agency | None:
    code = code.strip()
    if not code:
        return None
    return Agency.objects.filter(Q(code_qd20=code) | Q(code_qcvn102=code), active=True).first()


_known: dict[str, tuple[float, Agency | None]] = {}


def known_agency(code: str) -> Agency | None:
    """``agency_by_code`` remembered for ``TACNGHIEP_BUS_AGENCY_CACHE_SECONDS`` in this process.

    Every call looks up its caller and its recipients; agencies change rarely, so a
    rotated secret or a removed agency takes effect within those seconds.
    """
    ttl = settings.BUS_AGENCY_CACHE_SECONDS
    if ttl <= 0:
        return agency_by_code(code)
    now = time.monotonic()
    cached = _known.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    agency = agency_by_code(code)
    if len(_known) > 10000:
        _known.clear()
    _known[code] = (now + ttl, agency)
    return agency


def represented(agency: Agency) -> Q:
    """The agencies this system acts for: itself, and those it registered when it may register agencies
    (a province's instance, a SaaS provider). A ``Q`` over ``Agency``."""
    if not agency.may_register:
        return Q(pk=agency.pk)
    return Q(pk=agency.pk) | Q(parent_code__in=sorted(agency.codes), active=True)


def acting_as(agency: Agency, code: str) -> Agency | None:
    """The agency ``code`` names, if this system may act for it."""
    if code in agency.codes:
        return agency
    other = known_agency(code)
    if other is None or not Agency.objects.filter(represented(agency), pk=other.pk).exists():
        return None
    return other


def agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).order_by("code_qd20", "code_qcvn102")


def inbox(
    agency: Agency, message_type: str, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Delivery]:
    """What the agency has still to take: waiting, or back after "processing"/"fail" once the pause is over."""
    deliveries = Delivery.objects.filter(
        recipient__in=Agency.objects.filter(represented(agency)),
        message_type=message_type,
        state__in=(DeliveryState.WAITING, DeliveryState.PROCESSING),
        available_at__lte=timezone.now(),
    )
    if since is not None:
        deliveries = deliveries.filter(created_at__gte=since)
    if until is not None:
        deliveries = deliveries.filter(created_at__lte=until)
    return deliveries.select_related("package__sender", "recipient").order_by("id")[: settings.BUS_LIST_LIMIT]


def delivery_for(agency: Agency, doc_id: str) -> Delivery | None:
    return (
        Delivery.objects.filter(recipient__in=Agency.objects.filter(represented(agency)), doc_id=doc_id)
        .select_related("package")
        .first()
    )


def package_for(agency: Agency, doc_id: str) -> Package | None:
    """A package the agency may download: one addressed to it (by delivery id) or one it sent."""
    delivery = delivery_for(agency, doc_id)
    if delivery is not None:
        return delivery.package
    return Package.objects.filter(sender__in=Agency.objects.filter(represented(agency)), doc_id=doc_id).first()


def sent(agency: Agency, message_type: str, doc_id: str = "") -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(
        package__sender__in=Agency.objects.filter(represented(agency)), message_type=message_type
    )
    if doc_id:
        deliveries = deliveries.filter(package__doc_id=doc_id)
    return deliveries.select_related("package__sender", "recipient").order_by("-id")[: settings.BUS_LIST_LIMIT]


def dead_letters() -> QuerySet[Delivery]:
    """For the hub's administrators (command line): every delivery given up on."""
    return (
        Delivery.objects.filter(state=DeliveryState.DEAD)
        .select_related("package__sender", "recipient")
        .order_by("updated_at", "id")
    )
