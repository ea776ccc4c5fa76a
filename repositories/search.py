"""The table reads that keep the search index (domain/search/indexing.py: SearchSources).

- a product with its stock: one Query of its partition (``INVENTORY`` and ``METADATA``
  are adjacent);
- the active products for a rebuild: Queries on GSI3 (``PRODUCTSTATUS#active``, the
  active-products index; never a Scan), each page's stock in one BatchGetItem;
- an order with its buyer's email: two GetItems (the order, the buyer's profile);
- the category list (one Query on GSI1 ``CATEGORIES``), which the indexer caches a minute.
"""

from __future__ import annotations

from domain.catalog.model import Category, Inventory
from domain.clock import parse_iso
from domain.paging import Page
from domain.search.indexing import Listing, OrderRecord
from repositories import keys
from repositories.catalog.items import (
    CategoryItem,
    InventoryItem,
    ProductItem,
    to_category,
    to_inventory,
    to_product,
)
from repositories.cursors import GSI3_KEYS, decode_cursor, take_page
from repositories.table import Item


class DynamoSearchSources:
    def categories(self) -> list[Category]:
        return [to_category(i) for i in CategoryItem.gsi1.query(keys.CATEGORIES)]

    def listing(self, product_id: str) -> Listing | None:
        product, inventory = None, None
        for item in Item.query(
            keys.product_pk(product_id), Item.SK.between(keys.INVENTORY, keys.METADATA)
        ):
            if isinstance(item, ProductItem):
                product = to_product(item)
            elif isinstance(item, InventoryItem):
                inventory = to_inventory(item)
        return None if product is None else Listing(product, inventory)

    def active_listings(self, cursor: str | None, limit: int) -> Page[Listing]:
        partition = keys.product_status_pk("active")
        results = ProductItem.gsi3.query(
            partition,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        stock: dict[str, Inventory] = {}
        if items:
            wanted = [(keys.product_pk(i.product_id), keys.INVENTORY) for i in items]
            for found in Item.batch_get(wanted):
                if isinstance(found, InventoryItem):
                    stock[found.product_id] = to_inventory(found)
        return Page([Listing(to_product(i), stock.get(i.product_id)) for i in items], next_cursor)

    def order_record(self, order_id: str) -> OrderRecord | None:
        from repositories.accounts.items import UserItem
        from repositories.buying.items import OrderItem

        try:
            order = OrderItem.get(keys.order_pk(order_id), keys.METADATA)
        except OrderItem.DoesNotExist:
            return None
        try:
            email = UserItem.get(keys.user_pk(order.user_id), keys.PROFILE).email
        except UserItem.DoesNotExist:
            email = ""
        return OrderRecord(
            order_id=order.order_id,
            version=int(order.version or 1),
            customer_email=email,
            customer_name=order.shipping_address.full_name,
            status=order.status,
            total=int(order.total),
            currency=order.currency,
            created_at=parse_iso(order.created_at),
        )
