"""Shapes of the directory API. Validation here is of shape only; rules live in services."""

from __future__ import annotations

from rest_framework import serializers

from tacnghiep.core.api import CodeRelatedField
from tacnghiep.directory.models import Catalog, CatalogEntry, Membership, Organization, OrganizationKind, Person


class OrganizationKindSerializer(serializers.ModelSerializer[OrganizationKind]):
    class Meta:
        model = OrganizationKind
        fields = ["code", "name"]


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    # Plain strings: an empty address is valid data but not a valid "email" format.
    email = serializers.CharField(read_only=True)
    kind: serializers.SlugRelatedField[OrganizationKind] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    parent: serializers.PrimaryKeyRelatedField[Organization] = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        read_only=True, allow_null=True
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "parent",
            "kind",
            "name",
            "short_name",
            "code_qcvn102",
            "code_qd20",
            "administrative_unit_code",
            "valid_from",
            "valid_to",
            "address",
            "phone",
            "email",
            "sort_order",
            "is_external",
            "depth",
        ]
        read_only_fields = fields


class OrganizationWriteSerializer(serializers.Serializer[Organization]):
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, help_text="Parent organization id (create only)."
    )
    kind = CodeRelatedField(slug_field="code", queryset=OrganizationKind.objects.all())
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=50)
    code_qcvn102 = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
    code_qd20 = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    administrative_unit_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(required=False, default=0, min_value=-100000, max_value=100000)
    is_external = serializers.BooleanField(required=False, default=False)


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organization: serializers.PrimaryKeyRelatedField[Organization] = serializers.PrimaryKeyRelatedField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    position = serializers.CharField(source="position.name", read_only=True, default="")

    class Meta:
        model = Membership
        fields = [
            "id",
            "organization",
            "organization_name",
            "position",
            "title",
            "is_primary",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[Person]):
    email = serializers.CharField(read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True, source="current_memberships")

    class Meta:
        model = Person
        fields = ["id", "username", "full_name", "email", "phone", "is_active", "memberships"]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer[Person]):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150, required=False)
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    organization = serializers.IntegerField(
        required=False, help_text="Organization of the first position (create only)."
    )
    position = CodeRelatedField(
        slug_field="code",
        queryset=CatalogEntry.objects.filter(catalog__code="positions", retired_on__isnull=True),
        required=False,
        allow_null=True,
    )


class CatalogSerializer(serializers.ModelSerializer[Catalog]):
    class Meta:
        model = Catalog
        fields = ["code", "name", "description", "version", "updated_at"]
        read_only_fields = fields


class CatalogEntrySerializer(serializers.ModelSerializer[CatalogEntry]):
    class Meta:
        model = CatalogEntry
        fields = ["id", "code", "name", "short_name", "sort_order", "attributes", "retired_on"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer[Person]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    acting_for = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.DictField())
    memberships = MembershipSerializer(many=True)


class AuditRecordSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor_label = serializers.CharField()
    acting_for_label = serializers.CharField()
    organization_id = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    outcome = serializers.CharField()
    channel = serializers.CharField()
    request_id = serializers.CharField()
    client_address = serializers.CharField()
    hash = serializers.CharField()
