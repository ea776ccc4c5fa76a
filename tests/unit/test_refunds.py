"""Refunds (domain/payments/refunds.py) with plain fakes of their ports."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from domain.buying.lifecycle import Mover, StockEffect, refund_effect
from domain.buying.model import OrderStatus
from domain.errors import Conflict, NotFound, RuleViolation
from domain.payments.ports import ProviderEvent, ProviderRefund, RefundStatus
from domain.payments.refunds import (
    RefundExceeds,
    RefundRequest,
    provider_key,
    refund_id,
    refund_order,
    settle_owed_refund,
    settle_refund_event,
)
from events.mapping import events_from_record
from repositories.buying.items import order_item
from tests.unit.refund_fakes import NOW, FakeRefundBook, FakeRefundProvider, a_paid_order

TOTAL = 3739


def refund(
    book: FakeRefundBook,
    provider: FakeRefundProvider,
    amount: int,
    *,
    key: str = "k1",
    restock: bool = False,
    reason: str = "damaged",
    order_id: str = "ord_1",
) -> Any:
    return refund_order(
        order_id,
        RefundRequest(amount, reason, restock),
        key=key,
        actor_id="usr_admin",
        records=book,
        orders=book,
        provider=provider,
        now=NOW,
    )


def test_a_partial_refund_is_reserved_asked_once_and_settled() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    done = refund(book, provider, 1000)
    assert done.status is RefundStatus.SUCCEEDED
    assert done.provider_reference == "re_1"
    assert provider.calls == [(f"refund:{done.refund_id}", "pi_1", 1000)]
    order = book.orders["ord_1"]
    assert (order.refundable, order.refunded_amount) == (TOTAL - 1000, 1000)
    assert order.status is OrderStatus.CONFIRMED  # partial: no move
    assert book.moves == []


def test_partial_then_the_rest_moves_the_order_to_refunded() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    refund(book, provider, 1000, key="k1")
    last = refund(book, provider, TOTAL - 1000, key="k2")
    assert last.closes
    order = book.orders["ord_1"]
    assert order.status is OrderStatus.REFUNDED
    assert (order.refundable, order.refunded_amount) == (0, TOTAL)
    ((change, effect),) = book.moves
    assert (change.old, change.new, effect) == (
        OrderStatus.CONFIRMED,
        OrderStatus.REFUNDED,
        StockEffect.NONE,
    )
    assert provider.refunded == 2


@pytest.mark.parametrize(
    ("status", "effect"),
    [
        (OrderStatus.CONFIRMED, StockEffect.RESTOCK),
        (OrderStatus.SHIPPED, StockEffect.RESTOCK),  # the goods came back
        (OrderStatus.DELIVERED, StockEffect.RESTOCK),
        (OrderStatus.CANCELLED, StockEffect.NONE),  # its cancel restocked it already
    ],
)
def test_a_full_refund_that_restocks(status: OrderStatus, effect: StockEffect) -> None:
    book, provider = FakeRefundBook(a_paid_order(status=status)), FakeRefundProvider()
    refund(book, provider, TOTAL, restock=True)
    ((change, moved),) = book.moves
    assert change.new is OrderStatus.REFUNDED
    assert moved is effect


def test_restock_needs_the_refund_of_everything_left() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    with pytest.raises(RuleViolation) as refused:
        refund(book, provider, 1000, restock=True)
    assert refused.value.code == "restock_needs_full_refund"
    assert provider.calls == []
    assert book.items == {}


def test_never_more_than_is_left_to_refund() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    refund(book, provider, 3000, key="k1")
    with pytest.raises(RefundExceeds) as refused:
        refund(book, provider, 1000, key="k2")
    assert refused.value.extra["refundable"] == TOTAL - 3000
    assert provider.refunded == 1
    assert book.orders["ord_1"].refundable == TOTAL - 3000


def test_the_write_refuses_what_the_read_allowed() -> None:
    """A refund that read the order before another refund reserved: the read allows it,
    the reserve's condition (in the write) refuses it."""
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    stale = book.orders["ord_1"]
    refund(book, provider, 3000, key="k1")
    book.order_and_refunds = lambda order_id: (stale, [])  # type: ignore[method-assign]
    with pytest.raises(RefundExceeds) as refused:
        refund(book, provider, 3000, key="k2")
    assert refused.value.extra["refundable"] == TOTAL - 3000
    assert book.orders["ord_1"].refundable == TOTAL - 3000
    assert provider.refunded == 1


@pytest.mark.parametrize(
    "status", [OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED, OrderStatus.CANCELLED]
)
def test_an_unpaid_order_has_nothing_to_refund(status: OrderStatus) -> None:
    book = FakeRefundBook(dataclasses.replace(a_paid_order(status=status), paid_amount=0))
    with pytest.raises(Conflict) as refused:
        refund(book, FakeRefundProvider(), 100)
    assert refused.value.code == "order_not_refundable"


