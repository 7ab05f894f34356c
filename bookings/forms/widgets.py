"""Selects that write their options directly instead of through one template per option."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class _DirectOptions:
    """Renders ``<select>`` and its ``<option>``s as Django's templates do, without a template per option.

    A select's options carry no attributes of their own (``option_inherits_attrs`` is False), only
    ``selected``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"]))}"{" selected" if option["selected"] else ""}>'
            f"{escape(str(option['label']))}</option>"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return mark_safe(f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>{options}</select>')  # noqa: S308 - every value is escaped


class DirectSelect(_DirectOptions, forms.Select):
    pass


class DirectSelectMultiple(_DirectOptions, forms.SelectMultiple):
    pass
