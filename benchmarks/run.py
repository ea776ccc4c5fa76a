"""``make bench``: every function's cold-start import cost against a bare botocore client.

The project's budget: importing a handler module costs at most 1.4x (HTTP functions) or
1.3x (stream/queue and every other kind) what a fresh process pays for
``botocore.session.get_session().create_client("dynamodb")``, measured in the same run.

Method (benchmarks/README.md has the why):

* a runtime-only virtualenv (``.venv-runtime/``: requirements.txt and nothing else, as
  in the deployed package), rebuilt when requirements.txt changes;
* one fresh process per sample, with Lambda's environment variables and the function's
  own (``provider.environment`` of the resolved serverless config), cwd and PYTHONPATH
  at the repository root, timing only the import with ``time.perf_counter``;
* one untimed warm-up import per module first, so the ``.pyc`` files exist (Lambda
  ships them; PYTHONDONTWRITEBYTECODE is never set);
* paired samples: every handler sample is taken right after a baseline sample, and the
  verdict is the median of those pairs' ratios. The speed of this (shared, virtual)
  machine drifts by tens of percent within seconds; a baseline taken moments before
  drifts with it, one taken half a minute earlier does not. Rounds rotate the order.

Usage: ``python -m benchmarks.run [--runs 15] [--strict] [--only login,getMe]``.
Writes the results to ``.local/bench-cold-start.json`` as well.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.child import BASELINE, EMPTY, MARKER
from scripts.stack import function_environment, resolved_config

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_VENV = ROOT / ".venv-runtime"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = RUNTIME_VENV / ".requirements.sha256"
RESULTS = ROOT / ".local" / "bench-cold-start.json"
INSTRUCTIONS = ROOT / ".local" / "bench-instructions.json"
CHILD_SOURCE = (Path(__file__).resolve().parent / "child.py").read_text()

HTTP, STREAM_QUEUE, OTHER = "http", "stream/queue", "other"
BUDGETS = {HTTP: 1.4, STREAM_QUEUE: 1.3, OTHER: 1.3}
# A payment function on a stage configured for Stripe (docs/payments.md, "Stripe") pays on
# its first call, on top of its import, for the Stripe SDK and a client: measured as its
# own row ("<function>+stripe"), with a budget of its own. The payment functions are the
# ones that may read the payments secret: their role is one of the payment roles.
STRIPE = "stripe"
BUDGETS[STRIPE] = 1.6
PAYMENT_ROLES = ("PaymentsRole", "PaymentCallbackRole", "RefundsWorkerRole")
STRIPE_FIRST_USE = "adapters.stripe_payments:cold_start"
HTTP_EVENTS = ("httpApi", "http")
STREAM_QUEUE_EVENTS = ("stream", "sqs", "sns")
NOTABLE_MODULES = (
    "boto3",
    "stripe",
    "aws_xray_sdk",
    "bcrypt",
    "jwt",
    "cryptography",
    "pydantic",
    "pynamodb",
    "botocore.client",
)
CHILD_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Function:
    name: str
    kind: str
    module: str
    handler: str
    env: dict[str, str]

    @property
    def budget(self) -> float:
        return BUDGETS[self.kind]


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float
    loaded: list[str]


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    error: str | None = None
    # handler sample / the baseline sample taken just before it
    ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000.0

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_seconds) * 1000.0

    def add(self, sample: Sample) -> None:
        self.seconds.append(sample.seconds)
        self.cpu_seconds.append(sample.cpu_seconds)
        self.loaded = sample.loaded


class ChildFailed(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- what to measure -------------------------------------------------------------


def module_of(handler: str) -> str:
    """``handlers/auth/login.lambda_handler`` -> ``handlers.auth.login``."""
    path, _, _function = handler.rpartition(".")
    if not path:
        raise ValueError(f"handler {handler!r} is not <module path>.<function>")
    return path.removesuffix(".py").replace("/", ".")


def authorizer_functions(config: dict[str, Any]) -> set[str]:
    """Functions the HTTP API calls as Lambda authorizers (they sit on the HTTP path)."""
    authorizers = (config["provider"].get("httpApi") or {}).get("authorizers") or {}
    return {
        str(spec["functionName"])
        for spec in authorizers.values()
        if isinstance(spec, dict) and spec.get("functionName")
    }


def kind_of(name: str, spec: dict[str, Any], authorizers: AbstractSet[str] = frozenset()) -> str:
    """http, stream/queue or other, from the function's events.

    A function with both HTTP and stream/queue events is held to the stricter budget.
    """
    events: list[Any] = spec.get("events") or []
    types = {key for event in events if isinstance(event, dict) for key in event}
    if types & set(STREAM_QUEUE_EVENTS):
        return STREAM_QUEUE
    if types & set(HTTP_EVENTS):
        return HTTP
    if not events and (name == "authorizer" or name in authorizers):
        return HTTP
    return OTHER


def lambda_environment(
    config: dict[str, Any], name: str, spec: dict[str, Any], handler: str
) -> dict[str, str]:
    """What Lambda's python3.13 runtime gives the process, plus the function's own."""
    provider = config["provider"]
    region = str(provider.get("region") or "us-east-1")
    memory = spec.get("memorySize") or provider.get("memorySize") or 1024
    function_name = str(spec.get("name") or name)
    missing = ROOT / ".serverless" / "no-such-aws-file"  # never read a developer's ~/.aws
    return {
        **function_environment(config),
        # A CloudFormation intrinsic (the search functions' Fn::If) is AWS's to resolve;
        # the stage measured has no OpenSearch, so the provider's value stands.
        **{
            k: str(v) for k, v in (spec.get("environment") or {}).items() if not isinstance(v, dict)
        },
        "PATH": f"{RUNTIME_VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "_HANDLER": handler,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ACCESS_KEY_ID": "AKIABENCHMARKDUMMY",
        "AWS_SECRET_ACCESS_KEY": "benchmark-dummy-secret",
        "AWS_SESSION_TOKEN": "benchmark-dummy-token",
        "AWS_CONFIG_FILE": str(missing),
        "AWS_SHARED_CREDENTIALS_FILE": str(missing),
        "LAMBDA_TASK_ROOT": str(ROOT),
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "PYTHONPATH": str(ROOT),
    }


def functions_of(config: dict[str, Any], only: set[str] | None = None) -> list[Function]:
    authorizers = authorizer_functions(config)
    found = []
    for name, spec in config["functions"].items():
        if only is not None and name not in only:
            continue
        handler = str(spec["handler"])
        found.append(
            Function(
                name=name,
                kind=kind_of(name, spec, authorizers),
                module=module_of(handler),
                handler=handler,
                env=lambda_environment(config, name, spec, handler),
            )
        )
    return found


def stripe_variants(config: dict[str, Any], functions: list[Function]) -> list[Function]:
    """A "<name>+stripe" row for each payment function measured: its import, then the
    Stripe SDK's import and a client (``adapters.stripe_payments.cold_start``)."""
    specs = config["functions"]
    return [
        Function(
            name=f"{function.name}+{STRIPE}",
            kind=STRIPE,
            module=f"{function.module}+{STRIPE_FIRST_USE}",
            handler=function.handler,
            env=function.env,
        )
        for function in functions
        if specs.get(function.name, {}).get("role") in PAYMENT_ROLES
    ]