def test_an_unknown_order_is_not_found() -> None:
    with pytest.raises(NotFound):
        refund(FakeRefundBook(), FakeRefundProvider(), 100)


def test_the_same_key_answers_the_same_refund_without_asking_again() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    first = refund(book, provider, 1000)
    again = refund(book, provider, 1000)
    assert again == first
    assert len(provider.calls) == 1
    assert book.orders["ord_1"].refundable == TOTAL - 1000
    with pytest.raises(RuleViolation) as reused:
        refund(book, provider, 1200)
    assert reused.value.code == "idempotency_key_reused"


def test_the_provider_down_leaves_it_pending_and_the_same_key_finishes_it() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    provider.down = True
    pending = refund(book, provider, 1000)
    assert pending.status is RefundStatus.PENDING
    assert book.orders["ord_1"].refundable == TOTAL - 1000  # reserved meanwhile
    provider.down = False
    done = refund(book, provider, 1000)
    assert done.status is RefundStatus.SUCCEEDED
    keys = {key for key, _, _ in provider.calls}
    assert keys == {provider_key(pending)}  # one key for both asks: one refund
    assert provider.refunded == 1


def test_a_failed_refund_gives_the_amount_back() -> None:
    book = FakeRefundBook(a_paid_order())
    failed = refund(book, FakeRefundProvider(RefundStatus.FAILED), 1000)
    assert failed.status is RefundStatus.FAILED
    order = book.orders["ord_1"]
    assert (order.refundable, order.refunded_amount) == (TOTAL, 0)


def test_refund_ids_follow_the_order_and_the_key() -> None:
    assert refund_id("ord_1", "a") == refund_id("ord_1", "a")
    assert refund_id("ord_1", "a") != refund_id("ord_1", "b")
    assert refund_id("ord_1", "a") != refund_id("ord_2", "a")
    assert refund_id("ord_1", "a").startswith("rfd_")
    assert len(refund_id("ord_1", "a")) == 30


# -- a cancelled order's refund ---------------------------------------------------------------


def a_cancelled_paid_order() -> Any:
    return a_paid_order(status=OrderStatus.CANCELLED, refund_owed=TOTAL)


def owed(book: FakeRefundBook, provider: FakeRefundProvider) -> Any:
    return settle_owed_refund("ord_1", records=book, orders=book, provider=provider, now=NOW)


def test_what_a_cancelled_order_owes_is_refunded_in_full_once() -> None:
    book, provider = FakeRefundBook(a_cancelled_paid_order()), FakeRefundProvider()
    done = owed(book, provider)
    assert done.amount == TOTAL
    assert done.status is RefundStatus.SUCCEEDED
    assert done.requested_by == "system"
    order = book.orders["ord_1"]
    assert order.status is OrderStatus.REFUNDED
    assert order.refund_owed == 0
    assert book.restocked == []  # the cancel put the units back already
    again = owed(book, provider)  # a redelivered event
    assert again is not None
    assert again.refund_id == done.refund_id
    assert len(provider.calls) == 1


def test_an_admin_refund_first_leaves_the_rest_to_the_owed_refund() -> None:
    book, provider = FakeRefundBook(a_cancelled_paid_order()), FakeRefundProvider()
    refund(book, provider, 1000)
    done = owed(book, provider)
    assert done.amount == TOTAL - 1000
    assert book.orders["ord_1"].status is OrderStatus.REFUNDED


def test_nothing_owed_nothing_refunded() -> None:
    unpaid = dataclasses.replace(
        a_paid_order(status=OrderStatus.CANCELLED), paid_amount=0, refundable=0
    )
    book, provider = FakeRefundBook(unpaid), FakeRefundProvider()
    assert owed(book, provider) is None
    assert provider.calls == []


# -- outcomes by webhook ------------------------------------------------------------------------


def event(*refunds: ProviderRefund, order_id: str | None = "ord_1") -> ProviderEvent:
    return ProviderEvent(
        event_id="evt_1",
        type="charge.refunded",
        created=NOW,
        reference="pi_1",
        order_id=order_id,
        amount=TOTAL,
        currency="USD",
        refunds=list(refunds),
    )


def settle(book: FakeRefundBook, ev: ProviderEvent) -> Any:
    return settle_refund_event(ev, records=book, orders=book, now=NOW + timedelta(minutes=1))


