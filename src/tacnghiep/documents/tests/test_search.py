"""Full-text search over documents: Vietnamese folding, phrases, exact notation, filters, permissions."""

import unicodedata

import pytest
from django.core.management import call_command
from django.utils import timezone

from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.services import incoming, processing, secrecy
from tacnghiep.documents.tests.conftest import entry
from tacnghiep.search import selectors as search
from tacnghiep.search.models import PendingIndex
from tacnghiep.search.services import index_pending


def register_one(
    world, register, subject, *, notation="", urgency="thuong", kind="ke-hoach", secrecy_level="thuong", **kw
):
    return incoming.register_incoming(
        actor=Actor(person=world.clerk_a),
        data=incoming.IncomingData(
            register=register,
            arrived_at=timezone.now(),
            received_via="paper",
            issuer_name="Ban Tổ chức Tỉnh ủy",
            document_type=entry("document-types", kind),
            subject=subject,
            urgency=entry("urgency-levels", urgency),
            secrecy=entry("secrecy-levels", secrecy_level),
            code_notation=notation,
        ),
        **kw,
    )


def found(person, text, **filters):
    return [(h.kind, h.pk) for h in search.search(Actor(person=person), text, search.Filters(**filters))]


@pytest.fixture
def documents(world, register):
    made = {
        "plan": register_one(world, register, "Kế hoạch tổ chức Đại hội Đảng bộ xã Đắk Nia", notation="42-KH/TU"),
        "apart": register_one(world, register, "Đại hội chi bộ và công tác Đảng viên mới", notation="421-KH/TU"),
        "urgent": register_one(world, register, "Công văn khẩn về phòng chống bão", urgency="khan", kind="cong-van"),
    }
    assert index_pending() == 3
    assert not PendingIndex.objects.exists()
    return made


def test_folding_matches_any_case_tone_and_normal_form(world, documents):
    plan = ("incoming", documents["plan"].pk)
    for query in ("dai hoi dang bo", "ĐẠI HỘI ĐẢNG BỘ", "Đắk Nia", "dak nia", unicodedata.normalize("NFD", "Đắk Nia")):
        assert plan in found(world.leader_a, query), query
    assert found(world.leader_a, "bão") == [("incoming", documents["urgent"].pk)]


def test_a_phrase_must_match_in_order(world, documents):
    assert found(world.leader_a, '"dai hoi dang bo"') == [("incoming", documents["plan"].pk)]
    assert set(found(world.leader_a, "dai hoi dang")) == {
        ("incoming", documents["plan"].pk),
        ("incoming", documents["apart"].pk),
    }


def test_a_notation_matches_exactly_and_comes_first(world, documents):
    assert found(world.leader_a, "42-KH/TU")[0] == ("incoming", documents["plan"].pk)
    assert ("incoming", documents["apart"].pk) not in found(world.leader_a, "42-KH/TU")
    assert found(world.leader_a, "42-kh/tu")[0] == ("incoming", documents["plan"].pk)


def test_filters(world, documents, register):
    assert found(world.leader_a, "", urgency="khan") == [("incoming", documents["urgent"].pk)]
    assert found(world.leader_a, "", type="cong-van") == [("incoming", documents["urgent"].pk)]
    assert len(found(world.leader_a, "", register=register.pk, kinds=["incoming"])) == 3
    assert found(world.leader_a, "", kinds=["outgoing"]) == []
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=documents["apart"],
        direction="",
        assignments=[processing.AssignmentSpec(role="lead", person=world.specialist_a)],
    )
    index_pending()
    assert found(world.leader_a, "", assignee=world.specialist_a.pk) == [("incoming", documents["apart"].pk)]
    assert found(world.leader_a, "", status="pending") == [("incoming", documents["apart"].pk)]


def test_results_are_filtered_by_permission(world, documents):
    assert found(world.specialist_b, "dai hoi") == []
    assert found(world.specialist_a, "dai hoi") == []  # not assigned yet
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=documents["plan"],
        direction="",
        assignments=[processing.AssignmentSpec(role="lead", person=world.specialist_a)],
    )
    index_pending()  # the assignment re-indexed the document
    assert found(world.specialist_a, "dai hoi") == [("incoming", documents["plan"].pk)]


def test_secret_documents_only_to_those_granted(world, register):
    from tacnghiep.directory.models import Role
    from tacnghiep.directory.tests.factories import staff

    document = register_one(world, register, "Báo cáo tình hình an ninh nội bộ", secrecy_level="mat")
    other_clerk = staff(world.commune_a_office, Role.CLERK, role_at=world.commune_a, username="vanthu2.a")
    index_pending()
    assert found(world.clerk_a, "an ninh") == [("incoming", document.pk)]  # registered it
    assert found(world.leader_a, "an ninh") == [("incoming", document.pk)]  # leads the organization
    assert found(other_clerk, "an ninh") == []
    assert found(world.office_clerk, "an ninh") == []  # a clerk of the province above
    secrecy.grant(actor=Actor(person=world.leader_a), document=document, person=other_clerk)
    index_pending()
    assert found(other_clerk, "an ninh") == [("incoming", document.pk)]


def test_the_pdf_text_layer_is_searchable(world, register):
    document = register_one(
        world,
        register,
        "Công văn số 15",
        scans=[samples.named("scan.pdf", samples.pdf(2, text="Kiem tra cong tac phong chong tham nhung"))],
    )
    index_pending()
    assert found(world.leader_a, "tham nhũng") == [("incoming", document.pk)]


def test_a_change_replaces_the_entry(world, documents):
    documents["plan"].subject = "Đã đổi trích yếu"
    documents["plan"].save()
    processing.add_opinion(actor=Actor(person=world.leader_a), document=documents["plan"], text="Ý kiến")
    index_pending()
    assert ("incoming", documents["plan"].pk) not in found(world.leader_a, "dak nia")
    assert found(world.leader_a, "doi trich yeu") == [("incoming", documents["plan"].pk)]


def test_the_command_prints_json_for_scripts(world, documents, capsys):
    call_command("search", '"dai hoi dang bo"', "--as", world.leader_a.username, "--json")
    import json

    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == documents["plan"].pk
    assert rows[0]["code_notation"] == "42-KH/TU"
    assert rows[0]["kind"] == "incoming"


def test_search_page_and_api(world, documents, client_for):
    from tacnghiep.documents.tests.test_api import bearer

    page = client_for(world.leader_a).get("/tra-cuu-van-ban/", {"q": "dak nia"}).content.decode()
    assert "Kế hoạch tổ chức Đại hội Đảng bộ xã Đắk Nia" in page
    assert "Công văn khẩn" not in page
    outsider = client_for(world.specialist_b).get("/tra-cuu-van-ban/", {"q": "dak nia"}).content.decode()
    assert "Đắk Nia" not in outsider.split("<main", 1)[1]
    from django.test import Client

    rows = Client().get("/api/v1/search/", {"q": "42-KH/TU"}, **bearer(world.leader_a)).json()
    assert rows[0]["id"] == documents["plan"].pk
    assert Client().get("/api/v1/search/", {"q": "42-KH/TU"}, **bearer(world.specialist_b)).json() == []
