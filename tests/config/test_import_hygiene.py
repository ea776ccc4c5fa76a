"""Import hygiene: importing a function's module loads nothing it does not need.

Each handler is imported in a fresh interpreter (as on a cold start) and the modules it
pulled in are compared with what its operation needs. Deterministic, unlike timings
(those are `make bench`'s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import pytest

from scripts.stack import ROOT, function_environment
from tests.conftest import CONFIG

NEVER = {"boto3", "stripe", "aws_xray_sdk", "moto", "pytest", "requests"}
# Functions that hash passwords or mint/verify tokens; no other may load bcrypt or jwt.
PASSWORD_HASHING = {"register", "login", "resetPassword", "changePassword"}
TOKENS = {"authorizer", "login", "refresh"}

# `cryptography` is installed here only because moto needs it; the Lambda package has no
# such thing, and PyJWT (HS256) does without it. The probe hides it, as on Lambda: else
# PyJWT would load it, and through it even bcrypt.
PROBE = """
import importlib, json, sys

class NotInTheLambdaPackage:
    def find_spec(self, name, path=None, target=None):
        if name == "cryptography" or name.startswith("cryptography."):
            raise ModuleNotFoundError(name + " is not a runtime requirement", name=name)

sys.meta_path.insert(0, NotInTheLambdaPackage())
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({m for m in sys.modules})))
"""


def functions() -> dict[str, dict[str, Any]]:
    return dict(CONFIG["functions"])


@cache
def loaded_by_all() -> dict[str, set[str]]:
    env = {
        **os.environ,
        **function_environment(CONFIG),
        "AWS_LAMBDA_FUNCTION_NAME": "probe",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "PYTHONPATH": str(ROOT),
    }

    def probe(item: tuple[str, dict[str, Any]]) -> tuple[str, set[str]]:
        name, fn = item
        module = fn["handler"].rpartition(".")[0].replace("/", ".")
        done = subprocess.run(
            [sys.executable, "-c", PROBE, module],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return name, set(json.loads(done.stdout))

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(probe, functions().items()))


def has(modules: set[str], package: str) -> bool:
    return package in modules or any(m.startswith(package + ".") for m in modules)


def kind(fn: dict[str, Any]) -> str:
    events = fn.get("events", [])
    if any("httpApi" in e for e in events):
        return "http"
    return "worker" if events else "authorizer"


@pytest.mark.parametrize("name", sorted(functions()))
def test_function_imports_only_what_its_operation_needs(name: str) -> None:
    modules = loaded_by_all()[name]
    fn = functions()[name]
    assert not {p for p in NEVER if has(modules, p)}, "never on a request path"
    assert has(modules, "bcrypt") == (name in PASSWORD_HASHING)
    assert has(modules, "jwt") == (name in TOKENS)
    # Partial batch responses are handlers/shared/batch.py's, not Powertools' (asyncio and
    # every event data class); no function needs Powertools' batch utility.
    assert not has(modules, "aws_lambda_powertools.utilities.batch")
    if kind(fn) == "worker":
        assert not has(modules, "aws_lambda_powertools.event_handler")
        assert not has(modules, "asyncio")
        # Workers validate no HTTP body: settings and the event contract are plain
        # dataclasses, so pydantic (about a tenth of a cold start) stays out.
        assert not has(modules, "pydantic"), "a worker needs no pydantic"
    else:
        # handlers/shared/powertools.py keeps the other resolvers (and asyncio) out
        assert not has(modules, "aws_lambda_powertools.event_handler.appsync")
        assert not has(modules, "asyncio")
    if name in ("health", "apiDocs", "authorizer"):
        assert not has(modules, "pynamodb"), "needs no table"


def test_every_function_was_probed() -> None:
    assert set(loaded_by_all()) == set(functions())
    assert functions(), "no functions in the resolved serverless config"


# -- payments: saved cards (issue 9) ----------------------------------------------------
# The card vault (local test mode or Stripe's) is chosen per call from the payments secret
# (wiring.card_vault), so no card route loads either vault or the payment provider when
# it is imported; the routes that only read or write the shop's own card items, and
# checkout (which only looks a saved card up), never load them at all.
CARD_VAULT_USERS = {"startCardSetup", "savePaymentMethod", "deletePaymentMethod"}
CARD_READERS = {"listPaymentMethods", "setDefaultPaymentMethod", "checkout"}


@pytest.mark.parametrize("name", sorted(CARD_VAULT_USERS | CARD_READERS))
def test_no_card_route_loads_a_vault_or_the_provider_at_import(name: str) -> None:
    modules = loaded_by_all()[name]
    assert not has(modules, "adapters.local_cards")
    assert not has(modules, "adapters.local_payments")
    assert not has(modules, "stripe")


# -- Search (issue 11) -------------------------------------------------------------------------

SEARCH_ENGINES = ("tantivy", "opensearchpy")


@pytest.mark.parametrize("name", sorted(functions()))
def test_no_function_loads_a_search_engine_at_import(name: str) -> None:
    """The engines load on the first call of the functions that search or index
    (handlers/shared/wiring.py: search_index()), and only the stage's engine."""
    modules = loaded_by_all()[name]
    assert not [engine for engine in SEARCH_ENGINES if has(modules, engine)]


