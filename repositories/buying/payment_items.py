"""The items of payments that finish later, apart from the buying items every buying
function loads (cold starts): only the payment functions import these.

- a test-mode PaymentIntent waiting for the buyer: ``TESTINTENT#<pi>`` / ``INTENT``;
- a test-mode refund: ``TESTREFUND#<key>`` / ``REFUND`` (one per idempotency key);
- a webhook event handled: ``WEBHOOKEVENT#<eventId>`` / ``WEBHOOKEVENT`` (expiresAt 7 days).
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from repositories.table import ExpiringItem


class WebhookEventItem(ExpiringItem, discriminator="WebhookEvent"):
    """A provider event the webhook handled: ``WEBHOOKEVENT#<eventId>`` (de-duplication)."""

    event_id = UnicodeAttribute(attr_name="eventId")


class TestIntentItem(ExpiringItem, discriminator="TestIntent"):
    """The local provider's PaymentIntent that waits for the buyer (3-D Secure), by id:
    ``requires_action`` until the stand-in for Stripe.js settles it once."""

    __test__ = False  # not a pytest class

    charge_id = UnicodeAttribute(attr_name="chargeId")
    order_id = UnicodeAttribute(attr_name="orderId")
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    payment_method = UnicodeAttribute(attr_name="paymentMethod")
    client_secret = UnicodeAttribute(attr_name="clientSecret")
    status = UnicodeAttribute()
