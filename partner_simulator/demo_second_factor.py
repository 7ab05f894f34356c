"""The demo users' authenticator keys: known, so a demo, the browser tests and the benchmark can
give the login's code (``manage.py demo_code finance``) without a phone. Demo only."""

from base64 import b32encode
from binascii import unhexlify

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# username → TOTP key (hex, as django-otp stores it). Operations signs in with a password only
# unless TWO_FACTOR_REQUIRED_FOR_OPERATIONS is on; then it gets a device too.
DEMO_TOTP_KEYS = {
    "operations": "a1f0d3c35e0c1f4e8b6f2f8f3c1d7e0b9a4c2d10",
    "finance": "5e1758ac5a6434536b860c563fc9366ffa650e3c",
    "partneradmin": "85c7d5d50e3cb8db74ba87c8986c750a11f27cc2",
    "admin": "37aea9f827b579b96643f9f83cdabd7b7296fb6d",
}
STEP_SECONDS = 30


def demo_device(user, key: str | None = None) -> TOTPDevice:
    """The user's authenticator device with a known key (the demo user's, or ``key``)."""
    key = key or DEMO_TOTP_KEYS[user.get_username()]
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="default", defaults={"key": key, "confirmed": True}
    )
    return device


def code_for_key(key: str) -> str:
    """The code an authenticator app with ``key`` shows now."""
    return f"{totp(unhexlify(key), step=STEP_SECONDS, t0=0, digits=6, drift=0):06d}"


def base32_key(key: str) -> str:
    """The key as authenticator apps take it when typed in."""
    return b32encode(unhexlify(key)).decode().rstrip("=")


def give_second_factor(client, user, key: str | None = None) -> None:
    """For a test client already signed in as ``user``: what ``django_otp.login`` stores after a
    right code, so the session counts as verified (``client.force_login`` alone stops at the password)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = demo_device(user, key=key)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
