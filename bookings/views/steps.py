"""Flow-agnostic building blocks of the booking flows' step pages.

A flow module subclasses these views and names its partner, step, template and form:

- ``FlowStartView``: GET shows the flow's start page with the user's open drafts; POST
  creates a draft and goes to the first step.
- ``FlowStepView``: loads the draft through the access helper (404 for another product),
  sends bookings that are no longer editable to their status page and skipped steps back
  to the first unfinished one, validates the form, stores ``form.selection()`` (or the
  cleaned data) with ``booking_update_selection`` and redirects to the next step.
- ``LiveSlotsStepView``: a date picker and the slots of that day fetched live, reloaded
  alone (htmx) when the day changes; the fragment is ``bookings/includes/slots.html``.
- ``FlowConfirmView``: the Book button: ``booking_submit`` then the status page; a second
  POST (double click, reload) just lands on the status page.

The steps listing a mirrored partner catalogue add ``catalogue.CatalogueStep``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from access_records.models import AccessRecord
from access_records.services import query_filters, record_access
from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors
from bookings.ages import age_label
from bookings.forms import DraftForm
from bookings.forms.schedule import DayForm, SlotChoiceForm, SlotGroup, date_choices, default_day, slot_rows
from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.services.submission import booking_submit
from bookings.states import EDITABLE, REOPENABLE, Status
from bookings.views import intents
from bookings.views.access import get_booking
from config.stored_text import stored_text
from partners.errors import NoActiveCredential, NotFound, PartnerError, SignatureMismatch, Unauthorized
from partners.models import Partner
from patients import selectors as patient_selectors
from patients.forms import PatientSearchForm


def booking_is_sent(booking: Booking) -> bool:
    """The confirm step is done once the booking left the editable states."""
    return booking.status not in EDITABLE


def slot_is_done(booking: Booking) -> bool:
    """A slot the partner refused, or a day now in the past, has to be chosen again."""
    return bool(
        booking.slot_id
        and booking.appointment_date
        and booking.appointment_date >= timezone.localdate()
        and booking.status != Status.SLOT_UNAVAILABLE
    )


def flow_breadcrumb(flow: flows.Flow, booking: Booking, current_key: str) -> list[dict]:
    """The flow's steps in order; a step links only once every step before it is done."""
    items, reachable = [], True
    for step in flow.steps:
        done = step.is_done(booking)
        items.append(
            {
                "title": step.title,
                "url": flow.step_url(booking, step.key) if reachable else None,
                "done": done,
                "current": step.key == current_key,
            }
        )
        reachable = reachable and done
    return items


def read_error_message(error: PartnerError, partner) -> str:
    """What staff read when a live read (slots, providers) failed; the page keeps working."""
    vendor = partner.get_vendor_display()
    if isinstance(error, NoActiveCredential):
        return _("There is no active %(partner)s credential: a partner admin must add one.") % {"partner": vendor}
    if isinstance(error, Unauthorized | SignatureMismatch):
        # The client (1002) and the adapter (second 1003) have flagged the credential already.
        return _("%(partner)s credentials need attention; a partner admin has been alerted.") % {"partner": vendor}
    return _("%(partner)s is not answering right now (%(answer)s). Try again in a moment.") % {
        "partner": vendor,
        "answer": stored_text(error.partner_message),
    }


def partner_notice(flow: flows.Flow, booking: Booking) -> dict | None:
    """Why a booking the partner sent back (or staff reopened) is being edited again, for the
    banner on each step."""
    if booking.status == Status.DRAFT and selectors.reopened_from(booking) == Status.NEEDS_ATTENTION:
        step_key = flow.recovery_steps.get("partner_failure")
        return {
            "outcome": "partner_failure",
            "status": Status.NEEDS_ATTENTION,
            "message": "",
            "step": flow.step(step_key) if step_key else None,
            "step_url": flow.step_url(booking, step_key) if step_key else None,
        }
    if booking.status not in REOPENABLE:
        return None
    outcome = selectors.last_failure_outcome(booking)
    step_key = flow.recovery_steps.get(outcome)
    return {
        "outcome": outcome,
        "status": booking.status,
        "message": booking.partner_message_text,
        "step": flow.step(step_key) if step_key else None,
        "step_url": flow.step_url(booking, step_key) if step_key else None,
    }


