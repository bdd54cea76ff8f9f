"""Register books (sổ đăng ký, NĐ 30 PL IV) and statistics per organization and period."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Role
from tacnghiep.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Direction,
    EventKind,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    Register,
)
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors

MAX_ROWS = 50_000


def incoming_headers() -> list[str]:
    return [
        _("Arrival date"),
        _("Arrival no."),
        _("Author (issuer)"),
        _("Number and notation"),
        _("Document date"),
        _("Type and subject"),
        _("Unit or person receiving"),
        _("Date handed over"),
        _("Signature of receipt"),
        _("Notes"),
    ]


def outgoing_headers() -> list[str]:
    return [
        _("Number and notation"),
        _("Document date"),
        _("Type and subject"),
        _("Signer"),
        _("Recipients"),
        _("Unit or person keeping the file copy"),
        _("Copies"),
        _("Date sent"),
        _("Signature of receipt"),
        _("Notes"),
    ]


INCOMING_WIDTHS = [11, 8, 22, 14, 11, 40, 22, 11, 10, 14]
OUTGOING_WIDTHS = [14, 11, 40, 18, 30, 18, 7, 11, 10, 14]


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@dataclass
class Book:
    register: Register
    headers: list[str]
    widths: list[int]
    rows: list[list[str | int | None]]
    truncated: bool


def book(actor: Actor, register: Register, start: datetime.date, end: datetime.date) -> Book:
    """The register's entries between two dates, in number order; secret entries the actor may not read
    keep their number and date but not their content."""
    if register.direction == Direction.INCOMING:
        rows, truncated = _incoming_rows(actor, register, start, end)
        return Book(register, incoming_headers(), INCOMING_WIDTHS, rows, truncated)
    rows, truncated = _outgoing_rows(actor, register, start, end)
    return Book(register, outgoing_headers(), OUTGOING_WIDTHS, rows, truncated)


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return begin, finish


def _incoming_rows(
    actor: Actor, register: Register, start: datetime.date, end: datetime.date
) -> tuple[list[list[str | int | None]], bool]:
    begin, finish = _bounds(start, end)
    documents = list(
        IncomingDocument.objects.filter(register=register, arrived_at__gte=begin, arrived_at__lt=finish)
        .select_related("document_type", "urgency", "secrecy")
        .annotate(handed_over=Min("events__created_at", filter=Q(events__kind=EventKind.DIRECTED)))
        .order_by("arrival_period", "arrival_series", "arrival_number")[: MAX_ROWS + 1]
    )
    truncated = len(documents) > MAX_ROWS
    documents = documents[:MAX_ROWS]
    ids = [d.pk for d in documents]
    readable = set(incoming_selectors.readable(actor).filter(pk__in=ids).values_list("pk", flat=True))
    receivers: dict[int, list[str]] = {}
    leads = Assignment.objects.filter(document_id__in=ids, role=AssignmentRole.LEAD, parent__isnull=True)
    for document_id, person, unit in leads.values_list("document_id", "person__full_name", "organization__name"):
        receivers.setdefault(document_id, []).append(person or unit or "")
    rows: list[list[str | int | None]] = []
    for d in documents:
        if d.pk not in readable:
            rows.append([_day(d.arrived_at), d.arrival_number, "", "", "", _("(secret document)"), "", "", "", ""])
            continue
        notes = [
            x
            for x in (
                d.urgency.name if d.urgency.attributes.get("rank") else "",
                d.secrecy.name if d.is_secret else "",
                _("electronic") if d.received_via == "electronic" else "",
            )
            if x
        ]
        rows.append(
            [
                _day(d.arrived_at),
                d.arrival_number,
                d.issuer_name,
                d.code_notation,
                _day(d.issued_on),
                f"{d.document_type.name}: {d.subject}",
                ", ".join(receivers.get(d.pk, [])),
                _day(d.handed_over),
                "",
                "; ".join(notes),
            ]
        )
    return rows, truncated


def _outgoing_rows(
    actor: Actor, register: Register, start: datetime.date, end: datetime.date
) -> tuple[list[list[str | int | None]], bool]:
    documents = list(
        OutgoingDocument.objects.filter(register=register, issued_on__gte=start, issued_on__lte=end)
        .select_related("document_type", "signer", "drafted_by", "secrecy")
        .prefetch_related("recipients__organization")
        .order_by("issued_period", "issued_series", "issued_number")[: MAX_ROWS + 1]
    )
    truncated = len(documents) > MAX_ROWS
    documents = documents[:MAX_ROWS]
    readable = set(
        outgoing_selectors.readable(actor).filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )
    rows: list[list[str | int | None]] = []
    for d in documents:
        if d.pk not in readable:
            rows.append([d.code_notation, _day(d.issued_on), _("(secret document)"), "", "", "", None, "", "", ""])
            continue
        recipients = list(d.recipients.all())
        places = "; ".join(r.place or (r.organization.name if r.organization else "") for r in recipients)
        status = d.get_status_display() if d.status != OutgoingStatus.ISSUED else ""
        rows.append(
            [
                d.code_notation,
                _day(d.issued_on),
                f"{d.document_type.name}: {d.subject}",
                d.signer.full_name if d.signer else "",
                places,
                d.drafted_by.full_name,
                len(recipients),
                _day(d.issued_on),
                "",
                "; ".join(x for x in (status, d.secrecy.name if d.is_secret else "") if x),
            ]
        )
    return rows, truncated


@dataclass
class UnitFigures:
    organization: Organization
    received: int = 0
    issued: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0


def statistics(actor: Actor, start: datetime.date, end: datetime.date) -> list[UnitFigures]:
    """Per organization the actor leads or keeps registers for: received, issued, handled on time and late.

    "Handled" counts lead assignments completed in the period; on time means on
    or before their deadline (or without one). Open lead assignments already
    past their deadline at the end of the period are counted separately.
    """
    roots = [g.path for g in actor.grants if g.role in {Role.LEADER, Role.CLERK}]
    if not roots:
        return []
    begin, finish = _bounds(start, end)
    scope = tree.subtree_q(roots, field="organization__path")
    figures: dict[int, UnitFigures] = {}

    def row(org_id: int) -> UnitFigures:
        if org_id not in figures:
            figures[org_id] = UnitFigures(organization=Organization(pk=org_id))
        return figures[org_id]

    received = (
        IncomingDocument.objects.filter(scope, arrived_at__gte=begin, arrived_at__lt=finish)
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    for item in received:
        row(item["organization_id"]).received = item["n"]
    issued = (
        OutgoingDocument.objects.filter(
            scope,
            issued_on__gte=start,
            issued_on__lte=end,
            status__in=[OutgoingStatus.ISSUED, OutgoingStatus.REVOKED, OutgoingStatus.REPLACED],
        )
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    for item in issued:
        row(item["organization_id"]).issued = item["n"]
    leads = Assignment.objects.filter(
        tree.subtree_q(roots, field="document__organization__path"), role=AssignmentRole.LEAD, parent__isnull=True
    )
    handled = (
        leads.filter(status=AssignmentStatus.COMPLETED, completed_at__gte=begin, completed_at__lt=finish)
        .values("document__organization_id")
        .annotate(
            late=Count("id", filter=Q(due_on__isnull=False, completed_at__date__gt=F("due_on"))),
            total=Count("id"),
        )
    )
    for item in handled:
        figures_row = row(item["document__organization_id"])
        figures_row.late = item["late"]
        figures_row.on_time = item["total"] - item["late"]
    overdue = (
        leads.filter(status=AssignmentStatus.PENDING, due_on__lt=min(end, timezone.localdate()))
        .values("document__organization_id")
        .annotate(n=Count("id"))
    )
    for item in overdue:
        row(item["document__organization_id"]).open_overdue = item["n"]
    organizations = Organization.objects.in_bulk(list(figures))
    for org_id, figures_row in figures.items():
        figures_row.organization = organizations[org_id]
    return sorted(figures.values(), key=lambda f: f.organization.path)


def statistics_headers() -> list[str]:
    return [
        _("Organization"),
        _("Incoming documents"),
        _("Outgoing documents"),
        _("Handled on time"),
        _("Handled late"),
        _("Open and overdue"),
    ]


def statistics_rows(figures: list[UnitFigures]) -> Iterator[list[str | int | None]]:
    for f in figures:
        yield [f.organization.name, f.received, f.issued, f.on_time, f.late, f.open_overdue]
