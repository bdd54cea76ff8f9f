"""Fixtures shared by every test: a small province with people in each role, and sign-in helpers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tacnghiep.core.db import APPEND_ONLY_TABLES, install_append_only, remove_append_only
from tacnghiep.directory.models import Organization, Person, Role, SignInSession
from tacnghiep.directory.services.catalogs import load_reference_data
from tacnghiep.directory.tests.factories import PASSWORD, OrganizationFactory, staff


@pytest.fixture(scope="session", autouse=True)
def _flush_through_audit_guard() -> Iterator[None]:
    """Transactional tests empty every table between tests; the append-only guard would refuse.

    Only the test runner's flush lifts the guard, for the length of the flush.
    """
    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        for table in APPEND_ONLY_TABLES:
            remove_append_only(self.connection, table)
        try:
            original(self, sql_list)
        finally:
            for table in APPEND_ONLY_TABLES:
                install_append_only(self.connection, table)

    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _search_index(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fresh search index per test (the database is fresh too)."""
    from tacnghiep.search import engine

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search")
    engine.forget()
    yield
    engine.forget()


@pytest.fixture
def reference_data(db: None) -> None:
    load_reference_data()


@dataclass
class World:
    root: Organization
    office: Organization
    commune_a: Organization
    commune_a_office: Organization
    commune_b: Organization
    commune_b_office: Organization
    former_district: Organization
    sysadmin: Person
    office_leader: Person
    office_clerk: Person
    admin_a: Person
    clerk_a: Person
    leader_a: Person
    specialist_a: Person
    admin_b: Person
    specialist_b: Person

    def people(self) -> dict[str, Person]:
        return {k: v for k, v in vars(self).items() if isinstance(v, Person)}


@pytest.fixture
def world(reference_data: None) -> World:
    """A province, its office, two communes each with an office, and one ended district committee."""
    root = OrganizationFactory(name="Tỉnh ủy Thử Nghiệm", short_name="TU", kind="provincial-committee")
    office = OrganizationFactory(name="Văn phòng Tỉnh ủy", short_name="VPTU", kind="office", parent=root)
    commune_a = OrganizationFactory(name="Đảng ủy xã Đắk Nia", parent=root, code_qd20="H99.01.01")
    commune_a_office = OrganizationFactory(name="Văn phòng Đảng ủy xã Đắk Nia", kind="office", parent=commune_a)
    commune_b = OrganizationFactory(name="Đảng ủy phường Cam Ly", parent=root, code_qcvn102="000.01.02.H99")
    commune_b_office = OrganizationFactory(name="Văn phòng Đảng ủy phường Cam Ly", kind="office", parent=commune_b)
    former = OrganizationFactory(name="Huyện ủy Cũ", short_name="HU", kind="district-committee", parent=None)
    former.valid_to = former.valid_from
    former.save(update_fields=["valid_to"])
    return World(
        root=root,
        office=office,
        commune_a=commune_a,
        commune_a_office=commune_a_office,
        commune_b=commune_b,
        commune_b_office=commune_b_office,
        former_district=former,
        sysadmin=staff(root, Role.SYSTEM_ADMIN, username="quantri", full_name="Quản Trị Hệ Thống"),
        office_leader=staff(office, Role.LEADER, username="lanhdao.vp", full_name="Trần Văn Lãnh"),
        # Clerks sit in an office but keep the registers of the committee it serves.
        office_clerk=staff(office, Role.CLERK, role_at=root, username="vanthu.vp", full_name="Phạm Thu Thư"),
        admin_a=staff(commune_a, Role.UNIT_ADMIN, username="quantri.a", full_name="Lê Quản Trị A"),
        clerk_a=staff(commune_a_office, Role.CLERK, role_at=commune_a, username="vanthu.a", full_name="Đặng Thị Đào"),
        leader_a=staff(commune_a, Role.LEADER, username="bithu.a", full_name="Hoàng Văn Bí"),
        specialist_a=staff(commune_a_office, Role.SPECIALIST, username="chuyenvien.a", full_name="Nguyễn Văn Ánh"),
        admin_b=staff(commune_b, Role.UNIT_ADMIN, username="quantri.b", full_name="Võ Quản Trị B"),
        specialist_b=staff(commune_b_office, Role.SPECIALIST, username="chuyenvien.b", full_name="Bùi Thị Bê"),
    )


def totp_device(person: Person) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=person, name="test", confirmed=True)


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, person: Person, *, verified: bool = True) -> Client:
    """Sign ``person`` in on ``client``; with ``verified`` the session also passed TOTP."""
    client.force_login(person)
    # Like a real sign-in, so that "end every session of this person" finds this one.
    SignInSession.objects.create(person=person, session_key=client.session.session_key)
    if verified:
        device = totp_device(person)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(world: World) -> Any:
    def make(person: Person, *, verified: bool = True) -> Client:
        return sign_in(Client(), person, verified=verified)

    return make


@pytest.fixture
def password() -> str:
    return PASSWORD


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright, one for the whole run (its event loop lives in this thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()