def test_a_pending_refund_settles_by_webhook_once() -> None:
    book = FakeRefundBook(a_paid_order())
    pending = refund(book, FakeRefundProvider(RefundStatus.PENDING), TOTAL, restock=True)
    assert pending.status is RefundStatus.PENDING
    assert pending.provider_reference == "re_1"
    assert book.orders["ord_1"].status is OrderStatus.CONFIRMED
    ev = event(ProviderRefund("re_1", RefundStatus.SUCCEEDED))
    (settled,) = settle(book, ev)
    assert settled.status is RefundStatus.SUCCEEDED
    order = book.orders["ord_1"]
    assert order.status is OrderStatus.REFUNDED
    assert book.restocked == ["ord_1"]  # the closing refund asked to restock
    assert settle(book, ev) == []  # the same event again: nothing
    assert len(book.moves) == 1


def test_a_refund_failed_by_webhook_gives_the_amount_back() -> None:
    book = FakeRefundBook(a_paid_order())
    refund(book, FakeRefundProvider(RefundStatus.PENDING), 1000)
    (failed,) = settle(book, event(ProviderRefund("re_1", RefundStatus.FAILED)))
    assert failed.status is RefundStatus.FAILED
    assert book.orders["ord_1"].refundable == TOTAL


def test_events_about_refunds_we_did_not_ask_for_change_nothing() -> None:
    book = FakeRefundBook(a_paid_order())
    refund(book, FakeRefundProvider(RefundStatus.PENDING), 1000)
    before = dict(book.orders), dict(book.items)
    assert settle(book, event(ProviderRefund("re_dashboard", RefundStatus.SUCCEEDED))) == []
    assert settle(book, event(ProviderRefund("re_1", RefundStatus.PENDING))) == []
    assert (
        settle(book, event(ProviderRefund("re_1", RefundStatus.SUCCEEDED), order_id="ord_9")) == []
    )
    assert (dict(book.orders), dict(book.items)) == before


# -- the lifecycle and the event -----------------------------------------------------------------


def test_only_paid_orders_move_to_refunded() -> None:
    assert refund_effect(OrderStatus.CONFIRMED, Mover.ADMIN, restock=False) is StockEffect.NONE
    for status in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED, OrderStatus.REFUNDED):
        with pytest.raises(Conflict):
            refund_effect(status, Mover.SYSTEM, restock=True)
    with pytest.raises(Conflict):
        refund_effect(OrderStatus.CONFIRMED, Mover.CUSTOMER, restock=False)


def test_the_move_to_refunded_is_an_event_with_the_amount() -> None:
    before = a_paid_order(refunded_amount=TOTAL, refundable=0)
    after = dataclasses.replace(before, status=OrderStatus.REFUNDED, version=2)
    change = {"OldImage": order_item(before).serialize(), "NewImage": order_item(after).serialize()}
    (ev,) = events_from_record({"eventID": "x", "eventName": "MODIFY", "dynamodb": change})
    assert ev.type == "order.refunded"
    assert ev.data["amount"] == TOTAL
    assert ev.data["from"] == "confirmed"


def test_the_owed_refund_fails_its_message_while_the_provider_is_down() -> None:
    from domain.payments.ports import PaymentUnavailable

    book, provider = FakeRefundBook(a_cancelled_paid_order()), FakeRefundProvider()
    provider.down = True
    with pytest.raises(PaymentUnavailable):
        owed(book, provider)
    assert book.orders["ord_1"].refundable == 0  # reserved meanwhile
    provider.down = False
    done = owed(book, provider)  # the message again
    assert done.status is RefundStatus.SUCCEEDED
    assert book.orders["ord_1"].status is OrderStatus.REFUNDED
    assert provider.refunded == 1


def test_a_provider_pending_owed_refund_waits_for_the_webhook() -> None:
    book = FakeRefundBook(a_cancelled_paid_order())
    pending = owed(book, FakeRefundProvider(RefundStatus.PENDING))
    assert pending.status is RefundStatus.PENDING
    assert pending.provider_reference == "re_1"


def test_the_order_closes_whichever_refund_succeeds_last() -> None:
    """An earlier partial refund left pending (the provider unreachable), then the refund
    of the rest succeeds: not refunded yet. The partial one, asked again with its key,
    succeeds last and closes the order (restocking as the closing refund asked)."""
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    provider.down = True
    assert refund(book, provider, 1000, key="k1").status is RefundStatus.PENDING
    provider.down = False
    refund(book, provider, TOTAL - 1000, key="k2", restock=True)
    assert book.orders["ord_1"].status is OrderStatus.CONFIRMED  # 1000 still pending
    refund(book, provider, 1000, key="k1")
    assert book.orders["ord_1"].status is OrderStatus.REFUNDED
    assert book.restocked == ["ord_1"]


