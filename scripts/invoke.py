"""``make invoke FN=<function> EVENT=<sample name or file>``: one function, one event.

Runs ``serverless invoke local -f FN -p EVENT`` against the running ``make dev`` stack,
with the environment ``make dev`` gives its functions: the project's Python first on PATH
(``VIRTUAL_ENV``), ``AWS_ENDPOINT_URL`` pointing at the embedded AWS, fake credentials,
and every variable serverless.yml declares. ``EVENT`` is a file, or the name of a sample
in ``events/samples/`` (``listCategories``, ``sendNotification-poison`` …); without it, the
function's own sample (``events/samples/<FN>.json``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from scripts.stack import ROOT

SAMPLES = ROOT / "events" / "samples"


def samples() -> list[str]:
    return sorted(path.stem for path in SAMPLES.glob("*.json"))


def event_file(function: str, event: str | None) -> Path:
    """The event file ``EVENT`` names: a path, a sample's name, or the function's sample."""
    if event:
        given = Path(event)
        for candidate in (given, ROOT / given, SAMPLES / event, SAMPLES / f"{event}.json"):
            if candidate.is_file():
                return candidate.resolve()
        raise LookupError(
            f"no event file or sample named {event!r}; samples: {', '.join(samples())}"
        )
    own = SAMPLES / f"{function}.json"
    if own.is_file():
        return own
    raise LookupError(
        f"{function} has no sample of its own: pass EVENT=<file or sample>; "
        f"samples: {', '.join(samples())}"
    )


def stack_running(aws_port: int) -> bool:
    url = f"http://127.0.0.1:{aws_port}/_bazaar/outbox"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def invoke_env(aws_port: int) -> dict[str, str]:
    """What ``make dev`` gives serverless offline (scripts/dev.py), for this port: the
    shell, then serverless.yml's function environment, then the local stack's settings."""
    from scripts.local import local_env
    from scripts.stack import function_environment, resolved_config

    local = local_env(aws_port)
    functions = function_environment(resolved_config("dev"))
    # Images live in the embedded AWS (local_env's URL), as under make dev.
    return {**local, **functions, "IMAGES_BASE_URL": local["IMAGES_BASE_URL"]}


def command(function: str, event: Path) -> list[str]:
    cli = ROOT / "node_modules" / ".bin" / "serverless"
    return [str(cli), "invoke", "local", "--stage", "dev", "-f", function, "-p", str(event)]


def invoke(
    function: str, event: str | None, aws_port: int, *, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``serverless invoke local`` for ``function`` against the stack on ``aws_port``.

    Raises ``LookupError`` for an unknown function or event, ``ConnectionError`` when no
    stack answers on the port.
    """
    from scripts.stack import resolved_config

    functions = resolved_config("dev")["functions"]
    if function not in functions:
        raise LookupError(
            f"no function {function!r} in serverless.yml; functions: {', '.join(sorted(functions))}"
        )
    path = event_file(function, event)
    if not stack_running(aws_port):
        raise ConnectionError(
            f"no local stack answers on :{aws_port} (the embedded AWS of `make dev`): "
            "start make dev first, in another terminal"
        )
    return subprocess.run(
        command(function, path),
        cwd=ROOT,
        # NODE_NO_WARNINGS: the CLI's AWS SDK notices would bury the function's output
        env=invoke_env(aws_port) | {"NODE_NO_WARNINGS": "1"},
        capture_output=capture,
        text=True,
        check=False,
        timeout=120,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make invoke", description=__doc__.split("\n\n")[0])
    parser.add_argument("function", nargs="?", default="", help="a function of serverless.yml")
    parser.add_argument("event", nargs="?", default="", help="an event file or sample name")
    args = parser.parse_args(argv)
    if not args.function:
        print(
            "usage: make invoke FN=<function> [EVENT=<sample name or file>]\n"
            f"samples (events/samples/): {', '.join(samples())}",
            file=sys.stderr,
        )
        return 2
    port = int(os.environ.get("LOCAL_AWS_PORT", "4566"))
    try:
        done = invoke(args.function, args.event or None, port)
    except (LookupError, ConnectionError) as refused:
        print(f"✗ {refused}", file=sys.stderr)
        return 1
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
