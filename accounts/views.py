from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from two_factor.views import LoginView as TwoFactorLoginView
from two_factor.views import SetupView as TwoFactorSetupView
from two_factor.views.utils import IdempotentSessionWizardView

from accounts.forms import CodeForm, LoginForm, RecoveryCodeForm, SetupCodeForm
from accounts.language import LANGUAGE_CODES, save_language
from accounts.sessions import sign_out_everywhere as end_all_sessions


class PathRedirectMixin:
    """django-two-factor-auth redirects to ``next`` with ``redirect()``, which takes a bare word
    (``next=report``) for a URL name and fails on it: only a path is followed."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return url if url.startswith("/") else ""


class LoginView(PathRedirectMixin, TwoFactorLoginView):
    """django-two-factor-auth's login: password, then (for a user with a device) a code from the
    authenticator app or a recovery code. The password step keeps the plain ``username`` and
    ``password`` field names, so password managers, django-axes and scripts see the usual form."""

    template_name = "accounts/login.html"
    form_list = (
        (TwoFactorLoginView.AUTH_STEP, LoginForm),
        (TwoFactorLoginView.TOKEN_STEP, CodeForm),
        (TwoFactorLoginView.BACKUP_STEP, RecoveryCodeForm),
    )

    def get_form(self, step=None, **kwargs):
        # The library's get_form picks the code form from the device's method; the portal has one
        # method (the authenticator app) and its own forms.
        form = IdempotentSessionWizardView.get_form(self, step=step, **kwargs)
        if self.show_timeout_error:
            form.cleaned_data = getattr(form, "cleaned_data", {})
            form.add_error(None, _("The login took too long. Enter your username and password again."))
        return form

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context[self.redirect_field_name] = self.get_redirect_url()
        return context

    def get_form_prefix(self, step=None, form=None):
        if step == self.AUTH_STEP:
            return None
        return super().get_form_prefix(step, form)

    def post(self, *args, **kwargs):
        # A password posted without the wizard's step field starts the login over.
        step_field = f"{self.prefix}-current_step"
        if step_field not in self.request.POST and "username" in self.request.POST:
            self.request.POST = self.request.POST.copy()
            self.request.POST[step_field] = self.AUTH_STEP
        return super().post(*args, **kwargs)


@login_not_required
@require_POST
def choose_language(request):
    """The language menu: Django's ``set_language`` (cookie, safe redirect back to ``next``),
    and for a signed-in user the choice saved on their profile, so it follows them."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        save_language(request.user, language)
    return response


@require_POST
def sign_out_everywhere(request):
    """Ends every session of the signed-in user, this one included (a lost or shared device)."""
    end_all_sessions(request.user)
    logout(request)
    return redirect(settings.LOGIN_URL)


class SetupView(PathRedirectMixin, TwoFactorSetupView):
    """django-two-factor-auth's set-up (welcome, then the QR code and one code), with the same
    care for ``next`` and the login's code field."""

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = SetupCodeForm
        return form_list
