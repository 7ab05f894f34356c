"""Sanar video consultation: speciality → doctor → date and slot → patient → confirm → status.

Specialities and doctors come from the mirrored catalogue (``partners.catalogue.video``);
slots are fetched live on every view. The generic step mechanics live in ``steps.py``.
"""

from django.contrib import messages
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings import doctor_picker, flows
from bookings.forms.contact import PatientForm
from bookings.forms.video import DoctorForm, SpecialityForm
from bookings.views.catalogue import CatalogueRefreshView, CatalogueStep
from bookings.views.steps import (
    FlowConfirmView,
    FlowStartView,
    FlowStepView,
    LiveSlotsStepView,
    booking_is_sent,
    slot_is_done,
)
from partners import credentials
from partners.adapters import sanar_video
from partners.catalogue.video import last_synced_at, sync_video_catalogue, sync_video_doctors
from partners.models import Doctor, Partner, Speciality

PARTNER = Partner.Code.SANAR_VIDEO
PATIENT_FIELDS = ("patient_name", "mobile", "email", "patient_gender", "patient_dob")


FLOW = flows.register(
    flows.Flow(
        partner_code=PARTNER,
        start_url_name="bookings:video-start",
        steps=(
            flows.Step(
                "speciality", gettext_lazy("Speciality"), "bookings:video-speciality", lambda b: bool(b.speciality_id)
            ),
            flows.Step("doctor", gettext_lazy("Doctor"), "bookings:video-doctor", lambda b: bool(b.doctor_id)),
            flows.Step("slot", gettext_lazy("Date and slot"), "bookings:video-slot", slot_is_done),
            flows.Step(
                "patient",
                gettext_lazy("Patient"),
                "bookings:video-patient",
                lambda b: all(getattr(b, f) for f in PATIENT_FIELDS),
            ),
            flows.Step("confirm", gettext_lazy("Confirm"), "bookings:video-confirm", booking_is_sent),
        ),
        recovery_steps={
            "slot_unavailable": "slot",
            "validation": "patient",
            "not_found": "doctor",
            "partner_failure": "slot",
        },
    )
)


class VideoStep(CatalogueStep):
    partner_code = PARTNER
    refresh_url_name = "bookings:video-refresh"

    def catalogue_synced_at(self):
        return last_synced_at()


class SpecialityStep(VideoStep, FlowStepView):
    step_key = "speciality"
    template_name = "bookings/video/speciality.html"
    form_class = SpecialityForm

    def get(self, request, pk):
        self.fetch_if_empty(not Speciality.objects.exists(), sync_video_catalogue)
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
        "rating": (gettext_lazy("Rating"), [F("rating").desc(nulls_last=True), "name"]),
        "price": (gettext_lazy("Price"), [F("price_amount").asc(nulls_last=True), "name"]),
        "next_slot": (
            gettext_lazy("Next slot"),
            [
                Case(When(available_slot="", then=Value(1)), default=Value(0), output_field=IntegerField()),
                "available_slot",
            ],
        ),
    }

    def get(self, request, pk):
        speciality_id = self.booking.speciality_id
        self.refresh_after_not_found(
            synced_at=Speciality.objects.filter(speciality_id=speciality_id)
            .values_list("synced_at", flat=True)
            .first(),
            sync=lambda: sync_video_doctors(speciality_id=speciality_id),
        )
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort", "rating")
        sort = sort if sort in self.SORTS else "rating"
        listed = Doctor.objects.filter(is_active=True, speciality__speciality_id=self.booking.speciality_id)
        filters = doctor_picker.DoctorFilters.from_query(self.request.GET)
        doctors = list(filters.apply(listed).order_by(*self.SORTS[sort][1]))
        for doctor in doctors:
            doctor.rating_count = doctor_picker.rating_count(doctor.raw)
        sorts = [(key, label) for key, (label, _) in self.SORTS.items()]
        return super().get_context_data(
            doctors=doctors,
            sort=sort,
            sorts=sorts,
            filters=filters,
            filter_choices=doctor_picker.filter_choices(listed),
            today=timezone.localdate(),
            **self.catalogue_context(),
            **kwargs,
        )


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
            _("Sanar no longer lists slots for %(doctor)s. The doctor list was refreshed: choose a doctor again.")
            % {"doctor": self.booking.doctor_name or _("this doctor")},
        )
        return self.redirect(FLOW.step_url(self.booking, "doctor"))


class PatientStep(VideoStep, FlowStepView):
    step_key = "patient"
    template_name = "bookings/video/patient.html"
    shows_patient = True
    form_class = PatientForm


class ConfirmStep(VideoStep, FlowConfirmView):
    step_key = "confirm"
    template_name = "bookings/video/confirm.html"
    shows_patient = True


start = FlowStartView.as_view(partner_code=PARTNER)
speciality = SpecialityStep.as_view()
doctor = DoctorStep.as_view()
slot = SlotStep.as_view()
slots = SlotStep.as_view(fragment=True)
patient = PatientStep.as_view()
confirm = ConfirmStep.as_view()
refresh = CatalogueRefreshView.as_view(partner_code=PARTNER, sync=sync_video_catalogue)
