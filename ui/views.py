from django.shortcuts import render

from accounts import roles
from accounts.roles import role_required
from bookings.states import Status
from ui.forms import SampleForm


@role_required(*roles.ALL_ROLES)
def style_guide(request):
    """The design system's components as the portal uses them, each once."""
    form = SampleForm({"name": "Layla Hassan", "mobile": "", "gender": "female", "partner": "video"})
    form.is_valid()  # shows a required-field error beside its field
    return render(request, "ui/style_guide.html", {"form": form, "statuses": Status.choices})
