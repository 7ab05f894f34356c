"""``{{ row.partner__name|stored_text }}``: portal wording read from the database in the reader's
language (``config.stored_text``), for rows read as values rather than model instances."""

from django import template

from config.stored_text import stored_text as _stored_text

register = template.Library()


@register.filter
def stored_text(value):
    return _stored_text(value or "")
