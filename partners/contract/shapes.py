"""One answer against its endpoint's JSON Schema (``schemas/<partner>/<operation>.json``).

The schema lists, per field, the JSON types the adapter reads (the first is the one the
contract assumes) and which fields the flow cannot do without (``required``). jsonschema
finds what breaks the flow; the walk below adds what does not: fields the partner added,
optional fields not given, and tolerated types other than the assumed one.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).parent / "schemas"


@dataclass(frozen=True)
class Difference:
    kind: str  # missing, added, type
    path: str  # e.g. "doctor[].pay_amount"
    breaking: bool
    detail: str = ""  # "number, got numeric string"


@dataclass
class ShapeCheck:
    differences: set[Difference] = field(default_factory=set)

    @property
    def breaking(self) -> bool:
        return any(difference.breaking for difference in self.differences)


@cache
def validator(partner: str, operation: str) -> Draft202012Validator | None:
    path = SCHEMAS / partner / f"{operation}.json"
    if not path.exists():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def compare(partner: str, operation: str, info: Any) -> ShapeCheck:
    check = ShapeCheck()
    checker = validator(partner, operation)
    if checker is None:
        return check
    schema = cast(dict[str, Any], checker.schema)  # each schema file is an object, never a bare true/false
    for error in checker.iter_errors(info):
        check.differences.add(_difference(schema, error))
    check.differences.update(_harmless(schema, info, ""))
    return check


def envelope_status(status: Any) -> set[Difference]:
    """The envelope's ``status`` comes as an integer or a string; the adapters read both."""
    if isinstance(status, int) and not isinstance(status, bool):
        return set()
    return {Difference("type", "status", breaking=False, detail=f"integer, got {json_type(status)}")}


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "numeric string" if _numeric(value) else "string"
    if value is None:
        return "null"
    return "array" if isinstance(value, list) else "object"


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _difference(schema: dict, error) -> Difference:
    where = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return Difference("missing", _path([*where, missing]), breaking=True)
    expected = error.validator_value if isinstance(error.validator_value, str) else " or ".join(error.validator_value)
    detail = f"{expected}, got {json_type(error.instance)}"
    if _optional_field(schema, list(error.schema_path)):
        return Difference("type", _path(where), breaking=False, detail=f"{detail}: shown as not given")
    return Difference("type", _path(where), breaking=True, detail=detail)


def _optional_field(schema: dict, schema_path: list) -> bool:
    """Whether the failing keyword sits on a field its object does not require."""
    if len(schema_path) < 3 or schema_path[-3] != "properties":
        return False
    parent = schema
    for part in schema_path[:-3]:
        parent = parent[part]
    return schema_path[-2] not in parent.get("required", ())


def _types(schema: dict) -> list[str]:
    types = schema.get("type", [])
    return [types] if isinstance(types, str) else list(types)


def _harmless(schema: dict, value: Any, path: str) -> Iterator[Difference]:
    if isinstance(value, dict) and "properties" in schema:
        properties, required = schema["properties"], set(schema.get("required", ()))
        for key in value.keys() - properties.keys():
            yield Difference("added", _join(path, key), breaking=False)
        for key, sub in properties.items():
            if key not in value:
                if key not in required:
                    yield Difference("missing", _join(path, key), breaking=False, detail="not given")
                continue
            yield from _assumed_type(sub, value[key], _join(path, key))
            yield from _harmless(sub, value[key], _join(path, key))
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _harmless(schema["items"], item, f"{path}[]")


def _assumed_type(schema: dict, value: Any, path: str) -> Iterator[Difference]:
    """A type the adapter reads but the contract did not assume (e.g. a price as numeric string)."""
    types = _types(schema)
    got = json_type(value)
    readable = {got, "string" if got == "numeric string" else got, "number" if got == "integer" else got}
    if types and types[0] not in readable and readable & set(types):
        yield Difference("type", path, breaking=False, detail=f"{types[0]}, got {got}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
