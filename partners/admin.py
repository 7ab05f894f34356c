from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners import connection_check
from partners.admin_mixins import ReadOnlyModelAdmin
from partners.contract.admin_views import ContractCheckAdminMixin
from partners.fields import mask
from partners.models import Credential, Doctor, Partner, Speciality, UpstreamCall, VaccinationService

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts
    from django.utils.functional import _StrOrPromise

SECRET_FIELDS = ("auth_token", "cmt_secret", "api_key")
# The secrets and settings of each partner kind: a credential's page shows only its own.
VENDOR_SECRETS = {
    Partner.Vendor.SANAR: ("auth_token", "cmt_secret"),
    Partner.Vendor.SANDICARE: ("api_key",),
}
VENDOR_FIELDSETS: "dict[str, tuple[_StrOrPromise, _FieldOpts]]" = {
    Partner.Vendor.SANAR: (
        gettext_lazy("Sanar"),
        {"fields": ("auth_token", "auth_prefix", "cmt_secret", "cmt_algorithm", "cmt_encoding", "product_code")},
    ),
    Partner.Vendor.SANDICARE: (gettext_lazy("Sandicare"), {"fields": ("api_key", "program_ids")}),
}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "vendor", "is_active")
    list_filter = ("vendor", "is_active")
    readonly_fields = ("code", "vendor")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CredentialForm(forms.ModelForm):
    """Secrets are write-only: the form never renders a stored value, and a blank input keeps it.

    ``rotating_from`` is set for "Save as new" (rotation): the new secrets of the partner's
    kind must be typed (a rotation that kept the old secret would rotate nothing); the old
    credential is deactivated when the new one is saved.
    """

    rotating_from = None

    class Meta:
        model = Credential
        fields = [
            "partner",
            "environment",
            "label",
            "base_url",
            "is_active",
            "auth_token",
            "auth_prefix",
            "cmt_secret",
            "cmt_algorithm",
            "cmt_encoding",
            "product_code",
            "api_key",
            "program_ids",
        ]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self._source()
        for name in SECRET_FIELDS:
            if name not in self.fields:  # another partner kind's secret
                continue
            stored = getattr(source, name, "") if source is not None else ""
            field = self.fields[name]
            field.required = False
            if stored:
                field.help_text = _("Stored: %(masked)s. Leave blank to keep it; type a new value to replace it.") % {
                    "masked": mask(stored)
                }
            field.widget.attrs["autocomplete"] = "new-password"

    def _source(self):
        """The stored credential whose secrets a blank input keeps."""
        if self.instance.pk:
            return self.instance
        return self.rotating_from

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        source = self._source()
        if self.rotating_from is not None:
            for name in VENDOR_SECRETS.get(self.rotating_from.partner.vendor, ()):
                if name in self.fields and not cleaned.get(name):
                    self.add_error(name, _("Type the new secret: a rotation replaces it."))
        if source is not None:
            stored = Credential.objects.get(pk=source.pk)
            for name in SECRET_FIELDS:
                if not cleaned.get(name):
                    cleaned[name] = getattr(stored, name)
                    setattr(self.instance, name, cleaned[name])
        if self.rotating_from is not None and cleaned.get("is_active") and cleaned.get("partner"):
            others = Credential.objects.filter(
                partner=cleaned["partner"], environment=cleaned.get("environment"), is_active=True
            ).exclude(pk=self.rotating_from.pk)
            if others.exists():
                self.add_error(None, _("This partner already has another active credential in this environment."))
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]  # BaseModelForm has it; django-stubs lacks it
        if self.rotating_from is not None:
            # The credential being replaced is deactivated in the same transaction; clean() checks the others.
            exclude.add("is_active")
        return exclude


