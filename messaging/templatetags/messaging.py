from django import template

from bookings.views import intents

register = template.Library()


@register.simple_tag
def new_intent() -> str:
    """A fresh intent key for a send button: one key per page load, one message per key."""
    return intents.new_intent()
