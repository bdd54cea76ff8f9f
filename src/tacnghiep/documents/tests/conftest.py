"""Shared fixtures of the documents tests: an incoming register of commune A."""

import pytest

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import Direction, PeriodKind
from tacnghiep.documents.services import registers


def entry(catalog: str, code: str) -> CatalogEntry:
    return CatalogEntry.objects.get(catalog__code=catalog, code=code)


@pytest.fixture
def register(world):
    return registers.create_register(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a,
        name="Sổ văn bản đến",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )
