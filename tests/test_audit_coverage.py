"""Every state-changing action through the web UI writes exactly one audit record."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Delegation, Membership, Organization, RoleGrant
from tacnghiep.directory.services import auth as auth_services


def last_id() -> int:
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_each_web_action_writes_exactly_one_record(world, client_for):
    admin = client_for(world.admin_a)
    position = CatalogEntry.objects.get(catalog__code="positions", code="chuyen-vien").pk
    cell_kind = Organization.objects.get(pk=world.commune_a.pk).kind_id
    token, _key = auth_services.create_api_token(actor=Actor(person=world.admin_a), name="t")
    now = timezone.now()
    delegation = Delegation.objects.create(
        delegator=world.admin_a, delegate=world.clerk_a, starts_at=now, ends_at=now + datetime.timedelta(days=1)
    )
    a = world.commune_a.pk
    steps = [
        (
            "organization.create",
            f"/to-chuc/{a}/them/",
            {
                "name": "Chi bộ Thôn 2",
                "short_name": "CB2",
                "kind": cell_kind,
                "valid_from": "01/07/2025",
                "sort_order": 0,
            },
        ),
        (
            "organization.change",
            f"/to-chuc/{world.commune_a_office.pk}/sua/",
            {
                "name": "Văn phòng Đảng ủy xã Đắk Nia",
                "short_name": "VP",
                "kind": cell_kind,
                "valid_from": "01/07/2025",
                "sort_order": 3,
            },
        ),
        ("person.create", f"/to-chuc/{a}/them-can-bo/", {"username": "moi", "full_name": "Ksor Thị Mới"}),
        (
            "membership.create",
            f"/to-chuc/{a}/them-chuc-vu/",
            {"username": "chuyenvien.a", "position": position, "valid_from": "01/07/2025"},
        ),
        ("role.grant", f"/to-chuc/{a}/cap-vai-tro/", {"username": "chuyenvien.a", "role": "clerk"}),
        ("person.change", f"/can-bo/{world.specialist_a.pk}/sua/", {"full_name": "Nguyễn Văn Ánh", "phone": "0909"}),
        (
            "person.set_password",
            f"/can-bo/{world.clerk_a.pk}/mat-khau/",
            {"password1": "Một-mật-khẩu-dài-2026", "password2": "Một-mật-khẩu-dài-2026"},
        ),
        ("person.deactivate", f"/can-bo/{world.clerk_a.pk}/kich-hoat/", {}),
        ("person.reactivate", f"/can-bo/{world.clerk_a.pk}/kich-hoat/", {}),
        ("person.reset_second_factor", f"/can-bo/{world.leader_a.pk}/dat-lai-hai-lop/", {}),
        (
            "membership.end",
            lambda: (
                f"/chuc-vu/{Membership.objects.filter(person=world.specialist_a, is_primary=False).latest('id').pk}"
                "/ket-thuc/"
            ),
            {},
        ),
        (
            "role.revoke",
            lambda: f"/vai-tro/{RoleGrant.objects.filter(person=world.specialist_a, role='clerk').get().pk}/thu-hoi/",
            {},
        ),
        ("api_token.create", "/tai-khoan/token/", {"name": "script", "days": 30}),
        ("api_token.revoke", f"/tai-khoan/token/{token.pk}/thu-hoi/", {}),
        (
            "delegation.create",
            "/tai-khoan/uy-quyen/",
            {"delegate": "bithu.a", "starts_at": "01/12/2026 08:00", "ends_at": "05/12/2026 17:00"},
        ),
        ("delegation.revoke", f"/tai-khoan/uy-quyen/{delegation.pk}/thu-hoi/", {}),
        (
            "organization.end",
            lambda: f"/to-chuc/{Organization.objects.get(name='Chi bộ Thôn 2').pk}/ket-thuc/",
            {"valid_to": "31/12/2026", "kind": "merge"},
        ),
        ("auth.sign_out_others", "/tai-khoan/dang-xuat-noi-khac/", {}),
    ]
    for action, url, data in steps:
        before = last_id()
        response = admin.post(url() if callable(url) else url, data)
        assert response.status_code == 302, (action, response.status_code, response.content[:500])
        records = list(AuditRecord.objects.filter(id__gt=before))
        assert [r.action for r in records] == [action], (action, [r.action for r in records])
        assert records[0].outcome == "success"
        assert records[0].actor_id == world.admin_a.pk


@pytest.mark.parametrize("path", ["/to-chuc/{b}/sua/", "/to-chuc/{b}/them/", "/can-bo/{sb}/kich-hoat/"])
def test_each_denied_action_writes_exactly_one_record(world, client_for, path):
    client = client_for(world.admin_a)
    before = last_id()
    client.post(path.format(b=world.commune_b.pk, sb=world.specialist_b.pk), {})
    records = list(AuditRecord.objects.filter(id__gt=before))
    assert len(records) == 1
    assert records[0].outcome == "denied"
