"""Signing documents on the server with registered keys (NĐ 30/2020 Art. 13, 17, 33; PL I).

* :func:`sign_as_signer` — the competent person's signature: their image in
  the signature block, plus empty fields where the clerk will put the number
  and date.
* :func:`sign_as_organization` — the clerk's issuing signature with the
  organization's key, after numbering: number and date filled in, the seal over
  the left third of the signer's image.
* :func:`sign_attachment` and :func:`sign_copy` — invisible organization
  signatures with their text line at the top right of page 1.

The callers (documents services) hold the transaction and the audit record;
these functions only make bytes and keep them as stored files.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import uploads
from tacnghiep.core.models import StoredFile
from tacnghiep.directory.models import Organization, Person
from tacnghiep.signing import appearance, keys, pdfsign
from tacnghiep.signing.models import SigningKey
from tacnghiep.signing.services import checks
from tacnghiep.signing.services.registry import location_of

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SIGNER_FIELD = "ChuKyNguoiKy"
ORGANIZATION_FIELD = "ChuKyCoQuan"
ATTACHMENT_FIELD = "ChuKyPhuLuc"
COPY_FIELD = "ChuKySao"


def _usable(queryset: QuerySet[SigningKey]) -> SigningKey | None:
    now = timezone.now()
    return (
        queryset.filter(is_active=True, certificate__is_active=True, certificate__not_after__gt=now)
        .select_related("certificate", "image")
        .order_by("-certificate__not_after")
        .first()
    )


def person_key(person: Person) -> SigningKey | None:
    """The person's own key on the server, if the administrator configured one."""
    return _usable(SigningKey.objects.filter(certificate__person=person))


def organization_key(organization: Organization) -> SigningKey | None:
    return _usable(SigningKey.objects.filter(certificate__organization=organization))


def _signer(key: SigningKey) -> Any:
    try:
        return keys.open_signer(location_of(key), bytes(key.certificate.der))
    except keys.KeyUnavailable as exc:
        raise ValidationError(
            _("The signing key of %(holder)s cannot be opened; tell the administrator.")
            % {"holder": key.certificate.common_name}
        ) from exc


def _image(key: SigningKey) -> bytes | None:
    if key.image is None:
        return None
    with uploads.open_stored(key.image) as handle:
        return bytes(handle.read())


def font() -> Any:
    return pdfsign.font_path(settings.SIGNING_FONT)


def _timestamper() -> Any:
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=settings.SIGNING_TSA_TIMEOUT)


def _long_term_context() -> Any:
    """B-LT: embed revocation data, which requires fetching it from the configured sources."""
    if not settings.SIGNING_EMBED_REVOCATION:
        return None
    from asn1crypto import x509
    from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(der) for der in checks.policy().trust_roots]
    return ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="require")


def _field_name(data: bytes, base: str) -> str:
    taken = pdfsign.field_names(data)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def _sign(data: bytes, key: SigningKey, job: pdfsign.Job) -> bytes:
    job.timestamper = _timestamper()
    job.validation_context = _long_term_context()
    job.font = font()
    try:
        return pdfsign.sign(data, _signer(key), job)
    except ValidationError:
        raise
    except Exception as exc:
        # A token pulled out, a TSA that does not answer: nothing is signed, the step does not happen.
        raise ValidationError(
            _("Signing failed (%(reason)s); nothing was changed.") % {"reason": type(exc).__name__}
        ) from exc


def sign_as_signer(*, key: SigningKey, data: bytes, signer_name: str, reason: str = "") -> bytes:
    width, height = settings.SIGNING_SIGNATURE_SIZE
    pages = pdfsign.page_count(data)
    box = appearance.signer_box(data, pages, signer_name, width, height)
    page_one = appearance.header(data)
    job = pdfsign.Job(
        field_name=_field_name(data, SIGNER_FIELD),
        reason=reason or "Ký ban hành",
        visible=pdfsign.Visible(box, appearance.signature_block(_image(key), signer_name, font(), width, height)),
        placeholders={pdfsign.NUMBER_FIELD: page_one.number, pdfsign.DATE_FIELD: page_one.date},
    )
    return _sign(data, key, job)


def sign_as_organization(
    *, key: SigningKey, data: bytes, notation: str, issued_on: datetime.date, place: str = ""
) -> bytes:
    """Number, date and seal: fills the signer's placeholders, or draws them when there are none."""
    size = settings.SIGNING_SEAL_MM * appearance.MM
    widgets = pdfsign.signature_widgets(data)
    if widgets:
        signer_box = widgets[0][1]
    else:
        width, height = settings.SIGNING_SIGNATURE_SIZE
        signer_box = appearance.signer_box(data, pdfsign.page_count(data), "", width, height)
    page_one = appearance.header(data)
    date_text = appearance.date_words(issued_on, page_one.place or place)
    job = pdfsign.Job(
        field_name=_field_name(data, ORGANIZATION_FIELD),
        reason=f"Phát hành văn bản số {notation}",
        visible=pdfsign.Visible(
            appearance.seal_box(signer_box, size),
            appearance.seal(_image(key), key.certificate.common_name, font(), size),
        ),
    )
    if pdfsign.NUMBER_FIELD in pdfsign.text_field_names(data):
        job.fills = {pdfsign.NUMBER_FIELD: notation, pdfsign.DATE_FIELD: date_text}
    else:
        # No earlier signature to keep intact: the number and date become page content of this revision.
        job.placeholders = {pdfsign.NUMBER_FIELD: page_one.number, pdfsign.DATE_FIELD: page_one.date}
        job.fills = {pdfsign.NUMBER_FIELD: notation, pdfsign.DATE_FIELD: date_text}
    return _sign(data, key, job)


def now_vn() -> datetime.datetime:
    return timezone.now().astimezone(VN).replace(microsecond=0)


def sign_attachment(*, key: SigningKey, data: bytes, notation: str, moment: datetime.datetime | None = None) -> bytes:
    """Invisible signature; "số và ký hiệu + time (ISO 8601, +07:00)" at the top right of page 1, TNR 10."""
    moment = (moment or now_vn()).astimezone(VN)
    line = appearance.text_line(f"{notation} {moment.isoformat()}", font(), 10)
    job = pdfsign.Job(field_name=_field_name(data, ATTACHMENT_FIELD), text_line=line, moment=moment)
    job.reason = f"Phụ lục kèm văn bản số {notation}"
    return _sign(data, key, job)


def sign_copy(
    *, key: SigningKey, data: bytes, form: str, copier: str, moment: datetime.datetime | None = None
) -> bytes:
    """Electronic copy (sao y, sao lục, trích sao): the copy form, the copying organization and the time."""
    moment = (moment or now_vn()).astimezone(VN)
    line = appearance.text_line(f"{form.upper()} {copier} {moment.isoformat()}", font(), 10)
    job = pdfsign.Job(field_name=_field_name(data, COPY_FIELD), text_line=line, moment=moment, reason=form)
    return _sign(data, key, job)


def keep(data: bytes, name: str) -> StoredFile:
    """Store signed bytes like any upload: checked in the sandbox, verdict recorded."""
    inspected = uploads.inspect(uploads.NamedBytes(name, data), {uploads.PDF})
    try:
        return uploads.store(inspected)
    finally:
        inspected.content.close()


def read(stored: StoredFile) -> bytes:
    with uploads.open_stored(stored) as handle:
        return bytes(handle.read())
