from tacnghiep.documents.models.incoming import IncomingDocument, ReceivedVia, SigningAuthority
from tacnghiep.documents.models.processing import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DeadlineExtension,
    DocumentEvent,
    EventKind,
    ExtensionDecision,
)
from tacnghiep.documents.models.registers import Direction, PeriodKind, Register, RegisterCounter, SecretSeries

__all__ = [
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "DeadlineExtension",
    "Direction",
    "DocumentEvent",
    "EventKind",
    "ExtensionDecision",
    "IncomingDocument",
    "PeriodKind",
    "ReceivedVia",
    "Register",
    "RegisterCounter",
    "SecretSeries",
    "SigningAuthority",
]
