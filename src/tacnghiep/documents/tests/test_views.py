from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import IncomingDocument


def form(register, **kw):
    entry = CatalogEntry.objects.get
    data = {
        "register": register.pk,
        "arrived_at": "02/03/2026 08:30",
        "received_via": "paper",
        "issuer_name": "Ban Tổ chức Tỉnh ủy",
        "code_notation": "15-HD/BTCTU",
        "issued_on": "27/02/2026",
        "document_type": entry(catalog__code="document-types", code="huong-dan").pk,
        "subject": "Hướng dẫn đại hội chi bộ",
        "urgency": entry(catalog__code="urgency-levels", code="thuong").pk,
        "secrecy": entry(catalog__code="secrecy-levels", code="thuong").pk,
    }
    data.update(kw)
    return data


def test_clerk_registers_lists_and_reads(world, register, client_for):
    client = client_for(world.clerk_a)
    page = client.get("/van-ban-den/vao-so/")
    assert page.status_code == 200
    assert "Vào sổ văn bản đến" in page.content.decode()
    response = client.post("/van-ban-den/vao-so/", form(register))
    assert response.status_code == 302
    document = IncomingDocument.objects.get()
    assert str(document.arrived_at.astimezone().date()) in {"2026-03-02", "2026-03-01"}
    detail = client.get(response["Location"]).content.decode()
    assert "Đã vào sổ với số đến 1." in detail
    assert "15-HD/BTCTU" in detail
    listing = client_for(world.leader_a).get("/van-ban-den/").content.decode()
    assert "Hướng dẫn đại hội chi bộ" in listing


def test_duplicate_asks_for_confirmation_in_the_form(world, register, client_for):
    client = client_for(world.clerk_a)
    client.post("/van-ban-den/vao-so/", form(register))
    again = client.post("/van-ban-den/vao-so/", form(register))
    assert again.status_code == 200
    body = again.content.decode()
    assert "Đã có trong sổ" in body
    assert "Vẫn vào sổ" in body
    assert IncomingDocument.objects.count() == 1
    confirmed = client.post("/van-ban-den/vao-so/", form(register, confirm_duplicate="on"))
    assert confirmed.status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_bad_dates_are_refused_in_vietnamese(world, register, client_for):
    response = client_for(world.clerk_a).post("/van-ban-den/vao-so/", form(register, issued_on="01/01/2027"))
    assert response.status_code == 200
    assert "Ngày ban hành không được sau ngày đến." in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_people_without_a_register_see_why(world, client_for):
    page = client_for(world.specialist_a).get("/van-ban-den/vao-so/").content.decode()
    assert "Bạn chưa được giao sổ văn bản đến nào" in page


def test_direct_and_complete_through_the_pages(world, register, client_for):
    clerk = client_for(world.clerk_a)
    location = clerk.post("/van-ban-den/vao-so/", form(register))["Location"]
    document = IncomingDocument.objects.get()
    leader = client_for(world.leader_a)
    page = leader.get(location).content.decode()
    assert "Chỉ đạo xử lý" in page
    assert f"p:{world.specialist_a.pk}" in page
    assert f"p:{world.specialist_b.pk}" not in page  # another commune is not offered
    rows = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-assignee": f"p:{world.specialist_a.pk}",
        "form-0-role": "lead",
        "form-0-due_on": "",
        "form-1-assignee": "",
        "form-1-role": "lead",
        "form-1-due_on": "",
    }
    response = leader.post(f"/van-ban-den/{document.pk}/chi-dao/", {"direction": "Giao đồng chí Ánh.", **rows})
    assert response.status_code == 302
    specialist = client_for(world.specialist_a)
    inbox = specialist.get("/viec-can-lam/").content.decode()
    assert "Hướng dẫn đại hội chi bộ" in inbox
    task = document.assignments.get()
    done = specialist.post(f"/phan-cong/{task.pk}/hoan-thanh/", {"result": "Đã triển khai tới các chi bộ."})
    assert done.status_code == 302
    assert "Không có việc cần làm." in specialist.get("/viec-can-lam/").content.decode()
    detail = leader.get(location).content.decode()
    assert "Đã triển khai tới các chi bộ." in detail
    # Someone else cannot complete it, and gets the same answer as for a missing id.
    assert client_for(world.specialist_b).post(f"/phan-cong/{task.pk}/hoan-thanh/", {"result": "x"}).status_code == 404


def registered_and_directed(world, register, client_for):
    """A document registered by commune A's clerk through the page, with commune A's specialist leading it."""
    from tacnghiep.documents.services import processing
    from tacnghiep.documents.services.processing import AssignmentSpec

    client_for(world.clerk_a).post("/van-ban-den/vao-so/", form(register))
    document = IncomingDocument.objects.get()
    assignments = [AssignmentSpec(role="lead", person=world.specialist_a)]
    task = processing.direct(
        actor=Actor(person=world.leader_a), document=document, direction="", assignments=assignments
    )
    return document, task[0]


def test_opinion_and_return_through_the_pages(world, register, client_for):
    document, task = registered_and_directed(world, register, client_for)
    specialist = client_for(world.specialist_a)
    assert specialist.post(f"/van-ban-den/{document.pk}/y-kien/", {"text": "Cần thêm số liệu."}).status_code == 302
    assert specialist.post(f"/phan-cong/{task.pk}/tra-lai/", {"reason": "Không đúng lĩnh vực."}).status_code == 302
    page = client_for(world.leader_a).get(f"/van-ban-den/{document.pk}/").content.decode()
    assert "Cần thêm số liệu." in page
    assert "Không đúng lĩnh vực." in page
    assert client_for(world.specialist_b).post(f"/van-ban-den/{document.pk}/y-kien/", {"text": "x"}).status_code == 404


def test_extension_through_the_pages(world, register, client_for):
    import datetime

    from django.utils import timezone

    document, task = registered_and_directed(world, register, client_for)
    later = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    specialist = client_for(world.specialist_a)
    response = specialist.post(f"/phan-cong/{task.pk}/gia-han/", {"requested_due_on": later, "reason": "Chờ số liệu."})
    assert response.status_code == 302
    leader = client_for(world.leader_a)
    page = leader.get(f"/van-ban-den/{document.pk}/").content.decode()
    assert f"xin gia hạn đến {later}" in page
    extension = task.extensions.get()
    assert (
        client_for(world.specialist_b).post(f"/gia-han/{extension.pk}/quyet-dinh/", {"grant": "1"}).status_code == 404
    )
    assert leader.post(f"/gia-han/{extension.pk}/quyet-dinh/", {"grant": "1"}).status_code == 302
    task.refresh_from_db()
    assert task.due_on.strftime("%d/%m/%Y") == later


def test_deadline_dashboard_for_leaders(world, register, client_for):
    import datetime

    from django.utils import timezone

    from tacnghiep.documents.models import Assignment
    from tacnghiep.documents.services import processing
    from tacnghiep.documents.services.processing import AssignmentSpec

    client_for(world.clerk_a).post("/van-ban-den/vao-so/", form(register))
    document = IncomingDocument.objects.get()
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[
            AssignmentSpec(role="lead", person=world.specialist_a),
            AssignmentSpec(role="coordinate", organization=world.commune_a_office),
        ],
    )
    # Deadlines in the past cannot be set through the service; age one assignment directly for the test.
    Assignment.objects.filter(person=world.specialist_a).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = client_for(world.leader_a).get("/theo-doi-han/").content.decode()
    assert "Nguyễn Văn Ánh" in page
    assert 'class="badge badge-urgent">1<' in page
    assert "Văn phòng Đảng ủy xã Đắk Nia" in page
    assert client_for(world.specialist_a).get("/theo-doi-han/").status_code == 403
    other = client_for(world.office_leader).get("/theo-doi-han/").content.decode()
    assert "Nguyễn Văn Ánh" not in other  # the provincial office's leader does not lead commune A