def test_a_payment_after_the_window_closed_is_refunded_once() -> None:
    from domain.payments.refunds import refund_late_payment

    unpaid = dataclasses.replace(
        a_paid_order(status=OrderStatus.CANCELLED),
        paid_amount=0,
        refundable=0,
        payment_reference=None,
        cancel_reason="payment not received",
    )
    book, provider = FakeRefundBook(unpaid), FakeRefundProvider()

    def late() -> Any:
        return refund_late_payment(
            "ord_1", TOTAL, "pi_late", records=book, orders=book, provider=provider, now=NOW
        )

    done = late()
    assert done.amount == TOTAL
    assert done.payment_reference == "pi_late"
    assert book.orders["ord_1"].status is OrderStatus.REFUNDED
    again = late()  # the same webhook event again
    assert again.refund_id == done.refund_id
    assert provider.calls == [(provider_key(done), "pi_late", TOTAL)]
    confirmed = FakeRefundBook(a_paid_order())
    assert (
        refund_late_payment(
            "ord_1", TOTAL, "pi_x", records=confirmed, orders=confirmed, provider=provider, now=NOW
        )
        is None
    )


def test_two_successes_closing_at_once_close_the_order_once() -> None:
    """Both read the order fully refunded; the second's move finds it refunded already."""
    from domain.payments.refunds import close_if_refunded

    book = FakeRefundBook(a_paid_order(refunded_amount=TOTAL, refundable=0))
    stale = book.orders["ord_1"]
    reads = iter([(stale, []), (stale, [])])
    real = book.order_and_refunds

    def racing_read(order_id: str) -> Any:
        found = next(reads, None)
        if found is not None and not book.moves:
            close_if_refunded("ord_1", records=real_book, orders=book, now=NOW)  # wins
        return found or real(order_id)

    real_book = FakeRefundBook()
    real_book.order_and_refunds = real  # type: ignore[method-assign]
    book.order_and_refunds = racing_read  # type: ignore[method-assign]
    closed = close_if_refunded("ord_1", records=book, orders=book, now=NOW)
    assert closed is not None
    assert closed.status is OrderStatus.REFUNDED
    assert len(book.moves) == 1


# -- a refund the provider could not take at once (settleRefunds, refund.requested) --------


def finish(book: FakeRefundBook, provider: FakeRefundProvider, refund_id: str) -> Any:
    from domain.payments.refunds import finish_pending_refund

    return finish_pending_refund(
        "ord_1", refund_id, records=book, orders=book, provider=provider, now=NOW
    )


def test_a_refund_left_pending_is_finished_by_the_worker_with_its_own_key() -> None:
    from domain.payments.ports import PaymentUnavailable

    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    provider.down = True
    pending = refund(book, provider, TOTAL)  # the admin's request: provider unreachable
    assert pending.status is RefundStatus.PENDING
    with pytest.raises(PaymentUnavailable):  # the message comes back later
        finish(book, provider, pending.refund_id)
    provider.down = False
    done = finish(book, provider, pending.refund_id)
    assert done.status is RefundStatus.SUCCEEDED
    assert book.orders["ord_1"].status is OrderStatus.REFUNDED
    assert {key for key, _, _ in provider.calls} == {provider_key(pending)}
    assert provider.refunded == 1
    # redelivered, or the refund the request finished itself: nothing is asked again
    asked = len(provider.calls)
    assert finish(book, provider, pending.refund_id).status is RefundStatus.SUCCEEDED
    assert len(provider.calls) == asked


def test_the_worker_asks_nothing_for_a_refund_already_asked_or_unknown() -> None:
    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider(RefundStatus.PENDING)
    waiting = refund(book, provider, 1000)  # asked; the provider's outcome comes later
    assert (waiting.status, waiting.provider_reference) == (RefundStatus.PENDING, "re_1")
    assert finish(book, provider, waiting.refund_id).provider_reference == "re_1"
    assert finish(book, provider, "ref_unknown") is None
    assert len(provider.calls) == 1


def test_a_new_refund_is_an_event_for_the_worker() -> None:
    from repositories.payments.refunds import refund_item

    book, provider = FakeRefundBook(a_paid_order()), FakeRefundProvider()
    provider.down = True
    pending = refund(book, provider, 1000)
    item = refund_item(pending)
    new = {"NewImage": item.serialize()}
    (ev,) = events_from_record({"eventID": "r1", "eventName": "INSERT", "dynamodb": new})
    assert (ev.type, ev.subject) == ("refund.requested", "ord_1")
    assert ev.data == {
        "orderId": "ord_1",
        "refundId": pending.refund_id,
        "amount": 1000,
        "currency": "USD",
    }
    settled = {"OldImage": item.serialize(), "NewImage": item.serialize()}
    assert events_from_record({"eventID": "r2", "eventName": "MODIFY", "dynamodb": settled}) == []
