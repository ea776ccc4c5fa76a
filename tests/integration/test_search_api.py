"""Search in the shop (issue 11) through the functions, against moto, with the embedded
engine: a product approved is found by a misspelt word, archived it is gone, its price
edit moves it in and out of a price filter, stock and reviews follow; suggestions; the
admins' order search; the queue's filter; and the rebuild."""

from __future__ import annotations

import pytest

from tests.integration.catalog_helpers import Shop, activate, create_product, shop
from tests.integration.helpers import problem
from tests.integration.search_helpers import Indexer, ids, misspelt, word
from tests.support.lambda_api import LambdaApi, query


@pytest.fixture
def indexer(api: LambdaApi) -> Indexer:
    return Indexer()


def listed(
    api: LambdaApi, s: Shop, name: str, *, price: int = 1999, stock: int = 10, **extra: object
) -> str:
    made = create_product(
        api, s.seller, s.child, sku=f"S-{word()}", name=name, price=price, **extra
    )
    activate(api, s.seller, s.admin, made["productId"], stock=stock)
    return str(made["productId"])


def search(api: LambdaApi, **params: object) -> list[str]:
    return ids(api.get(f"/search?{query(**params)}"))


def test_approved_is_found_by_a_misspelt_word_archived_is_gone(
    api: LambdaApi, indexer: Indexer
) -> None:
    s = shop(api)
    term = word()
    made = create_product(api, s.seller, s.child, sku="S-1", name=f"Walnut {term} lamp")
    product_id = made["productId"]
    indexer.sync()
    assert search(api, q=term) == []  # a draft is not searchable
    activate(api, s.seller, s.admin, product_id)
    indexer.sync()
    assert "product.activated" in indexer.delivered
    assert search(api, q=misspelt(term)) == [product_id]
    assert search(api, q=f"{term} lamp", category=s.root) == [product_id]  # subcategories too

    archived = api.delete(f"/products/{product_id}", token=s.seller.access)
    assert archived.status in (200, 204), archived.text
    indexer.sync()
    assert "product.archived" in indexer.delivered
    assert search(api, q=term) == []


def test_the_price_filter_follows_an_edit(api: LambdaApi, indexer: Indexer) -> None:
    s = shop(api)
    term = word()
    product_id = listed(api, s, f"Brass {term} sconce", price=1999)
    indexer.sync()
    assert search(api, q=term, maxPrice=2000) == [product_id]
    current = api.get(f"/products/{product_id}", token=s.seller.access)
    edited = api.patch(
        f"/products/{product_id}",
        json={"price": {"amount": 4999, "currency": "USD"}},
        token=s.seller.access,
        headers={"If-Match": str(current.body["version"])},
    )
    assert edited.status == 200, edited.text
    indexer.sync()
    assert "product.price_changed" in indexer.delivered
    assert search(api, q=term, maxPrice=2000) == []
    assert search(api, q=term, minPrice=4000, maxPrice=5000) == [product_id]
    (hit,) = api.get(f"/search?{query(q=term)}").body["items"]
    assert hit["price"] == {"amount": 4999, "currency": "USD"}


def test_stock_follows_and_results_carry_facets_and_highlights(
    api: LambdaApi, indexer: Indexer
) -> None:
    s = shop(api)
    term = word()
    product_id = listed(api, s, f"Linen {term} shade", stock=3, brand="Lumen")
    indexer.sync()
    found = api.get(f"/search?{query(q=term, inStock='true')}")
    assert ids(found) == [product_id]
    body = found.body
    assert body["total"] == 1
    assert body["facets"]["brands"] == [{"value": "Lumen", "count": 1}]
    assert {"value": s.root, "count": 1} in body["facets"]["categories"]
    assert sum(b["count"] for b in body["facets"]["priceBands"]) == 1
    assert any(h["field"] == "name" for h in body["items"][0]["highlights"])

    emptied = api.put(
        f"/products/{product_id}/inventory", json={"available": 0}, token=s.seller.access
    )
    assert emptied.status == 200, emptied.text
    indexer.sync()
    assert "product.stock_status_changed" in indexer.delivered
    assert search(api, q=term, inStock="true") == []
    assert search(api, q=term, inStock="false") == [product_id]


def test_an_edit_of_the_name_is_searchable_and_the_old_name_is_not(
    api: LambdaApi, indexer: Indexer
) -> None:
    s = shop(api)
    old, new = word(), word()
    product_id = listed(api, s, f"Oak {old} stool")
    indexer.sync()
    current = api.get(f"/products/{product_id}", token=s.seller.access)
    edited = api.patch(
        f"/products/{product_id}",
        json={"name": f"Oak {new} stool"},
        token=s.seller.access,
        headers={"If-Match": str(current.body["version"])},
    )
    assert edited.status == 200, edited.text
    indexer.sync()
    assert search(api, q=new) == [product_id]
    assert search(api, q=old) == []


