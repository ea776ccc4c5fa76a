"""CardRepository: ``tests/unit/card_fakes.py: FakeCards`` and
``repositories/payments/cards.py: DynamoCards`` keep cards alike: the customer kept once
(the first wins), a card kept once, the first card the default, ``make_default`` on a
save, removing the default moves it only while it still is the default, and another
user's card is not found."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Conflict, NotFound
from domain.payments.cards import CardCustomers, CardRepository, StoredCard
from domain.payments.ports import Card
from tests.contract.builders import at

USER = "usr_01JD0000000000000000000001"
OTHER = "usr_01JD0000000000000000000002"


@pytest.fixture
def cards(kind: str) -> CardRepository:
    if kind == "fake":
        from tests.unit.card_fakes import FakeCards

        return FakeCards()
    from repositories.payments.cards import DynamoCards

    return DynamoCards()


def a_card(pm: str, minutes: int = 0, customer: str = "cus_1") -> StoredCard:
    return StoredCard(
        pm, Card("visa", "4242", 12, 2030), customer, at(0) + timedelta(minutes=minutes)
    )


def test_the_first_customer_kept_wins(cards: CardRepository) -> None:
    assert cards.customer(USER) is None
    assert cards.add_customer(USER, "cus_1", at(0)) == "cus_1"
    assert cards.add_customer(USER, "cus_2", at(1)) == "cus_1"
    assert cards.customer(USER) == "cus_1"
    assert cards.wallet(USER).customer_id == "cus_1"
    assert cards.customer(OTHER) is None


def test_cards_are_kept_once_and_the_first_is_the_default(cards: CardRepository) -> None:
    cards.add_customer(USER, "cus_1", at(0))
    first = cards.add_card(USER, a_card("pm_1"), make_default=False)
    assert first.is_default is True
    second = cards.add_card(USER, a_card("pm_2", 1), make_default=False)
    assert second.is_default is False
    again = cards.add_card(USER, a_card("pm_1", 5), make_default=True)  # a replayed save
    assert again == first
    wallet = cards.wallet(USER)
    assert [(c.payment_method, c.is_default) for c in wallet.cards] == [
        ("pm_1", True),
        ("pm_2", False),
    ]
    assert wallet.default == "pm_1"
    third = cards.add_card(USER, a_card("pm_3", 2), make_default=True)
    assert third.is_default is True
    assert cards.wallet(USER).default == "pm_3"
    found = cards.card(USER, "pm_2")
    assert found is not None
    assert (found.payment_method, found.customer_id, found.card) == (
        "pm_2",
        "cus_1",
        a_card("pm_2").card,
    )
    assert cards.card(OTHER, "pm_2") is None


def test_set_default_needs_a_card_of_the_user(cards: CardRepository) -> None:
    cards.add_customer(USER, "cus_1", at(0))
    cards.add_card(USER, a_card("pm_1"), make_default=False)
    cards.add_card(USER, a_card("pm_2", 1), make_default=False)
    cards.set_default(USER, "pm_2")
    assert cards.wallet(USER).default == "pm_2"
    with pytest.raises(NotFound):
        cards.set_default(USER, "pm_nope")
    with pytest.raises(NotFound):
        cards.set_default(OTHER, "pm_1")
    assert cards.wallet(USER).default == "pm_2"


def test_remove_moves_the_default_only_while_it_is_the_default(cards: CardRepository) -> None:
    cards.add_customer(USER, "cus_1", at(0))
    cards.add_card(USER, a_card("pm_1"), make_default=False)
    cards.add_card(USER, a_card("pm_2", 1), make_default=False)
    cards.add_card(USER, a_card("pm_3", 2), make_default=False)
    cards.remove_card(USER, "pm_2", was_default=False, new_default=None)
    assert cards.wallet(USER).default == "pm_1"
    with pytest.raises(Conflict):  # it was not the default (any more): nothing removed
        cards.remove_card(USER, "pm_3", was_default=True, new_default="pm_1")
    assert [c.payment_method for c in cards.wallet(USER).cards] == ["pm_1", "pm_3"]
    cards.remove_card(USER, "pm_1", was_default=True, new_default="pm_3")
    assert cards.wallet(USER).default == "pm_3"
    cards.remove_card(USER, "pm_3", was_default=True, new_default=None)
    wallet = cards.wallet(USER)
    assert (wallet.default, wallet.cards, wallet.customer_id) == (None, [], "cus_1")
    with pytest.raises(NotFound):
        cards.remove_card(USER, "pm_3", was_default=False, new_default=None)


def test_checkouts_lookup_reads_what_the_repository_keeps(cards: CardRepository, kind: str) -> None:
    """``CardCustomers`` finds the customer of a card the repository kept, and nothing for
    another user or an unknown id; on the table, checkout's own raw GetItem too."""
    cards.add_customer(USER, "cus_1", at(0))
    cards.add_card(USER, a_card("pm_1"), make_default=False)
    lookups: list[CardCustomers] = [cards]
    if kind == "dynamo":
        from repositories.payments.card_customers import DynamoCardCustomers

        lookups.append(DynamoCardCustomers())
    for lookup in lookups:
        assert lookup.card_customer(USER, "pm_1") == "cus_1"
        assert lookup.card_customer(OTHER, "pm_1") is None
        assert lookup.card_customer(USER, "pm_2") is None
