"""Stock: a product's inventory item and the adjustments written with each change."""

from __future__ import annotations

from domain.catalog.model import AdjustmentReason, Inventory, StockAdjustment
from domain.catalog.stock import MAX_STOCK
from domain.clock import iso, parse_iso
from domain.errors import Conflict
from repositories import keys
from repositories.catalog.items import AdjustmentItem, InventoryItem
from repositories.table import ConditionFailed, Transaction


class DynamoInventory:
    def _adjustment_item(self, adjustment: StockAdjustment) -> AdjustmentItem:
        stamp = iso(adjustment.created_at)
        return AdjustmentItem(
            keys.product_pk(adjustment.product_id),
            keys.adjustment_sk(adjustment.adjustment_id),
            adjustment_id=adjustment.adjustment_id,
            product_id=adjustment.product_id,
            delta=adjustment.delta,
            reason=adjustment.reason.value,
            note=adjustment.note,
            actor_id=adjustment.actor_id,
            available_after=adjustment.available_after,
            created_at=stamp,
            updated_at=stamp,
        )

    def set_stock(
        self,
        inventory: Inventory,
        *,
        available: int,
        low_stock_threshold: int,
        adjustment: StockAdjustment,
    ) -> Inventory:
        stamp = iso(adjustment.created_at)
        tx = Transaction()
        tx.update(
            InventoryItem(keys.product_pk(inventory.product_id), keys.INVENTORY),
            actions=[
                InventoryItem.available.set(available),
                InventoryItem.low_stock_threshold.set(low_stock_threshold),
                InventoryItem.updated_at.set(stamp),
            ],
            condition=InventoryItem.available == inventory.available,
        )
        tx.put(self._adjustment_item(adjustment), condition=AdjustmentItem.PK.does_not_exist())
        try:
            tx.commit()
        except ConditionFailed:
            raise Conflict(
                "the stock changed since you read it; read it again", code="stock_changed"
            ) from None
        return Inventory(
            inventory.product_id,
            available,
            inventory.reserved,
            low_stock_threshold,
            adjustment.created_at,
        )

    def adjust_stock(self, inventory: Inventory, adjustment: StockAdjustment) -> Inventory:
        stamp = iso(adjustment.created_at)
        condition = InventoryItem.PK.exists()
        if adjustment.delta < 0:
            # never below zero, whatever happened since the read
            condition = condition & (InventoryItem.available >= -adjustment.delta)
        else:
            condition = condition & (InventoryItem.available <= MAX_STOCK - adjustment.delta)
        tx = Transaction()
        tx.update(
            InventoryItem(keys.product_pk(inventory.product_id), keys.INVENTORY),
            actions=[
                InventoryItem.available.add(adjustment.delta),
                InventoryItem.updated_at.set(stamp),
            ],
            condition=condition,
        )
        tx.put(self._adjustment_item(adjustment), condition=AdjustmentItem.PK.does_not_exist())
        try:
            tx.commit()
        except ConditionFailed:
            if adjustment.delta > 0:
                raise Conflict(f"stock would exceed {MAX_STOCK}", code="stock_limit") from None
            raise Conflict(
                "not enough stock for this adjustment", code="insufficient_stock"
            ) from None
        return Inventory(
            inventory.product_id,
            inventory.available + adjustment.delta,
            inventory.reserved,
            inventory.low_stock_threshold,
            adjustment.created_at,
        )

    def adjustments(self, product_id: str, limit: int) -> list[StockAdjustment]:
        items = AdjustmentItem.query(
            keys.product_pk(product_id),
            AdjustmentItem.SK.startswith(keys.ADJUSTMENT_PREFIX),
            scan_index_forward=False,
            limit=limit,
        )
        return [
            StockAdjustment(
                adjustment_id=i.adjustment_id,
                product_id=i.product_id,
                delta=int(i.delta),
                reason=AdjustmentReason(i.reason),
                note=i.note,
                actor_id=i.actor_id,
                available_after=None if i.available_after is None else int(i.available_after),
                created_at=parse_iso(i.created_at),
            )
            for i in items
        ]
