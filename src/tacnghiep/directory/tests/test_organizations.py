import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, OrganizationKind, Succession
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.services import organizations as org_services


def data(parent, **kw):
    kw.setdefault("name", "Chi bộ Thôn 1")
    kw.setdefault("short_name", "CB")
    kw.setdefault("kind", OrganizationKind.objects.get(code="cell"))
    kw.setdefault("valid_from", datetime.date(2025, 7, 1))
    return org_services.OrganizationData(parent=parent, **kw)


def test_unit_admin_creates_inside_own_subtree_with_one_audit_record(world):
    actor = Actor(person=world.admin_a)
    before = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    org = org_services.create_organization(actor=actor, data=data(world.commune_a))
    assert org.path.startswith(world.commune_a.path)
    assert org.depth == world.commune_a.depth + 1
    records = AuditRecord.objects.filter(id__gt=before)
    assert [r.action for r in records] == ["organization.create"]
    assert records[0].actor_id == world.admin_a.pk
    assert records[0].organization_id == org.pk


def test_unit_admin_cannot_create_in_another_commune_and_nothing_changes(world):
    actor = Actor(person=world.admin_a)
    count = Organization.objects.count()
    with pytest.raises(PermissionDenied):
        org_services.create_organization(actor=actor, data=data(world.commune_b))
    assert Organization.objects.count() == count
    denial = AuditRecord.objects.latest("id")
    assert (denial.action, denial.outcome) == ("organization.create", "denied")


def test_identifier_codes_are_validated_and_unique_among_current(world):
    actor = Actor(person=world.sysadmin)
    with pytest.raises(ValidationError) as excinfo:
        org_services.create_organization(actor=actor, data=data(world.root, code_qcvn102="123"))
    assert "code_qcvn102" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        org_services.create_organization(actor=actor, data=data(world.root, code_qd20="h99.01.01"))
    assert "code_qd20" in excinfo.value.message_dict  # upper-cased, then clashes with commune A
    # An ended organization's code may be reused.
    org_services.update_organization(actor=actor, organization=world.commune_a, changes={"code_qd20": ""})
    ended = org_services.create_organization(actor=actor, data=data(world.root, code_qd20="H99.05"))
    org_services.end_organization(actor=actor, organization=ended, valid_to=datetime.date(2025, 12, 31))
    again = org_services.create_organization(actor=actor, data=data(world.root, code_qd20="H99.05"))
    assert again.code_qd20 == "H99.05"


def test_move_rewrites_the_subtree_paths(world):
    actor = Actor(person=world.sysadmin)
    cell = org_services.create_organization(actor=actor, data=data(world.commune_a_office))
    org_services.move_organization(actor=actor, organization=world.commune_a_office, new_parent=world.office)
    cell.refresh_from_db()
    office = Organization.objects.get(pk=world.commune_a_office.pk)
    assert office.path.startswith(world.office.path)
    assert cell.path.startswith(office.path)
    assert cell.depth == office.depth + 1
    with pytest.raises(ValidationError):
        org_services.move_organization(actor=actor, organization=world.root, new_parent=office)


def test_end_links_successors_and_stays_readable(world):
    actor = Actor(person=world.sysadmin)
    org_services.end_organization(actor=actor, organization=world.commune_b_office, valid_to=datetime.date(2026, 1, 31))
    org_services.end_organization(
        actor=actor,
        organization=world.commune_b,
        valid_to=datetime.date(2026, 1, 31),
        successors=[world.commune_a],
        kind="merge",
    )
    link = Succession.objects.get(predecessor=world.commune_b)
    assert link.successor == world.commune_a
    assert link.effective_on == datetime.date(2026, 2, 1)
    # The commune A admin now reads the ended predecessor (old records) but cannot change it.
    reader = Actor(person=world.admin_a)
    assert org_selectors.get(reader, world.commune_b.pk) == world.commune_b
    with pytest.raises(Http404):
        org_selectors.get_administrable(reader, world.commune_b.pk)


def test_cannot_end_with_current_children(world):
    with pytest.raises(ValidationError):
        org_services.end_organization(
            actor=Actor(person=world.sysadmin), organization=world.commune_a, valid_to=datetime.date(2026, 1, 1)
        )


def test_commune_staff_read_only_their_commune(world):
    actor = Actor(person=world.specialist_a)
    readable = set(org_selectors.readable(actor).values_list("pk", flat=True))
    assert {world.commune_a.pk, world.commune_a_office.pk} <= readable
    assert world.commune_b.pk not in readable
    assert world.root.pk not in readable
    province = set(org_selectors.readable(Actor(person=world.office_clerk)).values_list("pk", flat=True))
    assert {world.root.pk, world.commune_a.pk, world.commune_b.pk} <= province


def test_scoped_get_of_a_foreign_object_is_404_and_audited(world):
    with pytest.raises(Http404):
        org_selectors.get(Actor(person=world.admin_a), world.commune_b.pk)
    denial = AuditRecord.objects.latest("id")
    assert (denial.action, denial.outcome, denial.object_id) == ("organization.view", "denied", str(world.commune_b.pk))
