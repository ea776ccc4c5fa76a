"""Bodies of the cart: quantities in, the priced cart out (integer minor units)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from adapters.settings import settings
from domain.buying.cart import PricedCart, PricedLine
from domain.buying.model import LineFlag
from handlers.shared.schema import Identifier, Integer, RequestModel, ResponseModel

# The bound is the setting (CART_MAX_QUANTITY), so the contract says what the rule allows.
Quantity = Annotated[Integer, Field(ge=1, le=settings().CART_MAX_QUANTITY)]


class AddCartItemRequest(RequestModel):
    product_id: Identifier
    quantity: Quantity


class CartItemPatch(RequestModel):
    quantity: Quantity


class CartItemOut(ResponseModel):
    product_id: str
    name: str
    quantity: int
    unit_price: int
    price_seen: int
    line_total: int
    tax: int
    held: int
    hold_until: datetime | None
    flags: list[LineFlag]

    @classmethod
    def of(cls, line: PricedLine) -> CartItemOut:
        return cls(
            product_id=line.product_id,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            price_seen=line.price_seen,
            line_total=line.line_total,
            tax=line.tax,
            held=line.held,
            hold_until=line.hold_until,
            flags=list(line.flags),
        )


class CartTotalsOut(ResponseModel):
    subtotal: int
    tax: int
    shipping: int
    total: int
    currency: str


class CartOut(ResponseModel):
    items: list[CartItemOut]
    totals: CartTotalsOut

    @classmethod
    def of(cls, cart: PricedCart) -> CartOut:
        totals = cart.totals
        return cls(
            items=[CartItemOut.of(line) for line in cart.lines],
            totals=CartTotalsOut(
                subtotal=totals.subtotal,
                tax=totals.tax,
                shipping=totals.shipping,
                total=totals.total,
                currency=totals.currency,
            ),
        )
