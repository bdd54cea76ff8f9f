"""Thin REST layer for registers, incoming and outgoing documents, deliveries and files."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tacnghiep.core.api import KeysetPagination
from tacnghiep.core.web import file_response
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.api.views import api_actor
from tacnghiep.directory.models import Person
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.api import serializers as s
from tacnghiep.documents.models import (
    Assignment,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
    Recipient,
    Register,
)
from tacnghiep.documents.selectors import files as file_selectors
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors
from tacnghiep.documents.selectors import processing as processing_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.selectors.search import find
from tacnghiep.documents.services import drafting, issuing, processing
from tacnghiep.documents.services import incoming as incoming_services
from tacnghiep.search import selectors as search


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
        return _page_then_rows(
            self,
            lambda ids: incoming_selectors.with_details(IncomingDocument.objects.filter(pk__in=ids)),
            s.IncomingSerializer,
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.IncomingSerializer(incoming_selectors.get(api_actor(request), kwargs["pk"])).data)

    @extend_schema(
        request={"multipart/form-data": s.FilesUploadSerializer}, responses={201: s.FileSerializer(many=True)}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request: Request, pk: str) -> Response:
        """Add scans or attachments; every file is checked by content before any is stored."""
        actor = api_actor(request)
        document = incoming_selectors.get(actor, pk)
        serializer = s.FilesUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = incoming_services.add_files(actor=actor, document=document, **serializer.validated_data)
        return Response(s.FileSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DirectSerializer, responses={201: s.AssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def direct(self, request: Request, pk: str) -> Response:
        """A leader's direction: who leads, coordinates or is informed, by when."""
        actor = api_actor(request)
        document = incoming_selectors.get(actor, pk)
        serializer = s.DirectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        specs = []
        for row in serializer.validated_data["assignments"]:
            person = _person(actor, row["person"]) if row.get("person") else None
            organization = None
            if row.get("organization"):
                person, organization = processing_selectors.resolve_assignee(actor, f"o:{row['organization']}")
                if organization is None:
                    raise ValidationError({"assignments": [_("A unit outside your scope cannot be assigned.")]})
            specs.append(
                processing.AssignmentSpec(
                    role=row["role"], person=person, organization=organization, due_on=row["due_on"]
                )
            )
        created = processing.direct(
            actor=actor, document=document, direction=serializer.validated_data["direction"], assignments=specs
        )
        return Response(s.AssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

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


def _person(actor: Actor, pk: int) -> Person:
    found = people_selectors.chosen(actor, [str(pk)])
    if not found:
        raise ValidationError({"person": [_("A person outside your scope cannot be chosen.")]})
    return found[0]


def _page_then_rows(view: viewsets.GenericViewSet[Any], load: Any, serializer: Any) -> Response:
    """A keyset page whose ids are chosen without joins; ``load(ids)`` then fetches the rows to show."""
    page = view.paginate_queryset(view.get_queryset().only("id"))
    ids = [d.pk for d in page or []]
    rows = load(ids).in_bulk(ids)
    return view.get_paginated_response(serializer([rows[i] for i in ids], many=True).data)


class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Assignment]):
    """The caller's inbox (most urgent first, then by deadline) and the steps an assignee takes."""

    serializer_class = s.AssignmentSerializer
    pagination_class = None  # an inbox is short: at most 200 open items, in the inbox's own order

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return processing_selectors.inbox(api_actor(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.AssignmentSerializer(self.get_queryset()[:200], many=True).data)

    @extend_schema(request=s.ResultSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        assignment = processing_selectors.get_own(actor, pk)
        serializer = s.ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = processing.complete(actor=actor, assignment=assignment, result=serializer.validated_data["result"])
        return Response(s.AssignmentSerializer(done).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_it(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        assignment = processing_selectors.get_own(actor, pk)
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = processing.return_assignment(
            actor=actor, assignment=assignment, reason=serializer.validated_data["reason"]
        )
        return Response(s.AssignmentSerializer(done).data)


class OutgoingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[OutgoingDocument]):
    """Outgoing documents: drafts, versions, review, issue, revocation — the same services as the pages."""

    pagination_class = ArrivalPagination
    serializer_class = s.OutgoingSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[OutgoingDocument]:
        if getattr(self, "swagger_fake_view", False):
            return OutgoingDocument.objects.none()
        return outgoing_selectors.readable(api_actor(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _page_then_rows(
            self,
            lambda ids: outgoing_selectors.with_details(OutgoingDocument.objects.filter(pk__in=ids)).prefetch_related(
                "versions", "recipients", "files__file"
            ),
            s.OutgoingSerializer,
        )

    def _get(self, request: Request, pk: object) -> OutgoingDocument:
        return outgoing_selectors.get(api_actor(request), pk)

    def _answer(self, request: Request, pk: object, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.OutgoingSerializer(self._get(request, pk)).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, kwargs["pk"])

    @extend_schema(request={"multipart/form-data": s.DraftWriteSerializer}, responses={201: s.OutgoingSerializer})
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = s.DraftWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organizations = {o.pk: o for o in drafting.drafting_organizations(actor)}
        if data["organization"] not in organizations:
            raise ValidationError({"organization": [_("You cannot draft documents for this organization.")]})
        reply_to = incoming_selectors.get(actor, data["reply_to"]) if data.get("reply_to") else None
        document = drafting.create_draft(
            actor=actor,
            data=drafting.DraftData(
                organization=organizations[data["organization"]],
                document_type=data["document_type"],
                subject=data["subject"],
                urgency=data["urgency"],
                secrecy=data["secrecy"],
                reply_to=reply_to,
            ),
            upload=data["upload"],
            note=data["note"],
        )
        return self._answer(request, document.pk, status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.VersionWriteSerializer}, responses={201: s.OutgoingSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: str) -> Response:
        document = self._get(request, pk)
        serializer = s.VersionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        drafting.add_version(actor=api_actor(request), document=document, **serializer.validated_data)
        return self._answer(request, pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.SubmitSerializer, responses=s.OutgoingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        document = self._get(request, pk)
        serializer = s.SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        steps = [
            drafting.StepSpec(reviewers=[_person(actor, p) for p in step["reviewers"]], mode=step["mode"])
            for step in serializer.validated_data["steps"]
        ]
        signer = _person(actor, serializer.validated_data["signer"])
        drafting.submit(actor=actor, document=document, steps=steps, signer=signer)
        return self._answer(request, pk)

    @extend_schema(request=s.ReviewSerializer, responses=s.OutgoingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        document = self._get(request, pk)
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        drafting.review(actor=api_actor(request), document=document, **serializer.validated_data)
        return self._answer(request, pk)

    @extend_schema(request=s.IssueSerializer, responses=s.OutgoingSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        document = self._get(request, pk)
        serializer = s.IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receivers = {o.pk: o for o in outgoing_selectors.recipient_choices(actor)}
        recipients = []
        for row in data["recipients"]:
            organization = None
            if row.get("organization"):
                organization = receivers.get(row["organization"])
                if organization is None:
                    raise ValidationError({"recipients": [_("This organization cannot receive documents here.")]})
            recipients.append(
                issuing.RecipientSpec(
                    organization=organization, place=row["place"], for_information=row["for_information"]
                )
            )
        issuing.issue(
            actor=actor,
            document=document,
            register=register_selectors.get(actor, data["register"]),
            recipients=recipients,
            issued_on=data["issued_on"],
        )
        return self._answer(request, pk)

    @extend_schema(request=s.ReasonSerializer, responses=s.OutgoingSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        document = self._get(request, pk)
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issuing.revoke(actor=api_actor(request), document=document, reason=serializer.validated_data["reason"])
        return self._answer(request, pk)


class DeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Recipient]):
    """Documents delivered to the caller's organizations inside the system, waiting to be registered."""

    serializer_class = s.DeliverySerializer
    pagination_class = ArrivalPagination

    def get_queryset(self) -> QuerySet[Recipient]:
        if getattr(self, "swagger_fake_view", False):
            return Recipient.objects.none()
        return outgoing_selectors.waiting_deliveries(api_actor(self.request)).order_by("-id")

    @extend_schema(request=s.ReceiveSerializer, responses={201: s.IncomingSerializer})
    @action(detail=True, methods=["post"], url_path="register")
    def register_it(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        delivery = outgoing_selectors.get_waiting_delivery(actor, pk)
        serializer = s.ReceiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = issuing.register_delivery(
            actor=actor,
            recipient=delivery,
            register=register_selectors.get(actor, serializer.validated_data["register"]),
            confirm_duplicate=serializer.validated_data["confirm_duplicate"],
        )
        document = incoming_selectors.get(actor, done.incoming_id)
        return Response(s.IncomingSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        delivery = outgoing_selectors.get_waiting_delivery(actor, pk)
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issuing.refuse_delivery(actor=actor, recipient=delivery, reason=serializer.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class FileViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[DocumentFile]):
    """A file's description; ``/content/`` gives its bytes (only to those who may read its document)."""

    serializer_class = s.FileSerializer

    def get_queryset(self) -> QuerySet[DocumentFile]:
        if getattr(self, "swagger_fake_view", False):
            return DocumentFile.objects.none()
        return file_selectors.readable(api_actor(self.request))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.FileSerializer(file_selectors.get(api_actor(request), kwargs["pk"])).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def content(self, request: Request, pk: str) -> FileResponse:
        item = file_selectors.get(api_actor(request), pk)
        return file_response(item.file, item.name, inline=False)


class SearchView(APIView):
    """Full-text search over the documents the caller may read (Vietnamese folding, phrases, notation)."""

    @extend_schema(parameters=[s.SearchQuerySerializer], responses=s.SearchHitSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = s.SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        filters = search.Filters(
            kinds=[p["kind"]] if p.get("kind") else [],
            register=p.get("register"),
            type=p["type"],
            urgency=p["urgency"],
            status=p["status"],
            period=p["period"],
            assignee=p.get("assignee"),
        )
        results = find(api_actor(request), p["q"], filters, limit=p["limit"], offset=p["offset"])
        rows = [
            {
                "kind": r.kind,
                "id": r.document.pk,
                "code_notation": r.document.code_notation,
                "subject": r.document.subject,
                "organization": r.document.organization_id,
                "score": r.score,
            }
            for r in results
        ]
        return Response(s.SearchHitSerializer(rows, many=True).data)
