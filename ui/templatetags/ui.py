"""Template helpers of the design system (Bootstrap 5.3): the one place that knows which class
a form widget takes. Django itself sets ``aria-invalid`` and ``aria-describedby`` (pointing at
``<id>_helptext`` and ``<id>_error``), which templates/includes/form.html provides."""

from django import template
from django.forms import BoundField

register = template.Library()

# BoundField.widget_type: the widget's class name in lower case, minus "widget" and "input".
_SELECTS = {"select", "selectmultiple", "nullbooleanselect"}
_CHECKS = {"checkbox", "radioselect", "checkboxselectmultiple"}


@register.filter
def control(field: BoundField) -> BoundField:
    """The field with its widget's Bootstrap class added (``is-invalid`` when it has errors)."""
    if field.widget_type in _SELECTS:
        css = "form-select"
    elif field.widget_type in _CHECKS:
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = field.field.widget.attrs
    attrs["class"] = " ".join(dict.fromkeys(f"{attrs.get('class', '')} {css}".split()))
    return field


@register.filter
def widget_kind(field: BoundField) -> str:
    """``"choices"`` for radio buttons and check box lists, ``"checkbox"`` for one check box,
    else ``"control"``: how templates/includes/form.html lays the field out."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return "choices"
    if field.widget_type == "checkbox":
        return "checkbox"
    return "control"
