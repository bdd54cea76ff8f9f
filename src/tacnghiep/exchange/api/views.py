"""Thin REST layer over the clerk's exchange services: received documents, register, refuse, answer a recall."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tacnghiep.directory.api.views import api_actor
from tacnghiep.documents.api import serializers as documents
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.exchange import selectors
from tacnghiep.exchange.api import serializers as s
from tacnghiep.exchange.models import InboundPackage
from tacnghiep.exchange.services import clerk


class ReceivedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[InboundPackage]):
    """Documents received over the exchange for the caller's organizations (as clerk): waiting ones first."""

    serializer_class = s.ReceivedSerializer
    pagination_class = None  # the waiting list is short; recent ones are capped

    def get_queryset(self) -> QuerySet[InboundPackage]:
        if getattr(self, "swagger_fake_view", False):
            return InboundPackage.objects.none()
        return selectors.waiting(api_actor(self.request)).prefetch_related("files__file")

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        item = selectors.get_inbound(api_actor(request), kwargs["pk"])
        return Response(s.ReceivedSerializer(item).data)

    @extend_schema(request=s.RegisterReceivedSerializer, responses={201: documents.IncomingSerializer})
    @action(detail=True, methods=["post"], url_path="register")
    def register_it(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        item = selectors.get_inbound(actor, pk)
        serializer = s.RegisterReceivedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["register"] = register_selectors.get(actor, data["register"])
        document = clerk.register(actor=actor, inbound=item, data=clerk.Registration(**data))
        return Response(
            documents.IncomingSerializer(incoming_selectors.get(actor, document.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=documents.ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        item = selectors.get_inbound(actor, pk)
        serializer = documents.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clerk.refuse(actor=actor, inbound=item, reason=serializer.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.RecallAnswerSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def recall(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        item = selectors.get_inbound(actor, pk)
        serializer = s.RecallAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clerk.answer_recall(actor=actor, inbound=item, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
