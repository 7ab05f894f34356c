"""The direct selects write the same markup as Django's template-rendered selects."""

import re

import pytest
from django import forms

from bookings.forms.widgets import DirectSelect, DirectSelectMultiple

CHOICES = [("", "Any <one>"), ("a&b", "A \"quoted\" 'one'"), ("2", "Two")]


def _normalised(html: str) -> list[str]:
    """Tags in order, each with its attributes sorted, whitespace between tags dropped."""
    tags = re.findall(r"<[^>]+>|[^<]+", re.sub(r">\s+<", "><", html.strip()))
    return [
        re.sub(r"^<(\w+)(.*?)>$", lambda m: f"<{m[1]} {' '.join(sorted(m[2].split()))}>", tag) if "=" in tag else tag
        for tag in tags
    ]


@pytest.mark.parametrize(
    "django_widget, direct_widget, value",
    [
        (forms.Select, DirectSelect, "a&b"),
        (forms.Select, DirectSelect, None),
        (forms.SelectMultiple, DirectSelectMultiple, ["a&b", "2"]),
    ],
)
def test_direct_select_matches_django_select(django_widget, direct_widget, value):
    attrs = {"id": "id_f", "aria-invalid": "true"}
    expected = django_widget(choices=CHOICES).render("f", value, attrs)
    rendered = direct_widget(choices=CHOICES).render("f", value, attrs)
    assert _normalised(rendered) == _normalised(expected)
    assert "<one>" not in rendered and '"quoted"' not in rendered
