"""The credential's "Check contract" page in the admin: the last report, and a button to run it again."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from partners import tasks
from partners.contract import runs
from partners.contract.report import lines


class ContractCheckAdminMixin(admin.ModelAdmin):
    """Adds ``<id>/contract/`` (``admin:partners_credential_contract``) to the credential admin."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.contract_view)
        return [path("<path:object_id>/contract/", view, name="partners_credential_contract"), *super().get_urls()]

    def contract_view(self, request, object_id):
        credential = self.get_object(request, unquote(object_id))
        if credential is None:
            raise Http404
        if not self.has_view_or_change_permission(request, credential):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, credential):
                raise PermissionDenied
            # A worker runs it: up to a dozen partner calls, each allowed the read timeout.
            tasks.check_contract.delay_on_commit(credential.pk)  # type: ignore[attr-defined]  # DjangoTask has it; celery-types does not
            self.message_user(
                request, gettext("The contract check is running: reload this page in a minute for its report.")
            )
            return HttpResponseRedirect(reverse("admin:partners_credential_contract", args=[credential.pk]))
        run = runs.latest_run(credential)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Contract check: %(credential)s") % {"credential": credential},
            "opts": self.model._meta,
            "original": credential,
            "run": run,
            "report_lines": lines(run.report) if run else [],
            "can_run": self.has_change_permission(request, credential),
        }
        return TemplateResponse(request, "admin/partners/credential/contract.html", context)
