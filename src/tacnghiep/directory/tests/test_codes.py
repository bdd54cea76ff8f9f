import pytest
from django.core.exceptions import ValidationError

from tacnghiep.directory.codes import validate_qcvn102, validate_qd20


@pytest.mark.parametrize("code", ["000.00.00.H41", "000.00.04.G14", "000.12.30.A36", "000.21.36.I03"])
def test_valid_qcvn102(code):
    validate_qcvn102(code)


@pytest.mark.parametrize(
    "code", ["000.00.00.h41", "00.00.00.H41", "000.00.00.H4", "000-00-00-H41", "000.00.00.H41 ", ""]
)
def test_invalid_qcvn102(code):
    with pytest.raises(ValidationError):
        validate_qcvn102(code)


@pytest.mark.parametrize("code", ["H41", "H41.12.03", "A01.VPTW.01", "G06.1.2.3", "H57." + "1" * 31])
def test_valid_qd20(code):
    validate_qd20(code)


@pytest.mark.parametrize(
    "code", ["h41", "41.H", "H41..01", "H41.12-03", "HH1.01", "H41." + "1" * 32, "H41.Đ1", "H41.01 "]
)
def test_invalid_qd20(code):
    with pytest.raises(ValidationError):
        validate_qd20(code)
