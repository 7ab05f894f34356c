from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.roles import role_required
from bookings.views import intents
from bookings.views.access import get_booking
from bookings.views.handoff_back import back_to, render_back
from messaging import selectors
from messaging.forms import SendLinkForm
from messaging.requests import message_request


@require_POST
@role_required(roles.OPERATIONS)
def send_link(request, pk):
    """Send the link on the channel chosen; one message per intent key (one per page load)."""
    booking = get_booking(pk)
    form = SendLinkForm(request.POST, booking=booking)
    if form.is_valid():
        try:
            message = message_request(
                booking_id=booking.pk,
                channel=form.cleaned_data["channel"],
                actor=request.user,
                intent=intents.posted_intent(request),
            )
        except ValidationError as error:
            form.add_error("channel", error.messages)
        else:
            messages.success(request, _("The link is on its way: %(message)s.") % {"message": message})
            return redirect(f"bookings:{back_to(request)}", pk=booking.pk)
    if not form.offered:
        form.add_error(None, _("The patient cannot be sent messages: no agreement or no email or mobile on record."))
    return render_back(request, booking, send_form=form)


@role_required(roles.OPERATIONS)
def latest_message(request, pk):
    """The latest message's status, polled by the hand-off page while it is on its way."""
    booking = get_booking(pk)
    return render(
        request, "messaging/latest.html", {"booking": booking, "latest_message": selectors.latest_message(booking)}
    )
