"""``make dev``: the whole API on this machine, with no AWS account.

Starts the embedded AWS on :4566, creates the resources serverless.yml declares, seeds
demo data, and runs ``serverless offline`` on :3000 (with the stream and SQS emulation).
Ctrl-C, SIGTERM and SIGHUP all stop everything it started. A port already taken is
named at once, with the program holding it, before anything starts.
"""

from __future__ import annotations

import os
import shutil
import sys

from scripts.local import (
    LOCAL_SEARCH_DIR,
    ensure_free,
    local_env,
    provision,
    start_embedded_aws,
    start_offline,
    stop,
    stop_on_signals,
)

AWS_PORT = int(os.environ.get("LOCAL_AWS_PORT", "4566"))
HTTP_PORT = int(os.environ.get("OFFLINE_HTTP_PORT", "3000"))


def main() -> int:
    aws = offline = None
    with stop_on_signals():
        try:
            ensure_free(AWS_PORT, "LOCAL_AWS_PORT")
            ensure_free(HTTP_PORT, "OFFLINE_HTTP_PORT")
            print(f"▶ starting the embedded AWS on :{AWS_PORT}", flush=True)
            aws = start_embedded_aws(AWS_PORT)
            provision(AWS_PORT)
            os.environ.update(local_env(AWS_PORT))
            from scripts.stack import function_environment, resolved_config

            os.environ.update(function_environment(resolved_config("dev")))
            from scripts import seed

            seed.seed()
            # The search index (issue 11) starts from the table just seeded: the index of
            # a previous run describes a table that is gone.
            from scripts.reindex import rebuild_here

            shutil.rmtree(LOCAL_SEARCH_DIR, ignore_errors=True)
            os.environ["SEARCH_INDEX_DIR"] = str(LOCAL_SEARCH_DIR)
            rebuild_here()
            print(
                f"▶ starting serverless offline on :{HTTP_PORT} (first start takes a few seconds)",
                flush=True,
            )
            offline = start_offline(AWS_PORT, HTTP_PORT, timeout=120)
            print(
                f"""
Bazaar is running.
  API          http://127.0.0.1:{HTTP_PORT}
  API docs     http://127.0.0.1:{HTTP_PORT}/docs
  embedded AWS http://127.0.0.1:{AWS_PORT}   (emails sent: make outbox)

Demo accounts:
{seed.describe()}

Ctrl-C stops everything.""",
                flush=True,
            )
            offline.wait()
            return offline.returncode or 0
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM/SIGHUP (scripts.local.Stopped)
            return 0
        except RuntimeError as exc:
            print(f"✗ {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            stop(offline)
            stop(aws)
            print("stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
