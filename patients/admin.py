from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access_records.admin_mixins import RecordedAccessAdminMixin
from access_records.models import AccessRecord
from partners.redaction import mask_email, mask_mobile
from patients.forms import PatientForm
from patients.models import Patient, PatientChange
from patients.services import EDITABLE_FIELDS, patient_create, patient_update


class PatientChangeInline(admin.TabularInline):
    model = PatientChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "actor", "fields")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(RecordedAccessAdminMixin, admin.ModelAdmin):
    """The directory: contacts masked in the list; saved through the patient services, so each
    change leaves its history row. Removing a patient is not offered (their bookings name them);
    a patient's request (find, export, erase) is linked from the list."""

    list_kind = AccessRecord.Kind.ADMIN_PATIENT_LIST
    object_kind = AccessRecord.Kind.ADMIN_PATIENT

    form = PatientForm
    list_display = (
        "full_name",
        "mobile_masked",
        "email_masked",
        "language",
        "preferred_channel",
        "consents_to_messages",
        "updated_at",
    )
    list_filter = ("consents_to_messages", "preferred_channel", "language")
    search_fields = ("full_name", "mobile", "email")
    fields = (*EDITABLE_FIELDS, "consent_changed_at", "created_by", "created_at", "updated_at")
    readonly_fields = ("consent_changed_at", "created_by", "created_at", "updated_at")
    list_select_related = ("created_by",)
    inlines = [PatientChangeInline]

    @admin.display(description=_("mobile"))
    def mobile_masked(self, obj):
        return mask_mobile(obj.mobile) if obj.mobile else "—"

    @admin.display(description=_("email"))
    def email_masked(self, obj):
        return mask_email(obj.email) if obj.email else "—"

    def record_target(self, obj) -> dict:
        return {"patient_id": obj.pk}

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved = patient_update(patient_id=obj.pk, actor=request.user, **values)
        else:
            saved = patient_create(actor=request.user, **values)
        obj.pk = saved.pk
