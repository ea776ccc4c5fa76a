"""Each function's role grants only what the function uses (issue 10, operations).

What a function uses is read from its code, not declared beside the role: the adapters
its handler module asks ``wiring`` for (following the handler's own imports), each of
which calls known AWS services (``USES`` below), plus what its event sources need (its
queue, the table's stream). A role granting a service none of its functions calls fails,
and so does a function whose role misses a service it calls.

Reads against writes of the table are held at run time instead: the in-process API
(tests/support/lambda_api.py) refuses, in every integration test, a DynamoDB call its
function's role does not grant, so a function on ``TableReaderRole`` that writes fails
the suite.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from scripts.stack import ROOT
from tests.config import packaged as pk

# On the worker that packages for the other template tests: one `serverless package` a run.
pytestmark = pytest.mark.template

# What each wiring factory's adapter calls, by IAM service prefix. ``dynamodb`` is the
# table; the stream's actions count as ``dynamodb`` too.
TABLE = {"dynamodb"}
USES: dict[str, set[str]] = {
    "tokens": {"secretsmanager"},  # the JWT signing key
    "mailer": {"ses"},
    "notification_senders": {"ses", "sns"},  # email; SMS through SNS
    "image_store": {"s3"},  # presigned POSTs, signed by the role
    "model_files": {"s3"},
    "event_bus": {"sns"},
    "checkout_machine": {"states"},
    "task_callbacks": {"states"},
    "model_queue": {"sqs"},
    # the payments secret (Stripe's keys), read per call
    "payment_provider": {"secretsmanager"},
    "card_vault": {"secretsmanager"},
    "webhook_verifier": {"secretsmanager"},
    "setup_confirmer": {"secretsmanager", "dynamodb"},  # the test mode's cards are items
    "test_intents": TABLE,
    "test_event_delivery": set(),  # an HTTP POST to the stage's own webhook
    # the index: snapshots in S3, or the OpenSearch domain (es) on a stage that has one
    "search_index": {"s3", "es"},
    "notification_renderer": set(),  # Jinja2, in process
    "business_metrics": set(),  # EMF lines in the log, no call
    "invoice_files": {"s3"},  # presigned GETs of invoices/, signed by the role
    "invoice_ports": {"dynamodb", "s3"},  # the records, the counter, the PDFs
    "model_inspector": set(),
    "model_maker": set(),
    "hasher": set(),
    "cart_policy": set(),
    "pricing": set(),
}
# Every other factory is a repository of the table (or a policy over one).


def _wiring_refs(module: str, seen: set[str]) -> set[str]:
    if module in seen:
        return set()
    seen.add(module)
    source = (ROOT / module).read_text()
    refs = set(re.findall(r"\bwiring\.(\w+)\(", source))
    for imported in re.findall(r"^from (handlers(?:\.\w+)+) import", source, re.M):
        path = imported.replace(".", "/") + ".py"
        if (ROOT / path).exists():
            refs |= _wiring_refs(path, seen)
    return refs


def _needs(name: str, config: dict[str, Any]) -> set[str]:
    handler = config["functions"][name]["handler"]
    module = handler.rsplit(".", 1)[0] + ".py"
    needed: set[str] = set()
    for ref in _wiring_refs(module, set()):
        needed |= USES.get(ref, TABLE)
    for event in config["functions"][name].get("events", []):
        if "sqs" in event:
            needed.add("sqs")
        if "stream" in event:
            needed |= {"dynamodb", "sqs"}  # the stream, and its on-failure queue
    return needed


def _role_services(role: dict[str, Any]) -> set[str]:
    granted = {
        action.split(":")[0]
        for statement in pk.statements(role)
        for action in pk.actions(statement)
    }
    if role["Properties"].get("ManagedPolicyArns"):  # the search domain's policy (es)
        granted.add("es")
    return granted - {"logs"}


def _function_roles(template: dict[str, Any], config: dict[str, Any]) -> dict[str, str]:
    found = {}
    for name in config["functions"]:
        function = template["Resources"][pk.logical_id(name)]
        role = function["Properties"]["Role"]
        assert isinstance(role, dict), (name, role)
        assert "Fn::GetAtt" in role, (name, role)
        found[name] = role["Fn::GetAtt"][0]
    return found


def test_every_function_names_its_own_role_and_there_is_no_catch_all(
    template: dict[str, Any], config: dict[str, Any]
) -> None:
    for name, spec in config["functions"].items():
        assert "role" in spec, f"{name} must name its role (resources/iam.yml)"
    assert "IamRoleLambdaExecution" not in template["Resources"]


def test_each_role_grants_the_services_its_functions_call_and_no_other(
    template: dict[str, Any], config: dict[str, Any]
) -> None:
    resources = template["Resources"]
    wrong = {}
    for name, role_id in _function_roles(template, config).items():
        granted = _role_services(resources[role_id])
        needed = _needs(name, config)
        if granted != needed:
            wrong[name] = {
                "role": role_id,
                "granted, unused": sorted(granted - needed),
                "used, not granted": sorted(needed - granted),
            }
    assert not wrong, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_a_table_reader_role_cannot_write(template: dict[str, Any]) -> None:
    actions = pk.all_actions(pk.statements(template["Resources"]["TableReaderRole"]))
    assert actions == {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }


def test_every_role_writes_only_the_shared_log_group(template: dict[str, Any]) -> None:
    for role_id, role in pk.resources_of(template, "AWS::IAM::Role").items():
        if role_id == "CheckoutStateMachineRole":
            continue  # the state machine logs nothing
        logs = [s for s in pk.statements(role) if pk.actions(s)[0].startswith("logs:")]
        assert len(logs) == 1, role_id
        assert sorted(pk.actions(logs[0])) == ["logs:CreateLogStream", "logs:PutLogEvents"]
        assert pk.resources(logs[0]) == [pk.SHARED_LOGS], role_id
