from rest_framework import serializers

from bookings.models import Booking, BookingEvent, SettlementImport, SettlementLine
from partners.models import Partner, UpstreamCall


class BookingSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.code", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    partner_booking_id = serializers.CharField(source="upstream_booking_id", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Booking
        fields = (
            "id",
            "reference",
            "partner",
            "partner_name",
            "status",
            "status_display",
            "status_changed_at",
            "created_at",
            "created_by",
            "appointment_date",
            "appointment_time",
            "patient_name",
            "guardian_name",
            "mobile",
            "email",
            "amount",
            "currency",
            "quoted_amount",
            "quoted_currency",
            "price_changed",
            "partner_booking_id",
            "settlement_import",
        )
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = UpstreamCall
        fields = ("id", "operation", "attempt", "http_status", "body_status", "outcome", "latency_ms", "created_at")
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    # Plain strings (the values of Booking.status), so the schema has one status enum.
    from_status = serializers.CharField(read_only=True, help_text="Booking status before; empty when created.")
    to_status = serializers.CharField(read_only=True, help_text="Booking status after.")
    actor = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = BookingEvent
        fields = ("id", "from_status", "to_status", "actor", "reason", "upstream_call", "created_at")
        read_only_fields = fields


class BookingDetailSerializer(BookingSerializer):
    attempts = AttemptSerializer(source="upstream_calls", many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(BookingSerializer.Meta):
        fields = (*BookingSerializer.Meta.fields, "handoff_url", "partner_message", "attempts", "events")
        read_only_fields = fields


class TotalSerializer(serializers.Serializer):
    partner = serializers.CharField(source="partner__name")
    currency = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class NotBookedSerializer(serializers.Serializer):
    partner = serializers.CharField(source="partner__name")
    status = serializers.CharField()
    status_display = serializers.CharField()
    count = serializers.IntegerField()


class SettlementImportSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.code", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, default=None, allow_null=True)
    confirmed_by = serializers.CharField(source="confirmed_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = SettlementImport
        fields = (
            "id",
            "partner",
            "state",
            "file_name",
            "sha256",
            "row_count",
            "summary",
            "uploaded_by",
            "created_at",
            "confirmed_by",
            "confirmed_at",
        )
        read_only_fields = fields


class SettlementLineSerializer(serializers.ModelSerializer):
    booking_reference = serializers.CharField(source="booking.reference", read_only=True, default=None, allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, default=None, allow_null=True)
    # Declared: a read-only field built from the model loses allow_blank, and the schema then
    # refused the "" of a line nobody decided on yet.
    resolution = serializers.ChoiceField(choices=SettlementLine.Resolution.choices, allow_blank=True, read_only=True)

    class Meta:
        model = SettlementLine
        fields = (
            "id",
            "category",
            "line_number",
            "partner_booking_id",
            "amount",
            "currency",
            "paid_at",
            "paid_date_only",
            "partner_status",
            "booking",
            "booking_reference",
            "expected_amount",
            "expected_currency",
            "note",
            "resolution",
            "resolution_note",
            "resolved_by",
            "resolved_at",
        )
        read_only_fields = fields


class SettlementUploadSerializer(serializers.Serializer):
    partner = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Partner.objects.filter(is_active=True),
        help_text="Partner product code, e.g. sanar_video.",
    )
    file = serializers.FileField(allow_empty_file=True, help_text="The settlement CSV (see docs/finance.md).")


class SettlementFileErrorSerializer(serializers.Serializer):
    """The 400 answer to an upload that cannot be imported: nothing was written.

    A missing field or an unknown partner is answered by field (``partner``, ``file``); a file
    that cannot be read has ``file`` and the ``rows`` in error.
    """

    partner = serializers.ListField(child=serializers.CharField(), required=False)
    file = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.DictField(), required=False)
