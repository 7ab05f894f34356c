"""Sanar kids vaccination: services → details → where and when → provider slot → child and
guardian → confirm → status.

Services and their details come from the mirrored catalogue (``partners.catalogue.vaccination``);
providers and their slots are fetched live (``/browse``) on every view. The generic step
mechanics live in ``steps.py``.
"""

from django.contrib import messages
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings import flows
from bookings.forms.schedule import SlotGroup, slot_rows
from bookings.forms.vaccination import (
    ChildGuardianForm,
    ProviderSlotForm,
    ServicesForm,
    WhereForm,
    child_is_done,
    city_coordinates,
)
from bookings.views import steps
from bookings.views.catalogue import CatalogueRefreshView, CatalogueStep
from partners import credentials
from partners.adapters import sanar_vaccination
from partners.catalogue.vaccination import (
    last_synced_at,
    offered_services,
    selected_services,
    sync_vaccination_catalogue,
    sync_vaccination_details,
)
from partners.models import Partner

PARTNER = Partner.Code.SANAR_VACCINATION


def _services_chosen(booking) -> bool:
    return bool(booking.service_ids)


def _place_chosen(booking) -> bool:
    location = booking.location or {}
    return bool(location.get("city")) and location.get("lat") is not None and location.get("lng") is not None


def _provider_slot_chosen(booking) -> bool:
    return bool(booking.provider_id) and steps.slot_is_done(booking)


FLOW = flows.register(
    flows.Flow(
        partner_code=PARTNER,
        start_url_name="bookings:vaccination-start",
        steps=(
            flows.Step("services", gettext_lazy("Services"), "bookings:vaccination-services", _services_chosen),
            flows.Step(
                "details",
                gettext_lazy("Details"),
                "bookings:vaccination-details",
                _services_chosen,
                shows_previous=True,
            ),
            flows.Step("where", gettext_lazy("Where and when"), "bookings:vaccination-where", _place_chosen),
            flows.Step("slot", gettext_lazy("Provider and slot"), "bookings:vaccination-slot", _provider_slot_chosen),
            flows.Step("child", gettext_lazy("Child and guardian"), "bookings:vaccination-child", child_is_done),
            flows.Step("confirm", gettext_lazy("Confirm"), "bookings:vaccination-confirm", steps.booking_is_sent),
        ),
        recovery_steps={
            "slot_unavailable": "slot",
            "validation": "child",
            "not_found": "services",
            "partner_failure": "slot",
        },
    )
)


class VaccinationStep(CatalogueStep):
    partner_code = PARTNER
    refresh_url_name = "bookings:vaccination-refresh"

    def catalogue_synced_at(self):
        return last_synced_at()

    def back_to_services(self, message: str):
        messages.warning(self.request, message)
        return self.redirect(FLOW.step_url(self.booking, "services"))


class ServicesStep(VaccinationStep, steps.FlowStepView):
    step_key = "services"
    template_name = "bookings/vaccination/services.html"
    form_class = ServicesForm

    def get(self, request, pk):
        self.fetch_if_empty(not offered_services().exists(), sync_vaccination_catalogue)
        self.refresh_after_not_found(synced_at=last_synced_at(), sync=sync_vaccination_catalogue)
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        chosen = [str(value) for value in form["service_ids"].value() or []] if form else []
        return super().get_context_data(
            services=offered_services(), chosen=chosen, **self.catalogue_context(), **kwargs
        )


class DetailsStep(VaccinationStep, steps.FlowStepView):
    """What each chosen service includes and how to prepare, to read to the guardian."""

    step_key = "details"
    template_name = "bookings/vaccination/details.html"
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        services = selected_services(self.booking.service_ids)
        missing = [service.service_id for service in services if service.details_synced_at is None]
        self.fetch_if_empty(bool(missing), lambda: sync_vaccination_details(service_ids=missing))
        services = selected_services(self.booking.service_ids)
        gone = [service.name for service in services if not service.is_active]
        if gone or len(services) < len(self.booking.service_ids):
            return self.back_to_services(
                _("Sanar no longer offers %(services)s: choose the services again.")
                % {"services": ", ".join(gone) or _("one of the chosen services")}
            )
        return self.render_step(None, services=services, **self.catalogue_context())


