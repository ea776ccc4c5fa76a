"""An amount of an order (integer minor units and the currency), shared by the order's
full form and its summary."""

from __future__ import annotations

from handlers.shared.schema import ResponseModel


class OrderAmountOut(ResponseModel):
    amount: int
    currency: str
