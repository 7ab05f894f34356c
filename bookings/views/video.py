"""Sanar video consultation: speciality → doctor → date and slot → patient → confirm → status.

Specialities and doctors come from the mirrored catalogue (``partners.catalogue.video``);
slots are fetched live on every view. The generic step mechanics live in ``steps.py``.
"""

from django.contrib import messages
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone

from bookings import flows, selectors
from bookings.forms.contact import PatientForm
from bookings.forms.video import DoctorForm, SpecialityForm
from bookings.states import Status
from bookings.views.steps import (
    EDITABLE_STATES,
    CatalogueRefreshView,
    FlowConfirmView,
    FlowStartView,
    FlowStepView,
    LiveSlotsStepView,
)
from partners import credentials
from partners.adapters import sanar_video
from partners.catalogue.base import catalogue_age
from partners.catalogue.video import last_synced_at, sync_video_catalogue, sync_video_doctors
from partners.models import Doctor, Partner, Speciality

PARTNER = Partner.Code.SANAR_VIDEO
PATIENT_FIELDS = ("patient_name", "mobile", "email", "patient_gender", "patient_dob")


def _slot_is_done(booking) -> bool:
    # A slot the partner refused, or a day now in the past, has to be chosen again.
    return bool(
        booking.slot_id
        and booking.appointment_date
        and booking.appointment_date >= timezone.localdate()
        and booking.status != Status.SLOT_UNAVAILABLE
    )


FLOW = flows.register(
    flows.Flow(
        partner_code=PARTNER,
        start_url_name="bookings:video-start",
        steps=(
            flows.Step("speciality", "Speciality", "bookings:video-speciality", lambda b: bool(b.speciality_id)),
            flows.Step("doctor", "Doctor", "bookings:video-doctor", lambda b: bool(b.doctor_id)),
            flows.Step("slot", "Date and slot", "bookings:video-slot", _slot_is_done),
            flows.Step(
                "patient", "Patient", "bookings:video-patient", lambda b: all(getattr(b, f) for f in PATIENT_FIELDS)
            ),
            flows.Step("confirm", "Confirm", "bookings:video-confirm", lambda b: b.status not in EDITABLE_STATES),
        ),
        recovery_steps={"slot_unavailable": "slot", "validation": "patient", "not_found": "doctor"},
    )
)


class VideoStep:
    partner_code = PARTNER

    def catalogue_context(self) -> dict:
        return {
            "catalogue": catalogue_age(last_synced_at()),
            "catalogue_refresh_url": reverse("bookings:video-refresh", args=[self.booking.pk]),
        }


class SpecialityStep(VideoStep, FlowStepView):
    step_key = "speciality"
    template_name = "bookings/video/speciality.html"
    form_class = SpecialityForm

    def get_form_kwargs(self):
        return {"booking": self.booking}

    def get(self, request, pk):
        if not Speciality.objects.exists():
            # First use: nothing mirrored yet, so fetch it now rather than show an empty page.
            report = sync_video_catalogue()
            if not report.ok:
                messages.error(request, f"Sanar could not be reached: {'; '.join(report.errors)}.")
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        specialities = Speciality.objects.filter(is_active=True)
        if query:
            specialities = specialities.filter(name__icontains=query)
        return super().get_context_data(specialities=specialities, query=query, **self.catalogue_context(), **kwargs)


class DoctorStep(VideoStep, FlowStepView):
    step_key = "doctor"
    template_name = "bookings/video/doctor.html"
    form_class = DoctorForm
    SORTS = {
        "rating": ("Rating", [F("rating").desc(nulls_last=True), "name"]),
        "price": ("Price", [F("price_amount").asc(nulls_last=True), "name"]),
        "next_slot": (
            "Next slot",
            [
                Case(When(available_slot="", then=Value(1)), default=Value(0), output_field=IntegerField()),
                "available_slot",
            ],
        ),
    }

    def get_form_kwargs(self):
        return {"booking": self.booking}

    def get(self, request, pk):
        self.refresh_after_not_found()
        return super().get(request, pk)

    def refresh_after_not_found(self) -> None:
        """Sanar answered 1004 to the booking: refresh this speciality's doctors once."""
        if self.booking.status != Status.FAILED or selectors.last_failure_outcome(self.booking) != "not_found":
            return
        speciality = Speciality.objects.filter(speciality_id=self.booking.speciality_id).first()
        if speciality and speciality.synced_at > self.booking.status_changed_at:
            return
        report = sync_video_doctors(speciality_id=self.booking.speciality_id)
        if report.ok:
            messages.warning(
                self.request, "Sanar no longer knows part of this booking. The doctor list was refreshed: choose again."
            )

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort", "rating")
        sort = sort if sort in self.SORTS else "rating"
        doctors = Doctor.objects.filter(is_active=True, speciality__speciality_id=self.booking.speciality_id).order_by(
            *self.SORTS[sort][1]
        )
        sorts = [(key, label) for key, (label, _) in self.SORTS.items()]
        return super().get_context_data(doctors=doctors, sort=sort, sorts=sorts, **self.catalogue_context(), **kwargs)


class SlotStep(VideoStep, LiveSlotsStepView):
    step_key = "slot"
    template_name = "bookings/video/slot.html"
    slots_url_name = "bookings:video-slots"

    def live_slots(self, day, form=None) -> list:
        credential = credentials.active_credential(PARTNER)
        return sanar_video.slots(credential, doctor_id=self.booking.doctor_id, date=day).slots

    def on_not_found(self, error):
        # Sanar no longer knows the doctor: refresh the speciality's doctors, choose again.
        sync_video_doctors(speciality_id=self.booking.speciality_id)
        messages.warning(
            self.request,
            f"Sanar no longer lists slots for {self.booking.doctor_name or 'this doctor'}. "
            "The doctor list was refreshed: choose a doctor again.",
        )
        return self.redirect(FLOW.step_url(self.booking, "doctor"))


class PatientStep(VideoStep, FlowStepView):
    step_key = "patient"
    template_name = "bookings/video/patient.html"
    form_class = PatientForm


class ConfirmStep(VideoStep, FlowConfirmView):
    step_key = "confirm"
    template_name = "bookings/video/confirm.html"


start = FlowStartView.as_view(partner_code=PARTNER)
speciality = SpecialityStep.as_view()
doctor = DoctorStep.as_view()
slot = SlotStep.as_view()
slots = SlotStep.as_view(fragment=True)
patient = PatientStep.as_view()
confirm = ConfirmStep.as_view()
refresh = CatalogueRefreshView.as_view(partner_code=PARTNER, sync=sync_video_catalogue)
