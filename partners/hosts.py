"""Where a credential may send its secrets: the partner's documented host, or a host an operator listed.

Every environment: the base URL's host is the host CONTRACT.md documents for that partner and
environment, or one listed in ``settings.PARTNER_ALLOWED_HOSTS``. Outside the sandbox the
scheme is https; the sandbox may use plain http, only for listed hosts (the partner simulator
on loopback). ``Credential.clean()`` shows the answer next to the field; the client asks again
before every call, so a row saved another way never sends a secret to the wrong place.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host

SANDBOX = "sandbox"
# [doc] hosts of the published base URLs. Sanar publishes no sandbox URL: its sandbox host is listed.
DOCUMENTED_HOSTS = {
    ("sanar_video", "production"): "api.litedev.com",
    ("sanar_vaccination", "production"): "extct.litedev.com",
    ("sandicare", "production"): "integrations.sandicare.mx",
    ("sandicare", "sandbox"): "integrations-sandbox.sandicare.mx",
    # Message providers (docs/messaging.md): one host for both environments.
    ("unifonic_sms", "production"): "el.cloud.unifonic.com",
    ("unifonic_sms", "sandbox"): "el.cloud.unifonic.com",
    ("unifonic_whatsapp", "production"): "apis.unifonic.com",
    ("unifonic_whatsapp", "sandbox"): "apis.unifonic.com",
}


def documented_host(partner_code: str, environment: str) -> str | None:
    return DOCUMENTED_HOSTS.get((partner_code, environment))


def is_listed(host: str) -> bool:
    """``host`` matches ``PARTNER_ALLOWED_HOSTS`` (ALLOWED_HOSTS patterns; "*" never counts)."""
    patterns = [pattern for pattern in settings.PARTNER_ALLOWED_HOSTS if pattern.strip() not in ("", "*")]
    return bool(host) and validate_host(host, patterns)


def base_url_error(base_url: str, *, partner_code: str, environment: str) -> str | None:
    """Why a credential of ``partner_code`` in ``environment`` must not send to ``base_url``, or None."""
    try:
        parts = urlsplit(base_url or "")
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError:
        return "The base URL is not a valid URL."
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        return "The base URL must start with https:// and name a host."
    if parts.username is not None or parts.password is not None:
        return "The base URL must not hold a user name or password."
    listed = is_listed(host)
    if scheme == "http":
        if environment != SANDBOX:
            return "Outside the sandbox the base URL must use https://: over http the secrets would travel in clear."
        if not listed:
            return (
                f"Plain http is allowed only in the sandbox and only for a host listed in PARTNER_ALLOWED_HOSTS; "
                f"{host} is not listed."
            )
        return None
    documented = documented_host(partner_code, environment)
    if host == documented or listed:
        return None
    if documented:
        return (
            f"{host} is neither the partner's documented host ({documented}) nor listed in "
            "PARTNER_ALLOWED_HOSTS (a setting of whoever runs the portal)."
        )
    return (
        f"{host} is not listed in PARTNER_ALLOWED_HOSTS (a setting of whoever runs the portal); "
        f"the partner documents no {environment} host."
    )
