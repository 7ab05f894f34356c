"""Page and draft helpers every flow's view tests share."""

import datetime
import re
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from partner_simulator import demo_keys
from partners.adapters.base import Slot
from partners.models import Credential, Partner

SLOT_TIMES = ["09:00", "09:30", "10:00", "10:30"]


def url(name, booking):
    """The URL of a ``bookings:`` page of one booking, e.g. ``url("video-slot", booking)``."""
    return reverse(f"bookings:{name}", args=[booking.pk])


def field_errors(response, name):
    """The error paragraphs rendered inside a field's wrapper (``templates/includes/form.html``)."""
    html = response.content.decode()
    block = re.search(rf'<div class="field[^"]*" id="field-{name}">(.*?)\n  </div>', html, re.S)
    assert block, f"field {name} not rendered"
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', block.group(1), re.S)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def day_slots(*taken: str) -> list[Slot]:
    """A day's four slots (S-0900 … S-1030), the ``taken`` ones not available."""
    ids = {time: "S-" + time.replace(":", "") for time in SLOT_TIMES}
    return [Slot(slot_id=ids[time], time=time, available=ids[time] not in taken) for time in SLOT_TIMES]


def sanar_simulator_credential(partner_simulator, code: str, name: str, **fields) -> Credential:
    """A sandbox credential of a Sanar product, pointed at the simulator (the partner row made
    again if a transactional test's flush removed the one the data migration made)."""
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"vendor": Partner.Vendor.SANAR, "name": name})
    return Credential.objects.create(
        partner=partner,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url(partner.code),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
        **fields,
    )


def draft_through(
    partner_code: str, stages: dict[str, dict | Callable[[], dict]], user, *, through: str | None, **fields
) -> Booking:
    """A draft booking with every stage up to ``through`` done (None: just started); a stage
    given as a function is called now (it holds dates relative to today)."""
    booking = booking_create_draft(partner_code=partner_code, actor=user)
    selection = {}
    for key, values in stages.items():
        if through is None:
            break
        selection.update(values() if callable(values) else values)
        if key == through:
            break
    selection.update(fields)
    if selection:
        booking = booking_update_selection(booking_id=booking.pk, actor=user, **selection)
    return booking
