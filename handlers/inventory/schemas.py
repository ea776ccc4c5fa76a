"""Bodies of the stock operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from domain.catalog.model import AdjustmentReason, Inventory, StockAdjustment, StockStatus
from domain.catalog.stock import MANUAL_REASONS, MAX_STOCK
from handlers.shared.schema import Integer, RequestModel, ResponseModel

Note = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class SetStockRequest(RequestModel):
    available: Annotated[Integer, Field(ge=0, le=MAX_STOCK)]
    low_stock_threshold: Annotated[Integer, Field(ge=0, le=MAX_STOCK)] | None = None
    note: Note | None = None


def _manual(reason: AdjustmentReason) -> AdjustmentReason:
    if reason not in MANUAL_REASONS:
        raise ValueError("a stock count is PUT /inventory, not an adjustment")
    return reason


# The reasons a seller may give for an adjustment (a stock count is PUT /inventory),
# documented as the field's enum so the contract says what the rule allows.
ManualReason = Annotated[
    AdjustmentReason,
    AfterValidator(_manual),
    Field(json_schema_extra={"enum": [r.value for r in MANUAL_REASONS]}),
]


class AdjustStockRequest(RequestModel):
    delta: Annotated[
        Integer,
        Field(ge=-MAX_STOCK, le=MAX_STOCK, json_schema_extra={"not": {"const": 0}}),
    ]
    reason: ManualReason
    note: Note | None = None


class AdjustmentOut(ResponseModel):
    adjustment_id: str
    delta: int
    reason: AdjustmentReason
    note: str | None
    actor_id: str
    available_after: int | None
    created_at: datetime

    @classmethod
    def of(cls, adjustment: StockAdjustment) -> AdjustmentOut:
        return cls(**{name: getattr(adjustment, name) for name in cls.model_fields})


class InventoryOut(ResponseModel):
    product_id: str
    available: int
    reserved: int  # held by carts and unpaid orders
    sold: int  # paid for, not cancelled
    low_stock_threshold: int
    status: StockStatus
    updated_at: datetime
    adjustments: list[AdjustmentOut] | None = None

    @classmethod
    def of(
        cls, inventory: Inventory, adjustments: list[StockAdjustment] | None = None
    ) -> InventoryOut:
        return cls(
            product_id=inventory.product_id,
            available=inventory.available,
            reserved=inventory.reserved,
            sold=inventory.sold,
            low_stock_threshold=inventory.low_stock_threshold,
            status=inventory.status,
            updated_at=inventory.updated_at,
            adjustments=None if adjustments is None else [AdjustmentOut.of(a) for a in adjustments],
        )
