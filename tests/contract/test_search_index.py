"""SearchIndex (domain/search/ports.py): the embedded engine (adapters/search_tantivy.py)
always, and OpenSearch (adapters/search_opensearch.py) when ``OPENSEARCH_URL`` names a
cluster (each test then works in indexes of its own, removed after it). Both keep the
same rules: versions decide, only live products are found, every word must match (a typo
or a plural too), filters, sorts, facets over the whole matching set, an opaque cursor."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.paging import UnknownCursor
from domain.search.ports import (
    MAX_SUGGESTIONS,
    PRICE_BAND_EDGES,
    OrderDoc,
    ProductDoc,
    SearchIndex,
    SearchQuery,
    SearchSort,
)

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
# requests are SigV4-signed for this region when set (an Amazon OpenSearch Service domain)
OPENSEARCH_REGION = os.environ.get("OPENSEARCH_REGION", "")
opensearch_live = [
    pytest.mark.opensearch,
    pytest.mark.skipif(
        not OPENSEARCH_URL,
        reason="OPENSEARCH_URL is not set: no OpenSearch cluster to test against",
    ),
]

ENGINES = ["tantivy", pytest.param("opensearch", marks=opensearch_live)]


@pytest.fixture(params=ENGINES)
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    if request.param == "tantivy":
        from adapters.search_tantivy import TantivySearchIndex

        yield TantivySearchIndex(tmp_path / "search")
        return
    from adapters.search_opensearch import OpenSearchIndex, client_for

    prefix = f"bazaar-contract-{uuid.uuid4().hex[:10]}"
    engine = OpenSearchIndex(client_for(OPENSEARCH_URL, OPENSEARCH_REGION), prefix, refresh=True)
    try:
        yield engine
    finally:
        engine.delete_all()


def doc(n: int, name: str, **changes: object) -> ProductDoc:
    base = ProductDoc(
        product_id=f"prd_{n:04d}",
        version=1,
        name=name,
        brand="Acme",
        category_ids=("cat_headphones", "cat_audio"),
        category_names=("Headphones", "Audio"),
        description="A sturdy product for everyday use.",
        price=1000 * n,
        currency="USD",
        in_stock=True,
        rating=4.0,
        created_at=datetime(2026, 1, n, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def ids(index: SearchIndex, **query: object) -> list[str]:
    return [h.product_id for h in index.search(SearchQuery(**query)).hits]  # type: ignore[arg-type]


@pytest.fixture
def shop(index: SearchIndex) -> SearchIndex:
    for d in (
        doc(1, "Wireless Headphones", brand="Sony", rating=4.8),
        doc(2, "Wired Headphone", brand="Bose", in_stock=False, rating=None),
        doc(
            3,
            "Bluetooth Speaker",
            brand="JBL",
            category_ids=("cat_speakers", "cat_audio"),
            category_names=("Speakers", "Audio"),
            attributes=(("colour", "black"),),
            rating=3.5,
        ),
        doc(
            4,
            "Trail Running Shoes",
            brand="Nike",
            category_ids=("cat_shoes",),
            category_names=("Shoes",),
            description="Light shoes; pairs well with wireless earbuds.",
            rating=4.2,
        ),
        doc(
            5,
            "Espresso Machine",
            brand="Sony",
            category_ids=("cat_kitchen",),
            category_names=("Kitchen",),
            price=60_000,
            rating=None,
        ),
    ):
        assert index.upsert(d)
    return index


# -- versions ------------------------------------------------------------------------------


def test_a_newer_version_replaces_and_a_stale_or_repeated_one_is_ignored(
    index: SearchIndex,
) -> None:
    assert index.upsert(doc(1, "Wireless Headphones", version=2))
    assert not index.upsert(doc(1, "Wireless Headphones", version=2))
    assert not index.upsert(doc(1, "Old Name", version=1))
    assert ids(index, text="old") == []
    assert index.upsert(doc(1, "Noise Cancelling Headphones", version=3))
    assert ids(index, text="cancelling") == ["prd_0001"]
    assert ids(index, text="wireless") == []
    assert index.search(SearchQuery()).total == 1


def test_a_removal_leaves_a_tombstone_a_stale_upsert_cannot_pass(index: SearchIndex) -> None:
    assert index.upsert(doc(1, "Wireless Headphones", version=3))
    assert not index.remove("prd_0001", 2)  # older than what is indexed
    assert ids(index, text="wireless") == ["prd_0001"]
    assert index.remove("prd_0001", 4)
    assert ids(index, text="wireless") == []
    assert not index.upsert(doc(1, "Wireless Headphones", version=4))
    assert index.search(SearchQuery()).total == 0
    assert index.upsert(doc(1, "Wireless Headphones", version=5))  # re-activated later
    assert ids(index, text="wireless") == ["prd_0001"]


def test_a_removal_first_still_holds_off_the_older_upsert_that_arrives_late(
    index: SearchIndex,
) -> None:
    assert index.remove("prd_0009", 7)
    assert not index.upsert(doc(9, "Late Arrival", version=6))
    assert index.search(SearchQuery()).total == 0


# -- matching ------------------------------------------------------------------------------


def test_typos_plurals_and_a_prefix_of_the_last_word_match(shop: SearchIndex) -> None:
    assert ids(shop, text="wireles headphone") == ["prd_0001"]
    assert ids(shop, text="wirless headphnes")[0] == "prd_0001"
    assert set(ids(shop, text="headphones")) == {"prd_0001", "prd_0002"}
    assert ids(shop, text="bluetooth spea") == ["prd_0003"]
    assert ids(shop, text="espr") == ["prd_0005"]


def test_short_words_are_not_fuzzed_and_every_word_must_match(shop: SearchIndex) -> None:
    assert ids(shop, text="jbm ") == []  # three letters: exact only
    assert ids(shop, text="wireless speaker") == []
    assert ids(shop, text="sony espresso") == ["prd_0005"]


def test_name_outranks_brand_outranks_category_outranks_description(index: SearchIndex) -> None:
    index.upsert(doc(1, "Plain Thing", description="works with a jogger"))
    index.upsert(doc(2, "Plain Thing", category_names=("Jogger",)))
    index.upsert(doc(3, "Plain Thing", brand="Jogger"))
    index.upsert(doc(4, "Jogger Thing"))
    assert ids(index, text="jogger ") == ["prd_0004", "prd_0003", "prd_0002", "prd_0001"]


def test_attributes_are_searchable_words(shop: SearchIndex) -> None:
    assert ids(shop, text="black speaker") == ["prd_0003"]


def test_query_syntax_is_only_words(shop: SearchIndex) -> None:
    for text in (
        'name:"wireless" OR *:*',
        "(headphones AND",
        "brand:Sony^100",
        "wire* ~2 {}[]\\/",
        '{"match_all": {}}',
    ):
        found = shop.search(SearchQuery(text=text))
        assert found.total < 5, text  # never "everything", never an error


def test_empty_text_lists_everything_newest_first_and_huge_text_is_cut(
    shop: SearchIndex,
) -> None:
    assert ids(shop, text="   ") == ["prd_0005", "prd_0004", "prd_0003", "prd_0002", "prd_0001"]
    huge = "headphones " + "x" * 20_000  # the 200 characters: a word too long is dropped
    assert set(ids(shop, text=huge)) == {"prd_0001", "prd_0002"}
    assert set(ids(shop, text="wireless " * 500)) == {"prd_0001", "prd_0004"}


# -- filters, sorts, facets ------------------------------------------------------------------


def test_filters(shop: SearchIndex) -> None:
    assert set(ids(shop, category_id="cat_audio")) == {"prd_0001", "prd_0002", "prd_0003"}
    assert ids(shop, category_id="cat_speakers") == ["prd_0003"]
    assert ids(shop, min_price=2000, max_price=3000, sort=SearchSort.PRICE_ASC) == [
        "prd_0002",
        "prd_0003",
    ]
    assert set(ids(shop, brand="sony")) == {"prd_0001", "prd_0005"}
    assert "prd_0002" not in ids(shop, in_stock=True)
    assert ids(shop, in_stock=False) == ["prd_0002"]
    assert set(ids(shop, min_rating=4.0)) == {"prd_0001", "prd_0004"}
    assert ids(shop, text="headphones", in_stock=True) == ["prd_0001"]


def test_sorts(shop: SearchIndex) -> None:
    assert ids(shop, sort=SearchSort.PRICE_ASC) == [f"prd_000{n}" for n in (1, 2, 3, 4, 5)]
    assert ids(shop, sort=SearchSort.PRICE_DESC) == [f"prd_000{n}" for n in (5, 4, 3, 2, 1)]
    assert ids(shop, sort=SearchSort.NEWEST) == [f"prd_000{n}" for n in (5, 4, 3, 2, 1)]
    assert ids(shop, sort=SearchSort.RATING)[:3] == ["prd_0001", "prd_0004", "prd_0003"]
    assert set(ids(shop, sort=SearchSort.RATING)[3:]) == {"prd_0002", "prd_0005"}  # unrated
    assert ids(shop, text="headphones", sort=SearchSort.PRICE_DESC) == ["prd_0002", "prd_0001"]


def test_facets_count_the_whole_matching_set_not_the_page(shop: SearchIndex) -> None:
    found = shop.search(SearchQuery(limit=1))
    assert len(found.hits) == 1
    assert found.total == 5
    brands = {f.value: f.count for f in found.facets.brands}
    assert brands == {"Sony": 2, "Bose": 1, "JBL": 1, "Nike": 1}
    assert found.facets.brands[0].value == "Sony"
    categories = {f.value: f.count for f in found.facets.categories}
    assert categories["cat_audio"] == 3
    assert categories["cat_headphones"] == 2
    bands = [(b.min, b.max, b.count) for b in found.facets.price_bands]
    assert [b[0] for b in bands] == list(PRICE_BAND_EDGES)
    assert bands[0] == (0, 2_500, 2)
    assert bands[1] == (2_500, 5_000, 2)
    assert bands[-1] == (50_000, None, 1)
    narrowed = shop.search(SearchQuery(text="headphones"))
    assert {f.value: f.count for f in narrowed.facets.brands} == {"Sony": 1, "Bose": 1}


def test_highlights_mark_the_matching_words(shop: SearchIndex) -> None:
    [hit] = shop.search(SearchQuery(text="wireless headphones")).hits[:1]
    name = next(h for h in hit.highlights if h.field == "name")
    assert name.text == "Wireless Headphones"
    marked = {name.text[a:b].lower() for a, b in name.ranges}
    assert marked == {"wireless", "headphones"}


def test_a_hit_carries_what_a_list_shows(shop: SearchIndex) -> None:
    [hit] = shop.search(SearchQuery(text="wired")).hits
    assert (hit.product_id, hit.name, hit.brand, hit.price, hit.currency) == (
        "prd_0002",
        "Wired Headphone",
        "Bose",
        2000,
        "USD",
    )
    assert hit.rating is None
    assert hit.in_stock is False
    assert hit.score > 0


# -- paging --------------------------------------------------------------------------------


def test_the_cursor_walks_every_page_once(index: SearchIndex) -> None:
    for n in range(1, 26):
        index.upsert(doc(n, f"Gadget {n}"))
    seen: list[str] = []
    query = SearchQuery(text="gadget", limit=10)
    while True:
        page = index.search(query)
        assert page.total == 25
        seen += [h.product_id for h in page.hits]
        if page.next_cursor is None:
            break
        query = replace(query, cursor=page.next_cursor)
    assert sorted(seen) == [f"prd_{n:04d}" for n in range(1, 26)]


def test_a_cursor_belongs_to_its_query(index: SearchIndex) -> None:
    for n in range(1, 4):
        index.upsert(doc(n, f"Gadget {n}"))
    cursor = index.search(SearchQuery(text="gadget", limit=1)).next_cursor
    assert cursor
    with pytest.raises(UnknownCursor):
        index.search(SearchQuery(text="other", limit=1, cursor=cursor))
    for bad in ("nope", "eyJvIjotMSwicSI6IngifQ", cursor[:-2] + "zz"):
        with pytest.raises(UnknownCursor):
            index.search(SearchQuery(text="gadget", cursor=bad))
    # the page size may change between pages; the query may not
    assert index.search(SearchQuery(text="gadget", limit=2, cursor=cursor)).hits


# -- suggestions ---------------------------------------------------------------------------


def test_suggestions_complete_the_last_word_from_live_products(shop: SearchIndex) -> None:
    assert set(shop.suggest("wire")) == {"Wireless Headphones", "Wired Headphone"}
    assert shop.suggest("wireless head") == ["Wireless Headphones"]
    assert shop.suggest("so") == [] or set(shop.suggest("so")) <= {
        "Wireless Headphones",
        "Espresso Machine",
    }
    assert shop.suggest("   ") == []
    shop.remove("prd_0002", 9)
    assert shop.suggest("wire") == ["Wireless Headphones"]


def test_suggestions_are_at_most_the_limit_and_never_repeat(index: SearchIndex) -> None:
    for n in range(1, 31):  # 15 named alike, 15 apart
        index.upsert(doc(n, "Gadget Pro" if n % 2 else f"Gadget {n}"))
    got = index.suggest("gad")
    assert len(got) == MAX_SUGGESTIONS
    assert len({g.lower() for g in got}) == len(got)
    assert len(index.suggest("gad", limit=3)) == 3


# -- rebuild -------------------------------------------------------------------------------


def test_a_rebuild_is_built_from_the_docs_alone_and_swapped_in(shop: SearchIndex) -> None:
    shop.remove("prd_0003", 5)
    fresh = [doc(7, "Desk Lamp"), doc(1, "Wireless Headphones", version=2)]
    assert shop.rebuild(fresh) == 2
    assert set(ids(shop)) == {"prd_0007", "prd_0001"}
    assert not shop.upsert(doc(1, "Wireless Headphones", version=2))
    assert shop.upsert(doc(3, "Bluetooth Speaker", version=1))  # no tombstone now


def test_a_write_during_the_rebuild_survives_the_swap_when_newer(index: SearchIndex) -> None:
    index.upsert(doc(1, "Wireless Headphones", version=1))

    def docs() -> Iterator[ProductDoc]:
        yield doc(1, "Wireless Headphones", version=1)
        # the indexer keeps running while the table is read
        index.upsert(doc(1, "Wireless Headphones Mark Two", version=2))
        index.upsert(doc(8, "Brand New Item", version=1))
        yield doc(2, "Wired Headphone", version=1)

    index.rebuild(docs())
    assert ids(index, text="mark two") == ["prd_0001"]
    assert ids(index, text="brand new") == ["prd_0008"]
    assert ids(index, text="wired") == ["prd_0002"]


# -- orders --------------------------------------------------------------------------------


def order(n: int, **changes: object) -> OrderDoc:
    base = OrderDoc(
        order_id=f"ord_01JD{n:022d}",
        version=1,
        customer_email=f"buyer{n}@example.com",
        customer_name="Jane Doe" if n % 2 else "Omar Haddad",
        status="paid" if n % 3 else "shipped",
        total=1999 * n,
        currency="USD",
        created_at=datetime(2026, 2, n, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_orders_are_found_by_id_email_name_and_status(index: SearchIndex) -> None:
    for n in range(1, 7):
        assert index.upsert_order(order(n))
    first = order(1)
    assert index.search_orders(first.order_id)[0].order_id == first.order_id
    assert index.search_orders("buyer4@example.com")[0].order_id == order(4).order_id
    assert {h.order_id for h in index.search_orders("haddad")} == {
        order(n).order_id for n in (2, 4, 6)
    }
    assert {h.order_id for h in index.search_orders("shipped")} == {
        order(n).order_id for n in (3, 6)
    }
    assert {h.order_id for h in index.search_orders("jane dOe")} == {
        order(n).order_id for n in (1, 3, 5)
    }
    hit = index.search_orders(first.order_id)[0]
    assert (hit.total, hit.currency, hit.status) == (1999, "USD", "paid")
    assert index.search_orders("") == []
    assert len(index.search_orders("jane", limit=2)) == 2


def test_an_order_keeps_its_newest_version(index: SearchIndex) -> None:
    assert index.upsert_order(order(1, version=3, status="shipped"))
    assert not index.upsert_order(order(1, version=2, status="paid"))
    [hit] = index.search_orders(order(1).order_id)
    assert hit.status == "shipped"
    assert index.search_orders("paid") == []
