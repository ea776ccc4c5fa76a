"""Bodies of the review operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from domain.catalog.model import Review
from handlers.shared.schema import Integer, RequestModel, ResponseModel


class ReviewRequest(RequestModel):
    rating: Annotated[Integer, Field(ge=1, le=5)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class ReviewOut(ResponseModel):
    product_id: str
    author_name: str
    rating: int
    title: str
    text: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(**{name: getattr(review, name) for name in cls.model_fields})


class ReviewPage(ResponseModel):
    items: list[ReviewOut]
    next_cursor: str | None
