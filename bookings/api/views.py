"""API views: validate, call one selector or service, serialize."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from access_records.models import AccessRecord
from access_records.services import query_filters, record_access
from bookings import selectors
from bookings.api.permissions import AUTHENTICATION_CLASSES, CanReadBookings, CanReconcile
from bookings.api.serializers import (
    BookingDetailSerializer,
    BookingSerializer,
    NotBookedSerializer,
    SettlementFileErrorSerializer,
    SettlementImportSerializer,
    SettlementLineSerializer,
    SettlementUploadSerializer,
    TotalSerializer,
)
from bookings.filters import BookingFilter
from bookings.models import BookingEvent, SettlementLine
from bookings.reconciliation.parsing import SettlementFileError
from bookings.services.reconciliation import settlement_import_confirm, settlement_import_create
from partners.models import UpstreamCall


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class BookingPagination(Pagination):
    """Pages of bookings, with the totals of the whole filtered list.

    ``totals``: the bookings the partner has (awaiting payment, enrolled, reconciled), per
    partner and currency; ``not_booked``: every other booking, counted per partner and status.
    """

    totals: list = []
    not_booked: list = []

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["totals"] = self.totals
        response.data["not_booked"] = self.not_booked
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["totals"] = {
            "type": "array",
            "description": "Bookings the partner has (awaiting_payment, enrolled, reconciled), per partner and "
            "currency: count and summed amount. Never added across currencies.",
            "items": {
                "type": "object",
                "properties": {
                    "partner": {"type": "string"},
                    "currency": {"type": "string"},
                    "count": {"type": "integer"},
                    "total": {"type": "string", "format": "decimal", "nullable": True},
                },
            },
        }
        schema["properties"]["not_booked"] = {
            "type": "array",
            "description": "Every other booking of the filtered list, counted per partner and status; "
            "their amounts are in no total.",
            "items": {
                "type": "object",
                "properties": {
                    "partner": {"type": "string"},
                    "status": {"type": "string"},
                    "status_display": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
        }
        return schema


class PortalAPIView:
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [CanReadBookings]


class BookingListAPI(PortalAPIView, generics.ListAPIView):
    """Bookings, filtered like the bookings page; totals and not_booked cover the whole filtered list."""

    serializer_class = BookingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = BookingFilter
    pagination_class = BookingPagination

    def get_queryset(self):
        return selectors.bookings_for_finance()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        totals = selectors.booking_totals(queryset)
        self.paginator.totals = TotalSerializer(totals.booked, many=True).data
        self.paginator.not_booked = NotBookedSerializer(totals.not_booked, many=True).data
        page = self.paginate_queryset(queryset)
        record_access(
            request,
            AccessRecord.Kind.API_BOOKING_LIST,
            filters=query_filters(request.query_params),
            row_count=len(page),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class BookingDetailAPI(PortalAPIView, generics.RetrieveAPIView):
    """One booking with its partner attempts and its state changes, oldest first."""

    serializer_class = BookingDetailSerializer

    def get_queryset(self):
        return selectors.bookings_for_finance().prefetch_related(
            Prefetch("events", queryset=BookingEvent.objects.select_related("actor").order_by("created_at", "id")),
            Prefetch("upstream_calls", queryset=UpstreamCall.objects.order_by("created_at", "id")),
        )

    def retrieve(self, request, *args, **kwargs):
        booking = self.get_object()
        record_access(request, AccessRecord.Kind.API_BOOKING, booking=booking)
        return Response(self.get_serializer(booking).data)


class SettlementImportListAPI(PortalAPIView, generics.ListAPIView):
    """Settlement imports, newest first; POST a partner's CSV to validate it and get its report."""

    permission_classes = [CanReconcile]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = SettlementImportSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.settlement_imports()

    @extend_schema(
        request={"multipart/form-data": SettlementUploadSerializer},
        responses={
            201: SettlementImportSerializer,
            200: SettlementImportSerializer,
            400: SettlementFileErrorSerializer,
        },
        description="201: a new import (state `validated`). 200: this file was already imported for this "
        "partner; the existing import, unchanged. 400: the file cannot be imported; nothing was written.",
    )
    def post(self, request):
        upload = SettlementUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            settlement, created = settlement_import_create(
                partner=upload.validated_data["partner"],
                uploaded_file=upload.validated_data["file"],
                actor=request.user,
            )
        except SettlementFileError as error:
            body = {"file": [error.message], "rows": [row_error.as_dict() for row_error in error.errors]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SettlementImportSerializer(settlement).data, status=code)


class SettlementImportDetailAPI(PortalAPIView, generics.RetrieveAPIView):
    """One import: who, when, the file's digest and the report summary (counts, totals per currency)."""

    permission_classes = [CanReconcile]
    serializer_class = SettlementImportSerializer

    def get_queryset(self):
        return selectors.settlement_imports()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "category", OpenApiTypes.STR, enum=SettlementLine.Category.values, description="Only this category."
        )
    ]
)
class SettlementLinesAPI(PortalAPIView, generics.ListAPIView):
    """The report's lines: each file row's result and the bookings missing from the file."""

    permission_classes = [CanReconcile]
    serializer_class = SettlementLineSerializer
    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return SettlementLine.objects.none()
        settlement = get_object_or_404(selectors.settlement_imports(), pk=self.kwargs["pk"])
        category = self.request.query_params.get("category") or None
        if category and category not in SettlementLine.Category.values:
            choices = ", ".join(SettlementLine.Category.values)
            raise ValidationError({"category": [f"“{category}” is not a category; choose one of {choices}."]})
        return selectors.settlement_lines(settlement, category)


class SettlementConfirmAPI(PortalAPIView, APIView):
    """Mark the import's matched bookings reconciled. Confirming again changes nothing; an import
    that matched nothing cannot be confirmed (400)."""

    permission_classes = [CanReconcile]

    @extend_schema(request=None, responses={200: SettlementImportSerializer, 400: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
        try:
            settlement = settlement_import_confirm(import_id=settlement.pk, actor=request.user)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        return Response(SettlementImportSerializer(settlement).data)
