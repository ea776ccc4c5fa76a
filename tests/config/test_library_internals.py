"""Pins on library internals the code relies on: each fails naming the upgrade that broke it.

* ``handlers/shared/powertools.py`` loads Powertools' API Gateway resolver without the
  ``event_handler`` and ``data_classes`` package ``__init__``s, handing those packages the
  few names their modules import from them (a measured cold-start saving).
* ``scripts/local_lambda.py`` replaces moto's simple Lambda backend's ``invoke`` so that
  Step Functions tasks run the project's handlers, and scripts/local_aws.py relies on
  moto's ASL engine calling Lambda over HTTP at ``localhost:$MOTO_PORT`` in server mode.
* ``repositories/table.py`` hands pynamodb the container's one botocore client through
  ``Model._get_connection`` and ``Connection._client``, and maps a cancelled transaction's
  reasons back to labels through the order in which pynamodb lays out the actions.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import ROOT

POWERTOOLS = f"aws-lambda-powertools {version('aws-lambda-powertools')}"
PYNAMODB = f"pynamodb {version('pynamodb')}"
SHORTCUT = "handlers/shared/powertools.py"
PACKAGES = ("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")

# Run in a fresh interpreter: the test process may have imported Powertools whole.
PROBE = """
import json, sys
import handlers.shared.powertools as shortcut
from handlers.shared.powertools import APIGatewayHttpResolver

app = APIGatewayHttpResolver()

@app.get("/ping")
def ping():
    return {"pong": True}

event = {
    "version": "2.0", "routeKey": "GET /ping", "rawPath": "/ping", "rawQueryString": "",
    "headers": {}, "isBase64Encoded": False,
    "requestContext": {"http": {"method": "GET", "path": "/ping"}, "stage": "$default"},
}
answer = app.resolve(event, None)
packages = {name: {k: getattr(v, "__name__", None) for k, v in vars(sys.modules[name]).items()
                   if not k.startswith("__")} for name in json.loads(sys.argv[1])}
print(json.dumps({
    "answer": answer,
    "loaded": sorted(sys.modules),
    "packages": packages,
    "files": {m: getattr(sys.modules[m], "__file__", None) for m in sorted(sys.modules)
              if m.startswith("aws_lambda_powertools.")},
}))
"""


@pytest.fixture(scope="module")
def fresh() -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(PACKAGES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"{POWERTOOLS}: the import shortcut in {SHORTCUT} no longer loads the resolver. "
        "An upgrade changed what the resolver's modules import from their packages: give "
        f"the packages the missing names, or drop the shortcut (and `make bench`).\n{done.stderr}"
    )
    return dict(json.loads(done.stdout))


def test_the_powertools_shortcut_serves_a_request(fresh: dict[str, Any]) -> None:
    answer = fresh["answer"]
    broken = f"{POWERTOOLS}: the resolver loaded by {SHORTCUT} no longer answers a plain "
    assert answer["statusCode"] == 200, f"{broken}HTTP API event: {answer}"
    assert json.loads(answer["body"]) == {"pong": True}, f"{broken}HTTP API event: {answer}"


def test_the_powertools_shortcut_still_saves_what_it_is_for(fresh: dict[str, Any]) -> None:
    """What the package ``__init__``s would load stays unloaded (else drop the shortcut)."""
    loaded = set(fresh["loaded"])
    heavy = {
        "asyncio",
        "aws_lambda_powertools.event_handler.appsync",
        "aws_lambda_powertools.utilities.data_classes.kafka_event",
    }
    assert not heavy & loaded, (
        f"{POWERTOOLS}: importing {SHORTCUT} now loads {sorted(heavy & loaded)}; the "
        "resolver's own modules import them now, so the shortcut saves less: `make bench`"
    )


def _imported_from_packages(files: dict[str, str | None]) -> dict[str, set[str]]:
    """The names each loaded Powertools module imports from the two packages, by package."""
    wanted: dict[str, set[str]] = {name: set() for name in PACKAGES}
    for path in filter(None, files.values()):
        for node in ast.walk(ast.parse(Path(path).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in wanted:
                wanted[node.module] |= {alias.name for alias in node.names}
    return wanted


def test_the_shortcut_gives_the_packages_every_name_their_modules_import(
    fresh: dict[str, Any],
) -> None:
    for package, names in _imported_from_packages(fresh["files"]).items():
        given = set(fresh["packages"][package])
        missing = names - given
        assert not missing, (
            f"{POWERTOOLS}: a module the resolver loads imports {sorted(missing)} from "
            f"{package}, which {SHORTCUT} registers without its __init__: add the names"
        )


# -- pynamodb ---------------------------------------------------------------------------


@pytest.fixture
def calls(aws: None) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every DynamoDB call made through the container's one client, with its parameters."""
    from adapters import aws as clients

    seen: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        seen.append((model.name, params))

    events = clients.client("dynamodb").meta.events
    events.register("provide-client-params.dynamodb.*", record)
    yield seen
    events.unregister("provide-client-params.dynamodb.*", record)


