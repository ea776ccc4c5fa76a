"""Plain in-memory fakes of the saved-card ports (domain/payments/cards.py, ports.py).

``FakeCards`` keeps ``repositories/payments/cards.py: DynamoCards``'s rules: the customer
is kept once (the first wins), a card is kept once (a second save answers the first), the
first card becomes the default, removing the default moves it only if it still is, and a
card that is not there is ``NotFound``. ``tests/contract/test_cards.py`` holds it to the
real repository. ``FakeVault`` is a provider's customers and SetupIntents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.errors import Conflict, NotFound
from domain.payments.cards import StoredCard, Wallet
from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    ProviderRefund,
    SavedCard,
    SetupStart,
)


@dataclass
class FakeCards:
    customers: dict[str, str] = field(default_factory=dict)  # user -> customer
    defaults: dict[str, str] = field(default_factory=dict)  # user -> payment method
    cards: dict[str, dict[str, StoredCard]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def wallet(self, user_id: str) -> Wallet:
        self.calls.append("wallet")
        default = self.defaults.get(user_id)
        mine = sorted(
            self.cards.get(user_id, {}).values(), key=lambda c: (c.created_at, c.payment_method)
        )
        return Wallet(
            customer_id=self.customers.get(user_id),
            default=default,
            cards=[replace(c, is_default=c.payment_method == default) for c in mine],
        )

    def customer(self, user_id: str) -> str | None:
        self.calls.append("customer")
        return self.customers.get(user_id)

    def email(self, user_id: str) -> str | None:
        self.calls.append("email")
        return self.emails.get(user_id)

    def add_customer(self, user_id: str, customer_id: str, now: datetime) -> str:
        self.calls.append("add_customer")
        return self.customers.setdefault(user_id, customer_id)

    def add_card(self, user_id: str, card: StoredCard, *, make_default: bool) -> StoredCard:
        self.calls.append("add_card")
        if self.customers.get(user_id) != card.customer_id:
            raise AssertionError("the customer item's condition failed")
        mine = self.cards.setdefault(user_id, {})
        if card.payment_method not in mine:
            mine[card.payment_method] = replace(card, is_default=False)
            if make_default:
                self.defaults[user_id] = card.payment_method
            else:
                self.defaults.setdefault(user_id, card.payment_method)
        found = self.wallet(user_id).find(card.payment_method)
        assert found is not None
        return found

    def card(self, user_id: str, payment_method: str) -> StoredCard | None:
        self.calls.append("card")
        return self.cards.get(user_id, {}).get(payment_method)

    def card_customer(self, user_id: str, payment_method: str) -> str | None:
        self.calls.append("card_customer")
        found = self.cards.get(user_id, {}).get(payment_method)
        return None if found is None else found.customer_id

    def remove_card(
        self, user_id: str, payment_method: str, *, was_default: bool, new_default: str | None
    ) -> None:
        self.calls.append("remove_card")
        mine = self.cards.get(user_id, {})
        if payment_method not in mine:
            raise NotFound("no card", code="payment_method_not_found")
        if was_default:
            if self.defaults.get(user_id) != payment_method:
                raise Conflict("the default moved", code="concurrent_update")
            if new_default:
                self.defaults[user_id] = new_default
            else:
                del self.defaults[user_id]
        del mine[payment_method]

    def set_default(self, user_id: str, payment_method: str) -> None:
        self.calls.append("set_default")
        if payment_method not in self.cards.get(user_id, {}) or user_id not in self.customers:
            raise NotFound("no card", code="payment_method_not_found")
        self.defaults[user_id] = payment_method


@dataclass
class FakeVault:
    """CardVault: customers once per key; intents the test confirms with ``confirm``."""

    customers: dict[str, str] = field(default_factory=dict)  # key -> customer
    setups: dict[str, str] = field(default_factory=dict)  # seti -> customer
    confirmed: dict[str, SavedCard] = field(default_factory=dict)  # seti -> card
    detached: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def create_customer(self, *, user_id: str, email: str, idempotency_key: str) -> str:
        self.calls.append(f"create_customer {idempotency_key}")
        return self.customers.setdefault(idempotency_key, f"cus_{len(self.customers) + 1}")

    def start_setup(self, *, customer_id: str, idempotency_key: str) -> SetupStart:
        self.calls.append("start_setup")
        seti = f"seti_{len(self.setups) + 1}"
        self.setups[seti] = customer_id
        return SetupStart(reference=seti, client_secret=f"{seti}_secret_x")

    def confirm(self, seti: str, brand: str = "visa", last4: str = "4242") -> SavedCard:
        card = SavedCard(f"pm_{seti}", Card(brand, last4, 12, 2030))
        self.confirmed[seti] = card
        return card

    def finish_setup(self, *, setup_reference: str, customer_id: str) -> SavedCard | None:
        self.calls.append("finish_setup")
        if self.setups.get(setup_reference) != customer_id:
            return None
        return self.confirmed.get(setup_reference)

    def detach(self, *, payment_method: str) -> None:
        self.calls.append("detach")
        self.detached.append(payment_method)


@dataclass
class RecordingProvider:
    """PaymentProvider that succeeds and remembers the customer each charge named."""

    name: str = "fake"
    asked: list[tuple[str, str | None]] = field(default_factory=list)  # (method, customer)

    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Charge:
        self.asked.append((payment_method, customer_id))
        return Charge(ChargeOutcome.SUCCEEDED, f"pi_{len(self.asked)}")

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        raise NotImplementedError
