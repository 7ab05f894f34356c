"""Reads of the patient directory: search, a patient's bookings, a patient's history."""

import re
import unicodedata

from django.db.models import BooleanField, Q, QuerySet
from django.utils.translation import gettext

from bookings.models import Booking
from patients.models import Patient

SEARCH_LIMIT = 20
_PHONE_LIKE = re.compile(r"^[+\d][\d\s().-]{3,}$")


def search_patients(query: str) -> QuerySet[Patient]:
    """Patients whose mobile, email or name matches ``query``: a mobile in any form staff type it
    (05…, +966 5…, a part of one), an email or a part of a name."""
    # Names and emails are stored NFC-normalised (bookings.forms.emails): search the same way.
    query = unicodedata.normalize("NFC", " ".join(query.split()))
    if not query:
        return Patient.objects.none()
    if _PHONE_LIKE.match(query):
        # Stored as E.164: 05… typed locally is found by what follows its trunk zeros.
        digits = re.sub(r"\D", "", query)
        condition = Q(mobile__contains=digits.lstrip("0") or digits)
    elif "@" in query:
        condition = Q(email__iexact=query) | Q(email__icontains=query)
    else:
        condition = Q()
        for word in query.split():
            condition &= Q(full_name__icontains=word)
    return Patient.objects.filter(condition)[:SEARCH_LIMIT]


def patient_bookings(patient: Patient) -> QuerySet[Booking]:
    """Every booking of the patient, across partners, newest first."""
    return patient.bookings.select_related("partner").order_by("-created_at", "-id")


def patient_history(patient: Patient) -> list[dict]:
    """Each edit, newest first, with the fields' labels as the edit form shows them."""
    fields = {field.name: field for field in Patient._meta.fields}
    return [
        {
            "change": change,
            "fields": [
                (fields[name].verbose_name, _shown(fields[name], before), _shown(fields[name], after))
                for name, (before, after) in change.fields.items()
                if name in fields
            ],
        }
        for change in patient.changes.select_related("actor")
    ]


def _shown(field, value: str) -> str:
    """A stored value as the edit form shows it: a choice's label, yes or no."""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, BooleanField):
        return gettext("yes") if value == "True" else gettext("no")
    return value


def booking_selection(patient: Patient) -> dict:
    """The booking fields a directory patient fills (what it has; the flow asks the rest)."""
    values = {
        "patient": patient,
        "patient_name": patient.full_name,
        "mobile": patient.mobile,
        "email": patient.email,
        "patient_dob": patient.date_of_birth,
        "patient_gender": patient.gender,
        "patient_language": patient.language,
    }
    return {name: value for name, value in values.items() if value not in ("", None)}


def chosen_patient(pk) -> Patient | None:
    """The patient a link or form names by id; None when it names none (or nothing valid)."""
    text = str(pk or "")
    # ASCII digits that fit a bigint: "٩" is a digit to isdigit(), and 10,000 digits overflow int().
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return Patient.objects.filter(pk=int(text)).first()


def enrollment_initial(patient: Patient) -> dict:
    """The Sandicare form's fields a directory patient fills."""
    selection = booking_selection(patient)
    return {
        "patient": patient.pk,
        **{name: selection[name] for name in ("email", "patient_dob", "patient_language") if name in selection},
    }


def directory_matches(*, mobile: str, email: str) -> QuerySet[Patient]:
    """Directory patients with this mobile or this email: who a typed patient may already be."""
    condition = Q(pk__in=[])
    if mobile:
        condition |= Q(mobile=mobile)
    if email:
        condition |= Q(email__iexact=email)
    return Patient.objects.filter(condition).order_by("full_name", "id")[:SEARCH_LIMIT]


def same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()
