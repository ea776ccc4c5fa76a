"""Bodies and query values of the admin's order operations."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from domain.buying.model import Shipment
from handlers.shared.schema import RequestModel

Carrier = Annotated[str, StringConstraints(min_length=1, max_length=60)]
TrackingNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]{0,63}$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def _date_text(value: object) -> object:
    # A date is the text YYYY-MM-DD (format "date"), nothing else: pydantic's lax mode
    # would read a number, or the text "0", as a Unix time.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        raise ValueError("a date is a string YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_date_text), Field(strict=False)]


class ShipRequest(RequestModel):
    carrier: Carrier
    tracking_number: TrackingNumber
    estimated_delivery: Day | None = None

    def to_domain(self) -> Shipment:
        day = self.estimated_delivery
        return Shipment(self.carrier, self.tracking_number, day.isoformat() if day else None)


class CancelRequest(RequestModel):
    reason: Reason
