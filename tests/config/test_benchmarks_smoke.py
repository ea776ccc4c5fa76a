"""`make bench` keeps working: its reading of the config and its child process.

Timings are not asserted (that is `make bench --strict`'s job, on a quiet machine).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run
from benchmarks.child import BASELINE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("handler", "module"),
    [
        ("handlers/auth/login.lambda_handler", "handlers.auth.login"),
        ("handlers/ops/health.py.lambda_handler", "handlers.ops.health"),
        ("handlers.me.get_me.lambda_handler", "handlers.me.get_me"),
    ],
)
def test_module_of_handler(handler: str, module: str) -> None:
    assert run.module_of(handler) == module


@pytest.mark.parametrize(
    ("name", "events", "kind"),
    [
        ("getMe", [{"httpApi": {"method": "GET", "path": "/me"}}], run.HTTP),
        ("publish", [{"stream": {"type": "dynamodb"}}], run.STREAM_QUEUE),
        ("notify", [{"sqs": {"arn": "x"}}], run.STREAM_QUEUE),
        ("fanout", [{"sns": "topic"}], run.STREAM_QUEUE),
        ("both", [{"httpApi": "*"}, {"sqs": "x"}], run.STREAM_QUEUE),
        ("authorizer", [], run.HTTP),
        ("nightly", [{"schedule": "rate(1 day)"}], run.OTHER),
        ("invokeOnly", [], run.OTHER),
    ],
)
def test_kind_of_events(name: str, events: list[Any], kind: str) -> None:
    assert run.kind_of(name, {"events": events}) == kind


def test_every_configured_function_has_a_module_and_budget(config: dict[str, Any]) -> None:
    functions = run.functions_of(config)
    assert {f.name for f in functions} == set(config["functions"])
    for function in functions:
        assert (ROOT / (function.module.replace(".", "/") + ".py")).is_file(), function
        assert function.budget in (1.3, 1.4)
        assert function.env["AWS_LAMBDA_FUNCTION_NAME"]
        assert function.env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.13"
        assert "PYTHONDONTWRITEBYTECODE" not in function.env
        for key, value in config["provider"]["environment"].items():
            assert function.env[key] == str(value)


def test_child_times_an_import_and_lists_heavy_modules(config: dict[str, Any]) -> None:
    env = run.baseline_environment(config)
    python = Path(sys.executable)
    sample = run.run_child(python, BASELINE, env)
    assert sample.seconds > 0
    assert sample.cpu_seconds > 0
    assert "botocore.client" in sample.loaded
    sample = run.run_child(python, "json", env)
    assert sample.seconds >= 0
    assert sample.loaded == []
    with pytest.raises(run.ChildFailed, match="No module named"):
        run.run_child(python, "handlers.no_such_module", env)


def test_render_flags_functions_over_budget() -> None:
    functions = [
        run.Function("fast", run.HTTP, "handlers.fast", "handlers/fast.h", {}),
        run.Function("slow", run.STREAM_QUEUE, "handlers.slow", "handlers/slow.h", {}),
        run.Function("broken", run.HTTP, "handlers.broken", "handlers/broken.h", {}),
    ]
    baseline = run.Samples(seconds=[0.100, 0.100, 0.100], cpu_seconds=[0.09, 0.09, 0.09])
    samples = {
        # ratios are per pair (sample / the baseline sample just before it)
        "fast": run.Samples(
            seconds=[0.120, 0.130, 0.140],
            cpu_seconds=[0.1, 0.1, 0.1],
            loaded=["pydantic"],
            ratios=[1.2, 1.3, 1.4],
            cpu_ratios=[1.1, 1.1, 1.1],
        ),
        "slow": run.Samples(
            seconds=[0.135, 0.135, 0.135],
            cpu_seconds=[0.12, 0.12, 0.12],
            ratios=[1.35, 1.35, 1.35],
            cpu_ratios=[1.3, 1.3, 1.3],
        ),
        "broken": run.Samples(error="ModuleNotFoundError: No module named 'boto3'"),
    }
    results = run.report(functions, baseline, samples, runs=3)
    statuses = {row["function"]: row["status"] for row in results["functions"]}
    assert statuses == {"fast": "OK", "slow": "OVER", "broken": "ERROR"}
    assert results["functions"][0]["ratio"] == 1.3
    assert results["functions"][2]["ratio"] is None
    text = run.render(results)
    assert "1 OK, 1 over budget (slow), 1 failed to import (broken)" in text
    assert "No module named 'boto3'" in text


# -- payments on Stripe: rows of their own (issue 9) --------------------------------------


def test_each_payment_function_has_a_stripe_row_with_its_own_budget(
    config: dict[str, Any],
) -> None:
    functions = run.functions_of(config)
    variants = run.stripe_variants(config, functions)
    payment_functions = {
        name for name, spec in config["functions"].items() if spec.get("role") in run.PAYMENT_ROLES
    }
    assert "processPayment" in payment_functions
    assert {v.name for v in variants} == {f"{name}+stripe" for name in payment_functions}
    for variant in variants:
        assert variant.kind == run.STRIPE
        assert variant.budget == run.BUDGETS[run.STRIPE]
        assert variant.module.endswith("+adapters.stripe_payments:cold_start")
    assert run.stripe_variants(config, [f for f in functions if f.name == "login"]) == []


def test_the_child_times_a_first_use_after_the_import(config: dict[str, Any]) -> None:
    env = run.baseline_environment(config)
    sample = run.run_child(Path(sys.executable), "json+adapters.stripe_payments:cold_start", env)
    assert "stripe" in sample.loaded


def test_the_search_bench_runs_and_reports_its_figures() -> None:
    from benchmarks import search

    result = search.run(products=300, samples=20)
    assert result["products"] == 300
    assert result["index_bytes"] > 0
    for key in ("search", "suggest", "upsert"):
        assert 0 < result[key]["p50_ms"] <= result[key]["p95_ms"]
