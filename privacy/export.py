"""A patient's data as a download: JSON (everything, nested) and CSV (one row per record)."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

from bookings.export import FORMULA_STARTS
from privacy.selectors import PatientData

PATIENT_FIELDS = (
    "id",
    "full_name",
    "mobile",
    "email",
    "date_of_birth",
    "gender",
    "language",
    "preferred_channel",
    "consents_to_messages",
    "consent_changed_at",
    "created_at",
    "updated_at",
)
BOOKING_FIELDS = (
    "id",
    "reference",
    "status",
    "patient_name",
    "patient_dob",
    "patient_gender",
    "guardian_name",
    "mobile",
    "email",
    "patient_language",
    "speciality_name",
    "doctor_name",
    "service_names",
    "provider_name",
    "appointment_date",
    "appointment_time",
    "location",
    "sandicare_service",
    "consultation_reason",
    "amount",
    "currency",
    "upstream_booking_id",
    "created_at",
)
CSV_COLUMNS = ("record", "partner", "name", *sorted(set(PATIENT_FIELDS) | set(BOOKING_FIELDS) - {"full_name"}))


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def as_json(data: PatientData) -> dict:
    return {
        "generated_at": timezone.now(),
        "patients": [
            {
                **_values(patient, PATIENT_FIELDS),
                "history": [
                    {"changed_at": change.changed_at, "fields": change.fields} for change in patient.changes.all()
                ],
            }
            for patient in data.patients
        ],
        "bookings": [
            {
                **_values(booking, BOOKING_FIELDS),
                "partner": booking.partner.name,
                "events": [
                    {
                        "at": event.created_at,
                        "from": event.from_status,
                        "to": event.to_status,
                        "reason": event.reason_text,
                    }
                    for event in booking.events.all()
                ],
                "messages": [
                    {
                        "at": message.created_at,
                        "channel": message.channel,
                        "to": message.recipient_masked,
                        "template": message.template,
                        "status": message.status,
                    }
                    for message in booking.messages.all()
                ],
                "partner_calls": [
                    {
                        "at": call.created_at,
                        "operation": call.operation,
                        "outcome": call.outcome,
                        "request_body": call.request_body,
                        "response_body": call.response_body,
                    }
                    for call in booking.upstream_calls.all()
                ],
            }
            for booking in data.bookings
        ],
    }


def json_response(data: PatientData) -> HttpResponse:
    body = json.dumps(as_json(data), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="patient-data-{timezone.now():%Y%m%d-%H%M}.json"'
    return response


def csv_rows(data: PatientData):
    for patient in data.patients:
        yield {"record": "patient", "name": patient.full_name, **_values(patient, PATIENT_FIELDS)}
    for booking in data.bookings:
        values = _values(booking, BOOKING_FIELDS)
        yield {"record": "booking", "partner": booking.partner.name, "name": values.pop("patient_name"), **values}


def csv_response(data: PatientData) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in csv_rows(data):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="patient-data-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response


def _cell(value) -> str:
    text = (
        "" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    )
    return "'" + text if text.startswith(FORMULA_STARTS) else text
