"""The OpenSearch adapter's client path in CI, against tests/support/opensearch_standin.py:
the index is created with the repository's mapping, documents carry external versions and
only declared fields, every request is SigV4-signed with the function's credentials, and a
search sends only the clauses the adapter may build (user text as values, never syntax) and
reads the cluster's answer (hits, highlights, aggregations) into the port's shapes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.search_opensearch import MARK_END, MARK_START, OpenSearchIndex, client_for, mapping
from domain.search.ports import OrderDoc, ProductDoc, SearchQuery, SearchSort
from tests.support.opensearch_standin import OpenSearchStandIn


@pytest.fixture
def standin() -> Iterator[OpenSearchStandIn]:
    server = OpenSearchStandIn()
    yield server
    server.close()


@pytest.fixture
def engine(standin: OpenSearchStandIn, monkeypatch: pytest.MonkeyPatch) -> OpenSearchIndex:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token")
    return OpenSearchIndex(client_for(standin.url, region="eu-west-1"), "bazaar-test")


def product(n: int = 1, version: int = 1) -> ProductDoc:
    return ProductDoc(
        product_id=f"prd_{n}",
        version=version,
        name="Wireless Headphones",
        brand="Sony",
        category_ids=("cat_headphones", "cat_audio"),
        category_names=("Headphones", "Audio"),
        description="Long battery life.",
        price=1999,
        currency="USD",
        in_stock=True,
        rating=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        attributes=(("colour", "black"),),
    )


def test_the_first_write_creates_the_index_with_the_repositorys_mapping_behind_an_alias(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    assert engine.upsert(product())
    [created] = standin.calls("PUT", r"^/bazaar-test-products-v\d+-\d+$")
    assert created.body["mappings"] == mapping()["products"]
    assert created.body["mappings"]["dynamic"] == "strict"
    assert standin.aliases["bazaar-test-products"] == created.path.strip("/")
    [written] = standin.calls("PUT", r"/_doc/prd_1$")
    assert written.params["version_type"] == ["external"]
    assert written.params["version"] == ["1"]
    assert written.body["rating"] == -1.0
    assert "colour black" in written.body["description"]


def test_versions_are_the_clusters_external_versions(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    assert engine.upsert(product(version=3))
    assert not engine.upsert(product(version=2))  # 409 from the cluster
    assert not engine.remove("prd_1", 3)
    assert engine.remove("prd_1", 4)
    tombstone = standin.indexes[standin.aliases["bazaar-test-products"]].docs["prd_1"]
    assert tombstone[0] == 4
    assert tombstone[1]["live"] is False


def test_every_request_is_signed_with_sigv4_from_the_functions_credentials(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product())
    engine.search(SearchQuery(text="headphones"))
    assert standin.requests
    for request in standin.requests:
        auth = request.headers["authorization"]
        assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        assert "/eu-west-1/es/aws4_request" in auth
        assert request.headers["x-amz-security-token"] == "session-token"


def _last_search(standin: OpenSearchStandIn) -> dict[str, Any]:
    body: dict[str, Any] = standin.calls("POST", r"/_search$")[-1].body
    return body


def test_user_text_is_sent_as_words_in_clauses_never_as_query_syntax(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product())
    for text in ('name:"x" OR *:*', "wire* ~2 (AND", '{"match_all": {}}', "Wireles HEADPH"):
        engine.search(SearchQuery(text=text))  # the stand-in refuses any other clause
        sent = repr(_last_search(standin))
        assert "query_string" not in sent
        assert "*:*" not in sent
    must = _last_search(standin)["query"]["bool"]["must"]
    assert len(must) == 2  # one dis_max per word
    first = must[0]["dis_max"]["queries"]
    assert {"fuzzy": {"name.w": {"value": "wireles", "fuzziness": 1, "prefix_length": 0,
                                 "boost": 1.6}}} in first  # fmt: skip
    last = must[1]["dis_max"]["queries"]
    assert {"prefix": {"name.w": {"value": "headph", "boost": 2.4}}} in last


def test_filters_sorts_and_paging_reach_the_body(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product())
    for n in range(2, 5):
        engine.upsert(product(n))
    query = SearchQuery(
        text="headphones",
        category_id="cat_audio",
        min_price=1000,
        max_price=5000,
        brand="SONY",
        in_stock=True,
        min_rating=4.0,
        sort=SearchSort.PRICE_DESC,
        limit=2,
    )
    first = engine.search(query)
    body = _last_search(standin)
    assert body["query"]["bool"]["filter"] == [
        {"term": {"live": True}},
        {"term": {"category_ids": "cat_audio"}},
        {"term": {"brand_key": "sony"}},
        {"range": {"price": {"gte": 1000, "lte": 5000}}},
        {"term": {"in_stock": True}},
        {"range": {"rating": {"gte": 4.0}}},
    ]
    assert body["sort"] == [{"price": "desc"}, {"id": "asc"}]
    assert (body["from"], body["size"]) == (0, 2)
    assert first.next_cursor
    engine.search(SearchQuery(**{**query.__dict__, "cursor": first.next_cursor}))
    assert _last_search(standin)["from"] == 2


def test_the_clusters_answer_becomes_the_ports_results(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product())
    source = standin.indexes[standin.aliases["bazaar-test-products"]].docs["prd_1"][1]
    standin.next_search = {
        "hits": {
            "total": {"value": 1},
            "hits": [
                {
                    "_id": "prd_1",
                    "_score": 7.5,
                    "_source": source,
                    "highlight": {"name": [f"Wireless {MARK_START}Headphones{MARK_END}"]},
                }
            ],
        },
        "aggregations": {
            "brands": {"buckets": [{"key": "Sony", "doc_count": 1}]},
            "categories": {"buckets": [{"key": "cat_audio", "doc_count": 1}]},
            "prices": {
                "buckets": [
                    {"key": "0.0-2500.0", "from": 0.0, "to": 2500.0, "doc_count": 1},
                    {"key": "50000.0-*", "from": 50000.0, "doc_count": 0},
                ]
            },
        },
    }
    found = engine.search(SearchQuery(text="headphones"))
    [hit] = found.hits
    assert (hit.product_id, hit.score, hit.price, hit.rating, hit.brand) == (
        "prd_1",
        7.5,
        1999,
        None,
        "Sony",
    )
    [highlight] = hit.highlights
    assert highlight.field == "name"
    assert highlight.text[slice(*highlight.ranges[0])] == "Headphones"
    assert found.facets.brands[0].value == "Sony"
    assert found.facets.price_bands[0].count == 1
    assert found.total == 1
    assert found.next_cursor is None


def test_suggestions_and_order_search_send_valid_bodies(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product())
    assert engine.suggest("wireless hea") == ["Wireless Headphones"]
    sent = _last_search(standin)
    assert sent["_source"] == ["name"]
    assert engine.upsert_order(
        OrderDoc("ord_1", 1, "Jane@Example.com", "Jane Doe", "paid", 1999, "USD", datetime.now(UTC))
    )
    [hit] = engine.search_orders("jane@example.com")
    assert hit.order_id == "ord_1"
    should = _last_search(standin)["query"]["bool"]["should"]
    assert {"term": {"email": {"value": "jane@example.com", "boost": 8.0}}} in should
    assert engine.search_orders("  ") == []


def test_a_rebuild_fills_a_new_index_carries_newer_writes_over_and_moves_the_alias(
    engine: OpenSearchIndex, standin: OpenSearchStandIn
) -> None:
    engine.upsert(product(1))
    engine.upsert(product(2))
    first = standin.aliases["bazaar-test-products"]

    def docs() -> Iterator[ProductDoc]:
        yield product(1, version=1)
        engine.upsert(product(3, version=4))  # the indexer, during the reindex
        yield product(2, version=2)

    assert engine.rebuild(docs()) == 3
    second = standin.aliases["bazaar-test-products"]
    assert second != first
    assert first not in standin.indexes  # the old index is deleted
    assert {k: v for k, (v, _) in standin.indexes[second].docs.items()} == {
        "prd_1": 1,
        "prd_2": 2,
        "prd_3": 4,
    }
    [bulk, carried] = standin.calls("POST", r"^/_bulk$")
    assert all(line.get("index", {}).get("version_type") in ("external", None)
               for line in bulk.body)  # fmt: skip
    assert [line["index"]["_id"] for line in carried.body[::2]] == ["prd_3"]
    [moved] = standin.calls("POST", r"^/_aliases$")
    assert moved.body["actions"] == [
        {"add": {"index": second, "alias": "bazaar-test-products"}},
        {"remove": {"index": first, "alias": "bazaar-test-products"}},
    ]
