"""A patient named by id in a link or a form: anything but a plain id names nobody."""

import pytest

from patients.selectors import chosen_patient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["٩٩٩", "9" * 10_000, "%zz%", "0001-01-01", "-1", "", None, "🩺"])
def test_anything_but_a_plain_id_names_no_patient(value):
    assert chosen_patient(value) is None
