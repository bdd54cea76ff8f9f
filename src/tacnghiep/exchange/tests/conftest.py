"""The documents tests' registers, for the exchange tests."""

import pytest

from tacnghiep.documents.tests import conftest as documents


@pytest.fixture
def register(world):
    return documents.register.__wrapped__(world)


@pytest.fixture
def outgoing_register(world):
    return documents.outgoing_register.__wrapped__(world)
