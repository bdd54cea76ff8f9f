from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tacnghiep.core.api import CodeRelatedField
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.exchange.models import InboundFile, InboundPackage


def _entry(catalog: str) -> serializers.SlugRelatedField[CatalogEntry]:
    return CodeRelatedField(
        slug_field="code", queryset=CatalogEntry.objects.filter(catalog__code=catalog, retired_on__isnull=True)
    )


class InboundFileSerializer(serializers.ModelSerializer[InboundFile]):
    sha256 = serializers.CharField(source="file.sha256", read_only=True)
    size = serializers.IntegerField(source="file.size", read_only=True)
    media_type = serializers.CharField(source="file.media_type", read_only=True)

    class Meta:
        model = InboundFile
        fields = ["id", "name", "sha256", "size", "media_type"]
        read_only_fields = fields


class ReceivedSerializer(serializers.ModelSerializer[InboundPackage]):
    """A document received over the exchange, as the clerk sees it."""

    notation = serializers.CharField(read_only=True)
    subject = serializers.SerializerMethodField()
    issued_on = serializers.DateField(source="promulgation_date", read_only=True, allow_null=True)
    files = InboundFileSerializer(many=True, read_only=True)

    class Meta:
        model = InboundPackage
        fields = [
            "id",
            "state",
            "sender_code",
            "sender_name",
            "to_code",
            "organization",
            "document_id",
            "business_type",
            "notation",
            "subject",
            "issued_on",
            "received_at",
            "note",
            "recall_reason",
            "recall_answer",
            "incoming",
            "supersedes",
            "files",
        ]
        read_only_fields = fields

    def get_subject(self, obj: InboundPackage) -> str:
        return str(obj.fields.get("Subject", ""))


class RegisterReceivedSerializer(serializers.Serializer[Any]):
    register = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    document_type = _entry("document-types")
    urgency = _entry("urgency-levels")
    secrecy = _entry("secrecy-levels")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class RecallAnswerSerializer(serializers.Serializer[Any]):
    agree = serializers.BooleanField()
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