class WhereStep(VaccinationStep, steps.FlowStepView):
    step_key = "where"
    template_name = "bookings/vaccination/where.html"
    shows_patient = True
    form_class = WhereForm

    def initial(self):
        return WhereForm.initial_for(self.booking)


class SlotStep(VaccinationStep, steps.LiveSlotsStepView):
    """The providers near the chosen place offering every chosen service, with that day's slots."""

    step_key = "slot"
    template_name = "bookings/vaccination/slot.html"
    form_class = ProviderSlotForm
    slots_url_name = "bookings:vaccination-slots"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.browsed = {}  # day → providers: one /browse per day and request

    def providers(self, day) -> list[sanar_vaccination.Provider]:
        if day not in self.browsed:
            self.browsed[day] = sanar_vaccination.browse(
                credentials.active_credential(PARTNER),
                date=day,
                location=sanar_vaccination.location_from_booking(self.booking),
                service_ids=self.booking.service_ids,
            )
        return self.browsed[day]

    def provider(self, day, provider_id: str):
        return next((p for p in self.providers(day) if p.provider_id == provider_id), None)

    def live_slots(self, day, form=None) -> list:
        provider = self.provider(day, form.schedule)
        return provider.slots if provider else []

    def slot_groups(self, day) -> list[SlotGroup]:
        return [
            SlotGroup(
                rows=slot_rows(
                    provider.slots,
                    taken_ids=self.taken_ids(day, provider.provider_id),
                    selected_id=self.selected_id(day, provider.provider_id),
                ),
                title=provider.name,
                subtitle=_where_it_is(provider),
                hidden=(("provider_id", provider.provider_id),),
            )
            for provider in self.providers(day)
        ]

    def chosen_schedule(self) -> str:
        return self.booking.provider_id

    def slot_selection(self, form, slot) -> dict:
        provider = self.provider(form.cleaned_data["appointment_date"], form.schedule)
        return {
            **super().slot_selection(form, slot),
            "provider_id": provider.provider_id,
            "provider_name": provider.name,
        }

    def on_not_found(self, error):
        # Sanar no longer knows the product or a service: refresh them, choose again.
        sync_vaccination_catalogue()
        return self.back_to_services(
            _(
                "Sanar no longer knows part of this selection (%(answer)s). The services were refreshed: choose them again."
            )
            % {"answer": error.partner_message}
        )

    def get_context_data(self, **kwargs):
        location = self.booking.location or {}
        return super().get_context_data(
            location=location,
            city_default=(location.get("lat"), location.get("lng")) == city_coordinates(location.get("city", "")),
            slots_empty=_("No provider near this place offers all the chosen services that day. Try another day."),
            **kwargs,
        )


def _where_it_is(provider: sanar_vaccination.Provider) -> str:
    distance = (
        _("%(distance)s km") % {"distance": number_format(provider.distance_km)}
        if provider.distance_km is not None
        else ""
    )
    return " · ".join(part for part in (provider.address, distance) if part)


class ChildStep(VaccinationStep, steps.FlowStepView):
    step_key = "child"
    template_name = "bookings/vaccination/child.html"
    shows_patient = True
    form_class = ChildGuardianForm

    def get_form_kwargs(self):
        return {
            "services": selected_services(self.booking.service_ids),
            "appointment_date": self.booking.appointment_date,
        }


class ConfirmStep(VaccinationStep, steps.FlowConfirmView):
    step_key = "confirm"
    template_name = "bookings/vaccination/confirm.html"
    shows_patient = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(services=selected_services(self.booking.service_ids), **kwargs)


services = ServicesStep.as_view()
details = DetailsStep.as_view()
where = WhereStep.as_view()
slot = SlotStep.as_view()
child = ChildStep.as_view()
confirm = ConfirmStep.as_view()
# The flow's other pages: its start page, the slots of another day (htmx), the catalogue refresh.
start = steps.FlowStartView.as_view(partner_code=PARTNER)
slots = SlotStep.as_view(fragment=True)
refresh = CatalogueRefreshView.as_view(partner_code=PARTNER, sync=sync_vaccination_catalogue)
