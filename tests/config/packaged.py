"""The packaged CloudFormation template (real `serverless package`, requirements included)
and the helpers the config tests read it with. Packaged at most once per test process:
``template`` (tests/config/conftest.py) is a session fixture."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from typing import Any

from scripts.stack import LOCAL_ENV, ROOT

# Packaged into a directory of the tests' own (gitignored), one per test process, not
# .serverless/: nothing else the suite runs (serverless offline, invoke, print), and no
# other xdist worker packaging at the same moment, can touch what is written there. A
# lock makes the packaging itself one at a time (the requirements cache is shared).
PACKAGE_DIR = ROOT / f".serverless-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
PACKAGE_LOCK = ROOT / ".serverless-test.lock"
TEMPLATE = PACKAGE_DIR / "cloudformation-template-update-stack.json"
ARTIFACT = PACKAGE_DIR / "bazaar.zip"
RESOURCE_LIMIT = 500  # CloudFormation's per-stack limit
# Keep a margin, and split the stack deliberately before this (docs/architecture.md, "One
# stack, many functions"). Raised from 400 to 460 when search and 3D/AR took the stack to
# ~450; the next capability must first take the per-function log groups out (one shared
# group, Lambda's LoggingConfig) or split the stack.
RESOURCE_BUDGET = 460
# Every function logs to one group (resources/iam.yml, FunctionLogs); roles grant only it.
SHARED_LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/bazaar-dev:*"


def package() -> None:
    env = {**os.environ, **LOCAL_ENV, "PYTHON_BIN": sys.executable}
    env.pop("AWS_ENDPOINT_URL", None)
    command = [str(ROOT / "node_modules/.bin/serverless"), "package", "--stage", "dev"]
    command += ["--package", str(PACKAGE_DIR)]
    for _attempt in range(2):
        with PACKAGE_LOCK.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
            )
        # Once, under the whole suite's load on two cores, serverless-python-requirements
        # found the artifact it had just been handed corrupt ("Corrupted zip or bug:
        # unexpected signature", a zeroed entry) and no cause was found; packaging again
        # from scratch is what a developer would do. Any other failure fails at once.
        if done.returncode == 0 or "Corrupted zip" not in done.stdout + done.stderr:
            break
    assert done.returncode == 0, done.stdout + done.stderr


def resources_of(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def logical_id(function: str) -> str:
    return f"{function[:1].upper()}{function[1:]}LambdaFunction"


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        statement
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def resources(statement: dict[str, Any]) -> list[Any]:
    resource = statement["Resource"]
    return resource if isinstance(resource, list) else [resource]


def all_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }


def by_action(role: dict[str, Any]) -> dict[str, list[Any]]:
    granted: dict[str, list[Any]] = {}
    for statement in statements(role):
        assert statement["Effect"] == "Allow"
        for action in actions(statement):
            granted.setdefault(action, []).extend(resources(statement))
    return granted


def load() -> dict[str, Any]:
    package()
    return json.loads(TEMPLATE.read_text())  # type: ignore[no-any-return]
