"""The local test-mode card vault's ledger (adapters/local_cards.py), in the single table.

``TESTCUSTOMER#<idempotencyKey>``: a customer, one per key, as Stripe's idempotency gives.
``TESTSETUP#<seti>``: a SetupIntent, its customer, and once confirmed the card it attached
(the test card it was made from, brand, last four, expiry; ``detached`` once detached).
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from repositories.table import ExpiringItem


class TestCustomerItem(ExpiringItem, discriminator="TestCustomer"):
    __test__ = False  # not a pytest class
    customer_id = UnicodeAttribute(attr_name="customerId")
    user_id = UnicodeAttribute(attr_name="userId")


class TestSetupItem(ExpiringItem, discriminator="TestSetupIntent"):
    __test__ = False
    setup_id = UnicodeAttribute(attr_name="setupId")
    customer_id = UnicodeAttribute(attr_name="customerId")
    client_secret = UnicodeAttribute(attr_name="clientSecret")
    status = UnicodeAttribute()  # requires_payment_method | succeeded
    payment_method = UnicodeAttribute(attr_name="paymentMethod", null=True)
    source = UnicodeAttribute(null=True)  # the test card it was made from (pm_card_visa)
    brand = UnicodeAttribute(null=True)
    last4 = UnicodeAttribute(null=True)
    exp_month = NumberAttribute(attr_name="expMonth", null=True)
    exp_year = NumberAttribute(attr_name="expYear", null=True)
    detached = BooleanAttribute(default=False)
