"""The contract gate's configuration means what it says, as schemathesis reads it.

tests/e2e/schemathesis.toml runs every check but `unsupported_method`, and lists the few
exceptions an operation documents. schemathesis gives a check named on its command line
priority over a per-operation `enabled = false`, so an exception is only real when the
gate names no checks on the command line; these tests load the file the way the gate does
and ask schemathesis which checks each operation gets.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import _BUILTIN_CHECK_NAMES

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "tests" / "e2e" / "schemathesis.toml"
GATE = ROOT / "tests" / "e2e" / "test_contract.py"
OFF_EVERYWHERE = {"unsupported_method", "max_response_time"}


def _schema() -> Any:
    spec = json.loads((ROOT / "docs" / "openapi.json").read_text())
    return schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_path(CONFIG))


def _disabled_per_operation() -> list[tuple[str, str]]:
    listed = tomllib.loads(CONFIG.read_text()).get("operations", [])
    found = []
    for entry in listed:
        for check, settings in entry.get("checks", {}).items():
            if settings.get("enabled") is False:
                found.append((entry["include-name"], check))
    return found


def test_every_check_runs_for_an_operation_without_exceptions() -> None:
    schema = _schema()
    operation = schema["/auth/login"]["POST"]
    for phase in (None, "coverage", "fuzzing", "stateful"):
        checks = schema.config.checks_config_for(operation=operation, phase=phase)
        enabled = {n for n in _BUILTIN_CHECK_NAMES if checks.get_by_name(name=n).enabled}
        assert enabled == set(_BUILTIN_CHECK_NAMES) - OFF_EVERYWHERE, phase


def test_the_file_lists_exceptions() -> None:
    assert len(_disabled_per_operation()) >= 3


@pytest.mark.parametrize(("label", "check"), _disabled_per_operation())
def test_a_documented_exception_holds_in_every_phase(label: str, check: str) -> None:
    schema = _schema()
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    for phase in (None, "coverage", "fuzzing", "stateful"):
        checks = schema.config.checks_config_for(operation=operation, phase=phase)
        assert checks.get_by_name(name=check).enabled is False, (label, check, phase)


def test_the_gate_names_no_checks_on_the_command_line() -> None:
    # A check named with --checks (even "all") would re-enable every exception above.
    source = GATE.read_text()
    assert '"--checks"' not in source
    assert '"--exclude-checks"' not in source
