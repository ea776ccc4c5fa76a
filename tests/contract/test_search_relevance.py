"""Relevance, measured: 3,000 generated products (benchmarks/search_catalog.py, seeded) and
42 queries a shopper would type (plurals, typos, brand + type, attribute words, looser
phrasings, a last word still being typed), judged by the generator's facts. Reports
precision@5 and nDCG@10 (binary gains) per query and on average, and holds floors set from
what was measured (docs/search-engine.md, "Relevance"). The embedded engine always;
OpenSearch when OPENSEARCH_URL is set."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.search_catalog import RELEVANCE_QUERIES, Facts, generate
from domain.search.ports import SearchIndex, SearchQuery
from tests.contract.test_search_index import OPENSEARCH_REGION, OPENSEARCH_URL, opensearch_live

CATALOGUE = 3_000
REPORT = Path(__file__).resolve().parents[2] / ".local" / "search-relevance.json"

# Floors, from the figures measured (tantivy 0.27.0, 42 queries: mean P@5 0.976, mean
# nDCG@10 0.976; every query 1.00 but the known miss); set under them so a regression
# fails, not a rounding. The known miss: a word no product uses, whose meaning only a
# synonym list would give (docs/search-engine.md, "Limits"); it is measured, and counted in the
# means, but not held to the per-query floor.
MEAN_PRECISION_AT_5 = 0.95
MEAN_NDCG_AT_10 = 0.95
WORST_PRECISION_AT_5 = 0.8
KNOWN_MISSES = {"sneakers"}


@pytest.fixture(
    scope="module", params=["tantivy", pytest.param("opensearch", marks=opensearch_live)]
)
def catalogue(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SearchIndex, dict[str, Facts], str]]:
    docs, facts = generate(CATALOGUE)
    if request.param == "tantivy":
        from adapters.search_tantivy import TantivySearchIndex

        index: SearchIndex = TantivySearchIndex(tmp_path_factory.mktemp("relevance"))
        index.rebuild(docs)
        yield index, facts, "tantivy"
        return
    from adapters.search_opensearch import OpenSearchIndex, client_for

    engine = OpenSearchIndex(
        client_for(OPENSEARCH_URL, OPENSEARCH_REGION), f"bazaar-relevance-{uuid.uuid4().hex[:8]}"
    )
    engine.rebuild(docs)
    try:
        yield engine, facts, "opensearch"
    finally:
        engine.delete_all()


def ndcg(relevant: list[bool], total_relevant: int, k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(relevant[:k]) if hit)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(total_relevant, k)))
    return dcg / ideal if ideal else 0.0


def test_relevance_meets_its_floors(
    catalogue: tuple[SearchIndex, dict[str, Facts], str],
) -> None:
    index, facts, engine = catalogue
    assert len(RELEVANCE_QUERIES) >= 30
    rows: list[dict[str, Any]] = []
    for text, rule in RELEVANCE_QUERIES:
        expected = {pid for pid, f in facts.items() if rule(f)}
        assert expected, f"{text!r}: the catalogue has nothing a shopper would expect"
        hits = index.search(SearchQuery(text=text, limit=10)).hits
        relevant = [h.product_id in expected for h in hits]
        rows.append(
            {
                "query": text,
                "expected": len(expected),
                "p@5": sum(relevant[:5]) / 5,
                "ndcg@10": round(ndcg(relevant, len(expected)), 4),
            }
        )
    mean_p5 = sum(r["p@5"] for r in rows) / len(rows)
    mean_ndcg = sum(r["ndcg@10"] for r in rows) / len(rows)
    worst = min((r for r in rows if r["query"] not in KNOWN_MISSES), key=lambda r: r["p@5"])
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "engine": engine,
                "products": CATALOGUE,
                "queries": len(rows),
                "mean_precision_at_5": round(mean_p5, 4),
                "mean_ndcg_at_10": round(mean_ndcg, 4),
                "rows": rows,
            },
            indent=1,
        )
    )
    print(
        f"\n{engine}: {len(rows)} queries over {CATALOGUE} products: "
        f"mean P@5 {mean_p5:.3f}, mean nDCG@10 {mean_ndcg:.3f}, "
        f"worst P@5 {worst['p@5']:.2f} ({worst['query']!r}) but the known misses"
    )
    for r in rows:
        print(f"  {r['query']:<28} P@5 {r['p@5']:.2f}  nDCG@10 {r['ndcg@10']:.3f}")
    assert mean_p5 >= MEAN_PRECISION_AT_5
    assert mean_ndcg >= MEAN_NDCG_AT_10
    assert worst["p@5"] >= WORST_PRECISION_AT_5, worst
