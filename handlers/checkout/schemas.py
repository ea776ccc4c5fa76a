"""The checkout's request body (its answer is an order: handlers/orders/schemas.py)."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from domain.buying.checkout import CheckoutForm
from domain.buying.model import ShippingAddress
from handlers.shared.schema import (
    CountryCode,
    Identifier,
    Name,
    Phone,
    RequestModel,
    ShortText,
    _say_what_is_enforced,
)

PostalCode = Annotated[str, StringConstraints(min_length=1, max_length=20)]
# A payment method id as Stripe writes them (pm_card_visa, pm_1Nx…).
PaymentMethod = Annotated[str, StringConstraints(pattern=r"^pm_[A-Za-z0-9_]{1,100}$")]
# The Idempotency-Key header: 1 to 255 visible ASCII characters (no spaces).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"


class ShippingAddressBody(RequestModel):
    full_name: Name
    line1: ShortText
    line2: ShortText | None = None
    city: Name
    region: Name | None = None
    postal_code: PostalCode
    country: CountryCode
    phone: Phone | None = None

    def to_domain(self) -> ShippingAddress:
        return ShippingAddress(**self.model_dump())


def _one_address_in_the_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Exactly one of the two addresses, said in JSON Schema too (``oneOf`` of the two
    ``required``), so the contract gate generates only what the server accepts."""
    _say_what_is_enforced(schema, model)
    schema["oneOf"] = [{"required": ["shippingAddress"]}, {"required": ["addressId"]}]


class CheckoutRequest(RequestModel):
    """Where to ship, inline (``shippingAddress``) or one of mine (``addressId``), exactly
    one of the two, and the payment method."""

    model_config = ConfigDict(
        **{**RequestModel.model_config, "json_schema_extra": _one_address_in_the_schema}
    )

    # Absent, not null: the one that is not sent is left out.
    shipping_address: ShippingAddressBody = Field(default=None)  # type: ignore[assignment]
    address_id: Identifier = Field(default=None)  # type: ignore[assignment]
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
