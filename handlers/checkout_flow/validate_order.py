"""Checkout task ValidateOrder: the order to charge, and the whole seconds left to pay.

In ``{"orderId"}``; out ``{orderId, status, amount, currency, paymentDue, attempt,
secondsLeft, payable}``. ``secondsLeft`` is the next state's ``TimeoutSecondsPath``.
"""

from __future__ import annotations

from domain.buying.payments import validate_order
from domain.clock import iso, utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task

orders = wiring.order_reader()


def validate(event: Payload) -> Payload:
    due = validate_order(str(event["orderId"]), orders=orders, now=utcnow())
    return {
        "orderId": due.order_id,
        "status": due.status.value,
        "amount": due.amount,
        "currency": due.currency,
        "paymentDue": iso(due.payment_due),
        "attempt": due.attempt,
        "secondsLeft": due.seconds_left,
        "payable": due.payable,
    }


lambda_handler = task(validate)
