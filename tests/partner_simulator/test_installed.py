"""The simulator is a tool beside the portal: installed only where enabled, imported by no production app."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_PACKAGES = ("accounts", "bookings", "config", "partners")
TOOLS = ("partner_simulator", "bench", "tests")


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_production_module_imports_a_tool():
    found = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in PRODUCTION_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in TOOLS
    ]
    assert found == []


@pytest.mark.parametrize(
    ("environment", "installed"),
    [
        ({"DEBUG": "false"}, False),
        ({"DEBUG": "true"}, True),
        ({"DEBUG": "false", "PARTNER_SIMULATOR_ENABLED": "true"}, True),
        ({"DEBUG": "true", "PARTNER_SIMULATOR_ENABLED": "false"}, False),
    ],
)
def test_the_app_is_installed_only_where_enabled(environment, installed):
    inherited = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PARTNER_SIMULATOR_ENABLED")}
    code = "from config import settings; print('partner_simulator' in settings.INSTALLED_APPS)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**inherited, **environment}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(installed)