@admin.register(Credential)
class CredentialAdmin(ContractCheckAdminMixin, admin.ModelAdmin):
    """Rotation: open the credential, type the new secrets, press "Save as new".

    A new credential is created (the new secrets must be typed) and the old one
    is kept, inactive, for the audit trail of the calls made with it.
    """

    form = CredentialForm
    save_as = True
    actions = ["test_connection"]
    list_display = ("partner", "environment", "label", "masked", "is_active", "working", "last_checked_at")
    list_filter = ("partner", "environment", "is_active", "is_failing")
    list_select_related = ("partner",)
    readonly_fields = (
        "working",
        "failing_reason",
        "failing_since",
        "last_checked_at",
        "last_check_result",
        "created_at",
        "updated_at",
        "created_by",
    )
    fieldsets = (
        (None, {"fields": ("partner", "environment", "label", "base_url", "is_active")}),
        *VENDOR_FIELDSETS.values(),
        (gettext_lazy("Health"), {"fields": readonly_fields}),
    )

    @admin.display(description=gettext_lazy("secret"))
    def masked(self, obj):
        return obj.masked_secret

    # A green tick for a working credential, a red cross for a failing one (is_failing as an
    # icon put the red cross on the working ones).
    @admin.display(description=gettext_lazy("working"), boolean=True, ordering="is_failing")
    def working(self, obj):
        return not obj.is_failing

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # the partner is chosen on this page: both kinds until then
            return super().get_fieldsets(request, obj)
        return (self.fieldsets[0], VENDOR_FIELDSETS[obj.partner.vendor], self.fieldsets[-1])

    def get_urls(self):
        return [
            path(
                "<path:object_id>/test-connection/",
                self.admin_site.admin_view(self.test_connection_view),
                name="partners_credential_test_connection",
            ),
            *super().get_urls(),
        ]

    def test_connection_view(self, request, object_id):
        """The "Test connection" button of a credential's own page: check it, then back to the page."""
        credential = self.get_object(request, unquote(object_id))
        if credential is None or request.method != "POST" or not self.has_change_permission(request, credential):
            raise PermissionDenied
        self._report_check(request, credential)
        return redirect("admin:partners_credential_change", credential.pk)

    def _report_check(self, request, credential):
        result = connection_check.check_connection(credential)
        # A warning when it passed but the partner never judged the secrets (Sandicare).
        proved = messages.SUCCESS if result.secrets_proved else messages.WARNING
        level = proved if result.ok else messages.ERROR
        self.message_user(request, f"{credential}: {result.summary}", level)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST and object_id:
            request.credential_rotating_from = self.get_object(request, unquote(object_id))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        source = getattr(request, "credential_rotating_from", None)
        if source is None:
            return form_class
        return type("CredentialRotationForm", (form_class,), {"rotating_from": source})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        source = getattr(request, "credential_rotating_from", None)
        if source is not None:
            # Deactivate first: at most one active credential per partner and environment.
            Credential.objects.filter(pk=source.pk).update(is_active=False)
        super().save_model(request, obj, form, change)
        if source is not None:
            self.message_user(
                request,
                _("Rotated: the previous credential (%(credential)s) is kept, inactive.") % {"credential": source},
            )

    @admin.action(description=gettext_lazy("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        for credential in queryset.select_related("partner"):
            self._report_check(request, credential)


@admin.register(UpstreamCall)
class UpstreamCallAdmin(ReadOnlyModelAdmin):
    list_display = (
        "created_at",
        "partner",
        "operation",
        "attempt",
        "http_status",
        "body_status",
        "outcome",
        "latency_ms",
        "booking",
    )
    list_filter = ("partner", "operation", "outcome")
    list_select_related = ("partner", "booking")
    search_fields = ("booking__reference", "url")
    date_hierarchy = "created_at"
    show_full_result_count = False


# --- Sanar video consultation catalogue (mirrored by partners.catalogue.video; read-only) ---


@admin.register(Speciality)
class SpecialityAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "speciality_id", "is_active", "synced_at")
    list_filter = ("is_active",)
    search_fields = ("name", "speciality_id")


@admin.register(Doctor)
class DoctorAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "doctor_id", "speciality", "rating", "price_amount", "is_active", "synced_at")
    list_filter = ("is_active", "speciality")
    list_select_related = ("speciality",)
    search_fields = ("name", "doctor_id", "license_number")


# --- Sanar kids vaccination catalogue (mirrored by partners.catalogue.vaccination; read-only) ---


@admin.register(VaccinationService)
class VaccinationServiceAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "service_id", "product_code", "age_group", "price_amount", "is_active", "synced_at")
    list_filter = ("is_active", "product_code")
    search_fields = ("name", "service_id")
