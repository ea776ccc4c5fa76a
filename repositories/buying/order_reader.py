"""An order's metadata item alone (``ORDER#<id>``/``METADATA``): one strongly consistent
GetItem, for the checkout machine's steps that need the order but not its history
(ValidateOrder, ProcessPayment). The orders area's repository reads the history too."""

from __future__ import annotations

from domain.buying.model import Order
from repositories import keys
from repositories.buying.items import OrderItem, to_order


class DynamoOrderReader:
    """``OrderReader`` on the single table."""

    def order(self, order_id: str) -> Order | None:
        try:
            item = OrderItem.get(keys.order_pk(order_id), keys.METADATA, consistent_read=True)
        except OrderItem.DoesNotExist:
            return None
        return to_order(item)
