"""What runs inside each measured process: one import, timed, and nothing else first.

``benchmarks.run`` passes this file's source to ``python -c`` (not ``-m``, which would
load runpy and importlib.util before the clock starts and so flatter every import).
Only ``sys`` and ``time`` are loaded before the timed section; ``json`` comes after it.

    python -c "<this source>" <target> <notable,modules,...>

``<target>`` is a module path (``handlers.auth.login``), a module path then a first use
(``handlers.checkout_flow.process_payment+adapters.stripe_payments:cold_start``), or
``@baseline``: a bare botocore DynamoDB client, the yardstick every handler is compared
with. The result is one line on stdout, prefixed with ``MARKER`` so that whatever the
import itself prints is ignored: wall-clock seconds (``perf_counter``: the measure the
budget is about), CPU seconds (``process_time``: less disturbed by other load on the
machine) and the notable modules found in ``sys.modules`` afterwards.
"""

import sys
import time

MARKER = "@@bench-result@@ "
BASELINE = "@baseline"
EMPTY = "@empty"  # imports nothing: the interpreter's own start-up, to subtract


def main() -> None:
    target = sys.argv[1]
    notable = [name for name in sys.argv[2].split(",") if name] if len(sys.argv) > 2 else []
    start, start_cpu = time.perf_counter(), time.process_time()
    if target == EMPTY:
        pass
    elif target == BASELINE:
        import botocore.session

        botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
    else:
        # "<module>" or "<module>+<module>:<function>": the import, then a first use
        # (benchmarks.run's "stripe" rows: the handler, then the Stripe SDK and client).
        module, _, then = target.partition("+")
        __import__(module)
        if then:
            name, _, function = then.partition(":")
            getattr(__import__(name, fromlist=[function]), function)()
    elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu

    import json

    loaded = [name for name in notable if name in sys.modules]
    sys.stdout.write(
        MARKER
        + json.dumps({"seconds": elapsed, "cpu_seconds": elapsed_cpu, "loaded": loaded})
        + "\n"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
