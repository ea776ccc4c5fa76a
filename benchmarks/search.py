"""``make bench`` (search): the embedded engine in-process on a generated catalogue.

Measures a full rebuild of 10,000 products (benchmarks/search_catalog.py) and the index's
size on disk, then p50/p95 of a search (the relevance queries, with facets, highlights and
a filter on every other one) and of a suggestion (prefixes of product names), each call as
a search function makes it: the pointer file read, the index reloaded, the query built.
Also one upsert (what the indexer pays per product: a commit).

Usage: ``python -m benchmarks.search [--products 10000] [--samples 400]``.
Writes ``.local/bench-search.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.search_catalog import RELEVANCE_QUERIES, generate
from domain.search.ports import SearchQuery

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / ".local" / "bench-search.json"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
    }


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(products: int, samples: int) -> dict[str, Any]:
    from adapters.search_tantivy import TantivySearchIndex

    docs, _ = generate(products)
    with tempfile.TemporaryDirectory() as directory:
        index = TantivySearchIndex(directory)
        started = time.perf_counter()
        indexed = index.rebuild(docs)
        rebuild_s = time.perf_counter() - started
        size = _size(Path(directory))

        texts = [text for text, _ in RELEVANCE_QUERIES]
        searches = []
        for n in range(samples):
            query = SearchQuery(text=texts[n % len(texts)])
            if n % 2:
                query = replace(query, category_id="cat_electronics", min_price=1_000)
            t0 = time.perf_counter()
            index.search(query)
            searches.append(time.perf_counter() - t0)

        prefixes = [d.name[: 3 + n % 6] for n, d in enumerate(docs[:samples])]
        suggestions = []
        for prefix in prefixes:
            t0 = time.perf_counter()
            index.suggest(prefix)
            suggestions.append(time.perf_counter() - t0)

        upserts = []
        for n, doc in enumerate(docs[:20]):
            t0 = time.perf_counter()
            index.upsert(replace(doc, version=2 + n))
            upserts.append(time.perf_counter() - t0)

    return {
        "products": indexed,
        "rebuild_s": round(rebuild_s, 3),
        "index_bytes": size,
        "search": _percentiles(searches),
        "suggest": _percentiles(suggestions),
        "upsert": _percentiles(upserts),
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=400)
    args = parser.parse_args(argv)
    result = run(args.products, args.samples)
    timings = "; ".join(
        f"{kind} p50 {result[kind]['p50_ms']:.2f} ms p95 {result[kind]['p95_ms']:.2f} ms"
        for kind in ("search", "suggest", "upsert")
    )
    print(
        f"search (tantivy, in-process, {result['products']} products): "
        f"rebuild {result['rebuild_s']:.2f} s, index {result['index_bytes'] / 1e6:.1f} MB; "
        + timings
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
