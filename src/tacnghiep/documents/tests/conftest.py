"""Shared fixtures of the documents tests: an incoming register of commune A."""

import datetime

import pytest

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import Direction, PeriodKind, SecretSeries
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


@pytest.fixture
def outgoing_register(world):
    """Commune A's Party register: per document type per term, ``{n}-{type}/{issuer}``."""
    return registers.create_register(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a,
        name="Sổ văn bản đi",
        direction=Direction.OUTGOING,
        period_kind=PeriodKind.PARTY_TERM,
        term_started_on=datetime.date(2025, 7, 1),
        per_document_type=True,
        secret_series=SecretSeries.SHARED,
        notation_template="{n}-{type}/{issuer}",
    )


@pytest.fixture
def province_register(world):
    """The provincial committee's incoming register, kept by the office clerk."""
    return registers.create_register(
        actor=Actor(person=world.sysadmin),
        organization=world.root,
        name="Sổ văn bản đến",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )
