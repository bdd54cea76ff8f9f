"""Object-level access, proven by walking every URL pattern and API endpoint.

* Every role and the anonymous visitor GET every page: no server error, and
  anonymous visitors never see content.
* A unit administrator of commune A tries every method on every URL with the
  ids of commune B's objects: nothing is returned and nothing changes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import World, sign_in
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Delegation, Membership, RoleGrant
from tacnghiep.directory.services import auth as auth_services
from tacnghiep.documents.models import (
    Direction,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
    PeriodKind,
    Recipient,
    Register,
)
from tacnghiep.documents.services import drafting, incoming, issuing, processing, registers

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route template, name) of every URL pattern, admin site included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.replace("\\Z", "").replace("\\", ""), entry.name or ""


def foreign_ids(world: World) -> dict[str, str]:
    """Ids of objects that belong to commune B (or to its people)."""
    b_person = world.specialist_b
    token, _key = auth_services.create_api_token(actor=Actor(person=b_person), name="b's token")
    now = timezone.now()
    delegation = Delegation.objects.create(
        delegator=world.admin_b, delegate=b_person, starts_at=now, ends_at=now + datetime.timedelta(days=1)
    )
    register, document = commune_b_incoming(world)
    RoleGrant.objects.create(
        person=world.admin_b, organization=world.commune_b, role="leader", valid_from=datetime.date(2025, 7, 1)
    )
    task = processing.direct(
        actor=Actor(person=world.admin_b),
        document=document,
        direction="",
        assignments=[processing.AssignmentSpec(role="lead", person=world.specialist_b)],
    )[0]
    extension = processing.request_extension(
        actor=Actor(person=world.specialist_b),
        assignment=task,
        requested_due_on=timezone.localdate() + datetime.timedelta(days=30),
        reason="Cam Ly cần thêm thời gian",
    )
    outgoing, delivery = commune_b_outgoing(world, document)
    return {
        "outgoing": str(outgoing.pk),
        "delivery": str(delivery.pk),
        "file": str(DocumentFile.objects.filter(incoming=document).first().pk),
        "version": str(outgoing.versions.first().pk),
        "extension": str(extension.pk),
        "assignment": str(task.pk),
        "register": str(register.pk),
        "incoming": str(document.pk),
        "organization": str(world.commune_b.pk),
        "person": str(b_person.pk),
        "membership": str(Membership.objects.filter(person=b_person).first().pk),
        "role": str(RoleGrant.objects.filter(person=world.admin_b).first().pk),
        "token": str(token.pk),
        "delegation": str(delegation.pk),
    }


SECRET_SUBJECT = "Báo cáo riêng của phường Cam Ly"
OUTGOING_SUBJECT = "Kế hoạch riêng của phường Cam Ly"


def commune_b_outgoing(world: World, reply_to: IncomingDocument) -> tuple[OutgoingDocument, Recipient]:
    """Commune B drafts, approves and issues a document to itself: a draft version, a file, a waiting delivery."""
    registers.create_register(
        actor=Actor(person=world.admin_b),
        organization=world.commune_b,
        name="Sổ đi Cam Ly",
        direction=Direction.OUTGOING,
        period_kind=PeriodKind.CALENDAR_YEAR,
        notation_template="{n}/{type}-{issuer}",
    )
    entry = CatalogEntry.objects.get
    drafter = Actor(person=world.specialist_b)
    document = drafting.create_draft(
        actor=drafter,
        data=drafting.DraftData(
            organization=world.commune_b,
            document_type=entry(catalog__code="document-types", code="ke-hoach"),
            subject=OUTGOING_SUBJECT,
            urgency=entry(catalog__code="urgency-levels", code="thuong"),
            secrecy=entry(catalog__code="secrecy-levels", code="thuong"),
            reply_to=reply_to,
        ),
        upload=samples.named("camly.pdf", samples.pdf()),
    )
    drafting.submit(actor=drafter, document=document, steps=[], signer=world.admin_b)
    drafting.review(actor=Actor(person=world.admin_b), document=document, approve=True)
    issuing.issue(
        actor=drafter,
        document=document,
        register=Register.objects.get(name="Sổ đi Cam Ly"),
        recipients=[issuing.RecipientSpec(organization=world.commune_b)],
    )
    return document, Recipient.objects.get(document=document)


def commune_b_incoming(world: World) -> tuple[Register, IncomingDocument]:
    """A register of commune B with one document, registered by a commune-B clerk."""
    register = registers.create_register(
        actor=Actor(person=world.admin_b),
        organization=world.commune_b,
        name="Sổ đến Cam Ly",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )
    RoleGrant.objects.create(
        person=world.specialist_b, organization=world.commune_b, role="clerk", valid_from=datetime.date(2025, 7, 1)
    )
    entry = CatalogEntry.objects.get
    document = incoming.register_incoming(
        actor=Actor(person=world.specialist_b),
        data=incoming.IncomingData(
            register=register,
            arrived_at=timezone.now(),
            received_via="paper",
            issuer_name="Ban Tổ chức Tỉnh ủy",
            document_type=entry(catalog__code="document-types", code="bao-cao"),
            subject=SECRET_SUBJECT,
            urgency=entry(catalog__code="urgency-levels", code="thuong"),
            secrecy=entry(catalog__code="secrecy-levels", code="thuong"),
        ),
        scans=[samples.named("cam-ly-scan.pdf", samples.pdf(2))],
    )
    return register, document


def fill(route: str, name: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        param = match.group("name") or match.group("rname")
        if param in {"code", "catalog_code"}:
            return "positions"
        if param in {"uidb64", "token"} and "quen-mat-khau" in route:
            return "MQ" if param == "uidb64" else "set-password"
        if param == "app_label":
            return "directory"
        if param in {"content_type_id"}:
            return "1"
        if param == "url":
            return "x"
        if param in {"parent_pk", "org_pk"}:
            return ids["organization"]
        if "person" in name or name.startswith("person"):
            return ids["person"]
        if name == "membership_end":
            return ids["membership"]
        if name == "role_revoke":
            return ids["role"]
        if name == "revoke_token":
            return ids["token"]
        if name == "revoke_delegation":
            return ids["delegation"]
        if name.startswith("register-"):
            return ids["register"]
        if name.startswith(("incoming-document-", "incoming_")):
            return ids["incoming"]
        if name.startswith("assignment_"):
            return ids["assignment"]
        if name.startswith("extension_"):
            return ids["extension"]
        if name.startswith("outgoing_"):
            return ids["outgoing"]
        if name.startswith("delivery_"):
            return ids["delivery"]
        if name in {"file", "file_view"}:
            return ids["file"]
        if name in {"version", "version_view"}:
            return ids["version"]
        return ids["organization"]

    path = "/" + PARAM.sub(value, route)
    return path.replace("(?P<format>[a-z0-9]+)/?", "").replace(".(?P<format>[a-z0-9]+)/?", "")


def model_snapshot() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.label in {
            "core.AuditRecord",
            "axes.AccessAttempt",
            "axes.AccessLog",
            "sessions.Session",
            "directory.SignInSession",
            "axes.AccessFailureLog",
        }:
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


ROLES = ["sysadmin", "office_leader", "office_clerk", "admin_a", "clerk_a", "leader_a", "specialist_a"]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_page_answers_every_role_without_error(world, role):
    ids = foreign_ids(world)
    client = Client() if role == "anonymous" else sign_in(Client(), getattr(world, role))
    checked = 0
    for route, name in patterns():
        path = fill(route, name, ids)
        response = client.get(path)
        checked += 1
        assert response.status_code < 500, (role, path, response.status_code)
        if role == "anonymous" and response.status_code == 200:
            # Only public pages: sign-in, password reset, health, OIDC discovery and keys.
            assert path.startswith(
                (
                    "/dang-nhap/",
                    "/quen-mat-khau/",
                    "/health/",
                    "/o/.well-known/",
                    "/api/v1/schema",
                    "/api/v1/docs",
                    "/o/userinfo",
                )
            ), path
    assert checked > 60


METHODS = ["get", "post", "put", "patch", "delete"]


def test_unit_admin_of_commune_a_cannot_read_or_change_commune_b(world):
    ids = foreign_ids(world)
    client = sign_in(Client(), world.admin_a)
    before = model_snapshot()
    b_people = {world.specialist_b.full_name, world.admin_b.full_name}
    b_names = {world.commune_b.name, world.commune_b_office.name, SECRET_SUBJECT, OUTGOING_SUBJECT, "Sổ đến Cam Ly"}
    for route, name in patterns():
        path = fill(route, name, ids)
        for method in METHODS:
            response = getattr(client, method)(
                path, data={} if method == "get" else None, content_type="application/json" if method != "get" else None
            )
            body = (
                response.content.decode(errors="replace")
                if response.get("Content-Type", "").startswith(("text/", "application/json"))
                else ""
            )
            if any(str(v) in path for v in ids.values()) or "positions" in path:
                leaked = [n for n in b_people | b_names if n in body]
                assert not leaked, (method, path, leaked)
            assert response.status_code < 500, (method, path)
    assert model_snapshot() == before
    # And the API list endpoints return none of commune B's objects.
    for path in [
        "/api/v1/organizations/?ended=1",
        "/api/v1/people/",
        "/api/v1/audit/",
        "/api/v1/registers/",
        "/api/v1/incoming-documents/",
        "/van-ban-di/",
        "/van-ban-cho-nhan/",
    ]:
        body = client.get(path).content.decode()
        assert not any(n in body for n in b_people | b_names), path


def test_the_same_pages_do_work_for_own_commune(world):
    """The matrix above could pass by refusing everything; this shows it does not."""
    client = sign_in(Client(), world.admin_a)
    for path in [
        f"/to-chuc/{world.commune_a.pk}/",
        f"/can-bo/{world.specialist_a.pk}/",
        f"/can-bo/{world.specialist_a.pk}/sua/",
        f"/to-chuc/{world.commune_a.pk}/sua/",
        f"/api/v1/organizations/{world.commune_a.pk}/",
        f"/api/v1/people/{world.specialist_a.pk}/",
    ]:
        assert client.get(path).status_code == 200, path
    response = client.patch(
        f"/api/v1/people/{world.specialist_a.pk}/", {"phone": "0263 3822 111"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "0263 3822 111"


def test_foreign_reads_are_audited_as_denials(world):
    from tacnghiep.core.models import AuditRecord

    client = sign_in(Client(), world.admin_a)
    assert client.get(f"/to-chuc/{world.commune_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{world.specialist_b.pk}/").status_code == 404
    denials = AuditRecord.objects.filter(actor=world.admin_a, outcome="denied")
    assert {(d.action, d.object_id) for d in denials} >= {
        ("organization.view", str(world.commune_b.pk)),
        ("person.view", str(world.specialist_b.pk)),
    }
