"""templates/django/forms/widgets/ replaces some of Django's widget templates for speed: the markup stays Django's."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

CHOICES = [("", "Anyone"), ("a", "Alpha & <b>"), (1, "One"), ("Group", [("g1", "In a group"), ("g2", "Also")])]
WIDGETS = [
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "aria-describedby": "x_helptext"}), "g2"),
    (forms.Select(choices=CHOICES), None),
    (forms.SelectMultiple(choices=CHOICES), ["a", "1"]),
    (forms.NullBooleanSelect(), True),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["a", "g1"]),
    (forms.RadioSelect(choices=CHOICES, attrs={"class": "form-check-input"}), "1"),
    (forms.CheckboxInput(), True),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: type(item).__name__)
def test_markup_is_djangos(widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=TemplatesSetting())
    djangos = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert ours == djangos


def test_each_option_of_a_checkbox_group_is_djangos():
    field = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    form_class = type("PickForm", (forms.Form,), {"pick": field})
    ours = [option.tag() for option in form_class({"pick": ["a"]}, renderer=TemplatesSetting())["pick"]]
    djangos = [option.tag() for option in form_class({"pick": ["a"]}, renderer=DjangoTemplates())["pick"]]
    assert len(ours) == 5
    assert ours == djangos


def test_the_portal_renders_widgets_through_its_templates(settings):
    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
