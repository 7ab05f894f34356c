"""Page helpers every flow's view tests share."""

import re

from django.urls import reverse


def url(name, booking):
    """The URL of a ``bookings:`` page of one booking, e.g. ``url("video-slot", booking)``."""
    return reverse(f"bookings:{name}", args=[booking.pk])


def field_errors(response, name):
    """The error paragraphs rendered inside a field's wrapper (``templates/includes/form.html``)."""
    html = response.content.decode()
    block = re.search(rf'<div class="field[^"]*" id="field-{name}">(.*?)\n  </div>', html, re.S)
    assert block, f"field {name} not rendered"
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', block.group(1), re.S)