def test_models_use_the_containers_one_client(calls: list[tuple[str, dict[str, Any]]]) -> None:
    from adapters import aws as clients
    from repositories.catalog.items import SkuItem
    from repositories.table import connection

    with pytest.raises(SkuItem.DoesNotExist):
        SkuItem.get("SELLER#none", "SKU#none")
    assert [name for name, _ in calls] == ["GetItem"], (
        f"{PYNAMODB}: a model read did not go through the container's client: models no "
        "longer take their connection from Model._get_connection() or Connection._client "
        "(repositories/table.py), and each would build its own botocore session and client"
    )
    assert connection().client is clients.client("dynamodb"), (
        f"{PYNAMODB}: Connection.client no longer returns Connection._client as set"
    )


def _sku(key: str, **values: Any) -> Any:
    from repositories.catalog.items import SkuItem

    stamp = "2024-01-01T00:00:00.000000Z"
    return SkuItem(
        f"PIN#{key}", "SKU", product_id="p", created_at=stamp, updated_at=stamp, **values
    )


KINDS = ("put", "update", "delete", "check")


def _transaction(run: str, failing: str | None) -> Any:
    """One action of each kind, added in the reverse of pynamodb's order, labelled by
    kind; only ``failing``'s condition fails."""
    from repositories.catalog.items import SkuItem
    from repositories.table import Transaction

    present = {kind: kind != failing for kind in KINDS}
    present["put"] = failing == "put"  # the put needs its item absent
    for kind in KINDS:
        if present[kind]:
            _sku(f"{run}-{kind}").save()
    tx = Transaction()
    tx.check(SkuItem, f"PIN#{run}-check", "SKU", SkuItem.PK.exists(), label="check")
    tx.delete(_sku(f"{run}-delete"), condition=SkuItem.PK.exists(), label="delete")
    tx.update(
        _sku(f"{run}-update"),
        actions=[SkuItem.product_id.set("q")],
        condition=SkuItem.PK.exists(),
        label="update",
    )
    tx.put(_sku(f"{run}-put"), condition=SkuItem.PK.does_not_exist(), label="put")
    return tx


def test_pynamodb_lays_out_checks_deletes_puts_updates(
    calls: list[tuple[str, dict[str, Any]]],
) -> None:
    _transaction("order", None).commit()
    sent = [params for name, params in calls if name == "TransactWriteItems"]
    assert len(sent) == 1, f"{PYNAMODB}: the transaction did not go through the container's client"
    kinds = [next(iter(action)) for action in sent[0]["TransactItems"]]
    assert kinds == ["ConditionCheck", "Delete", "Put", "Update"], (
        f"{PYNAMODB} lays out TransactWriteItems as {kinds}, no longer checks, deletes, puts, "
        "updates: repositories/table.py's Transaction would blame the wrong item for a "
        "cancelled condition; make its label order follow pynamodb's"
    )


@pytest.mark.parametrize("failing", KINDS)
def test_a_cancelled_condition_is_reported_by_its_label(
    calls: list[tuple[str, dict[str, Any]]], failing: str
) -> None:
    from repositories.table import ConditionFailed

    with pytest.raises(ConditionFailed) as failed:
        _transaction(f"fail-{failing}", failing).commit()
    assert failed.value.label == failing, (
        f"{PYNAMODB}: the {failing} action's failed condition was reported as "
        f"{failed.value.label!r}: the order of TransactWriteError.cancellation_reasons no "
        "longer follows repositories/table.py's labels"
    )


# -- moto (scripts/local_lambda.py, scripts/local_aws.py) -------------------------------

MOTO = f"moto {version('moto')}"


def test_motos_simple_lambda_backend_invoke_is_what_the_adapter_replaces() -> None:
    import inspect

    from moto.awslambda_simple.models import LambdaSimpleBackend

    from scripts import local_lambda

    original = local_lambda._installed.get("original", LambdaSimpleBackend.invoke)
    params = list(inspect.signature(original).parameters)
    assert params == [
        "self",
        "function_name",
        "qualifier",
        "body",
        "headers",
        "response_headers",
    ], (
        f"{MOTO}: LambdaSimpleBackend.invoke changed its parameters ({params}); "
        "scripts/local_lambda.py replaces it with a function of the old ones"
    )


def test_motos_config_selects_the_simple_lambda_and_the_asl_engine() -> None:
    from moto import mock_aws
    from moto.awslambda.utils import get_backend as lambda_backend
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import get_backend as sfn_backend

    from scripts.local_lambda import MOTO_CONFIG

    with mock_aws(config=MOTO_CONFIG):  # type: ignore[arg-type]
        assert isinstance(lambda_backend("123456789012", "us-east-1"), LambdaSimpleBackend), (
            f"{MOTO}: lambda.use_docker=False no longer selects LambdaSimpleBackend"
        )
        assert isinstance(sfn_backend("123456789012", "us-east-1"), StepFunctionsParserBackend), (
            f"{MOTO}: stepfunctions.execute_state_machine no longer selects the ASL engine"
        )


def test_motos_asl_engine_calls_lambda_at_moto_port_in_server_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Server mode: the engine's Lambda client must reach the embedded AWS itself."""
    from moto.core.models import botocore_stubber
    from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for

    monkeypatch.setenv("MOTO_PORT", "4599")
    assert not botocore_stubber.enabled, "run outside mock_aws"
    client = boto_client_for(region="us-east-1", service="lambda")
    assert client.meta.endpoint_url == "http://localhost:4599", (
        f"{MOTO}: the ASL engine no longer calls Lambda at localhost:$MOTO_PORT; "
        "scripts/local_lambda.configure_server sets MOTO_PORT for that"
    )
