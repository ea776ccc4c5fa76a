"""What checkout and the order repository exchange at run time: records and refusals.

The protocols they fulfil are in ``domain/buying/ports.py`` (imported for type checking
only by the functions: a ``Protocol`` class is costly to build on a cold start). The
records are ``NamedTuple``s, not dataclasses, for the same reason: a dataclass compiles its
methods when its module loads (about 1 ms each), a named tuple almost nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from domain.buying.model import OrderLine, OrderStatus, ShippingAddress
from domain.errors import Conflict

if TYPE_CHECKING:
    from domain.catalog.model import Inventory, Product


class IdempotencyRecord(NamedTuple):
    """What a checkout's ``Idempotency-Key`` names: the request it was first sent with
    (a hash of its body) and the order it made."""

    user_id: str
    key: str
    request_hash: str
    order_id: str
    status_code: int
    expires_at: datetime


class CheckoutStock(NamedTuple):
    """A product of the cart as checkout reads it: the product and its stock, or None."""

    product: Product | None
    inventory: Inventory | None


class SellerLines(NamedTuple):
    """The lines of one seller's products in a paid order (what they must ship)."""

    order_id: str
    seller_id: str
    status: OrderStatus
    lines: list[OrderLine]
    shipping_address: ShippingAddress
    paid_at: datetime


class StockShort(Conflict):
    """The checkout's transaction found a product short (it changed since the read)."""

    def __init__(self, product_id: str | None) -> None:
        super().__init__("the stock changed meanwhile", code="insufficient_stock")
        self.product_id = product_id


class CheckoutRaced(Conflict):
    """A condition of the checkout's transaction failed on what it read (a cart line,
    a price, a product's status): read again and decide again."""

    def __init__(self, label: str | None) -> None:
        super().__init__("the cart or a product changed meanwhile", code="concurrent_update")
        self.label = label


class KeyTaken(Conflict):
    """Another request with the same idempotency key won the race."""

    def __init__(self) -> None:
        super().__init__("this idempotency key is in use", code="idempotency_key_in_use")
