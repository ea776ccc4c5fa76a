"""Search's answers (GET /search, /search/suggest, /admin/orders/search)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from domain.search.ports import OrderHit, SearchHit, SearchResults
from handlers.shared.schema import ResponseModel

# A longer text is refused (422); up to this it is answered on its first 200 characters
# and 12 words (docs/search.md, "Limits").
MAX_Q = 1000
SearchText = Annotated[str, StringConstraints(max_length=MAX_Q)]
Brand = Annotated[str, StringConstraints(min_length=1, max_length=100)]
MinRating = Annotated[float, Field(ge=0, le=5)]


class AmountOut(ResponseModel):
    amount: int
    currency: str


class HighlightOut(ResponseModel):
    field: str
    text: str
    ranges: list[tuple[int, int]] = Field(
        description="[start, end) character offsets in text that matched"
    )


class SearchHitOut(ResponseModel):
    product_id: str
    score: float
    name: str
    brand: str | None
    price: AmountOut
    rating: float | None
    in_stock: bool
    highlights: list[HighlightOut]

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            product_id=hit.product_id,
            score=hit.score,
            name=hit.name,
            brand=hit.brand,
            price=AmountOut(amount=hit.price, currency=hit.currency),
            rating=hit.rating,
            in_stock=hit.in_stock,
            highlights=[
                HighlightOut(field=h.field, text=h.text, ranges=list(h.ranges))
                for h in hit.highlights
            ],
        )


class FacetCountOut(ResponseModel):
    value: str
    count: int


class PriceBandOut(ResponseModel):
    min: int
    max: int | None
    count: int


class FacetsOut(ResponseModel):
    brands: list[FacetCountOut]
    categories: list[FacetCountOut]
    price_bands: list[PriceBandOut]


class SearchPage(ResponseModel):
    items: list[SearchHitOut]
    total: int
    facets: FacetsOut
    next_cursor: str | None

    @classmethod
    def of(cls, results: SearchResults) -> SearchPage:
        facets = results.facets
        return cls(
            items=[SearchHitOut.of(h) for h in results.hits],
            total=results.total,
            facets=FacetsOut(
                brands=[FacetCountOut(value=f.value, count=f.count) for f in facets.brands],
                categories=[FacetCountOut(value=f.value, count=f.count) for f in facets.categories],
                price_bands=[
                    PriceBandOut(min=b.min, max=b.max, count=b.count) for b in facets.price_bands
                ],
            ),
            next_cursor=results.next_cursor,
        )


class SuggestionsOut(ResponseModel):
    suggestions: list[str]


class OrderHitOut(ResponseModel):
    order_id: str
    score: float
    customer_email: str
    customer_name: str
    status: str
    total: AmountOut
    created_at: datetime

    @classmethod
    def of(cls, hit: OrderHit) -> OrderHitOut:
        return cls(
            order_id=hit.order_id,
            score=hit.score,
            customer_email=hit.customer_email,
            customer_name=hit.customer_name,
            status=hit.status,
            total=AmountOut(amount=hit.total, currency=hit.currency),
            created_at=hit.created_at,
        )


class OrderSearchOut(ResponseModel):
    items: list[OrderHitOut]