@pytest.mark.parametrize(
    ("stage_env", "answer"),
    [
        ({}, "TantivySearchIndex True False"),
        ({"SEARCH_SNAPSHOTS": "true"}, "SnapshotSearchIndex True False"),
        (
            {"SEARCH_ENGINE": "opensearch", "OPENSEARCH_ENDPOINT": "https://search.example"},
            "OpenSearchIndex False True",
        ),
        ({"SEARCH_ENGINE": "opensearch", "OPENSEARCH_ENDPOINT": ""}, "ConfigurationError"),
    ],
)
def test_the_wiring_loads_only_the_stages_engine(stage_env: dict[str, str], answer: str) -> None:
    probe = (
        "import sys\n"
        "from handlers.shared.wiring import search_index\n"
        "try:\n"
        "    engine = search_index()\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "else:\n"
        "    print(type(engine).__name__, 'tantivy' in sys.modules, 'opensearchpy' in sys.modules)"
    )
    env = {
        **os.environ,
        **function_environment(CONFIG),
        "PYTHONPATH": str(ROOT),
        "SEARCH_INDEX_DIR": str(ROOT / ".local" / "search-hygiene-probe"),
        **stage_env,
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.strip() == answer


# -- reality: 3D and AR (issue 14) ---------------------------------------------------------
# The model file code loads in the reality worker only, and the glTF parser (pygltflib, with
# dataclasses-json and marshmallow) in none at start-up: the worker imports it on its first
# glb (adapters/model_files.py), else it would be over its cold-start budget. Pillow in none
# (the generated card embeds the photo's bytes and needs no image size).
MODEL_FILE_USERS = {"processModels"}


@pytest.mark.parametrize("name", sorted(functions()))
def test_only_the_reality_worker_loads_the_model_files_and_none_the_parser_at_start(
    name: str,
) -> None:
    modules = loaded_by_all()[name]
    assert has(modules, "adapters.model_files") == (name in MODEL_FILE_USERS)
    for package in ("pygltflib", "dataclasses_json", "marshmallow", "PIL"):
        assert not has(modules, package), package


# The search routes read the index alone, never the table's search sources (the indexer's).
@pytest.mark.parametrize("name", ["searchProducts", "suggestSearch", "searchOrders"])
def test_a_search_route_does_not_load_the_indexers_table_reads(name: str) -> None:
    assert not has(loaded_by_all()[name], "repositories.search")


# Jinja2 (the notification templates, issue 10) in sendNotification alone, loaded at its
# start (docs/notifications.md, "Cold start"); no other function may load it.
TEMPLATE_USERS = {"sendNotification"}


@pytest.mark.parametrize("name", sorted(functions()))
def test_only_the_notification_worker_loads_jinja2(name: str) -> None:
    modules = loaded_by_all()[name]
    assert has(modules, "jinja2") == (name in TEMPLATE_USERS)
    assert has(modules, "adapters.templates") == (name in TEMPLATE_USERS)


# -- invoices (issue 10) ---------------------------------------------------------------------
# fpdf2 (with Pillow and fontTools) loads in no function at start-up: the invoice worker
# imports it on its first document (adapters/invoice_pdf.py: FpdfRenderer.render), else
# its cold start would be about twice its budget. The renderer's module, fpdf-free, is the
# worker's alone.
INVOICE_RENDERERS = {"renderInvoices"}


@pytest.mark.parametrize("name", sorted(functions()))
def test_no_function_loads_fpdf_at_start_and_only_the_worker_the_renderer(name: str) -> None:
    modules = loaded_by_all()[name]
    for package in ("fpdf", "PIL", "fontTools", "defusedxml"):
        assert not has(modules, package), package
    assert has(modules, "adapters.invoice_pdf") == (name in INVOICE_RENDERERS)


def test_the_renderer_loads_fpdf_on_its_first_document() -> None:
    probe = (
        "import sys\n"
        "from adapters.invoice_pdf import FpdfRenderer\n"
        "from domain.buying.model import ShippingAddress\n"
        "from domain.invoices import Document, DocumentKind, Party\n"
        "before = 'fpdf' in sys.modules\n"
        "address = ShippingAddress('Ada', '1 Road', 'London', 'N1', 'GB')\n"
        "doc = Document(DocumentKind.INVOICE, 'INV-2026-000001', '2026-11-30', 'ord_1',\n"
        "    Party('Bazaar', []), Party('Ada', []), address, [], 0, 0, 0, 0, 'USD')\n"
        "pdf = FpdfRenderer().render(doc)\n"
        "print(before, 'fpdf' in sys.modules, pdf[:5] == b'%PDF-')"
    )
    env = {**os.environ, **function_environment(CONFIG), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.strip() == "False True True"


# -- the shop's numbers (issue 10) ------------------------------------------------------
# Business metrics (EMF, adapters/emf.py) are recordEvent's alone. Powertools' Metrics
# costs no import of its own: ``import aws_lambda_powertools`` (the Logger) loads it in
# every function already, which is why the EMF writer may use it.
EMF_WRITERS = {"recordEvent"}


@pytest.mark.parametrize("name", sorted(functions()))
def test_only_record_event_writes_business_metrics(name: str) -> None:
    modules = loaded_by_all()[name]
    assert has(modules, "adapters.emf") == (name in EMF_WRITERS)
    if has(modules, "aws_lambda_powertools.logging"):
        assert has(modules, "aws_lambda_powertools.metrics")  # loaded with the Logger
