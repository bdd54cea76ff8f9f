"""Organization identifier codes (mã định danh), reference/standards.md §1.8.

* QCVN 102:2016 form ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` — 13 characters, e.g. ``000.00.00.H41``.
* QĐ 20/2020/QĐ-TTg form — at most 35 characters of ``A–Z``, ``0–9`` and dots,
  dot-separated groups with level 1 on the left, e.g. ``H41.12.03``.

Which codes the Party network assigns to its own bodies is not public; the
code is whatever the administrator enters, checked only for form.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

QCVN102 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
QD20_GROUP = re.compile(r"^[A-Z0-9]+$")
QD20_LEVEL1 = re.compile(r"^[A-Z]\d{2}$")
QD20_MAX = 35


def validate_qcvn102(value: str) -> None:
    if not QCVN102.match(value):
        raise ValidationError(
            _("The QCVN 102:2016 code must look like 000.00.00.H41 (three digits, two, two, a letter and two digits)."),
            code="qcvn102",
        )


def validate_qd20(value: str) -> None:
    if len(value) > QD20_MAX:
        raise ValidationError(_("The QĐ 20/2020 code has at most 35 characters."), code="qd20_length")
    groups = value.split(".")
    if not all(QD20_GROUP.match(group) for group in groups):
        raise ValidationError(
            _("The QĐ 20/2020 code may only contain capital letters A–Z, digits and dots between groups."),
            code="qd20_chars",
        )
    if not QD20_LEVEL1.match(groups[0]):
        raise ValidationError(
            _("The first (level 1) group of a QĐ 20/2020 code is a letter followed by two digits, e.g. H41."),
            code="qd20_level1",
        )
