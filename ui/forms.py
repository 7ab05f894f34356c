from django import forms
from django.utils.translation import gettext_lazy as _


class SampleForm(forms.Form):
    """Every kind of field the portal's forms use, for the style guide."""

    name = forms.CharField(label=_("Patient name"), help_text=_("As on the ID card."))
    mobile = forms.CharField(label=_("Mobile"))
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("male", _("Male")), ("female", _("Female"))], widget=forms.RadioSelect
    )
    partner = forms.ChoiceField(
        label=_("Partner"), choices=[("video", _("Video consultation")), ("kids", _("Kids vaccination"))]
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agreed = forms.BooleanField(label=_("The patient agrees to be contacted"), required=False)
