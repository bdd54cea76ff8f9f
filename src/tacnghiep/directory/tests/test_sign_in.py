"""Sign-in, lockout, two-factor and sessions through the real views and middleware."""

import datetime
import re
import time

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_code, totp_device
from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import SignInSession
from tacnghiep.directory.services import auth as auth_services

LOGIN = "/dang-nhap/"


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_sign_in_rotates_the_session_key_and_is_audited(world, password):
    client = Client()
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen-key"
    response = post_login(client, "vanthu.a", password)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-chosen-key"
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    page = client.get("/")
    assert "Xin chào, Đặng Thị Đào" in page.content.decode()
    assert AuditRecord.objects.filter(action="auth.sign_in", actor=world.clerk_a, outcome="success").count() == 1


def test_wrong_password_shows_vietnamese_error_and_one_audit_record(world):
    response = post_login(Client(), "vanthu.a", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    records = AuditRecord.objects.filter(action="auth.sign_in", outcome="failure")
    assert records.count() == 1
    assert records[0].details == {"reason": "credentials"}


def test_account_locks_after_five_failures_even_with_the_right_password(world, password):
    for i in range(5):
        post_login(Client(), "vanthu.a", f"sai-{i}", REMOTE_ADDR=f"198.51.100.{i + 1}")
    # A sixth attempt, correct password, from yet another address: still refused.
    response = post_login(Client(), "vanthu.a", password, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert AuditRecord.objects.filter(action="auth.sign_in").count() == 6
    assert AuditRecord.objects.filter(action="auth.sign_in", details__reason="locked").count() == 1


def test_client_address_locks_after_five_failures_across_accounts(world, password):
    for username in ["a1", "a2", "a3", "a4", "a5"]:
        post_login(Client(), username, "x", REMOTE_ADDR="203.0.113.7")
    assert post_login(Client(), "vanthu.a", password, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert post_login(Client(), "vanthu.a", password, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_forwarded_for_from_an_untrusted_client_does_not_reset_the_address_lock(world, password):
    for i in range(5):
        post_login(Client(), f"u{i}", "x", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    response = post_login(Client(), "vanthu.a", password, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert response.status_code == 429


def test_administrator_must_enroll_totp_before_anything_else(world, password):
    client = Client()
    response = post_login(client, "quantri.a", password)
    assert response["Location"].startswith("/tai-khoan/hai-lop/")
    for path in ["/", "/to-chuc/", "/can-bo/", "/nhat-ky/", "/quan-tri/", "/api/v1/me/"]:
        blocked = client.get(path)
        assert blocked.status_code in (302, 401), path
        if blocked.status_code == 302:
            assert "/tai-khoan/hai-lop/" in blocked["Location"], path
    client.post("/tai-khoan/hai-lop/", {"action": "start"})
    device = TOTPDevice.objects.get(user=world.admin_a, confirmed=False)
    assert client.post("/tai-khoan/hai-lop/", {"action": "confirm", "code": "000000"}).status_code == 200
    time.sleep(1.1)  # a failed code throttles the device for a second (OTP_TOTP_THROTTLE_FACTOR)
    response = client.post("/tai-khoan/hai-lop/", {"action": "confirm", "code": totp_code(device)})
    assert response.status_code == 302
    assert client.get("/nhat-ky/").status_code == 200


def test_second_factor_step_and_replayed_code(world, password):
    device = totp_device(world.admin_a)
    client = Client()
    response = post_login(client, "quantri.a", password)
    assert response["Location"].startswith("/dang-nhap/xac-thuc/")
    code = totp_code(device)
    assert client.post("/dang-nhap/xac-thuc/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    # The same code in a second session, within its 30 s window, is refused.
    other = Client()
    post_login(other, "quantri.a", password)
    replay = other.post("/dang-nhap/xac-thuc/", {"code": code})
    assert replay.status_code == 200
    assert "đã được dùng" in replay.content.decode()
    assert other.get("/").status_code == 302


def test_enrolled_user_cannot_replace_the_device_without_the_current_one(world, password):
    totp_device(world.admin_a)
    client = Client()
    post_login(client, "quantri.a", password)
    response = client.post("/tai-khoan/hai-lop/", {"action": "start"})
    assert response["Location"].startswith("/dang-nhap/xac-thuc/")
    assert TOTPDevice.objects.filter(user=world.admin_a).count() == 1


def test_no_path_skips_the_second_factor(world, password):
    totp_device(world.admin_a)
    client = Client()
    post_login(client, "quantri.a", password)
    # Session-authenticated API, admin site, OIDC authorization: all refuse the half-signed-in session.
    assert client.get("/api/v1/me/").status_code == 401
    assert "/dang-nhap/xac-thuc/" in client.get("/quan-tri/")["Location"]
    assert "/dang-nhap/xac-thuc/" in client.get("/o/authorize/?client_id=x&response_type=code")["Location"]
    # A token the administrator made before becoming one (without TOTP) does not work.
    _token, key = auth_services.create_api_token(actor=Actor(person=world.admin_a), name="old", second_factor=False)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    # HTTP basic authentication is not accepted at all.
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Basic cXVhbnRyaS5hOng=").status_code in (401, 403)


def test_password_reset_does_not_sign_in_and_ends_sessions(world, password, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    totp_device(world.admin_a)
    Client().post("/quen-mat-khau/", {"email": world.admin_a.email})
    link = re.search(r"http://testserver(/quen-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    new = "Mật-khẩu-rất-mới-2026"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # not signed in
    signed = Client()
    assert post_login(signed, "quantri.a", new)["Location"].startswith("/dang-nhap/xac-thuc/")
    assert AuditRecord.objects.filter(action="auth.password_reset", actor=world.admin_a).count() == 1


def test_idle_timeout_ends_the_session_on_the_server(world, password, settings):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "vanthu.a", password)
        key = client.cookies["sessionid"].value
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=14))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
        assert not Session.objects.filter(session_key=key).exists()
    assert AuditRecord.objects.filter(action="session.expired", actor=world.clerk_a).count() == 1


def test_sign_out_then_replaying_the_old_cookie_is_not_signed_in(world, password):
    client = Client()
    post_login(client, "vanthu.a", password)
    key = client.cookies["sessionid"].value
    client.post("/dang-xuat/")
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/")["Location"].startswith("/dang-nhap/")
    assert not SignInSession.objects.filter(session_key=key).exists()


def test_sign_out_requires_post_and_csrf(world, password):
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = page.cookies["csrftoken"].value
    client.post(LOGIN, {"username": "vanthu.a", "password": password, "csrfmiddlewaretoken": token})
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 403
    assert client.get("/").status_code == 200


def test_inactive_people_cannot_sign_in(world, password):
    world.clerk_a.is_active = False
    world.clerk_a.save(update_fields=["is_active"])
    response = post_login(Client(), "vanthu.a", password)
    assert response.status_code == 200


@pytest.mark.parametrize("weak", ["123456789012", "matkhau2026", "Tinhuy@2026"])
def test_weak_passwords_are_refused(world, weak):
    from django.core.exceptions import ValidationError

    from tacnghiep.directory.services import people

    with pytest.raises(ValidationError):
        people.set_password(actor=Actor(person=world.clerk_a), person=world.clerk_a, password=weak)


def test_passwords_use_configured_argon2id_and_upgrade_at_sign_in(world, password, settings):
    world.clerk_a.refresh_from_db()
    assert world.clerk_a.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    settings.ARGON2_MEMORY_KIB = 20480
    assert post_login(Client(), "vanthu.a", password).status_code == 302
    world.clerk_a.refresh_from_db()
    assert world.clerk_a.password.startswith("argon2$argon2id$v=19$m=20480,t=2,p=1$")


def test_absolute_session_lifetime_ends_even_an_active_session(world, password):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "vanthu.a", password)
        for _ in range(34):  # active every 14 minutes for 7 h 56 min
            traveller.shift(datetime.timedelta(minutes=14))
            assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=14))
        assert client.get("/").status_code == 302
    assert AuditRecord.objects.filter(action="session.expired", details__reason="lifetime").count() == 1