def test_a_redelivered_batch_changes_nothing(api: LambdaApi, indexer: Indexer) -> None:
    from tests.support.lambda_api import LambdaContext, load_handler
    from tests.support.pipeline import sqs_event

    s = shop(api)
    term = word()
    listed(api, s, f"Cedar {term} box")
    published = load_handler("handlers/streams/publish_events.lambda_handler")(
        indexer.stream.event(), LambdaContext()
    )
    assert published == {"batchItemFailures": []}
    event = sqs_event("bazaar-dev-search")
    handler = load_handler("handlers/search/index_products.lambda_handler")
    assert handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert handler(event, LambdaContext()) == {"batchItemFailures": []}  # the same batch again
    assert len(search(api, q=term)) == 1


def test_a_message_that_fails_is_reported_alone(api: LambdaApi, indexer: Indexer) -> None:
    from tests.support.lambda_api import LambdaContext, load_handler

    handler = load_handler("handlers/search/index_products.lambda_handler")
    event = {
        "Records": [
            {"messageId": "m-bad", "body": "not an event"},
            {
                "messageId": "m-good",
                "body": '{"eventId": "evt_1", "type": "product.edited", "occurredAt": "", '
                '"subject": "prd_01JD5V3Q4E8W00000000000000", "data": {}}',
            },
        ]
    }
    assert handler(event, LambdaContext()) == {"batchItemFailures": [{"itemIdentifier": "m-bad"}]}


def test_suggestions_complete_the_last_word(api: LambdaApi, indexer: Indexer) -> None:
    s = shop(api)
    term = word()
    listed(api, s, f"{term.capitalize()} floor lamp")
    indexer.sync()
    found = api.get(f"/search/suggest?{query(q=term[:4])}")
    assert found.status == 200, found.text
    assert any(term in text.lower() for text in found.body["suggestions"])
    assert len(found.body["suggestions"]) <= 10
    assert api.get("/search/suggest?q=").body == {"suggestions": []}


def test_an_empty_text_lists_by_filters_and_a_huge_one_is_cut(
    api: LambdaApi, indexer: Indexer
) -> None:
    s = shop(api)
    brand = word().capitalize()
    first = listed(api, s, "Plain lamp", brand=brand, price=1000)
    second = listed(api, s, "Plain shade", brand=brand, price=3000)
    indexer.sync()
    assert search(api, brand=brand, sort="price_desc") == [second, first]
    assert search(api, q="", brand=brand, sort="price_asc") == [first, second]
    huge = " ".join(["lamp"] * 150)  # 749 characters: answered on its first words
    assert first in search(api, q=huge, brand=brand)
    too_long = api.get(f"/search?{query(q='x' * 1001)}")
    problem(too_long, 422, "validation_failed")


def test_pages_follow_the_cursor(api: LambdaApi, indexer: Indexer) -> None:
    s = shop(api)
    brand = word().capitalize()
    made = [listed(api, s, f"Lamp {n}", brand=brand, price=1000 + n) for n in range(3)]
    indexer.sync()
    first = api.get(f"/search?{query(brand=brand, sort='price_asc', limit=2)}")
    assert ids(first) == made[:2]
    cursor = first.body["nextCursor"]
    assert cursor
    second = api.get(f"/search?{query(brand=brand, sort='price_asc', limit=2, cursor=cursor)}")
    assert ids(second) == made[2:]
    assert second.body["nextCursor"] is None


def test_admins_find_orders_by_email_name_and_id(api: LambdaApi, indexer: Indexer) -> None:
    from tests.integration.order_helpers import record_delivered_purchase

    s = shop(api)
    product_id = listed(api, s, f"Pine {word()} crate")
    order_id = record_delivered_purchase(s.customer.user_id, product_id)
    indexer.sync()
    assert "order.delivered" in indexer.delivered
    for text in (s.customer.email, order_id):
        found = api.get(f"/admin/orders/search?{query(q=text)}", token=s.admin.access)
        assert found.status == 200, found.text
        assert found.body["items"][0]["orderId"] == order_id
        assert found.body["items"][0]["customerEmail"] == s.customer.email
    assert api.get("/admin/orders/search?q=", token=s.admin.access).body == {"items": []}


def test_the_search_queue_takes_product_and_order_events_only(
    api: LambdaApi, indexer: Indexer
) -> None:
    s = shop(api)
    listed(api, s, f"Teak {word()} tray")
    indexer.sync()
    assert indexer.delivered
    assert all(t.startswith(("product.", "order.")) for t in indexer.delivered)


def test_the_rebuild_reads_the_table_and_swaps(api: LambdaApi, indexer: Indexer) -> None:
    from tests.support.lambda_api import LambdaContext, load_handler

    s = shop(api)
    term = word()
    product_id = listed(api, s, f"Birch {term} shelf")
    # nothing synced: only the rebuild can have indexed it
    answer = load_handler("handlers/search/reindex_search.lambda_handler")({}, LambdaContext())
    assert answer["indexed"] >= 1
    assert search(api, q=term) == [product_id]


def test_an_unknown_category_is_not_found_and_a_bad_cursor_too(api: LambdaApi) -> None:
    problem(api.get("/search?category=cat_01JD5V3Q4E8W00000000000000"), 404, "category_not_found")
    assert api.get("/search?cursor=bm90LWEtY3Vyc29y").status == 404
