"""Checkout task ProcessPayment: charge the order once (key ``<orderId>:<attempt>``).

A ``lambda:invoke.waitForTaskToken`` task: in ``{"orderId", "attempt", "taskToken"}``.
The machine's output is what completes the token, ``{outcome: paid|declined, reference,
declineCode}``: this function completes it itself when the outcome is immediate
(``SendTaskSuccess``); when the buyer must act (3-D Secure) it stores the token on the
attempt and returns, and the payments webhook completes it. ``PaymentUnavailable``
(transient) is raised for the machine to retry.
"""

from __future__ import annotations

from domain.buying.payments import process_payment, task_output
from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task

orders, payments, provider, callbacks = (
    wiring.order_reader(),
    wiring.payment_records(),
    wiring.payment_provider(),
    wiring.task_callbacks(),
)


def pay(event: Payload) -> Payload:
    answer = process_payment(
        str(event["orderId"]),
        int(event["attempt"]),
        orders=orders,
        payments=payments,
        provider=provider,
        now=utcnow(),
        task_token=event.get("taskToken"),
        callbacks=callbacks,
    )
    return task_output(answer)


lambda_handler = task(pay)
