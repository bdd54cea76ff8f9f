from tacnghiep.documents.models.access import SecretGrant
from tacnghiep.documents.models.files import DocumentFile, FileRole
from tacnghiep.documents.models.imports import ImportJob, ImportStatus
from tacnghiep.documents.models.incoming import IncomingDocument, ReceivedVia, SigningAuthority
from tacnghiep.documents.models.outgoing import (
    DeliveryState,
    DraftVersion,
    OutgoingDocument,
    OutgoingStatus,
    Recipient,
    ReviewDecision,
    ReviewMode,
    ReviewStep,
    ReviewVerdict,
    StepState,
    Supersession,
    VersionComment,
)
from tacnghiep.documents.models.processing import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DeadlineExtension,
    DocumentEvent,
    EventKind,
    ExtensionDecision,
)
from tacnghiep.documents.models.registers import (
    Abbreviations,
    Direction,
    PeriodKind,
    Register,
    RegisterCounter,
    SecretSeries,
)


def is_secret_level(entry: object) -> bool:
    """A secrecy catalog entry above "normal" (rank 0)."""
    attributes = getattr(entry, "attributes", None) or {}
    return int(attributes.get("rank", 0)) > 0


__all__ = [
    "Abbreviations",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "DeadlineExtension",
    "DeliveryState",
    "Direction",
    "DocumentEvent",
    "DocumentFile",
    "DraftVersion",
    "EventKind",
    "ExtensionDecision",
    "FileRole",
    "ImportJob",
    "ImportStatus",
    "IncomingDocument",
    "OutgoingDocument",
    "OutgoingStatus",
    "PeriodKind",
    "ReceivedVia",
    "Recipient",
    "Register",
    "RegisterCounter",
    "ReviewDecision",
    "ReviewMode",
    "ReviewStep",
    "ReviewVerdict",
    "SecretGrant",
    "SecretSeries",
    "SigningAuthority",
    "StepState",
    "Supersession",
    "VersionComment",
    "is_secret_level",
]
