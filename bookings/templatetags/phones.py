"""Phone numbers as people read them: stored in E.164, shown the national way.

A number of the clinic's own country (``settings.PHONE_DEFAULT_REGION``) is shown in national
format ("050 123 4567"); any other keeps its country code ("+52 55 1234 5678"), since the
national form of a foreign number cannot be dialled from the clinic. Always left to right.
"""

import phonenumbers
from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


def display_phone(value: str) -> str:
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) == settings.PHONE_DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.filter
def phone(value):
    """``{{ booking.mobile|phone }}`` → ``<bdi dir="ltr">050 123 4567</bdi>``; "" when empty."""
    text = display_phone(value or "")
    return format_html('<bdi dir="ltr" class="phone">{}</bdi>', text) if text else ""
