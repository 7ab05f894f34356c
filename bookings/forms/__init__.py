"""Forms of the booking flows: shared building blocks (contact, schedule) and one module per flow."""

from django import forms


class DraftForm(forms.Form):
    """A step form that reads the draft booking, e.g. to clear what depended on an old choice.

    ``FlowStepView`` passes the draft as ``booking``.
    """

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking
