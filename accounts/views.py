from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.language import LANGUAGE_CODES, save_language
from accounts.sessions import sign_out_everywhere as end_all_sessions


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
