"""The checkout's request body (its answer is an order: handlers/orders/schemas.py)."""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from domain.buying.checkout import CheckoutForm
from handlers.orders.schemas import PaymentMethod, ShippingAddressBody
from handlers.shared.schema import Identifier, RequestModel


class CheckoutRequest(RequestModel):
    """Where to ship, inline (``shippingAddress``) or one of mine (``addressId``), exactly
    one of the two, and the payment method."""

    shipping_address: ShippingAddressBody | None = None
    address_id: Identifier | None = None
    payment_method: PaymentMethod

    @model_validator(mode="after")
    def _one_address(self) -> Self:
        if (self.shipping_address is None) == (self.address_id is None):
            raise ValueError("send either shippingAddress or addressId")
        return self

    def form(self) -> CheckoutForm:
        return CheckoutForm(
            payment_method=self.payment_method,
            shipping_address=self.shipping_address.to_domain() if self.shipping_address else None,
            address_id=self.address_id,
        )
