import pytest
from django.test import Client

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.services import auth as auth_services


def bearer(person):
    _token, key = auth_services.create_api_token(actor=Actor(person=person), name="t", second_factor=True)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def body(register, **kw):
    data = {
        "register": register.pk,
        "arrived_at": "2026-03-02T08:30:00+07:00",
        "received_via": "electronic",
        "issuer_name": "Tỉnh ủy Lâm Đồng",
        "code_notation": "42-KH/TU",
        "issued_on": "2026-02-27",
        "document_type": "ke-hoach",
        "subject": "Kế hoạch tổng kết năm 2026",
        "urgency": "khan",
        "secrecy": "thuong",
    }
    data.update(kw)
    return data


def test_clerk_registers_through_the_api_with_duplicate_warning(world, register):
    client, headers = Client(), bearer(world.clerk_a)
    first = client.post("/api/v1/incoming-documents/", body(register), content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    assert (first.json()["arrival_number"], first.json()["urgency"]) == (1, "khan")
    again = client.post("/api/v1/incoming-documents/", body(register), content_type="application/json", **headers)
    assert again.status_code == 400
    assert "đã được vào sổ (số đến 1)" in again.content.decode()
    confirmed = client.post(
        "/api/v1/incoming-documents/",
        body(register, confirm_duplicate=True),
        content_type="application/json",
        **headers,
    )
    assert confirmed.json()["arrival_number"] == 2
    listed = client.get(f"/api/v1/incoming-documents/?register={register.pk}", **bearer(world.leader_a)).json()
    assert [d["arrival_number"] for d in listed["results"]] == [2, 1]
    assert AuditRecord.objects.filter(action="incoming.register", outcome="success").count() == 2


def test_others_cannot_register_or_read(world, register):
    client = Client()
    hidden = client.post(
        "/api/v1/incoming-documents/", body(register), content_type="application/json", **bearer(world.specialist_a)
    )
    assert hidden.status_code == 404  # the register is not even visible to a specialist
    denied = client.post(
        "/api/v1/incoming-documents/", body(register), content_type="application/json", **bearer(world.leader_a)
    )
    assert denied.status_code == 403  # a leader reads the register but does not number documents into it
    foreign = client.post(
        "/api/v1/incoming-documents/", body(register), content_type="application/json", **bearer(world.admin_b)
    )
    assert foreign.status_code == 404
    assert client.get("/api/v1/registers/", **bearer(world.specialist_b)).json()["results"] == []


def test_bad_input_gets_vietnamese_field_errors(world, register):
    response = Client().post(
        "/api/v1/incoming-documents/",
        body(register, subject="   ", secrecy="khong-co", issued_on="2027-01-01"),
        content_type="application/json",
        **bearer(world.clerk_a),
    )
    assert response.status_code == 400
    errors = response.json()
    assert "secrecy" in errors


@pytest.mark.parametrize("field", ["document_type", "urgency", "secrecy"])
def test_codes_with_nul_or_odd_characters_are_a_400_not_a_server_error(world, register, field):
    for bad in ["\x00", "ke\x00hoach", "Kế hoạch", "x" * 80, 5]:
        response = Client().post(
            "/api/v1/incoming-documents/",
            body(register, **{field: bad}),
            content_type="application/json",
            **bearer(world.clerk_a),
        )
        assert response.status_code == 400, (field, bad, response.status_code)
        assert field in response.json()


def test_direct_inbox_and_complete_through_the_api(world, register):
    client = Client()
    created = client.post(
        "/api/v1/incoming-documents/", body(register), content_type="application/json", **bearer(world.clerk_a)
    ).json()
    leader, specialist = bearer(world.leader_a), bearer(world.specialist_a)
    directed = client.post(
        f"/api/v1/incoming-documents/{created['id']}/direct/",
        {
            "direction": "Đồng chí Ánh chủ trì.",
            "assignments": [{"person": world.specialist_a.pk, "role": "lead", "due_on": "2099-01-31"}],
        },
        content_type="application/json",
        **leader,
    )
    assert directed.status_code == 201, directed.content
    # Only a leader of the registering organization directs.
    refused = client.post(
        f"/api/v1/incoming-documents/{created['id']}/direct/",
        {"assignments": [{"person": world.specialist_a.pk, "role": "lead"}]},
        content_type="application/json",
        **specialist,
    )
    assert refused.status_code == 403
    inbox = client.get("/api/v1/assignments/", **specialist).json()
    assert [(a["document"], a["role"], a["urgency"]) for a in inbox] == [(created["id"], "lead", "khan")]
    done = client.post(
        f"/api/v1/assignments/{inbox[0]['id']}/complete/",
        {"result": "Đã tham mưu kế hoạch."},
        content_type="application/json",
        **specialist,
    )
    assert done.json()["status"] == "completed"
    assert client.get("/api/v1/assignments/", **specialist).json() == []
    assert (
        client.post(
            f"/api/v1/assignments/{inbox[0]['id']}/complete/",
            {"result": "x"},
            content_type="application/json",
            **bearer(world.specialist_b),
        ).status_code
        == 404
    )
