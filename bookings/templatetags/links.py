"""Template filters for links a partner supplied.

A payment or enrollment link comes from the partner and is shown only if it is an absolute
``https://`` URL (CONTRACT.md §5). The services refuse anything else, but a row written
another way (a migration, the shell, an older release) must still never become a clickable
``javascript:`` or plain ``http://`` link, a QR code or a copy button.
"""

from django import template

from partners.errors import BadResponse
from partners.responses import require_https_url

register = template.Library()


def is_https_url(value) -> bool:
    """The same rule the partner answers are read with (``require_https_url``)."""
    try:
        require_https_url(value)
    except BadResponse:
        return False
    return True


@register.filter
def https_url(value) -> str:
    """``value`` when it is an absolute https URL, else ``""``: use it in ``{% if %}`` and ``href``."""
    return value if is_https_url(value) else ""
