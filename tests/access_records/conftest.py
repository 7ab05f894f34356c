"""The security tests' personas and site objects: the access record crawl visits the same URLs."""

from tests.security.conftest import persona_users, site_objects  # noqa: F401
