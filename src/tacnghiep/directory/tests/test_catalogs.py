import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Catalog, CatalogEntry, Person
from tacnghiep.directory.selectors import catalogs as catalog_selectors
from tacnghiep.directory.services import catalogs


def test_fixtures_hold_the_required_catalogs(reference_data):
    assert CatalogEntry.objects.filter(catalog__code="ethnic-groups").count() == 54
    codes = set(Catalog.objects.values_list("code", flat=True))
    assert {
        "positions",
        "religions",
        "education-levels",
        "political-theory-levels",
        "document-types",
        "urgency-levels",
        "secrecy-levels",
    } <= codes
    decision = CatalogEntry.objects.get(catalog__code="document-types", code="quy-dinh")
    assert decision.attributes["state_abbreviation"] == "QyĐ"
    assert decision.attributes["party_abbreviation"] == "QĐi"
    assert "unconfirmed" in decision.attributes["note"]


def test_loading_again_changes_nothing(reference_data):
    versions = dict(Catalog.objects.values_list("code", "version"))
    assert catalogs.load_reference_data() == {}
    assert dict(Catalog.objects.values_list("code", "version")) == versions


def test_retired_entries_stay_on_old_records(world):
    kinh = CatalogEntry.objects.get(catalog__code="ethnic-groups", code="01")
    Person.objects.filter(pk=world.clerk_a.pk).update(ethnic_group=kinh)
    version = kinh.catalog.version
    catalogs.retire_entry(actor=Actor(person=world.sysadmin), entry=kinh, on=datetime.date(2026, 1, 1))
    assert kinh not in catalog_selectors.entries("ethnic-groups")
    assert kinh in catalog_selectors.entries("ethnic-groups", include_retired=True)
    assert Person.objects.get(pk=world.clerk_a.pk).ethnic_group == kinh
    assert Catalog.objects.get(code="ethnic-groups").version == version + 1


def test_only_system_admins_edit_catalogs(world):
    entry = CatalogEntry.objects.get(catalog__code="religions", code="00")
    with pytest.raises(PermissionDenied):
        catalogs.update_entry(actor=Actor(person=world.admin_a), entry=entry, changes={"name": "x"})


def test_system_admin_edits_an_entry_in_the_admin_site_through_the_service(world, client_for):
    from tacnghiep.core.models import AuditRecord

    entry = CatalogEntry.objects.get(catalog__code="positions", code="van-thu")
    client = client_for(world.sysadmin)
    page = client.get(f"/quan-tri/directory/catalogentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert "Văn thư" in page.content.decode()
    response = client.post(
        f"/quan-tri/directory/catalogentry/{entry.pk}/change/",
        {"name": "Văn thư cơ quan", "short_name": "VT", "sort_order": 17, "attributes": "{}"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Văn thư cơ quan"
    assert AuditRecord.objects.filter(action="catalog.entry.change", object_id=str(entry.pk)).count() == 1
    assert client_for(world.admin_a).get(f"/quan-tri/directory/catalogentry/{entry.pk}/change/").status_code in (
        302,
        403,
    )
