import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import ApiToken, CatalogEntry, Person, Role
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.services import auth as auth_services
from tacnghiep.directory.services import delegations, people, roles
from tacnghiep.directory.tests.factories import MembershipFactory


def position(code="chuyen-vien"):
    return CatalogEntry.objects.get(catalog__code="positions", code=code)


def test_create_person_sets_sort_and_search_keys(world):
    person = people.create_person(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a_office,
        username="ksor.h.bloan",
        full_name="  Ksor   H’Bloan ",
        position=position(),
    )
    assert person.full_name == "Ksor H’Bloan"
    assert person.sort_key.startswith("h’bloan")
    assert not person.has_usable_password()
    page = people_selectors.search(Actor(person=world.clerk_a), "ksor")
    assert [p.pk for p in page.items] == [person.pk]


def test_search_folds_diacritics_and_d(world):
    actor = Actor(person=world.office_clerk)
    for query in ("dang thi dao", "ĐẶNG", "Đặng Thị Đào", "dao"):
        assert world.clerk_a in people_selectors.search(actor, query).items, query


def test_search_is_scoped_and_keyset_paginated(world):
    actor = Actor(person=world.specialist_b)
    found = people_selectors.search(actor, "").items
    assert world.specialist_b in found
    assert world.clerk_a not in found
    for i in range(7):
        MembershipFactory(person__full_name=f"Trần Văn Phân {i}", organization=world.commune_b_office)
    first = people_selectors.search(actor, "phan", limit=5)
    assert len(first.items) == 5
    assert first.next_cursor
    second = people_selectors.search(actor, "phan", limit=5, cursor=first.next_cursor)
    assert len(second.items) == 2
    assert second.next_cursor is None
    assert not {p.pk for p in first.items} & {p.pk for p in second.items}


def test_unit_admin_cannot_change_a_person_shared_with_another_commune(world):
    MembershipFactory(person=world.specialist_a, organization=world.commune_b_office, is_primary=False)
    with pytest.raises(PermissionDenied):
        people.update_person(actor=Actor(person=world.admin_a), person=world.specialist_a, changes={"phone": "1"})
    updated = people.update_person(
        actor=Actor(person=world.sysadmin), person=world.specialist_a, changes={"phone": "1"}
    )
    assert updated.phone == "1"


def test_update_rejects_fields_outside_the_allow_list(world):
    with pytest.raises(ValidationError):
        people.update_person(actor=Actor(person=world.admin_a), person=world.clerk_a, changes={"is_active": False})
    assert Person.objects.get(pk=world.clerk_a.pk).is_active


def test_deactivation_ends_sessions_and_tokens(world, client_for):
    client = client_for(world.clerk_a)
    assert client.get("/").status_code == 200
    auth_services.create_api_token(actor=Actor(person=world.clerk_a), name="script")
    people.deactivate_person(actor=Actor(person=world.admin_a), person=world.clerk_a)
    assert client.get("/").status_code == 302
    assert not ApiToken.objects.filter(person=world.clerk_a, revoked_at__isnull=True).exists()
    assert AuditRecord.objects.filter(action="person.deactivate", object_id=str(world.clerk_a.pk)).count() == 1


def test_set_password_ends_the_person_s_sessions(world, client):
    client.post("/dang-nhap/", {"username": "vanthu.a", "password": "Mat-khau-thu-nghiem-2026"})
    assert Session.objects.count() == 1
    people.set_password(actor=Actor(person=world.admin_a), person=world.clerk_a, password="Một-mật-khẩu-mới-dài-2026")
    assert Session.objects.count() == 0


def test_roles_are_granted_only_within_the_subtree(world):
    admin_a = Actor(person=world.admin_a)
    grant = roles.grant_role(actor=admin_a, person=world.specialist_a, organization=world.commune_a, role=Role.LEADER)
    assert Actor(person=world.specialist_a).has_role(Role.LEADER, world.commune_a_office)
    with pytest.raises(PermissionDenied):
        roles.grant_role(actor=admin_a, person=world.specialist_a, organization=world.commune_a, role=Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        roles.grant_role(actor=admin_a, person=world.specialist_b, organization=world.commune_b, role=Role.CLERK)
    roles.revoke_role(actor=admin_a, grant=grant)
    assert not Actor(person=world.specialist_a).has_role(Role.LEADER)


def test_last_system_admin_keeps_the_role(world):
    grant = world.sysadmin.role_grants.get(role=Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        roles.revoke_role(actor=Actor(person=world.sysadmin), grant=grant)


def test_work_under_delegation_is_recorded_as_x_for_y(world, client_for):
    now = timezone.now()
    delegations.create_delegation(
        actor=Actor(person=world.leader_a),
        delegator=world.leader_a,
        delegate=world.specialist_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    client = client_for(world.specialist_a)
    response = client.post("/tai-khoan/thay-mat/", {"delegator": world.leader_a.pk})
    assert response.status_code == 302
    page = client.get("/")
    assert "Bạn đang làm việc thay Hoàng Văn Bí" in page.content.decode()
    client.post("/tai-khoan/token/", {"name": "under delegation", "days": 5})
    record = AuditRecord.objects.filter(action="api_token.create").latest("id")
    assert (record.actor_id, record.acting_for_id) == (world.specialist_a.pk, world.leader_a.pk)


def test_acting_for_without_a_delegation_is_denied(world, client_for):
    client = client_for(world.specialist_a)
    response = client.post("/tai-khoan/thay-mat/", {"delegator": world.leader_a.pk})
    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="delegation.act", outcome="denied").count() == 1


def test_pages_render_for_a_person_without_a_position(world, client_for):
    person = people.create_person(
        actor=Actor(person=world.admin_a), organization=world.commune_a, username="khongchucvu", full_name="Y Moan Niê"
    )
    client = client_for(world.admin_a)
    for path in [f"/can-bo/{person.pk}/", "/can-bo/?q=moan", f"/to-chuc/{world.commune_a.pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Y Moan Niê" in response.content.decode()
    assert client_for(person, verified=False).get("/").status_code == 200


def test_reset_second_factor_removes_devices_and_sessions(world, client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    victim = client_for(world.specialist_a)  # creates a confirmed device and a verified session
    assert TOTPDevice.objects.filter(user=world.specialist_a).exists()
    admin = client_for(world.admin_a)
    assert admin.post(f"/can-bo/{world.specialist_a.pk}/dat-lai-hai-lop/").status_code == 302
    assert not TOTPDevice.objects.filter(user=world.specialist_a).exists()
    assert victim.get("/").status_code == 302
    other = client_for(world.admin_b)
    assert other.post(f"/can-bo/{world.specialist_a.pk}/dat-lai-hai-lop/").status_code == 404
    assert AuditRecord.objects.filter(action="person.reset_second_factor", outcome="success").count() == 1