@method_decorator(role_required(roles.OPERATIONS), name="dispatch")
class FlowStartView(View):
    partner_code = ""
    template_name = "bookings/includes/flow_start.html"

    def get(self, request):
        drafts = Booking.objects.filter(
            partner__code=self.partner_code, status__in=EDITABLE, created_by=request.user
        ).select_related("partner")[:20]
        partner = get_object_or_404(Partner, code=self.partner_code)
        search = PatientSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        drafts, found = list(drafts), list(patient_selectors.search_patients(query))
        if drafts or found:
            record_access(
                request,
                AccessRecord.Kind.FLOW_START,
                filters=query_filters(request.GET),
                row_count=len(drafts) + len(found),
            )
        context = {
            "partner": partner,
            "drafts": drafts,
            "intent": intents.new_intent(),
            "search": search,
            "query": query,
            "patients": found,
        }
        return render(request, self.template_name, context)

    def post(self, request):
        patient = patient_selectors.chosen_patient(request.POST.get("patient"))
        try:
            booking = booking_create_draft(
                partner_code=self.partner_code, actor=request.user, intent=intents.posted_intent(request)
            )
            if patient is not None and booking.status == Status.DRAFT and booking.patient_id != patient.pk:
                selection = patient_selectors.booking_selection(patient)
                booking = booking_update_selection(booking_id=booking.pk, actor=request.user, **selection)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("bookings:start")
        flow = flows.flow_for(self.partner_code)
        return redirect(flow.step_url(booking, flow.steps[0].key))


