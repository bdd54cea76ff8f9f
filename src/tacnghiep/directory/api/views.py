"""Thin REST layer: every read through selectors, every write through services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tacnghiep.core import context
from tacnghiep.core.api import KeysetPagination
from tacnghiep.core.models import AuditRecord
from tacnghiep.core.text import fold_tokens
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.api import serializers as s
from tacnghiep.directory.models import Catalog, CatalogEntry, Organization, Person
from tacnghiep.directory.selectors import audit as audit_selectors
from tacnghiep.directory.selectors import catalogs as catalog_selectors
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.services import organizations as org_services
from tacnghiep.directory.services import people as people_services


def api_actor(request: Request) -> Actor:
    actor: Actor | None = getattr(request._request, "actor", None)
    if actor is None or actor.person.pk != request.user.pk:
        actor = Actor(person=request.user)  # type: ignore[arg-type]
        request._request.actor = actor  # type: ignore[attr-defined]
        ctx = context.current()
        ctx.person, ctx.acting_for = actor.person, None
    return actor


class PathPagination(KeysetPagination):
    ordering = "path"


class SortKeyPagination(KeysetPagination):
    ordering = "sort_key"


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Organization],
):
    """Organizations the caller may read; create and change within what they administer."""

    serializer_class = s.OrganizationSerializer
    pagination_class = PathPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        return (
            s.OrganizationWriteSerializer if self.action in {"create", "partial_update"} else s.OrganizationSerializer
        )

    def get_queryset(self) -> QuerySet[Organization]:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no caller
            return Organization.objects.none()
        qs = org_selectors.readable(api_actor(self.request))
        params = self.request.query_params
        if params.get("parent", "").isdigit():
            qs = qs.filter(parent_id=int(params["parent"]))
        if params.get("ended") != "1":
            qs = qs.filter(valid_to__isnull=True)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("parent", int, description="Only the children of this organization."),
            OpenApiParameter("ended", str, enum=["0", "1"], description="1 includes organizations that have ended."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        org = org_selectors.get(api_actor(request), kwargs["pk"])
        return Response(s.OrganizationSerializer(org).data)

    @extend_schema(request=s.OrganizationWriteSerializer, responses={201: s.OrganizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        serializer = s.OrganizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent_id = data.pop("parent", None)
        parent = org_selectors.get(actor, parent_id) if parent_id is not None else None
        org = org_services.create_organization(actor=actor, data=org_services.OrganizationData(parent=parent, **data))
        return Response(s.OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OrganizationWriteSerializer, responses={200: s.OrganizationSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        org = org_selectors.get(actor, kwargs["pk"])
        serializer = s.OrganizationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k in request.data and k != "parent"}
        org = org_services.update_organization(actor=actor, organization=org, changes=changes)
        return Response(s.OrganizationSerializer(org).data)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Person],
):
    """People the caller may read (search with ``q``); create and change those they administer."""

    serializer_class = s.PersonSerializer
    pagination_class = SortKeyPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        return s.PersonWriteSerializer if self.action in {"create", "partial_update"} else s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        actor = api_actor(self.request)
        qs = people_selectors.readable(actor)
        for token in fold_tokens(self.request.query_params.get("q", ""))[:10]:
            qs = qs.filter(search_text__contains=token)
        return people_selectors.with_current_memberships(actor, qs)

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Words of the name, username, e-mail or phone.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        person = people_selectors.get(actor, kwargs["pk"])
        person.current_memberships = list(people_selectors.current_memberships(actor, person))  # type: ignore[attr-defined]
        return Response(s.PersonSerializer(person).data)

    @extend_schema(request=s.PersonWriteSerializer, responses={201: s.PersonSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        serializer = s.PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organization" not in data or "username" not in data:
            raise ValidationError({field: [_("This field is required.")] for field in ("organization", "username")})
        org = org_selectors.get(actor, data.pop("organization"))
        person = people_services.create_person(actor=actor, organization=org, **data)
        person.current_memberships = list(people_selectors.current_memberships(actor, person))  # type: ignore[attr-defined]
        return Response(s.PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PersonWriteSerializer, responses={200: s.PersonSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        person = people_selectors.get(actor, kwargs["pk"])
        serializer = s.PersonWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {
            k: v for k, v in serializer.validated_data.items() if k in request.data and k in people_services.EDITABLE
        }
        person = people_services.update_person(actor=actor, person=person, changes=changes)
        person.current_memberships = list(people_selectors.current_memberships(actor, person))  # type: ignore[attr-defined]
        return Response(s.PersonSerializer(person).data)


class CatalogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Catalog]):
    """Shared catalogs (read-only). ``version`` rises with every change."""

    serializer_class = s.CatalogSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9]+"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Catalog]:
        return catalog_selectors.catalogs()


class CatalogEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[CatalogEntry]):
    serializer_class = s.CatalogEntrySerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[CatalogEntry]:
        if getattr(self, "swagger_fake_view", False):
            return CatalogEntry.objects.none()
        retired = self.request.query_params.get("retired") == "1"
        return catalog_selectors.entries(self.kwargs["catalog_code"], include_retired=retired)

    @extend_schema(
        parameters=[OpenApiParameter("retired", str, enum=["0", "1"], description="1 includes retired entries.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not catalog_selectors.catalogs().filter(code=kwargs["catalog_code"]).exists():
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return super().list(request, *args, **kwargs)


class AuditRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """The audit log, for administrators (a unit administrator sees their units)."""

    serializer_class = s.AuditRecordSerializer

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return AuditRecord.objects.none()
        actor = api_actor(self.request)
        if not actor.is_admin:
            raise PermissionDenied
        return audit_selectors.readable(actor)


@extend_schema(responses=s.MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    actor = api_actor(request)
    data = {
        "id": actor.person.pk,
        "username": actor.person.username,
        "full_name": actor.person.full_name,
        "acting_for": actor.acting_for.pk if actor.acting_for else None,
        "roles": [{"role": g.role, "organization": g.organization_id} for g in actor.grants],
        "memberships": s.MembershipSerializer(
            people_selectors.current_memberships(actor, actor.person), many=True
        ).data,
    }
    return Response(data)
