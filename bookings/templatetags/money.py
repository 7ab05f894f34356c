"""Money as the reader's language writes it, the same way on every page and slip (Babel, CLDR).

``{{ booking.amount|money:booking.currency }}`` → "SAR 1,290.50" (en), "‏1,290.50 ر.س.‏" (ar),
"1.290,50 SAR" (es), isolated with ``<bdi>`` so the amount keeps its order inside text of the
other direction. The CSV export does not use it: it writes plain amounts and a currency column.
"""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import UnknownCurrencyError, format_currency
from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

# CLDR's currencySpacing, which Babel does not apply: a currency written as letters is kept
# apart from the digits ("SAR 90.00", not "SAR90.00").
_CODE_BEFORE_DIGIT = re.compile(r"([A-Za-z])(?=[\d\u200f\u200e]*\d)")
_DIGIT_BEFORE_CODE = re.compile(r"(\d)(?=[A-Za-z])")


def format_money(amount, currency: str, *, language: str | None = None) -> str:
    """``amount`` in ``currency`` as plain text in ``language`` (the active one by default)."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{amount} {currency}".strip()
    locale = translation.to_locale(language or translation.get_language() or "en")
    if not currency:
        return str(value)
    try:
        text = format_currency(value, currency.upper(), locale=locale)
    except UnknownCurrencyError:
        return f"{value} {currency}"
    starts_with_code = text.lstrip("-\u200e\u200f")[:1].isalpha()
    text = _CODE_BEFORE_DIGIT.sub("\\1\xa0", text, count=1) if starts_with_code else text
    return _DIGIT_BEFORE_CODE.sub("\\1\xa0", text)


@register.filter
def money(amount, currency=""):
    """The amount with its currency, or "" when there is no amount."""
    text = format_money(amount, currency)
    return format_html('<bdi class="money">{}</bdi>', text) if text else ""


@register.filter
def money_change(amount, currency=""):
    """A difference of money with its sign: "+" where the language writes its minus ("+SAR 30.00",
    and in Arabic beside the digits, inside the marks that keep the amount right to left)."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount))
    if value <= 0:
        return money(value, currency)
    text = format_money(-value, currency).replace("-", "+", 1)
    return format_html('<bdi class="money">{}</bdi>', text)
