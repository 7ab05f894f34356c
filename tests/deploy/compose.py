"""Reading docker-compose.yml as ``docker compose config`` would: YAML with merge keys, then
``${VAR}``, ``${VAR:-default}``, ``${VAR:?message}`` and ``$$`` interpolated from an environment."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_VARIABLE = re.compile(r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\})")


class MissingVariable(Exception):
    pass


def interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        unset_or_empty = not current if op and op.startswith(":") else current is None
        if op in (":-", "-") and unset_or_empty:
            return arg
        if op in (":?", "?") and unset_or_empty:
            raise MissingVariable(f"required variable {name} is missing a value: {arg}")
        return current or ""

    return _VARIABLE.sub(substitute, value)


def load(*files: str, env: dict[str, str] | None = None) -> dict:
    """The merged configuration of ``files`` (later files override earlier ones, maps merged)."""
    merged: dict = {}
    for name in files:
        document = yaml.safe_load((ROOT / name).read_text())
        document = {key: value for key, value in document.items() if not key.startswith("x-")}
        merged = _merge(merged, interpolate(document, env or {}))
    return merged


def _merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            result[key] = _merge(base[key], value) if key in base else value
        return result
    return override
