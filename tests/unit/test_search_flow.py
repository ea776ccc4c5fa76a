"""The search flow's rules (domain/search/indexing.py, queries.py) with plain fakes of
its ports: what is indexed, what is removed, which version wins, the rebuild, and what a
query means before it reaches the engine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.catalog.model import Category, ProductStatus, Rating
from domain.errors import NotFound
from domain.search.indexing import (
    VERSION_SCALE,
    OrderRecord,
    Outcome,
    doc_version,
    index_order,
    index_product,
    product_doc,
    reindex,
)
from domain.search.ports import MAX_QUERY_CHARS, SearchQuery
from domain.search.queries import search_orders, search_products, suggest, tidy
from tests.unit.search_flow_fakes import (
    T0,
    FakeCategories,
    FakeSearchIndex,
    FakeSources,
    category,
    listing,
)

World = tuple[FakeSources, FakeCategories, FakeSearchIndex]


@pytest.fixture
def world() -> World:
    tree = FakeCategories(
        [category("cat_a", "Audio", "cat_a"), category("cat_b", "Headphones", "cat_a/cat_b")]
    )
    return FakeSources(), tree, FakeSearchIndex()


def run(
    world: tuple[FakeSources, FakeCategories, FakeSearchIndex],
    product_id: str = "prd_1",
    *,
    minutes: int = 0,
) -> str:
    sources, tree, index = world
    return index_product(
        product_id,
        sources=sources,
        categories=tree,
        index=index,
        now=T0 + timedelta(minutes=minutes),
        clock=0.0,
    )


def test_an_active_product_is_indexed_as_the_table_holds_it(world: World) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing(
        version=3, rating=Rating(2, 9), attributes={"colour": "black"}
    )
    assert run(world) == Outcome.INDEXED
    doc = index.docs["prd_1"]
    assert doc.version == 3 * VERSION_SCALE + int(T0.timestamp() * 1000)
    assert doc.category_ids == ("cat_b", "cat_a")  # its own first, then the ancestors
    assert doc.category_names == ("Headphones", "Audio")
    assert (doc.price, doc.currency, doc.in_stock, doc.rating) == (5999, "USD", True, 4.5)
    assert doc.attributes == (("colour", "black"),)


def test_a_category_made_after_the_cached_copy_is_read_again(world: World) -> None:
    sources, tree, index = world
    tree.made_since = [category("cat_c", "Earbuds", "cat_a/cat_c")]
    sources.listings["prd_1"] = listing(category_id="cat_c")
    run(world)
    assert index.docs["prd_1"].category_ids == ("cat_c", "cat_a")


def test_out_of_stock_and_unrated_are_said_so(world: World) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing(available=0)
    sources.listings["prd_2"] = listing("prd_2", available=None)
    run(world), run(world, "prd_2")
    assert [index.docs[i].in_stock for i in ("prd_1", "prd_2")] == [False, False]
    assert index.docs["prd_1"].rating is None


@pytest.mark.parametrize(
    "status",
    [
        ProductStatus.ARCHIVED,
        ProductStatus.REJECTED,
        ProductStatus.PENDING_REVIEW,
        ProductStatus.DRAFT,
    ],
)
def test_only_active_products_are_searchable(world: World, status: ProductStatus) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing(version=3)
    run(world)
    sources.listings["prd_1"] = listing(version=4, status=status)
    assert run(world, minutes=1) == Outcome.REMOVED
    assert "prd_1" not in index.docs


def test_a_redelivered_event_writes_nothing_new(world: World) -> None:
    sources = world[0]
    sources.listings["prd_1"] = listing(version=3)
    assert run(world) == Outcome.INDEXED
    assert run(world) == Outcome.STALE  # the same read at the same moment: the same version


def test_a_read_at_an_older_item_version_never_wins_whatever_the_clock(world: World) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing(version=4, status=ProductStatus.ARCHIVED)
    assert run(world) == Outcome.REMOVED
    sources.listings["prd_1"] = listing(version=3)  # a slow container's earlier read
    assert run(world, minutes=5) == Outcome.STALE
    assert "prd_1" not in index.docs


def test_a_stock_or_rating_change_at_the_same_item_version_follows_by_time(world: World) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing(version=3, available=5)
    run(world)
    sources.listings["prd_1"] = listing(version=3, available=0)
    assert run(world, minutes=1) == Outcome.INDEXED
    assert index.docs["prd_1"].in_stock is False


def test_a_product_not_in_the_table_is_left_alone(world: World) -> None:
    assert run(world, "prd_9") == Outcome.MISSING
    assert world[2].versions == {}


def test_versions_put_the_item_version_first() -> None:
    later = T0 + timedelta(days=365 * 100)
    assert doc_version(3, later) < doc_version(4, T0)


def test_orders_are_indexed_with_their_buyer(world: World) -> None:
    sources, _, index = world
    record = OrderRecord("ord_1", 2, "nia@example.com", "Nia Ng", "confirmed", 3739, "USD", T0)
    sources.records["ord_1"] = record
    assert index_order("ord_1", sources=sources, index=index, now=T0) == Outcome.INDEXED
    assert index_order("ord_1", sources=sources, index=index, now=T0) == Outcome.STALE
    assert index.orders["ord_1"].customer_email == "nia@example.com"
    assert index_order("ord_2", sources=sources, index=index, now=T0) == Outcome.MISSING


def test_reindex_pages_through_active_products_and_swaps_once(world: World) -> None:
    sources, tree, index = world
    for n in range(7):
        sources.listings[f"prd_{n}"] = listing(f"prd_{n}")
    sources.listings["prd_x"] = listing("prd_x", status=ProductStatus.ARCHIVED)
    index.docs["prd_gone"] = product_doc(listing("prd_gone"), [], T0)  # no longer active
    seen: list[int] = []
    count = reindex(
        sources=sources,
        categories=tree,
        index=index,
        now=lambda: T0,
        clock=0.0,
        progress=seen.append,
        page_size=3,
    )
    assert count == 7
    assert seen == [3, 6, 7]
    assert sources.pages_read == 3
    assert index.rebuilds == 1
    assert sorted(index.docs) == sorted(f"prd_{n}" for n in range(7))  # the stale one is gone


def test_a_search_in_an_unknown_category_is_not_found(world: World) -> None:
    _, tree, index = world
    with pytest.raises(NotFound):
        search_products(SearchQuery(category_id="cat_zzz"), index=index, categories=tree, clock=0.0)
    assert index.queries == []


def test_a_price_range_upside_down_matches_nothing_without_asking(world: World) -> None:
    sources, tree, index = world
    sources.listings["prd_1"] = listing()
    run(world)
    found = search_products(
        SearchQuery(min_price=100, max_price=50), index=index, categories=tree, clock=0.0
    )
    assert (found.total, found.hits, index.queries) == (0, (), [])
    found = search_products(
        SearchQuery(text="wireless", category_id="cat_a"), index=index, categories=tree, clock=0.0
    )
    assert [h.product_id for h in found.hits] == ["prd_1"]


def test_suggestions_need_a_letter_and_stop_at_ten(world: World) -> None:
    sources, _, index = world
    sources.listings["prd_1"] = listing()
    run(world)
    assert suggest("  ", index=index) == []
    assert suggest("?!", index=index) == []
    assert suggest("wire", index=index) == ["Wireless headphones"]
    assert suggest("wire", index=index, limit=50) == ["Wireless headphones"]


def test_huge_text_is_cut_at_a_word_and_empty_order_text_finds_nothing(world: World) -> None:
    text = tidy("headphones " * 100)
    assert len(text) <= MAX_QUERY_CHARS
    assert text.endswith("headphones")
    assert tidy("  two   words ") == "two words"
    assert search_orders("   ", index=world[2], limit=5) == []


def test_the_indexers_category_cache_reads_once_a_minute_and_again_for_a_new_id() -> None:
    from domain.search.indexing import CachedCategories

    stored = [category("cat_a", "Audio", "cat_a")]
    reads: list[int] = []

    def read() -> list[Category]:
        reads.append(1)
        return list(stored)

    cached = CachedCategories(read)
    assert [c.category_id for c in cached.current(0.0)] == ["cat_a"]
    assert cached.current(30.0)
    assert len(reads) == 1
    stored.append(category("cat_b", "Headphones", "cat_a/cat_b"))
    assert cached.subtree("cat_b", 31.0) == ["cat_b"]  # unknown in the copy: read again
    assert len(reads) == 2
    assert cached.subtree("cat_zzz", 31.0) == []  # the copy is from this moment: no read
    assert len(reads) == 2
    cached.current(100.0)
    assert len(reads) == 3
