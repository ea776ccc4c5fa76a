"""One real stream record per event type: the items exactly as the repositories write
them (their ``serialize()``, which is the stream's DynamoDB JSON), before and after the
change that the event stands for. The event catalogue test maps each and holds the
samples of events/samples/events/ to what comes out;
``python -c "import tests.conftest, tests.unit.event_records as r; r.write_samples()"``
writes those samples afresh (review the diff)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from domain.buying.model import OrderStatus, Shipment
from domain.catalog.model import Money, Product, ProductStatus, Rating
from events.contracts import DomainEvent
from events.mapping import events_from_record
from repositories import keys
from repositories.accounts.items import UserItem
from repositories.buying.items import RefundItem, order_item
from repositories.catalog.items import InventoryItem, product_item
from repositories.reviews import ReviewItem
from repositories.sellers import SellerItem
from tests.unit.payment_fakes import an_order
from tests.unit.product_fakes import T0
from tests.unit.refund_fakes import a_paid_order

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "samples" / "events"
STAMP = "2026-11-30T09:00:00.000000Z"
Image = dict[str, Any]


def _ser(item: Any) -> Image:
    return dict(item.serialize())


def _order(order: Any) -> Image:
    return _ser(order_item(order))


def _product(**changes: Any) -> Image:
    product = Product(
        product_id="prd_1",
        seller_id="sel_1",
        name="Teapot",
        description="Cast iron, 1 l",
        price=Money(1500, "USD"),
        category_id="cat_kitchen",
        sku="TEA-1",
        status=ProductStatus.ACTIVE,
        version=3,
        created_at=T0,
        updated_at=T0,
    )
    return _ser(product_item(dataclasses.replace(product, **changes)))


def _stock(available: int, threshold: int = 5) -> Image:
    return _ser(
        InventoryItem(
            keys.product_pk("prd_1"),
            keys.INVENTORY,
            product_id="prd_1",
            available=available,
            low_stock_threshold=threshold,
            created_at=STAMP,
            updated_at=STAMP,
        )
    )


def _user(**changes: Any) -> Image:
    values: dict[str, Any] = {
        "user_id": "usr_1",
        "email": "nia@example.com",
        "first_name": "Nia",
        "last_name": "Ng",
        "role": "customer",
        "status": "active",
        "created_at": STAMP,
        "updated_at": STAMP,
        **changes,
    }
    return _ser(UserItem(keys.user_pk("usr_1"), keys.PROFILE, **values))


def _refund(status: str = "pending") -> Image:
    return _ser(
        RefundItem(
            keys.order_pk("ord_1"),
            keys.refund_sk("rfd_1"),
            order_id="ord_1",
            refund_id="rfd_1",
            amount=1000,
            currency="USD",
            reason="damaged",
            status=status,
            requested_by="usr_admin",
            payment_reference="pi_1",
            fingerprint="f",
            created_at=STAMP,
            updated_at=STAMP,
        )
    )


def _review() -> Image:
    return _ser(
        ReviewItem(
            keys.product_pk("prd_1"),
            keys.review_sk("usr_1"),
            product_id="prd_1",
            user_id="usr_1",
            rating=5,
            title="Lovely",
            text="Keeps the tea hot.",
            author_name="Nia N.",
            created_at=STAMP,
            updated_at=STAMP,
        )
    )


def _seller() -> Image:
    return _ser(
        SellerItem(
            keys.seller_pk("sel_1"),
            keys.PROFILE,
            seller_id="sel_1",
            user_id="usr_2",
            shop_name="Tea & Co",
            contact_email="shop@example.com",
            created_at=STAMP,
            updated_at=STAMP,
        )
    )


def _moved(status: OrderStatus, before: Any = None, **changes: Any) -> tuple[Image, Image]:
    old = before or a_paid_order()
    return _order(old), _order(dataclasses.replace(old, status=status, version=2, **changes))


def records() -> dict[str, tuple[str, Image | None, Image]]:
    """event type -> (eventName, OldImage, NewImage)."""
    unpaid = an_order()
    failed = dataclasses.replace(unpaid, status=OrderStatus.PAYMENT_FAILED)
    shipped = a_paid_order(status=OrderStatus.SHIPPED)
    shipment = Shipment("UPS", "1Z999AA10123456784")
    return {
        "user.registered": ("INSERT", None, _user()),
        "user.disabled": ("MODIFY", _user(), _user(status="disabled")),
        "user.role_changed": ("MODIFY", _user(), _user(role="seller")),
        "order.placed": ("INSERT", None, _order(unpaid)),
        "order.confirmed": ("MODIFY", *_moved(OrderStatus.CONFIRMED, unpaid)),
        "order.payment_failed": ("MODIFY", *_moved(OrderStatus.PAYMENT_FAILED, unpaid)),
        "order.payment_retried": ("MODIFY", *_moved(OrderStatus.PENDING_PAYMENT, failed)),
        "order.cancelled": (
            "MODIFY",
            *_moved(OrderStatus.CANCELLED, cancel_reason="customer_request", refund_owed=3739),
        ),
        "order.shipped": ("MODIFY", *_moved(OrderStatus.SHIPPED, shipment=shipment)),
        "order.delivered": (
            "MODIFY",
            *_moved(OrderStatus.DELIVERED, dataclasses.replace(shipped, shipment=shipment)),
        ),
        "order.refunded": (
            "MODIFY",
            *_moved(OrderStatus.REFUNDED, refunded_amount=3739, refundable=0),
        ),
        "refund.requested": ("INSERT", None, _refund()),
        "refund.succeeded": ("MODIFY", _refund(), _refund("succeeded")),
        "product.activated": (
            "MODIFY",
            _product(status=ProductStatus.PENDING_REVIEW, version=2),
            _product(),
        ),
        "product.edited": ("MODIFY", _product(), _product(name="Teapot, cast iron", version=4)),
        "product.price_changed": (
            "MODIFY",
            _product(),
            _product(price=Money(1300, "USD"), version=4),
        ),
        "product.archived": (
            "MODIFY",
            _product(),
            _product(status=ProductStatus.ARCHIVED, version=4),
        ),
        "product.rejected": (
            "MODIFY",
            _product(status=ProductStatus.PENDING_REVIEW, version=2),
            _product(
                status=ProductStatus.REJECTED, version=3, rejection_reason="Photos are blurry"
            ),
        ),
        "product.rating_changed": (
            "MODIFY",
            _product(),
            _product(rating=Rating(count=1, total=5), version=4),
        ),
        "product.stock_status_changed": ("MODIFY", _stock(1), _stock(0)),
        "product.stock_low": ("MODIFY", _stock(7), _stock(4)),
        "review.posted": ("INSERT", None, _review()),
        "seller.opened": ("INSERT", None, _seller()),
    }


def stream_record(event_type: str) -> dict[str, Any]:
    name, old, new = records()[event_type]
    change: dict[str, Any] = {"SequenceNumber": "1", "NewImage": new}
    if old is not None:
        change["OldImage"] = old
    return {"eventID": "c4ca4238a0b923820dcc509a6f75849b", "eventName": name, "dynamodb": change}


def mapped(event_type: str) -> DomainEvent:
    """The one event of ``event_type`` its record maps to."""
    found = [e for e in events_from_record(stream_record(event_type)) if e.type == event_type]
    assert len(found) == 1, (event_type, found)
    return found[0]


def write_samples() -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for event_type in records():
        body = json.loads(mapped(event_type).to_json())
        (SAMPLES / f"{event_type}.json").write_text(json.dumps(body, indent=2) + "\n")
