from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.roles import role_required
from bookings.views import intents
from bookings.views.access import get_booking
from messaging.requests import message_request


@require_POST
@role_required(roles.OPERATIONS)
def send_link(request, pk):
    booking = get_booking(pk)
    try:
        message = message_request(
            booking_id=booking.pk,
            channel=request.POST.get("channel", ""),
            actor=request.user,
            intent=intents.posted_intent(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The link is on its way: %(message)s.") % {"message": message})
    return redirect("bookings:detail", pk=booking.pk)