@method_decorator(role_required(roles.OPERATIONS), name="dispatch")
class FlowStepView(View):
    partner_code = ""
    step_key = ""
    template_name = ""
    form_class = None
    # The step's page shows the patient's fields (a form filled with them, or a summary).
    shows_patient = False

    def dispatch(self, request, pk, *args, **kwargs):
        self.flow = flows.flow_for(self.partner_code)
        self.booking = get_booking(pk, partner_code=self.partner_code)
        if self.booking.status not in EDITABLE:
            messages.info(request, _("%(booking)s has been sent; follow it here.") % {"booking": self.booking})
            return self.redirect(reverse("bookings:status", args=[pk]))
        for step in self.flow.steps:
            if step.key == self.step_key:
                break
            if not step.is_done(self.booking):
                return self.redirect(self.flow.step_url(self.booking, step.key))
        return super().dispatch(request, pk, *args, **kwargs)

    def get(self, request, pk):
        return self.render_step(self.get_form())

    def post(self, request, pk):
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_step(form)
        return self.save_and_continue(form.selection() if hasattr(form, "selection") else form.cleaned_data)

    # --- hooks -----------------------------------------------------------------------
    def get_form(self, data=None):
        if self.form_class is None:
            return None
        return self.form_class(data=data, initial=self.initial(), **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {"booking": self.booking} if issubclass(self.form_class, DraftForm) else {}

    def initial(self) -> dict:
        return {
            name: getattr(self.booking, name) for name in self.form_class.base_fields if hasattr(self.booking, name)
        }

    def get_context_data(self, **kwargs) -> dict:
        return {
            "booking": self.booking,
            "flow": self.flow,
            "step": self.flow.step(self.step_key),
            "steps": flow_breadcrumb(self.flow, self.booking, self.step_key),
            "notice": partner_notice(self.flow, self.booking),
            **kwargs,
        }

    def next_url(self) -> str:
        return self.flow.next_step_url(self.booking, after=self.step_key)

    # --- helpers ---------------------------------------------------------------------
    def render_step(self, form, *, status: int = 200, **kwargs) -> HttpResponse:
        context = self.get_context_data(form=form, **kwargs)
        if self.shows_patient:
            record_access(self.request, AccessRecord.Kind.FLOW_STEP, booking=self.booking)
        return render(self.request, self.template_name, context, status=status)

    def redirect(self, url: str) -> HttpResponse:
        """A redirect that also works for an htmx request (which would otherwise swap the page in)."""
        return HttpResponseClientRedirect(url) if getattr(self.request, "htmx", False) else redirect(url)

    def save_and_continue(self, selection: dict) -> HttpResponse:
        try:
            self.booking = booking_update_selection(booking_id=self.booking.pk, actor=self.request.user, **selection)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("bookings:status", pk=self.booking.pk)
        return redirect(self.next_url())


class LiveSlotsStepView(FlowStepView):
    """Date picker + the day's slots, fetched live from the partner on every view.

    Subclasses implement ``live_slots(day, form=None)`` (the partner call) and
    ``on_not_found(error)`` (where to send staff when the partner no longer knows the
    selection); flows with several schedules per day (providers) override ``slot_groups``
    and ``chosen_schedule``, and post the schedule with the slot (``SlotChoiceForm.schedule``).
    ``as_view(fragment=True)`` serves only the slots, for the date picker's htmx request.
    """

    form_class = SlotChoiceForm
    fragment = False
    fragment_template = "bookings/includes/slots.html"
    slots_url_name = ""

    def live_slots(self, day, form=None) -> list:
        raise NotImplementedError

    def on_not_found(self, error: NotFound) -> HttpResponse:
        raise NotImplementedError

    def slot_groups(self, day) -> list[SlotGroup]:
        rows = slot_rows(self.live_slots(day), taken_ids=self.taken_ids(day), selected_id=self.selected_id(day))
        return [SlotGroup(rows=rows)]

    def chosen_schedule(self) -> str:
        """Whose slot the booking holds when a day shows several schedules (a provider id)."""
        return ""

    def taken_ids(self, day, schedule: str = "") -> set[str]:
        """The slot the partner just refused (1005) stays shown as taken, whatever it says now."""
        if self.booking.status == Status.SLOT_UNAVAILABLE and self._holds(day, schedule):
            return {self.booking.slot_id}
        return set()

    def selected_id(self, day, schedule: str = "") -> str:
        return self.booking.slot_id if self._holds(day, schedule) else ""

    def _holds(self, day, schedule: str) -> bool:
        # Slot ids repeat across providers ("S-0900"): the booking's slot is one schedule's only.
        return self.booking.appointment_date == day and schedule == self.chosen_schedule()

    def slot_selection(self, form, slot) -> dict:
        return {
            "appointment_date": form.cleaned_data["appointment_date"],
            "slot_id": slot.slot_id,
            "appointment_time": slot.time,
        }

    # --- views -----------------------------------------------------------------------
    def get(self, request, pk):
        day_form = DayForm(request.GET or None)
        if day_form.is_bound and not day_form.is_valid():
            day, slots = None, {"slot_error": " ".join(day_form.errors["date"])}
        else:
            day = day_form.cleaned_data["date"] if day_form.is_bound else default_day(self.booking.appointment_date)
            slots = self.slots_context(day)
            if isinstance(slots, HttpResponse):
                return slots
        if not self.fragment:
            return self.render_step(self.get_form(), day=day, **slots)
        response = render(request, self.fragment_template, self.get_context_data(day=day, **slots))
        if day:
            response["HX-Push-Url"] = f"{self.flow.step_url(self.booking, self.step_key)}?date={day.isoformat()}"
        return response

    def post(self, request, pk):
        form = self.get_form(data=request.POST)
        day = default_day(self.booking.appointment_date)
        if form.is_valid():
            day = form.cleaned_data["appointment_date"]
            try:
                slot = form.check_slot(self.live_slots(day, form=form), taken_ids=self.taken_ids(day, form.schedule))
            except NotFound as error:
                return self.on_not_found(error)
            except PartnerError as error:
                form.add_error(None, read_error_message(error, self.booking.partner))
                slot = None
            if slot is not None:
                return self.save_and_continue(self.slot_selection(form, slot))
        slots = self.slots_context(day)
        if isinstance(slots, HttpResponse):
            return slots
        return self.render_step(form, day=day, **slots)

    def slots_context(self, day) -> dict | HttpResponse:
        try:
            return {"slot_groups": self.slot_groups(day)}
        except NotFound as error:
            return self.on_not_found(error)
        except PartnerError as error:
            return {"slot_groups": [], "slot_error": read_error_message(error, self.booking.partner)}

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            slots_url=reverse(self.slots_url_name, args=[self.booking.pk]),
            slot_post_url=self.flow.step_url(self.booking, self.step_key),
            days=date_choices(),
            **kwargs,
        )

    def initial(self) -> dict:
        return {}


class FlowConfirmView(FlowStepView):
    """The whole selection on one page and the Book button."""

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(patient_age=age_label(self.booking.patient_dob), **kwargs)

    def post(self, request, pk):
        if self.booking.status != Status.DRAFT:
            # Sent back by the partner: something has to change before it can go again.
            messages.error(request, _("Change the selection as the partner asked before booking again."))
            outcome = selectors.last_failure_outcome(self.booking)
            return redirect(self.flow.recovery_url(self.booking, outcome) or self.flow.next_step_url(self.booking))
        try:
            booking_submit(booking_id=self.booking.pk, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.flow.next_step_url(self.booking))
        return redirect("bookings:status", pk=self.booking.pk)
