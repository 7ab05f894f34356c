"""Steps that list a mirrored partner catalogue (specialities, doctors, vaccination services).

- ``CatalogueStep``: mixin of such a step: the catalogue's age and refresh button, a fetch
  on first use, one refresh after the partner answered 1004 to the booking.
- ``CatalogueRefreshView``: "Refresh from <partner>": sync now, back to the step.
"""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors
from bookings.states import Status
from bookings.views.access import get_booking
from partners.catalogue.base import SyncReport, catalogue_age


def joined_errors(report: SyncReport) -> str:
    """The sync's errors as one clause: the partner's own full stops dropped, so a sentence ends once."""
    return "; ".join(error.rstrip(". ") for error in report.errors)


class CatalogueStep:
    """Mixin of a step that lists a mirrored partner catalogue (use before ``FlowStepView``)."""

    refresh_url_name = ""

    def catalogue_synced_at(self):
        raise NotImplementedError

    def catalogue_context(self) -> dict:
        return {
            "catalogue": catalogue_age(self.catalogue_synced_at()),
            "catalogue_refresh_url": reverse(self.refresh_url_name, args=[self.booking.pk]),
        }

    def fetch_if_empty(self, is_empty: bool, sync: Callable[[], SyncReport]) -> None:
        """First use: nothing mirrored yet, so fetch it now rather than show an empty page."""
        if not is_empty:
            return
        report = sync()
        if not report.ok:
            vendor = self.booking.partner.get_vendor_display()
            messages.error(
                self.request,
                _("%(partner)s could not be reached: %(errors)s.")
                % {"partner": vendor, "errors": joined_errors(report)},
            )

    def refresh_after_not_found(self, *, synced_at, sync: Callable[[], SyncReport]) -> None:
        """The partner answered 1004 to the booking: refresh the list once, not on every reload.

        The step's partner notice already tells staff to choose again; only a failed refresh
        adds a message of its own."""
        booking = self.booking
        if booking.status != Status.FAILED or selectors.last_failure_outcome(booking) != "not_found":
            return
        if synced_at and synced_at > booking.status_changed_at:
            return
        report = sync()
        if not report.ok:
            vendor = self.booking.partner.get_vendor_display()
            messages.error(
                self.request,
                _("%(vendor)s could not be reached (%(errors)s). The saved list is shown.")
                % {"vendor": vendor, "errors": joined_errors(report)},
            )


@method_decorator(role_required(roles.OPERATIONS), name="dispatch")
class CatalogueRefreshView(View):
    """POST: sync one partner catalogue now, then back to the step staff came from."""

    partner_code = ""
    sync = None  # given to as_view(): () -> SyncReport

    def post(self, request, pk):
        booking = get_booking(pk, partner_code=self.partner_code)
        report = self.sync()
        if report.ok:
            messages.success(
                request, _("Catalogue refreshed from %(partner)s.") % {"partner": booking.partner.get_vendor_display()}
            )
        else:
            messages.error(
                request,
                _("%(partner)s could not be reached (%(errors)s). The saved catalogue is still shown.")
                % {"partner": booking.partner.get_vendor_display(), "errors": joined_errors(report)},
            )
        flow = flows.flow_for(self.partner_code)
        step_key = request.POST.get("step")
        keys = [step.key for step in flow.steps]
        return redirect(flow.step_url(booking, step_key if step_key in keys else keys[0]))
