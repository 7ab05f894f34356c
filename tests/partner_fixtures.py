"""The partners' sample payloads: ``tests/fixtures/partners/<partner>/<file>``, read by one function."""

import json
from pathlib import Path
from typing import Any

PARTNER_FIXTURES = Path(__file__).parent / "fixtures" / "partners"


def partner_fixture(partner: str, file_name: str) -> Any:
    """A fresh copy of one payload, e.g. ``partner_fixture("sanar_video", "book_request.json")``."""
    return json.loads((PARTNER_FIXTURES / partner / file_name).read_text(encoding="utf-8"))
