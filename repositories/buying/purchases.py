"""The verified-buyer marker: ``USER#<userId>`` / ``PURCHASE#<productId>``.

Put in the transaction that moves an order to ``delivered`` (repositories/buying/orders.py);
read by a review in the BatchGetItem it already makes (repositories/reviews.py). On its own
so that the review functions load this one item class and nothing else of buying.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from repositories.table import Item


class PurchaseItem(Item, discriminator="Purchase"):
    """The user received an order holding this product."""

    user_id = UnicodeAttribute(attr_name="userId")
    product_id = UnicodeAttribute(attr_name="productId")
    order_id = UnicodeAttribute(attr_name="orderId")
