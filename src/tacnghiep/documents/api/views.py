"""Thin REST layer for registers and incoming documents."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tacnghiep.core.api import KeysetPagination
from tacnghiep.directory.api.views import api_actor
from tacnghiep.documents.api import serializers as s
from tacnghiep.documents.models import IncomingDocument, Register
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import incoming as incoming_services


class RegisterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Register]):
    """Registers the caller keeps (clerk) or reads (leader, administrator)."""

    serializer_class = s.RegisterSerializer

    def get_queryset(self) -> QuerySet[Register]:
        if getattr(self, "swagger_fake_view", False):
            return Register.objects.none()
        return register_selectors.readable(api_actor(self.request))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.RegisterSerializer(register_selectors.get(api_actor(request), kwargs["pk"])).data)


class ArrivalPagination(KeysetPagination):
    ordering = "-id"


class IncomingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[IncomingDocument]
):
    """Incoming documents: register one (clerks), list and read them."""

    pagination_class = ArrivalPagination

    def get_serializer_class(self) -> Any:
        return s.IncomingWriteSerializer if self.action == "create" else s.IncomingSerializer

    def get_queryset(self) -> QuerySet[IncomingDocument]:
        if getattr(self, "swagger_fake_view", False):
            return IncomingDocument.objects.none()
        qs = incoming_selectors.readable(api_actor(self.request))
        register = self.request.query_params.get("register", "")
        return qs.filter(register_id=int(register)) if register.isdigit() else qs

    @extend_schema(parameters=[OpenApiParameter("register", int, description="Only this register.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.IncomingSerializer(incoming_selectors.get(api_actor(request), kwargs["pk"])).data)

    @extend_schema(request=s.IncomingWriteSerializer, responses={201: s.IncomingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        serializer = s.IncomingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm = data.pop("confirm_duplicate")
        register = register_selectors.get(actor, data.pop("register"))
        document = incoming_services.register_incoming(
            actor=actor, data=incoming_services.IncomingData(register=register, **data), confirm_duplicate=confirm
        )
        return Response(s.IncomingSerializer(document).data, status=status.HTTP_201_CREATED)
