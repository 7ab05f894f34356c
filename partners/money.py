"""Prices from partners as a decimal amount and an ISO 4217 currency, fit for finance.

Sanar video sends one string (``pay_amount: "SAR 90"``, CONTRACT.md §2); kids vaccination
sends ``price`` and ``currency`` apart (§3). Anything that is not clearly a price raises
``InvalidAmount`` (a ``BadResponse`` and a ``ValueError``) rather than guessing.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from partners.errors import InvalidValue

# Booking.amount is DecimalField(max_digits=10, decimal_places=2).
MAX_INTEGER_DIGITS = 8
MAX_DECIMAL_PLACES = 2

_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_CURRENCY = r"(?P<currency>[A-Za-z]{3})"
_PAY_AMOUNT_PATTERNS = (
    re.compile(rf"^{_CURRENCY}\s*{_NUMBER}$"),
    re.compile(rf"^{_NUMBER}\s*{_CURRENCY}$"),
)


class InvalidAmount(InvalidValue):
    """A partner price that cannot be read as an amount and a currency."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self):
        return f"{self.currency} {self.amount}"


def _amount(number: str) -> Decimal:
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation:
        raise InvalidAmount(f"{number!r} is not an amount.") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidAmount(f"{number!r} is not an amount.")
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # only NaN and infinities have a letter here, refused above
    places = -exponent if exponent < 0 else 0
    if places > MAX_DECIMAL_PLACES or len(digits) - places > MAX_INTEGER_DIGITS:
        raise InvalidAmount(f"{number!r} does not fit a stored price.")
    return amount


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise InvalidAmount(f"{value!r} is not a currency code.")
    return value.strip().upper()


def parse_pay_amount(text: Any) -> Money:
    """``"SAR 90"``, ``"SAR 90.50"``, ``"90 SAR"``, ``"SAR 1,200"`` → Money."""
    if not isinstance(text, str):
        raise InvalidAmount(f"{type(text).__name__} is not a price text.")
    stripped = text.strip()
    for pattern in _PAY_AMOUNT_PATTERNS:
        if match := pattern.match(stripped):
            return Money(amount=_amount(match["number"]), currency=_currency(match["currency"]))
    raise InvalidAmount(f"{text[:40]!r} is not a price such as 'SAR 90'.")


def money(price: Any, currency: Any) -> Money:
    """A price and a currency sent as separate fields (``90``, ``"90.50"``, ``"1,200"``)."""
    if isinstance(price, bool) or not isinstance(price, int | float | str | Decimal):
        raise InvalidAmount(f"{type(price).__name__} is not a price.")
    number = str(price).strip()
    if not re.fullmatch(_NUMBER, number):
        raise InvalidAmount(f"{number[:40]!r} is not an amount.")
    return Money(amount=_amount(number), currency=_currency(currency))
