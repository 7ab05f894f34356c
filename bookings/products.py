"""The partner products the portal books, one entry each: what differs between them lives here.

The services, tasks and views ask ``product_for(booking)`` instead of testing
``partner.code``: which adapter call creates the booking upstream, which fields it needs,
what a success stores and leads to, and whether a same-day repeat needs staff to confirm.
A product's flow (its step pages) is declared by its view module in ``bookings.flows``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from bookings import flows
from bookings.models import Booking
from bookings.states import Status
from partners.adapters import sanar_vaccination, sanar_video, sandicare
from partners.models import Partner

# Sandicare answers the same 404 for a patient it does not know and for a lapsed subscription
# (CONTRACT.md §Sandicare), so the text says it cannot tell which.
# Stored on the booking in English, read in each reader's language (``Booking.partner_message_text``).
NO_SUBSCRIPTION_MESSAGE = gettext_noop(
    "No active Sandicare subscription matches this email and date of birth. "
    "Sandicare does not say whether it does not know the patient or the subscription has expired: "
    "check the spelling of the email and the date of birth, then ask the patient whether their subscription is still active."
)


def _store_sanar_booking(booking: Booking, answer) -> tuple[tuple[str, ...], str, dict]:
    booking.upstream_booking_id = answer.booking_id
    booking.payment_url = answer.payment_url
    fields: tuple[str, ...] = ("upstream_booking_id", "payment_url")
    if answer.amount is not None:
        booking.amount, booking.currency = answer.amount.amount, answer.amount.currency
        fields += ("amount", "currency")
    return (
        fields,
        gettext_noop("Booked as %(partner_booking_id)s: payment link received"),
        {"partner_booking_id": answer.booking_id},
    )


def _store_enrollment(booking: Booking, answer) -> tuple[tuple[str, ...], str, dict]:
    booking.enrollment_url = answer.url
    return ("enrollment_url",), gettext_noop("Enrolled: link received"), {}


@dataclass(frozen=True)
class Product:
    code: str
    # The adapter call that creates the booking upstream: ``create_call(credential, booking=, attempt=)``.
    create_call: Callable[..., Any]
    # Fields ``booking_submit`` requires before anything is queued.
    required_fields: tuple[str, ...]
    # Where a successful create call leads.
    booked_status: str
    # Puts a success answer on the booking; returns (changed fields, reason for the history, its values).
    store_answer: Callable[[Booking, Any], tuple[tuple[str, ...], str, dict]]
    # What staff read when the partner does not know the patient or selection ("" = the partner's words).
    not_found_message: str = ""
    # A second one for the same patient and service on the same day needs staff to confirm it.
    confirm_same_day_repeat: bool = False

    @property
    def is_enrollment(self) -> bool:
        """An enrollment has a link and no partner booking id."""
        return self.booked_status == Status.ENROLLED

    @property
    def flow(self) -> flows.Flow | None:
        return flows.flow_for(self.code)


PRODUCTS: dict[str, Product] = {
    Partner.Code.SANAR_VIDEO: Product(
        code=Partner.Code.SANAR_VIDEO,
        create_call=sanar_video.book,
        required_fields=(
            "speciality_id",
            "doctor_id",
            "appointment_date",
            "slot_id",
            "patient_name",
            "mobile",
            "email",
            "patient_gender",
            "patient_dob",
        ),
        booked_status=Status.AWAITING_PAYMENT,
        store_answer=_store_sanar_booking,
    ),
    Partner.Code.SANAR_VACCINATION: Product(
        code=Partner.Code.SANAR_VACCINATION,
        create_call=sanar_vaccination.book,
        required_fields=(
            "service_ids",
            "provider_id",
            "appointment_date",
            "slot_id",
            "patient_name",
            "patient_dob",
            "patient_gender",
            "guardian_name",
            "mobile",
            "email",
        ),
        booked_status=Status.AWAITING_PAYMENT,
        store_answer=_store_sanar_booking,
    ),
    Partner.Code.SANDICARE: Product(
        code=Partner.Code.SANDICARE,
        create_call=sandicare.enroll,
        required_fields=("program_id", "sandicare_service", "email", "patient_dob"),
        booked_status=Status.ENROLLED,
        store_answer=_store_enrollment,
        not_found_message=NO_SUBSCRIPTION_MESSAGE,
        confirm_same_day_repeat=True,
    ),
}


def product_for(booking_or_code: Booking | str) -> Product:
    code = booking_or_code if isinstance(booking_or_code, str) else booking_or_code.partner.code
    return PRODUCTS[code]
