"""Rebuild the search index from the table and swap it in (issue 11; docs/search.md).

    make reindex                 # local: the running `make dev` (embedded AWS, .local/search)
    make reindex STAGE=prod      # a deployed stage: invokes its reindexSearch function

Locally the rebuild runs here, against the embedded AWS, into the index directory the
stack's functions read; a deployed stage's index lives with its functions (or its
OpenSearch domain), so there the stage's own ``reindexSearch`` function does it. Either
way: Queries on the active-products index (no Scan), progress as it goes, and one atomic
swap at the end (searches answer from the old index until then).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def rebuild_here(progress: bool = True) -> int:
    """The rebuild, in this process, with the environment already set."""
    from domain.clock import utcnow
    from domain.search.indexing import reindex
    from handlers.shared import wiring

    started = time.monotonic()

    def report(seen: int) -> None:
        if progress:
            print(f"  … {seen} active products read", flush=True)

    count = reindex(
        sources=wiring.search_sources(),
        categories=wiring.search_categories(),
        index=wiring.search_index(),
        now=utcnow,
        clock=time.monotonic(),
        progress=report,
    )
    if progress:
        print(f"✓ {count} products indexed and swapped in ({time.monotonic() - started:.1f} s)")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild Bazaar's search index.")
    parser.add_argument("--stage", default="dev")
    args = parser.parse_args(argv)

    from scripts.stack import LOCAL_ENV, ROOT, function_environment, resolved_config

    if args.stage != "dev":
        command = [str(ROOT / "node_modules" / ".bin" / "serverless"), "invoke"]
        command += ["-f", "reindexSearch", "--stage", args.stage, "--log"]
        print(f"▶ {' '.join(command[1:])}", flush=True)
        return subprocess.call(command, cwd=ROOT)

    from scripts.local import LOCAL_SEARCH_DIR

    if "AWS_ENDPOINT_URL" not in os.environ:
        os.environ.update(LOCAL_ENV)
        port = os.environ.get("LOCAL_AWS_PORT", "4566")
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.update(function_environment(resolved_config("dev")))
    os.environ["SEARCH_INDEX_DIR"] = str(LOCAL_SEARCH_DIR)  # where `make dev`'s functions read
    print(f"▶ rebuilding {LOCAL_SEARCH_DIR} from the table", flush=True)
    rebuild_here()
    return 0


if __name__ == "__main__":
    sys.exit(main())
