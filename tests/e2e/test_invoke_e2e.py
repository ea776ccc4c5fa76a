"""`make invoke` for real: `serverless invoke local` through scripts/invoke.py (the code
`make invoke` runs) against the e2e stack's embedded AWS, with sample events. Two calls:
each costs a few seconds (the CLI starts, then a fresh Python imports the handler)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import requests

from scripts import invoke
from tests.support.http_api import HttpApi


def answer_of(output: str) -> dict[str, Any]:
    """The handler's answer: invoke local prints it last, as indented JSON, after the logs."""
    lines = output.splitlines()
    start = max(i for i, line in enumerate(lines) if line == "{")
    return json.loads("\n".join(lines[start:]))  # type: ignore[no-any-return]


def test_make_invoke_runs_a_sample_against_the_running_stack(
    stack: tuple[str, str], http: HttpApi, admin_token: str
) -> None:
    name = f"Invoked {uuid.uuid4().hex[:8]}"
    created = http.post("/categories", json={"name": name}, token=admin_token)
    assert created.status == 201, created.text
    aws_port = int(stack[1].rsplit(":", 1)[1])

    done = invoke.invoke("listCategories", "listCategories", aws_port, capture=True)

    assert done.returncode == 0, done.stdout + done.stderr
    answer = answer_of(done.stdout)
    assert answer["statusCode"] == 200, answer
    names = {node["name"] for node in json.loads(answer["body"])["items"]}
    assert name in names  # it read the stack's table: the endpoint and environment are right


def test_make_invoke_reports_a_poison_message_alone(stack: tuple[str, str]) -> None:
    aws_port = int(stack[1].rsplit(":", 1)[1])

    done = invoke.invoke("sendNotification", "sendNotification-poison", aws_port, capture=True)

    assert done.returncode == 0, done.stdout + done.stderr
    poison = "poison-0b7e5a8e-3c1d-4f2a-9d6b-1a2b3c4d5e02"
    assert answer_of(done.stdout) == {"batchItemFailures": [{"itemIdentifier": poison}]}
    emails = requests.get(f"{stack[1]}/_bazaar/outbox", timeout=5).json()["emails"]
    assert ["nia.sample@example.com"] in [email["to"] for email in emails]
