"""Where a credential may send its secrets: the rule, Credential.clean(), the admin form, the client.

No test here connects anywhere: refusals are checked with ``responses`` holding no URL, so any
request that got out would fail the test.
"""

import pytest
import responses
from django.core.exceptions import ValidationError
from django.urls import reverse

from partner_simulator import demo_keys
from partners.client import PartnerClient
from partners.errors import Unauthorized
from partners.hosts import base_url_error
from partners.models import Credential, Partner, UpstreamCall

PRODUCTION_LIKE = []  # the default of PARTNER_ALLOWED_HOSTS when DEBUG is off
DEVELOPMENT = ["127.0.0.1", "localhost"]  # the default when DEBUG is on


@pytest.mark.parametrize(
    "allowed, partner_code, environment, base_url, accepted",
    [
        # outside the sandbox: https on the documented host, or on a listed host
        (PRODUCTION_LIKE, "sanar_video", "production", "https://api.litedev.com/v1", True),
        (PRODUCTION_LIKE, "sanar_vaccination", "production", "https://extct.litedev.com/v1", True),
        (PRODUCTION_LIKE, "sandicare", "production", "https://integrations.sandicare.mx/api/v1", True),
        (PRODUCTION_LIKE, "sanar_video", "production", "HTTPS://API.LITEDEV.COM:443/v1", True),
        (PRODUCTION_LIKE, "sanar_video", "production", "http://api.litedev.com/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "http://169.254.169.254/latest", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "https://169.254.169.254/latest", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "https://extct.litedev.com/v1", False),  # the other product
        (PRODUCTION_LIKE, "sanar_video", "production", "https://api.litedev.com.evil.example/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "https://api.litedev.com@evil.example/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "https://user:pw@api.litedev.com/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "ftp://api.litedev.com/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "production", "https://api.litedev.com:99999/v1", False),
        (PRODUCTION_LIKE, "sandicare", "production", "https://integrations-sandbox.sandicare.mx/api/v1", False),
        (["sanar.partner.example"], "sanar_video", "production", "https://sanar.partner.example/v1", True),
        (["sanar.partner.example"], "sanar_video", "production", "http://sanar.partner.example/v1", False),
        ([".partner.example"], "sanar_video", "production", "https://api.partner.example/v1", True),
        (["*"], "sanar_video", "production", "https://anything.example/v1", False),  # "*" never counts
        (DEVELOPMENT, "sanar_video", "production", "http://127.0.0.1:8100/sanar/video/v1", False),
        # the sandbox: the documented sandbox host or a listed one; plain http only for a listed one
        (PRODUCTION_LIKE, "sandicare", "sandbox", "https://integrations-sandbox.sandicare.mx/api/v1", True),
        (PRODUCTION_LIKE, "sandicare", "sandbox", "http://integrations-sandbox.sandicare.mx/api/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "sandbox", "https://sanar-sandbox.example/v1", False),
        (PRODUCTION_LIKE, "sanar_video", "sandbox", "http://127.0.0.1:8100/sanar/video/v1", False),
        (DEVELOPMENT, "sanar_video", "sandbox", "http://127.0.0.1:8100/sanar/video/v1", True),
        (DEVELOPMENT, "sandicare", "sandbox", "http://localhost:8100/sandicare/api/v1", True),
        (DEVELOPMENT, "sanar_video", "sandbox", "http://169.254.169.254/latest", False),
        (["sanar-sandbox.example"], "sanar_video", "sandbox", "https://sanar-sandbox.example/v1", True),
    ],
)
def test_base_url_rule(settings, allowed, partner_code, environment, base_url, accepted):
    settings.PARTNER_ALLOWED_HOSTS = allowed
    error = base_url_error(base_url, partner_code=partner_code, environment=environment)
    assert (error is None) == accepted, error


def test_the_reason_names_the_setting_and_the_documented_host(settings):
    settings.PARTNER_ALLOWED_HOSTS = []
    error = base_url_error("https://169.254.169.254/latest", partner_code="sanar_video", environment="production")
    assert "api.litedev.com" in error and "PARTNER_ALLOWED_HOSTS" in error
    assert "https://" in base_url_error(
        "http://api.litedev.com/v1", partner_code="sanar_video", environment="production"
    )


# --- Credential.clean() ---


def sanar_credential(partners, **fields):
    values = {
        "partner": partners[Partner.Code.SANAR_VIDEO],
        "environment": "production",
        "base_url": "https://api.litedev.com/v1",
        "auth_token": demo_keys.SANAR_TOKEN,
        "cmt_secret": demo_keys.SANAR_CMT_SECRET,
        **fields,
    }
    return Credential(**values)


@pytest.mark.parametrize("base_url", ["http://169.254.169.254/latest", "https://169.254.169.254/latest"])
def test_clean_puts_the_refusal_on_the_base_url_field(partners, settings, base_url):
    settings.PARTNER_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as excinfo:
        sanar_credential(partners, base_url=base_url).full_clean()
    assert list(excinfo.value.message_dict) == ["base_url"]


def test_clean_accepts_the_documented_host(partners, settings):
    settings.PARTNER_ALLOWED_HOSTS = []
    sanar_credential(partners).full_clean()


def test_admin_form_shows_the_refusal_next_to_the_field(client, superuser, partners, settings):
    settings.PARTNER_ALLOWED_HOSTS = []
    client.force_login(superuser)
    response = client.post(
        reverse("admin:partners_credential_add"),
        {
            "partner": partners[Partner.Code.SANAR_VIDEO].pk,
            "environment": "production",
            "label": "",
            "base_url": "http://169.254.169.254/latest",
            "is_active": "on",
            "auth_token": demo_keys.SANAR_TOKEN,
            "auth_prefix": "",
            "cmt_secret": demo_keys.SANAR_CMT_SECRET,
            "cmt_algorithm": "sha256",
            "cmt_encoding": "hex",
            "product_code": "",
            "api_key": "",
            "program_ids": "",
        },
    )
    assert response.status_code == 200
    assert "base_url" in response.context["adminform"].form.errors
    assert "must use https://" in response.content.decode()
    assert not Credential.objects.exists()


# --- the client asks again before it sends ---


@pytest.fixture
def no_network():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.mark.parametrize(
    "environment, base_url",
    [("production", "http://169.254.169.254/latest"), ("production", "https://169.254.169.254/latest")],
)
def test_the_client_refuses_a_row_saved_around_clean_without_connecting(
    no_network, partners, settings, environment, base_url
):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_ALLOWED_HOSTS = []
    credential = sanar_credential(partners, environment=environment, base_url=base_url)
    credential.save()  # save() does not run clean(): a script, a shell, a restored dump

    for request in (
        {"operation": "slots", "method": "GET", "path": "/slots", "signed": True},
        {"operation": "book", "method": "POST", "path": "/book", "payload": {}, "signed": True},
    ):
        with pytest.raises(Unauthorized, match="Not sent"):
            PartnerClient(credential).request(**request)
    with pytest.raises(Unauthorized, match="Not sent"):
        PartnerClient(credential).reach(operation="connection_check")

    assert len(no_network.calls) == 0
    assert not UpstreamCall.objects.exists()
    assert Credential.objects.get(pk=credential.pk).is_failing


def test_the_client_refuses_a_listed_host_removed_from_the_setting(no_network, sanar_video_credential, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_ALLOWED_HOSTS = []  # sanar.test was listed when the credential was saved
    with pytest.raises(Unauthorized, match="sanar.test is not listed"):
        PartnerClient(sanar_video_credential).request(operation="specialities", method="GET", path="/specialities")
    assert len(no_network.calls) == 0
