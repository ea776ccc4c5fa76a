"""Tax and shipping: configuration in, integer minor units out.

- **Tax** is a rate in basis points (1/100 of a percent) by destination: ``"US-CA"`` (a
  country and a region, ISO 3166-2 style) wins over ``"US"``, which wins over ``"*"``
  (anywhere else), else 0. It is computed **per line** on the line's total and rounded
  **half to even** to a whole minor unit, so a receipt's lines add up to its tax.
- **Shipping** is a flat amount per order, free from a subtotal threshold (0: never free).
  Shipping is not taxed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.buying.model import Destination, Totals

BASIS = 10_000


def tax_on(amount: int, rate_bp: int) -> int:
    """``amount * rate_bp / 10,000``, rounded half to even, in integers only."""
    quotient, remainder = divmod(amount * rate_bp, BASIS)
    if remainder * 2 > BASIS or (remainder * 2 == BASIS and quotient % 2 == 1):
        quotient += 1
    return quotient


@dataclass(frozen=True)
class PricingPolicy:
    currency: str
    tax_rates: dict[str, int] = field(default_factory=dict)  # basis points by destination
    shipping_flat: int = 0
    free_shipping_from: int = 0  # subtotal at which shipping is free; 0: never

    @classmethod
    def from_settings(
        cls, currency: str, tax_rates_json: str, shipping_flat: int, free_shipping_from: int
    ) -> PricingPolicy:
        rates = json.loads(tax_rates_json) if tax_rates_json else {}
        return cls(
            currency, {str(k): int(v) for k, v in rates.items()}, shipping_flat, free_shipping_from
        )

    def rate_for(self, destination: Destination | None) -> int:
        if destination is None:
            return self.tax_rates.get("*", 0)
        country = destination.country.upper()
        if destination.region:
            regional = self.tax_rates.get(f"{country}-{destination.region.upper()}")
            if regional is not None:
                return regional
        return self.tax_rates.get(country, self.tax_rates.get("*", 0))

    def line_tax(self, line_total: int, destination: Destination | None) -> int:
        return tax_on(line_total, self.rate_for(destination))

    def shipping_for(self, subtotal: int, lines: int) -> int:
        if lines == 0:
            return 0
        if self.free_shipping_from and subtotal >= self.free_shipping_from:
            return 0
        return self.shipping_flat

    def totals(self, line_totals: Iterable[int], destination: Destination | None) -> Totals:
        amounts = list(line_totals)
        subtotal = sum(amounts)
        tax = sum(self.line_tax(a, destination) for a in amounts)
        return Totals(subtotal, tax, self.shipping_for(subtotal, len(amounts)), self.currency)
