from django.contrib.auth import views as auth_views
from django.urls import path
from two_factor import views as two_factor_views

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.choose_language, name="language"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]

# django-two-factor-auth's set-up pages under its own namespace (its views redirect by these
# names). Only the authenticator app and recovery codes: no phone, no profile page to turn it off.
two_factor_urlpatterns = (
    [
        path("setup/", views.SetupView.as_view(), name="setup"),
        path("setup/qrcode/", two_factor_views.QRGeneratorView.as_view(), name="qr"),
        path("setup/complete/", two_factor_views.SetupCompleteView.as_view(), name="setup_complete"),
        path("recovery-codes/", two_factor_views.BackupTokensView.as_view(), name="backup_tokens"),
    ],
    "two_factor",
)