# --- the runtime-only virtualenv ---------------------------------------------------


def _python_version(python: str) -> str | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def python_bin() -> str:
    """PYTHON_BIN (make exports it), else python3.13 on PATH, else this interpreter."""
    candidates = [os.environ.get("PYTHON_BIN"), shutil.which("python3.13"), sys.executable]
    for candidate in candidates:
        if candidate and _python_version(candidate) == "3.13":
            return candidate
    sys.exit("✗ Python 3.13 is required: set PYTHON_BIN=/path/to/python3.13")


def runtime_python() -> Path:
    """``.venv-runtime/bin/python`` with requirements.txt installed, and nothing else."""
    python = RUNTIME_VENV / "bin" / "python"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    current = STAMP.read_text().strip() if STAMP.exists() else None
    if current == wanted and _python_version(str(python)) == "3.13":
        return python
    base = python_bin()
    log(f"building {RUNTIME_VENV.name}/ (runtime dependencies only) with {base}")
    shutil.rmtree(RUNTIME_VENV, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(RUNTIME_VENV)], check=True)
    installed = subprocess.run(
        [
            str(python),
            *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            "--only-binary=:all:",  # as serverless-python-requirements packages them
            *("-r", str(REQUIREMENTS)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if installed.returncode != 0:
        sys.exit(f"✗ pip install -r requirements.txt failed:\n{installed.stdout}{installed.stderr}")
    STAMP.write_text(wanted + "\n")  # last: a half-built venv is rebuilt next time
    return python


# --- measuring ---------------------------------------------------------------------


def run_child(python: Path, target: str, env: dict[str, str]) -> Sample:
    """One fresh process importing ``target``: its import time and what it loaded."""
    try:
        done = subprocess.run(
            [str(python), "-c", CHILD_SOURCE, target, ",".join(NOTABLE_MODULES)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=CHILD_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        raise ChildFailed(f"timed out after {CHILD_TIMEOUT_SECONDS}s") from exc
    for line in reversed(done.stdout.splitlines()):
        if done.returncode == 0 and line.startswith(MARKER):
            result = json.loads(line.removeprefix(MARKER))
            return Sample(
                seconds=float(result["seconds"]),
                cpu_seconds=float(result["cpu_seconds"]),
                loaded=[str(name) for name in result["loaded"]],
            )
    tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    raise ChildFailed(tail)


def baseline_environment(config: dict[str, Any]) -> dict[str, str]:
    spec = {"name": f"{config.get('service', 'service')}-bench-baseline"}
    return lambda_environment(config, "baseline", spec, "baseline.lambda_handler")


def measure(
    python: Path, functions: list[Function], baseline_env: dict[str, str], runs: int
) -> tuple[Samples, dict[str, Samples]]:
    baseline = Samples()
    results = {function.name: Samples() for function in functions}

    log(
        f"{len(functions)} functions x {runs} runs, each paired with a baseline sample, "
        f"one fresh process each ({python.relative_to(ROOT)})"
    )
    log(f"warm-up: one untimed import per module ({len(functions) + 1} processes)")
    run_child(python, BASELINE, baseline_env)  # the baseline must work, or nothing does
    for function in functions:
        try:
            run_child(python, function.module, function.env)
        except ChildFailed as exc:
            results[function.name].error = str(exc)
            log(f"  {function.name}: import failed: {exc}")

    measured = [function for function in functions if results[function.name].error is None]
    started = time.monotonic()
    for round_number in range(runs):
        # Rotate the order each round; every handler sample follows its own baseline.
        shift = round_number % len(measured) if measured else 0
        for entry in [*measured[shift:], *measured[:shift]]:
            reference = run_child(python, BASELINE, baseline_env)
            baseline.add(reference)
            samples = results[entry.name]
            try:
                sample = run_child(python, entry.module, entry.env)
            except ChildFailed as exc:
                samples.error = f"round {round_number + 1}: {exc}"
                continue
            samples.add(sample)
            samples.ratios.append(sample.seconds / reference.seconds)
            samples.cpu_ratios.append(sample.cpu_seconds / reference.cpu_seconds)
        elapsed = time.monotonic() - started
        log(f"round {round_number + 1}/{runs} done ({elapsed:.0f}s)")
    return baseline, results


# --- instruction counts ---------------------------------------------------------------


def instructions(python: Path, target: str, env: dict[str, str]) -> int:
    """Instructions a fresh process executes to import ``target`` (valgrind callgrind).

    Unlike seconds, a count does not drift with the machine's load or clock: the same
    import counts (almost) the same every time. The interpreter's start-up is counted
    too; ``measure_instructions`` subtracts it (an ``@empty`` child).
    """
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            str(python),
            "-c",
            CHILD_SOURCE,
            target,
            "",
        ],
        cwd=ROOT,
        env={**env, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    raise ChildFailed(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no count")


def measure_instructions(
    python: Path, functions: list[Function], baseline_env: dict[str, str]
) -> dict[str, Any]:
    """Each function's import, in instructions, against the baseline's (one run each)."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = [("@empty", EMPTY, baseline_env), ("@baseline", BASELINE, baseline_env)]
    jobs += [(f.name, f.module, f.env) for f in functions]
    for _, target, env in jobs:  # untimed first imports write the .pyc files, as shipped
        with contextlib.suppress(ChildFailed):  # a failure is counted (and reported) below
            run_child(python, target, env)
    log(f"valgrind: {len(jobs)} processes, about 15 s each, two at a time")

    def count(job: tuple[str, str, dict[str, str]]) -> tuple[str, int | str]:
        name, target, env = job
        try:
            return name, instructions(python, target, env)
        except ChildFailed as exc:
            return name, str(exc)

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(pool.map(count, jobs))
    empty, base = counts.pop("@empty"), counts.pop("@baseline")
    if not isinstance(empty, int) or not isinstance(base, int):
        sys.exit(f"✗ valgrind could not count the baseline: {empty} / {base}")
    rows = []
    for function in functions:
        got = counts[function.name]
        ratio = (got - empty) / (base - empty) if isinstance(got, int) else None
        rows.append(
            {
                "function": function.name,
                "kind": function.kind,
                "instructions": got - empty if isinstance(got, int) else None,
                "ratio": round(ratio, 3) if ratio is not None else None,
                "budget": function.budget,
                "status": "ERROR"
                if ratio is None
                else ("OK" if ratio <= function.budget else "OVER"),
                "error": None if isinstance(got, int) else got,
            }
        )
    return {"baseline_instructions": base - empty, "startup_instructions": empty, "functions": rows}


def render_instructions(results: dict[str, Any]) -> str:
    lines = [f"{'function':<22} {'kind':<13} {'M instr':>9} {'ratio':>6} {'budget':>6}  status"]
    for row in results["functions"]:
        millions = f"{row['instructions'] / 1e6:.0f}" if row["instructions"] else "-"
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        lines.append(
            f"{row['function']:<22} {row['kind']:<13} {millions:>9} {ratio:>6} "
            f"{row['budget']:>5}x  {row['status']}"
        )
    over = [r["function"] for r in results["functions"] if r["status"] != "OK"]
    lines.append(
        f"\nbaseline (bare botocore DynamoDB client): "
        f"{results['baseline_instructions'] / 1e6:.0f} M instructions; "
        f"{len(results['functions']) - len(over)} OK"
        + (f", not OK: {', '.join(over)}" if over else "")
    )
    return "\n".join(lines)


# --- reporting ---------------------------------------------------------------------


def status_of(function: Function, samples: Samples, ratio: float | None) -> str:
    if samples.error is not None or ratio is None:
        return "ERROR"
    return "OK" if ratio <= function.budget else "OVER"


def report(
    functions: list[Function], baseline: Samples, results: dict[str, Samples], runs: int
) -> dict[str, Any]:
    baseline_ms = baseline.median_ms
    rows: list[dict[str, Any]] = []
    for function in functions:
        samples = results[function.name]
        median_ms = samples.median_ms if samples.seconds and samples.error is None else None
        ratio = statistics.median(samples.ratios) if median_ms is not None else None
        cpu_ms = samples.cpu_median_ms if median_ms is not None else None
        cpu_ratio = statistics.median(samples.cpu_ratios) if median_ms is not None else None
        rows.append(
            {
                "function": function.name,
                "kind": function.kind,
                "module": function.module,
                "median_ms": round(median_ms, 2) if median_ms is not None else None,
                "ratio": round(ratio, 3) if ratio is not None else None,
                "budget": function.budget,
                "status": status_of(function, samples, ratio),
                "heavy_modules": samples.loaded,
                "samples_ms": _ms(samples.seconds),
                "cpu_median_ms": round(cpu_ms, 2) if cpu_ms is not None else None,
                "cpu_ratio": round(cpu_ratio, 3) if cpu_ratio is not None else None,
                "cpu_samples_ms": _ms(samples.cpu_seconds),
                "error": samples.error,
            }
        )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "python": platform.python_version(),
        "runtime_venv": str(RUNTIME_VENV.relative_to(ROOT)),
        "requirements_sha256": STAMP.read_text().strip() if STAMP.exists() else None,
        "budgets": BUDGETS,
        "baseline": {
            "what": 'botocore.session.get_session().create_client("dynamodb")',
            "median_ms": round(baseline_ms, 2),
            "heavy_modules": baseline.loaded,
            "samples_ms": _ms(baseline.seconds),
            "cpu_median_ms": round(baseline.cpu_median_ms, 2),
            "cpu_samples_ms": _ms(baseline.cpu_seconds),
        },
        "functions": rows,
    }


def _ms(seconds: list[float]) -> list[float]:
    return [round(s * 1000.0, 2) for s in seconds]


def _cell(value: Any, pattern: str = "{}") -> str:
    return "—" if value is None else pattern.format(value)


def render(results: dict[str, Any]) -> str:
    header = ["function", "kind", "module", "median ms", "ratio", "budget", "status", "imports"]
    table = [
        [
            row["function"],
            row["kind"],
            row["module"],
            _cell(row["median_ms"], "{:.1f}"),
            _cell(row["ratio"], "{:.2f}x"),
            f"{row['budget']:.1f}x",
            row["status"],
            ", ".join(row["heavy_modules"]) or "-",
        ]
        for row in results["functions"]
    ]
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
    numeric = {3, 4, 5}

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), line(["-" * width for width in widths]), *map(line, table)]
    for row in results["functions"]:
        if row["error"]:
            out.append(f"  ✗ {row['function']}: {row['error']}")

    baseline = results["baseline"]
    rows = results["functions"]
    over = [row["function"] for row in rows if row["status"] == "OVER"]
    errors = [row["function"] for row in rows if row["status"] == "ERROR"]
    ok = len(rows) - len(over) - len(errors)
    out += [
        "",
        f"baseline (bare botocore DynamoDB client): median {baseline['median_ms']:.1f} ms "
        f"over {len(baseline['samples_ms'])} samples",
        f"{len(rows)} functions, {results['runs']} runs each: {ok} OK, {len(over)} over budget"
        + (f" ({', '.join(over)})" if over else "")
        + (f", {len(errors)} failed to import ({', '.join(errors)})" if errors else ""),
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Cold-start import cost of every function, against a bare botocore client.",
    )
    parser.add_argument("--runs", type=int, default=15, help="samples per function (median)")
    parser.add_argument("--stage", default="dev", help="the serverless stage to resolve")
    parser.add_argument("--only", help="comma-separated function names (default: all)")
    parser.add_argument(
        "--strict", action="store_true", help="exit non-zero when any function is over budget"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with valgrind instead of timing (deterministic, slow)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    config = resolved_config(args.stage)
    only = {name.strip() for name in args.only.split(",")} if args.only else None
    functions = functions_of(config, only)
    if only is not None and (unknown := only - {f.name for f in functions}):
        parser.error(f"no such function(s): {', '.join(sorted(unknown))}")
    if not functions:
        parser.error("no functions to measure")
    functions += stripe_variants(config, functions)

    python = runtime_python()
    if args.instructions:
        counted = measure_instructions(python, functions, baseline_environment(config))
        INSTRUCTIONS.parent.mkdir(exist_ok=True)
        INSTRUCTIONS.write_text(json.dumps(counted, indent=1) + "\n")
        print(render_instructions(counted))
        print(f"(written to {INSTRUCTIONS.relative_to(ROOT)})")
        missed = any(row["status"] != "OK" for row in counted["functions"])
        return 1 if args.strict and missed else 0
    try:
        baseline, samples = measure(python, functions, baseline_environment(config), args.runs)
    except ChildFailed as exc:
        sys.exit(f"✗ the baseline (a bare botocore client) failed: {exc}")
    results = report(functions, baseline, samples, args.runs)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")

    print(render(results))
    print(f"(written to {RESULTS.relative_to(ROOT)})")
    failed = any(row["status"] != "OK" for row in results["functions"])
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
