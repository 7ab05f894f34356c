"""Alternative answer shapes, served by the ``harmless_shape`` and ``breaking_shape`` switches.

They stand for a real partner whose answers differ from the samples, after the normal
handler ran (a ``/book`` still books):
- ``harmless_shape``: numbers written as strings, the status as a string, extra fields, and
  an optional field renamed; the portal copes with all of it.
- ``breaking_shape``: the ids the flow needs renamed (``slot_id`` → ``id``, ...) and no
  ``payment_url`` in the ``/book`` answer; a flow cannot go on.
"""

import copy
from dataclasses import replace

from partner_simulator.protocol import Reply

HARMLESS, BREAKING = "harmless_shape", "breaking_shape"

# operation → (the list under data.info, or "" for info itself; {old field: new field})
OPTIONAL_RENAMES = {
    "sanar_video.doctors": ("doctor", {"pay_amount": "fee"}),
    "sanar_vaccination.services": ("services", {"age_group": "ageGroup"}),
}
REQUIRED_RENAMES = {
    "sanar_video.specialities": ("specialities", {"id": "speciality_id"}),
    "sanar_video.doctors": ("doctor", {"doctor_id": "id"}),
    "sanar_video.slots": ("slots", {"slot_id": "id"}),
    "sanar_vaccination.services": ("services", {"id": "service_id"}),
    "sanar_vaccination.details": ("", {"id": "service_id"}),
    "sanar_vaccination.browse": ("providers", {"provider_id": "id"}),
}
EXTRA = {"trace_id": "sim-7f3a", "meta": {"served_by": "partner-simulator"}}


def reshape(operation: str, reply: Reply, kind: str) -> Reply:
    info = _info(reply.payload)
    if info is None:  # an error answer keeps its shape
        return reply
    payload = copy.deepcopy(reply.payload)
    info = payload["data"]["info"]
    if kind == HARMLESS:
        payload["status"] = str(payload.get("status"))
        info.update(EXTRA)
        _rename(info, *OPTIONAL_RENAMES.get(operation, ("", {})))
        payload["data"]["info"] = _numbers_as_strings(info)
    else:
        _rename(info, *REQUIRED_RENAMES.get(operation, ("", {})))
        info.pop("payment_url", None)
    return replace(reply, payload=payload, url_path=())


def _info(payload) -> dict | None:
    data = payload.get("data") if isinstance(payload, dict) else None
    info = data.get("info") if isinstance(data, dict) else None
    return info if isinstance(info, dict) and str(payload.get("status")) == "1000" else None


def _rename(info: dict, list_key: str, renames: dict[str, str]) -> None:
    items = info.get(list_key, []) if list_key else [info]
    for item in items if isinstance(items, list) else []:
        for old, new in renames.items():
            if isinstance(item, dict) and old in item:
                item[new] = item.pop(old)


def _numbers_as_strings(value):
    if isinstance(value, dict):
        return {key: _numbers_as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers_as_strings(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value
