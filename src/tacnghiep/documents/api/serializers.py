"""Shapes of the documents API. Validation here is of shape only; rules live in services."""

from __future__ import annotations

from rest_framework import serializers

from tacnghiep.core.api import CodeRelatedField
from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models import IncomingDocument, ReceivedVia, Register, SigningAuthority


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
