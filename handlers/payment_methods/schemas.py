"""Bodies of the saved cards (``/me/payment-methods``) and the test-mode setup stand-in."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from domain.payments.cards import StoredCard
from domain.payments.ports import SavedCard, SetupStart
from handlers.shared.schema import RequestModel, ResponseModel, StrictBool

# A payment method id as Stripe writes them (handlers/checkout/schemas.py: the same).
PaymentMethod = Annotated[str, StringConstraints(pattern=r"^pm_[A-Za-z0-9_]{1,100}$")]
# A SetupIntent id as Stripe writes them (seti_1Nx…; the local test mode's seti_test_…).
SetupIntentId = Annotated[str, StringConstraints(pattern=r"^seti_[A-Za-z0-9_]{1,100}$")]

__all__ = ["PaymentMethod", "SetupIntentId"]


class SetupOut(ResponseModel):
    """What the client confirms with Stripe.js (``stripe.confirmCardSetup(clientSecret)``)."""

    setup_intent_id: str
    client_secret: str

    @classmethod
    def of(cls, start: SetupStart) -> SetupOut:
        return cls(setup_intent_id=start.reference, client_secret=start.client_secret)


class SaveCardRequest(RequestModel):
    setup_intent_id: SetupIntentId
    make_default: StrictBool = False


class CardOut(ResponseModel):
    """A saved card: all the shop keeps of it."""

    id: str  # the provider's payment method id: pay with it at checkout
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None
    is_default: bool

    @classmethod
    def of(cls, card: StoredCard) -> CardOut:
        return cls(
            id=card.payment_method,
            brand=card.card.brand,
            last4=card.card.last4,
            exp_month=card.card.exp_month,
            exp_year=card.card.exp_year,
            is_default=card.is_default,
        )


class CardList(ResponseModel):
    items: list[CardOut]


class TestConfirmRequest(RequestModel):
    __test__ = False  # not a pytest class
    payment_method: PaymentMethod  # one of Stripe's test cards (pm_card_visa …)


class TestConfirmOut(ResponseModel):
    __test__ = False
    setup_intent_id: str
    status: Literal["succeeded"]
    payment_method: str
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None

    @classmethod
    def of(cls, setup_intent_id: str, saved: SavedCard) -> TestConfirmOut:
        return cls(
            setup_intent_id=setup_intent_id,
            status="succeeded",
            payment_method=saved.payment_method,
            brand=saved.card.brand,
            last4=saved.card.last4,
            exp_month=saved.card.exp_month,
            exp_year=saved.card.exp_year,
        )
