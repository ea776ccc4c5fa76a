"""Products: listing (with its stock, SKU claim and category count), edits at a version,
status changes, and the lists by seller and by status."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from domain.catalog.model import (
    BrowseQuery,
    Inventory,
    Product,
    ProductStatus,
    ProductSummary,
)
from domain.clock import iso
from domain.errors import Conflict, NotFound, PreconditionFailed
from domain.paging import Page
from repositories import keys
from repositories.catalog.items import (
    EDITS,
    CategoryItem,
    InventoryItem,
    ProductItem,
    SkuItem,
    key_actions,
    product_item,
    set_or_remove,
    to_inventory,
    to_product,
    to_summary,
)
from repositories.cursors import GSI2_KEYS, GSI3_KEYS, decode_cursor, take_page
from repositories.table import ConditionFailed, Item, Transaction, is_condition_failure


def _metadata(product_id: str) -> ProductItem:
    return ProductItem(keys.product_pk(product_id), keys.METADATA)


def _category(category_id: str) -> CategoryItem:
    return CategoryItem(keys.category_pk(category_id), keys.METADATA)


def _sku(seller_id: str, sku: str) -> SkuItem:
    return SkuItem(keys.seller_pk(seller_id), keys.sku_sk(sku))


class DynamoProducts:
    def add_product(self, product: Product, inventory: Inventory) -> None:
        stamp = iso(product.created_at)
        tx = Transaction()
        tx.put(product_item(product), condition=ProductItem.PK.does_not_exist())
        tx.put(
            InventoryItem(
                keys.product_pk(product.product_id),
                keys.INVENTORY,
                product_id=product.product_id,
                available=inventory.available,
                reserved=inventory.reserved,
                low_stock_threshold=inventory.low_stock_threshold,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=InventoryItem.PK.does_not_exist(),
        )
        self._claim_sku(tx, product, stamp)
        tx.update(
            _category(product.category_id),
            actions=[CategoryItem.product_count.add(1)],
            condition=CategoryItem.PK.exists(),
            label="category",
        )
        self._commit(tx)

    @staticmethod
    def _claim_sku(tx: Transaction, product: Product, stamp: str) -> None:
        tx.put(
            SkuItem(
                keys.seller_pk(product.seller_id),
                keys.sku_sk(product.sku),
                product_id=product.product_id,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=SkuItem.PK.does_not_exist(),
            label="sku",
        )

    @staticmethod
    def _commit(tx: Transaction) -> None:
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "sku":
                raise Conflict(
                    "you already list a product with this SKU", code="sku_taken"
                ) from None
            if failed.label == "category":
                raise NotFound("no such category", code="category_not_found") from None
            if failed.label == "version":
                raise PreconditionFailed(
                    "the product changed since you read it", code="version_mismatch"
                ) from None
            if failed.label == "status":
                raise Conflict(
                    "the product's status changed meanwhile", code="invalid_product_state"
                ) from None
            raise

    def product(self, product_id: str) -> Product | None:
        try:
            return to_product(ProductItem.get(keys.product_pk(product_id), keys.METADATA))
        except ProductItem.DoesNotExist:
            return None

    def product_with_inventory(self, product_id: str) -> tuple[Product | None, Inventory | None]:
        product: Product | None = None
        inventory: Inventory | None = None
        for item in Item.query(
            keys.product_pk(product_id), Item.SK.between(keys.INVENTORY, keys.METADATA)
        ):
            if isinstance(item, ProductItem):
                product = to_product(item)
            elif isinstance(item, InventoryItem):
                inventory = to_inventory(item)
        return product, inventory

    def save_edits(self, before: Product, after: Product, now: datetime) -> Product:
        stamp = iso(now)
        actions: list[Action] = [
            *(action for edit in EDITS.values() for action in edit(after)),
            ProductItem.version.set(before.version + 1),
            ProductItem.updated_at.set(stamp),
            *key_actions(after),
        ]
        tx = Transaction()
        tx.update(
            _metadata(before.product_id),
            actions=actions,
            condition=ProductItem.version == before.version,
            label="version",
        )
        if after.sku != before.sku:
            self._claim_sku(tx, after, stamp)
            tx.delete(_sku(before.seller_id, before.sku))
        if after.category_id != before.category_id:
            tx.update(
                _category(after.category_id),
                actions=[CategoryItem.product_count.add(1)],
                condition=CategoryItem.PK.exists(),
                label="category",
            )
            tx.update(
                _category(before.category_id),
                actions=[CategoryItem.product_count.add(-1)],
            )
        self._commit(tx)
        after.version = before.version + 1
        after.updated_at = now
        return after

    def change_status(self, before: Product, after: Product, now: datetime) -> Product:
        actions: list[Action] = [
            ProductItem.status.set(after.status.value),
            ProductItem.status_changed_at.set(iso(after.status_changed_at or now)),
            set_or_remove(ProductItem.rejection_reason, after.rejection_reason),
            ProductItem.version.set(before.version + 1),
            ProductItem.updated_at.set(iso(now)),
            *key_actions(after),
        ]
        if after.status is ProductStatus.ARCHIVED:
            return self._archive(before, after, actions)
        item = _metadata(before.product_id)
        try:
            item.update(actions=actions, condition=ProductItem.status == before.status.value)
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict(
                    "the product's status changed meanwhile", code="invalid_product_state"
                ) from None
            raise
        return to_product(item)

    def _archive(self, before: Product, after: Product, actions: list[Action]) -> Product:
        """Archiving takes the product out of its category's count and frees its SKU,
        in the same write: an archived product is gone for everyone but its seller."""
        tx = Transaction()
        tx.update(
            _metadata(before.product_id),
            actions=actions,
            condition=ProductItem.status == before.status.value,
            label="status",
        )
        tx.update(
            _category(before.category_id),
            actions=[CategoryItem.product_count.add(-1)],
            condition=CategoryItem.PK.exists(),
        )
        tx.delete(_sku(before.seller_id, before.sku))
        self._commit(tx)
        after.version = before.version + 1
        return after

    def browse(self, query: BrowseQuery, category_ids: list[str] | None) -> Page[ProductSummary]:
        # Imported on use: of the functions that build this repository only listProducts
        # browses, and the others need not load the merge.
        from repositories.catalog.browse import browse

        return browse(query, category_ids)

    def by_seller(
        self, seller_id: str, status: ProductStatus | None, cursor: str | None, limit: int
    ) -> Page[ProductSummary]:
        partition = keys.seller_pk(seller_id)
        results = ProductItem.gsi2.query(
            partition,
            ProductItem.GSI2SK.between("0", "~"),
            filter_condition=(ProductItem.status == status.value) if status else None,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI2_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_summary(i) for i in items], next_cursor)

    def by_status(
        self, status: ProductStatus, cursor: str | None, limit: int, *, oldest_first: bool
    ) -> Page[ProductSummary]:
        partition = keys.product_status_pk(status.value)
        results = ProductItem.gsi3.query(
            partition,
            scan_index_forward=oldest_first,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_summary(i) for i in items], next_cursor)
