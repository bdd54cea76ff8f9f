"""Shapes of the documents API. Validation here is of shape only; rules live in services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tacnghiep.core.api import CodeRelatedField
from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models import (
    Assignment,
    AssignmentRole,
    DocumentFile,
    DraftVersion,
    IncomingDocument,
    OutgoingDocument,
    ReceivedVia,
    Recipient,
    Register,
    ReviewMode,
    SigningAuthority,
)


class RegisterSerializer(serializers.ModelSerializer[Register]):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Register
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "direction",
            "period_kind",
            "term_started_on",
            "per_document_type",
            "secret_series",
            "notation_template",
            "number_width",
            "is_active",
        ]
        read_only_fields = fields


def _entry(catalog: str) -> serializers.SlugRelatedField[CatalogEntry]:
    return CodeRelatedField(
        slug_field="code", queryset=CatalogEntry.objects.filter(catalog__code=catalog, retired_on__isnull=True)
    )


class IncomingSerializer(serializers.ModelSerializer[IncomingDocument]):
    document_type: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    urgency: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    secrecy: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    issuer: serializers.PrimaryKeyRelatedField[Organization] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "register",
            "organization",
            "arrival_period",
            "arrival_number",
            "arrived_at",
            "received_via",
            "issuer",
            "issuer_name",
            "code_number",
            "code_notation",
            "issued_on",
            "document_type",
            "subject",
            "signer_name",
            "signing_authority",
            "urgency",
            "secrecy",
            "due_on",
            "page_count",
            "created_at",
        ]
        read_only_fields = fields


class IncomingWriteSerializer(serializers.Serializer[IncomingDocument]):
    register = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    arrived_at = serializers.DateTimeField()
    received_via = serializers.ChoiceField(choices=ReceivedVia.choices)
    issuer = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    issuer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    code_number = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    code_notation = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    document_type = _entry("document-types")
    subject = serializers.CharField(max_length=500)
    signer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    signing_authority = serializers.ChoiceField(choices=SigningAuthority.choices, required=False, default="")
    urgency = _entry("urgency-levels")
    secrecy = _entry("secrecy-levels")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    page_count = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=100000)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class SignatureSerializer(serializers.Serializer[dict[str, Any]]):
    """One signature of a PDF as the signing app judged it when the file arrived."""

    field = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "untrusted", "modified", "invalid"])
    signer = serializers.CharField()
    organization = serializers.CharField()
    signing_time = serializers.CharField(allow_null=True)
    timestamp = serializers.CharField(allow_null=True)
    certificate_sha256 = serializers.CharField()


class FileSerializer(serializers.ModelSerializer[DocumentFile]):
    size = serializers.IntegerField(source="file.size", read_only=True)
    media_type = serializers.CharField(source="file.media_type", read_only=True)
    sha256 = serializers.CharField(source="file.sha256", read_only=True)
    page_count = serializers.IntegerField(source="file.page_count", read_only=True, allow_null=True)
    signature_status = serializers.SerializerMethodField(help_text="unsigned, valid, untrusted, modified, invalid")
    signatures = serializers.SerializerMethodField()

    class Meta:
        model = DocumentFile
        fields = [
            "id",
            "name",
            "role",
            "size",
            "media_type",
            "sha256",
            "page_count",
            "signature_status",
            "signatures",
            "created_at",
        ]
        read_only_fields = fields

    def _check(self, item: DocumentFile) -> Any:
        """The file's verdict, read once per file for both fields."""
        from tacnghiep.signing.models import SignatureCheck

        cache: dict[int, Any] = self.context.setdefault("_signature_checks", {})
        if item.file_id not in cache:
            cache[item.file_id] = SignatureCheck.objects.filter(file_id=item.file_id).first()
        return cache[item.file_id]

    def get_signature_status(self, item: DocumentFile) -> str | None:
        check = self._check(item)
        return check.status if check is not None else None

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, item: DocumentFile) -> list[dict[str, Any]]:
        check = self._check(item)
        if check is None:
            return []
        names = list(SignatureSerializer().fields.keys())
        return [{name: s.get(name) for name in names} for s in check.signatures]


