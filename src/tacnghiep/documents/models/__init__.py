from tacnghiep.documents.models.incoming import IncomingDocument, ReceivedVia, SigningAuthority
from tacnghiep.documents.models.processing import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DocumentEvent,
    EventKind,
)
from tacnghiep.documents.models.registers import Direction, PeriodKind, Register, RegisterCounter, SecretSeries

__all__ = [
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "Direction",
    "DocumentEvent",
    "EventKind",
    "IncomingDocument",
    "PeriodKind",
    "ReceivedVia",
    "Register",
    "RegisterCounter",
    "SecretSeries",
    "SigningAuthority",
]
