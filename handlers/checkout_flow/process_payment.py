"""Checkout task ProcessPayment: charge the order once (key ``<orderId>:<attempt>``).

In ``{"orderId", "attempt"}``; out ``{outcome: paid|declined|requires_action, reference,
declineCode}``. ``PaymentUnavailable`` (transient) is raised for the machine to retry.
Written for a later ``lambda:invoke.waitForTaskToken``: with a ``taskToken`` in the payload
the payments issue starts the charge here and answers the same output shape through
``SendTaskSuccess`` from its webhook; the machine around it does not change.
"""

from __future__ import annotations

from domain.buying.payments import process_payment
from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task

orders, payments, provider = (
    wiring.order_reader(),
    wiring.payment_records(),
    wiring.payment_provider(),
)


def pay(event: Payload) -> Payload:
    answer = process_payment(
        str(event["orderId"]),
        int(event["attempt"]),
        orders=orders,
        payments=payments,
        provider=provider,
        now=utcnow(),
    )
    return {
        "outcome": answer.outcome.value,
        "reference": answer.reference,
        "declineCode": answer.decline_code,
    }


lambda_handler = task(pay)
