"""Answers the check read, saved redacted under var/ in the test fixtures' format.

``var/partner_samples/<partner>/<operation>_response.json`` has the layout of
``tests/fixtures/partners/<partner>/<operation>_response.json``: a real answer becomes a test
by copying the file.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from partners.redaction import redact_json


def samples_dir() -> Path:
    return Path(settings.PARTNER_SAMPLES_DIR)


def save(partner: str, operation: str, answer: Any) -> Path:
    path = samples_dir() / partner / f"{operation}_response.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(redact_json(answer), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
