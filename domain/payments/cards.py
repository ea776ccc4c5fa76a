"""Saved cards (issue 9): a provider customer per user, cards attached through a SetupIntent.

The flow (Stripe's, and the local test mode's the same way):

1. ``start_setup``: the user's provider customer is created once (idempotency key
   ``customer:<userId>``, its id kept on the user's ``CARDS`` item), then a SetupIntent for
   it; the client confirms that intent with Stripe.js (locally: the test-mode stand-in).
2. ``save_card``: the shop asks the provider for the confirmed intent (it must have
   succeeded, for this user's customer) and keeps what it may of the card: brand, last
   four, expiry, and which card is the default. Never a number, never a CVC.
3. ``remove_card`` detaches the card at the provider, then forgets it; ``make_default``
   chooses the default.

Checkout accepts a saved card's id as its payment method (``domain/buying/checkout.py``):
the order then records the customer, and ProcessPayment charges the card with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from domain.errors import Conflict, NotFound
from domain.ids import new_id
from domain.payments.ports import Card, CardVault, SavedCard, SetupStart


@dataclass(frozen=True)
class StoredCard:
    """A saved card as the shop keeps it (``USER#<userId>``/``CARDS#<pm>``)."""

    payment_method: str  # the provider's id (pm_...): the card's id in the shop's API
    card: Card
    customer_id: str  # whose card it is at the provider: checkout charges with it
    created_at: datetime
    is_default: bool = False


@dataclass(frozen=True)
class Wallet:
    """A user's provider customer and saved cards (one Query)."""

    customer_id: str | None
    default: str | None
    cards: list[StoredCard]

    def find(self, payment_method: str) -> StoredCard | None:
        return next((c for c in self.cards if c.payment_method == payment_method), None)


class CardCustomers(Protocol):
    """What checkout needs of the saved cards: the customer of one of the user's cards
    (repositories/payments/card_customers.py: one projected GetItem, light to import)."""

    def card_customer(self, user_id: str, payment_method: str) -> str | None:
        """The provider customer of the user's saved card ``payment_method``; None when it
        is not one of the user's saved cards."""


class CardRepository(CardCustomers, Protocol):
    """The user's saved cards (repositories/payments/cards.py: ``DynamoCards``)."""

    def wallet(self, user_id: str) -> Wallet:
        """The customer, the default and every card, oldest first (``is_default`` set)."""

    def customer(self, user_id: str) -> str | None: ...

    def email(self, user_id: str) -> str | None:
        """The user's email, for the provider's customer (None: no such user)."""

    def add_customer(self, user_id: str, customer_id: str, now: datetime) -> str:
        """Keep the user's customer, once: answers the customer kept (a concurrent first
        setup may have kept it first; both name the same one, same key)."""

    def add_card(self, user_id: str, card: StoredCard, *, make_default: bool) -> StoredCard:
        """Keep the card (the first card becomes the default, ``make_default`` makes it
        the default). A card kept already is answered as it is (a replayed save)."""

    def card(self, user_id: str, payment_method: str) -> StoredCard | None:
        """One of the user's cards (one GetItem), without ``is_default``."""

    def remove_card(
        self, user_id: str, payment_method: str, *, was_default: bool, new_default: str | None
    ) -> None:
        """Forget the card; if it was the default (still, or ``Conflict``), ``new_default``
        (or none) becomes it. Raises ``NotFound`` if it is not there."""

    def set_default(self, user_id: str, payment_method: str) -> None:
        """Raises ``NotFound`` if the card is not the user's."""


class TestSetupConfirmer(Protocol):
    """The local test mode's stand-in for Stripe.js confirming a SetupIntent."""

    def confirm_setup(self, *, setup_reference: str, payment_method: str) -> SavedCard | None:
        """Attach the test card to the intent's customer (once: a confirmed intent answers
        its card); None for an unknown intent."""


def customer_key(user_id: str) -> str:
    return f"customer:{user_id}"


def _card_not_found(payment_method: str) -> NotFound:
    return NotFound(f"no saved card {payment_method}", code="payment_method_not_found")


def cards_of(user_id: str, *, cards: CardRepository) -> list[StoredCard]:
    return cards.wallet(user_id).cards


def _customer(user_id: str, *, cards: CardRepository, vault: CardVault, now: datetime) -> str:
    found = cards.customer(user_id)
    if found is not None:
        return found
    email = cards.email(user_id)
    if email is None:  # pragma: no cover - the caller's token names an existing user
        raise NotFound("no such user", code="user_not_found")
    created = vault.create_customer(
        user_id=user_id, email=email, idempotency_key=customer_key(user_id)
    )
    return cards.add_customer(user_id, created, now)


def start_setup(
    user_id: str, *, cards: CardRepository, vault: CardVault, now: datetime
) -> SetupStart:
    """A SetupIntent for the user's customer (made on the first call). Each call is a new
    intent: one the client never confirms attaches nothing and costs nothing."""
    customer = _customer(user_id, cards=cards, vault=vault, now=now)
    return vault.start_setup(
        customer_id=customer, idempotency_key=f"setup:{user_id}:{new_id('set')}"
    )


def save_card(
    user_id: str,
    setup_reference: str,
    *,
    make_default: bool,
    cards: CardRepository,
    vault: CardVault,
    now: datetime,
) -> StoredCard:
    customer = cards.customer(user_id)
    saved = (
        None
        if customer is None
        else vault.finish_setup(setup_reference=setup_reference, customer_id=customer)
    )
    if saved is None or customer is None:
        raise Conflict(
            f"no confirmed setup {setup_reference} of yours: confirm it first",
            code="setup_not_confirmed",
        )
    card = StoredCard(
        payment_method=saved.payment_method,
        card=saved.card,
        customer_id=customer,
        created_at=now,
    )
    return cards.add_card(user_id, card, make_default=make_default)


def remove_card(
    user_id: str, payment_method: str, *, cards: CardRepository, vault: CardVault
) -> None:
    """Detach at the provider first, then forget: a failure between the two leaves the
    card listed, and removing it again finishes (detaching twice is harmless), never a
    card attached at the provider that the shop no longer shows."""
    wallet = cards.wallet(user_id)
    card = wallet.find(payment_method)
    if card is None:
        raise _card_not_found(payment_method)
    vault.detach(payment_method=payment_method)
    others = [c for c in wallet.cards if c.payment_method != payment_method]
    new_default = others[-1].payment_method if others else None  # the newest one left
    cards.remove_card(user_id, payment_method, was_default=card.is_default, new_default=new_default)


def make_default(user_id: str, payment_method: str, *, cards: CardRepository) -> StoredCard:
    card = cards.card(user_id, payment_method)
    if card is None:
        raise _card_not_found(payment_method)
    cards.set_default(user_id, payment_method)
    return replace(card, is_default=True)


def confirm_test_setup(
    setup_reference: str, payment_method: str, *, vault: TestSetupConfirmer | None
) -> SavedCard:
    """The test-mode stand-in for Stripe.js; a stage on Stripe has no such thing (404)."""
    saved = (
        None
        if vault is None
        else vault.confirm_setup(setup_reference=setup_reference, payment_method=payment_method)
    )
    if saved is None:
        raise NotFound(f"no setup intent {setup_reference}", code="not_found")
    return saved
