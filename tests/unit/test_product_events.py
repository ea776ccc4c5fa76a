"""Product and stock items on the stream become the product events search follows
(events/mapping.py), from the items exactly as the repository writes them."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.catalog.model import Money, Product, ProductStatus, Rating
from events.mapping import events_from_record
from repositories import keys
from repositories.catalog.items import InventoryItem, product_item
from tests.unit.product_fakes import T0


def a_product(**changes: Any) -> Product:
    product = Product(
        product_id="prd_1",
        seller_id="sel_1",
        name="Wireless headphones",
        description="Over-ear, 30 hours",
        price=Money(5999, "USD"),
        category_id="cat_audio",
        sku="WH-1",
        status=ProductStatus.ACTIVE,
        version=3,
        created_at=T0,
        updated_at=T0,
        brand="Sonora",
    )
    return dataclasses.replace(product, **changes)


def image(product: Product) -> dict[str, Any]:
    return dict(product_item(product).serialize())


def stock(available: int) -> dict[str, Any]:
    item = InventoryItem(
        keys.product_pk("prd_1"),
        keys.INVENTORY,
        product_id="prd_1",
        available=available,
        low_stock_threshold=5,
        created_at="2025-03-01T12:00:00.000000Z",
        updated_at="2025-03-01T12:00:00.000000Z",
    )
    return dict(item.serialize())


def record(name: str, old: Any = None, new: Any = None) -> dict[str, Any]:
    change: dict[str, Any] = {"SequenceNumber": "1"}
    if old is not None:
        change["OldImage"] = old
    if new is not None:
        change["NewImage"] = new
    return {"eventID": "abc", "eventName": name, "dynamodb": change}


def types(old: Product | None, new: Product, name: str = "MODIFY") -> list[str]:
    found = events_from_record(record(name, old and image(old), image(new)))
    return [event.type for event in found]


def test_approval_activates_with_the_version() -> None:
    before = a_product(status=ProductStatus.PENDING_REVIEW, version=2)
    (event,) = events_from_record(record("MODIFY", image(before), image(a_product())))
    assert event.type == "product.activated"
    assert event.subject == "prd_1"
    assert event.data == {
        "productId": "prd_1",
        "version": 3,
        "status": "active",
        "sellerId": "sel_1",
        "from": "pending_review",
    }


def test_an_active_product_written_whole_is_activated() -> None:
    assert types(None, a_product(), name="INSERT") == ["product.activated"]


def test_leaving_the_catalogue_is_archived_or_rejected() -> None:
    active = a_product()
    archived = a_product(status=ProductStatus.ARCHIVED, version=4)
    (event,) = events_from_record(record("MODIFY", image(active), image(archived)))
    assert (event.type, event.data["version"], event.data["from"]) == (
        "product.archived",
        4,
        "active",
    )
    rejected = a_product(status=ProductStatus.REJECTED, version=4)
    assert types(active, rejected) == ["product.rejected"]
    back_to_review = a_product(status=ProductStatus.PENDING_REVIEW, version=4)
    assert types(active, back_to_review) == ["product.archived"]  # out of search all the same


def test_edits_of_an_active_product_name_the_fields() -> None:
    before = a_product()
    after = a_product(name="Wireless headphones II", brand="Sonic", version=4)
    (event,) = events_from_record(record("MODIFY", image(before), image(after)))
    assert event.type == "product.edited"
    assert event.data["fields"] == ["name", "brand"]
    assert event.data["version"] == 4


def test_a_price_change_says_from_and_to() -> None:
    before = a_product()
    after = a_product(price=Money(4999, "USD"), version=4)
    (event,) = events_from_record(record("MODIFY", image(before), image(after)))
    assert event.type == "product.price_changed"
    assert (event.data["from"], event.data["to"], event.data["currency"]) == (5999, 4999, "USD")


def test_an_edit_with_a_new_price_is_two_events_with_their_own_ids() -> None:
    before = a_product()
    after = a_product(price=Money(4999, "USD"), description="Lighter", version=4)
    found = events_from_record(record("MODIFY", image(before), image(after)))
    assert [e.type for e in found] == ["product.edited", "product.price_changed"]
    assert [e.event_id for e in found] == ["evt_abc-0", "evt_abc-1"]


def test_a_review_moves_the_rating() -> None:
    before = a_product()
    after = a_product(rating=Rating(1, 4))  # review transactions leave the version alone
    (event,) = events_from_record(record("MODIFY", image(before), image(after)))
    assert event.type == "product.rating_changed"
    assert (event.data["ratingCount"], event.data["ratingTotal"]) == (1, 4)


def test_changes_search_does_not_show_are_no_events() -> None:
    draft = a_product(status=ProductStatus.DRAFT, version=1)
    assert types(None, draft, name="INSERT") == []
    assert types(draft, a_product(status=ProductStatus.DRAFT, name="New", version=2)) == []
    submitted = a_product(status=ProductStatus.PENDING_REVIEW, version=2)
    assert types(draft, submitted) == []
    assert types(a_product(), a_product()) == []
    assert events_from_record(record("REMOVE", old=image(a_product()))) == []


def test_stock_events_only_when_in_stock_flips() -> None:
    (event,) = events_from_record(record("MODIFY", stock(1), stock(0)))
    assert event.type == "product.stock_status_changed"
    assert event.subject == "prd_1"
    assert event.data == {"productId": "prd_1", "inStock": False, "available": 0}
    (back,) = events_from_record(record("MODIFY", stock(0), stock(12)))
    assert back.data["inStock"] is True
    assert events_from_record(record("MODIFY", stock(12), stock(8))) == []
    # 12 -> 3 crosses the low-stock threshold of 5: product.stock_low (test_event_catalogue)
    assert [e.type for e in events_from_record(record("MODIFY", stock(12), stock(3)))] == [
        "product.stock_low"
    ]
    assert events_from_record(record("INSERT", new=stock(12))) == []
