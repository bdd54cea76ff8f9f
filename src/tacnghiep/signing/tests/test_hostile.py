"""Hostile PDFs are refused with a clear Vietnamese error, in bounded time and memory, and change nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tacnghiep.core import uploads
from tacnghiep.core.models import StoredFile
from tacnghiep.core.tests import samples
from tacnghiep.signing.services import checks
from tacnghiep.signing.tests import hostile
from tacnghiep.signing.tests.pki import PASSWORD, official_pdf


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


@pytest.fixture
def fresh_pool() -> Iterator[None]:
    checks.reset_pool()
    yield
    checks.reset_pool()


def _refusal(data: bytes) -> str:
    """The refusal's code; its Vietnamese text is checked by the translation test."""
    with pytest.raises(ValidationError) as caught:
        uploads.inspect(samples.named("van-ban.pdf", data), {uploads.PDF})
    assert caught.value.messages[0]
    return str(caught.value.code)


@pytest.mark.parametrize(
    "make",
    [
        hostile.broken_xref,
        hostile.circular_pages,
        hostile.circular_object_stream,
        hostile.huge_object_stream,
        hostile.deep_nesting,
        hostile.enormous_page_tree,
    ],
    ids=lambda f: f.__name__,
)
def test_hostile_structures_are_refused(make, fresh_pool):
    assert _refusal(make()) in {"pdf_broken", "pdf_empty", "pdf_too_complex"}
    # The pool is still healthy afterwards.
    inspected = uploads.inspect(samples.named("tot.pdf", samples.pdf(2)), {uploads.PDF})
    assert inspected.page_count == 2


def test_a_truncated_signed_pdf_is_refused(pki, organization_holder):
    from tacnghiep.signing import keys, pdfsign

    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    signed = pdfsign.sign(official_pdf(), signer, pdfsign.Job(field_name="A"))
    assert _refusal(hostile.truncated(signed)) == "pdf_broken"


def test_a_parser_running_out_of_time_is_stopped_and_replaced(settings, fresh_pool):
    settings.SIGNING_CHECK_TIMEOUT = 0.001
    assert _refusal(hostile.plain(1500)) == "pdf_too_complex"
    settings.SIGNING_CHECK_TIMEOUT = 30
    assert uploads.inspect(samples.named("tot.pdf", hostile.plain(1500)), {uploads.PDF}).page_count == 1500


def test_a_parser_running_out_of_memory_is_stopped_and_replaced(settings, fresh_pool):
    settings.SIGNING_CHECK_MEMORY_MB = 150
    checks.reset_pool()
    assert _refusal(hostile.enormous_page_tree()) == "pdf_too_complex"
    assert uploads.inspect(samples.named("tot.pdf", samples.pdf(1)), {uploads.PDF}).page_count == 1


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(world):
    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.services import drafting
    from tacnghiep.documents.services.drafting import DraftData
    from tacnghiep.documents.tests.conftest import entry

    before = StoredFile.objects.count()
    data = DraftData(
        organization=world.commune_a,
        document_type=entry("document-types", "ke-hoach"),
        subject="Kế hoạch",
        urgency=entry("urgency-levels", "thuong"),
        secrecy=entry("secrecy-levels", "thuong"),
    )
    with pytest.raises(ValidationError):
        drafting.create_draft(
            actor=Actor(person=world.specialist_a), data=data, upload=samples.named("a.pdf", hostile.broken_xref())
        )
    assert StoredFile.objects.count() == before
