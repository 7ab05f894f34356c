"""Portal wording stored in the database and read in each reader's language.

Where the portal stores a sentence it wrote (a status change's reason, a message for staff),
it stores the English text marked with ``gettext_noop`` and, apart, the values of its
``%(name)s`` placeholders; ``stored_text`` translates it when it is read.
"""

from django.utils.translation import gettext


def stored_text(template: str, params: dict | None = None) -> str:
    """``template`` in the active language with ``params`` filled in.

    Text that is not in the catalogues (a partner's words, a note staff typed, an older row)
    comes back unchanged.
    """
    if not template:
        return ""  # gettext("") is the catalogue's header
    if not params:
        return gettext(template)
    for text in (gettext(template), template):
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            continue
    return template
