from tacnghiep.documents.models.incoming import IncomingDocument, ReceivedVia, SigningAuthority
from tacnghiep.documents.models.registers import Direction, PeriodKind, Register, RegisterCounter, SecretSeries

__all__ = [
    "Direction",
    "IncomingDocument",
    "PeriodKind",
    "ReceivedVia",
    "Register",
    "RegisterCounter",
    "SecretSeries",
    "SigningAuthority",
]