class FilesUploadSerializer(serializers.Serializer[DocumentFile]):
    scans = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=50)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=50)


class VersionSerializer(serializers.ModelSerializer[DraftVersion]):
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = DraftVersion
        fields = ["id", "number", "name", "note", "has_pdf", "created_at"]
        read_only_fields = fields

    def get_has_pdf(self, version: DraftVersion) -> bool:
        return version.pdf_id is not None


class RecipientSerializer(serializers.ModelSerializer[Recipient]):
    class Meta:
        model = Recipient
        fields = ["id", "organization", "place", "for_information", "state", "note", "incoming", "state_changed_at"]
        read_only_fields = fields


class OutgoingSerializer(serializers.ModelSerializer[OutgoingDocument]):
    document_type: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    urgency: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    secrecy: serializers.SlugRelatedField[CatalogEntry] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    versions = VersionSerializer(many=True, read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)
    files = FileSerializer(many=True, read_only=True)

    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "organization",
            "document_type",
            "subject",
            "urgency",
            "secrecy",
            "status",
            "drafted_by",
            "signer",
            "reply_to",
            "supersedes",
            "supersession",
            "register",
            "issued_number",
            "code_notation",
            "issued_on",
            "page_count",
            "revoked_reason",
            "created_at",
            "versions",
            "recipients",
            "files",
        ]
        read_only_fields = fields


class DraftWriteSerializer(serializers.Serializer[OutgoingDocument]):
    organization = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    document_type = _entry("document-types")
    subject = serializers.CharField(max_length=500)
    urgency = _entry("urgency-levels")
    secrecy = _entry("secrecy-levels")
    reply_to = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    upload = serializers.FileField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class VersionWriteSerializer(serializers.Serializer[DraftVersion]):
    upload = serializers.FileField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class StepWriteSerializer(serializers.Serializer[object]):
    reviewers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=20
    )
    mode = serializers.ChoiceField(choices=ReviewMode.choices, default=ReviewMode.ALL)


class SubmitSerializer(serializers.Serializer[object]):
    steps = StepWriteSerializer(many=True, required=False, default=list)
    signer = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ReviewSerializer(serializers.Serializer[object]):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RecipientWriteSerializer(serializers.Serializer[object]):
    organization = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    for_information = serializers.BooleanField(required=False, default=False)


class IssueSerializer(serializers.Serializer[object]):
    register = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    recipients = serializers.ListField(child=RecipientWriteSerializer(), min_length=1, max_length=500)


class ReasonSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=1000)


class DeliverySerializer(serializers.ModelSerializer[Recipient]):
    document = OutgoingSerializer(read_only=True)

    class Meta:
        model = Recipient
        fields = ["id", "organization", "state", "state_changed_at", "document"]
        read_only_fields = fields


class ReceiveSerializer(serializers.Serializer[object]):
    register = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class SearchQuerySerializer(serializers.Serializer[object]):
    q = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=["incoming", "outgoing"], required=False)
    register = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    type = serializers.CharField(max_length=50, required=False, default="")
    urgency = serializers.CharField(max_length=50, required=False, default="")
    status = serializers.CharField(max_length=20, required=False, default="")
    period = serializers.CharField(max_length=20, required=False, default="")
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)


class SearchHitSerializer(serializers.Serializer[object]):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    code_notation = serializers.CharField()
    subject = serializers.CharField()
    organization = serializers.IntegerField()
    score = serializers.FloatField()


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    subject = serializers.CharField(source="document.subject", read_only=True)
    code_notation = serializers.CharField(source="document.code_notation", read_only=True)
    urgency = serializers.CharField(source="document.urgency.code", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "document",
            "subject",
            "code_notation",
            "urgency",
            "person",
            "organization",
            "role",
            "due_on",
            "status",
            "result",
            "created_at",
        ]
        read_only_fields = fields


class AssignmentWriteSerializer(serializers.Serializer[object]):
    person = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    organization = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class DirectSerializer(serializers.Serializer[object]):
    direction = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    assignments = serializers.ListField(child=AssignmentWriteSerializer(), min_length=1, max_length=50)


class ResultSerializer(serializers.Serializer[object]):
    result = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
