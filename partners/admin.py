from django import forms
from django.contrib import admin

from partners.fields import mask
from partners.models import Credential, Partner, UpstreamCall

SECRET_FIELDS = ("auth_token", "cmt_secret", "api_key")


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
    """Secrets are write-only: the form never renders a stored value, and a blank input keeps it."""

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
        for name in SECRET_FIELDS:
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            field = self.fields[name]
            field.required = False
            if stored:
                field.help_text = f"Stored: {mask(stored)}. Leave blank to keep it; type a new value to replace it."
            field.widget.attrs["autocomplete"] = "new-password"

    def clean(self):
        cleaned = super().clean()
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(Credential.objects.get(pk=self.instance.pk), name)
                setattr(self.instance, name, cleaned[name])
        return cleaned


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ("partner", "environment", "label", "masked", "is_active", "is_failing", "last_checked_at")
    list_filter = ("partner", "environment", "is_active", "is_failing")
    list_select_related = ("partner",)
    readonly_fields = (
        "is_failing",
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
        (
            "Sanar",
            {"fields": ("auth_token", "auth_prefix", "cmt_secret", "cmt_algorithm", "cmt_encoding", "product_code")},
        ),
        ("Sandicare", {"fields": ("api_key", "program_ids")}),
        ("Health", {"fields": readonly_fields}),
    )

    @admin.display(description="secret")
    def masked(self, obj):
        return obj.masked_secret

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(UpstreamCall)
class UpstreamCallAdmin(admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
