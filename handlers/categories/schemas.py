"""Bodies of the category operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from domain.catalog.categories import CategoryNode
from domain.catalog.model import SLUG_PATTERN, Category, check_slug
from handlers.shared.schema import Identifier, PatchRequest, RequestModel, ResponseModel

CategoryName = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=60, pattern=SLUG_PATTERN),
    AfterValidator(check_slug),
]


class CategoryRequest(RequestModel):
    name: CategoryName
    parent_id: Identifier | None = None
    slug: Slug | None = None


class CategoryPatch(PatchRequest):
    """``parentId`` moves the category (``null``: to the top); absent, it stays. A name or
    slug may be changed, not cleared: they refuse null."""

    name: CategoryName = Field(default=None)  # type: ignore[assignment]
    slug: Slug = Field(default=None)  # type: ignore[assignment]
    parent_id: Identifier | None = None

    @property
    def moves(self) -> bool:
        return "parent_id" in self.model_fields_set


class CategoryOut(ResponseModel):
    category_id: str
    name: str
    slug: str
    parent_id: str | None
    path: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, category: Category) -> CategoryOut:
        return cls(**{name: getattr(category, name) for name in cls.model_fields})


class CategoryNodeOut(ResponseModel):
    category_id: str
    name: str
    slug: str
    parent_id: str | None
    children: list[CategoryNodeOut]

    @classmethod
    def of(cls, node: CategoryNode) -> CategoryNodeOut:
        c = node.category
        return cls(
            category_id=c.category_id,
            name=c.name,
            slug=c.slug,
            parent_id=c.parent_id,
            children=[cls.of(child) for child in node.children],
        )


class CategoryTreeOut(ResponseModel):
    items: list[CategoryNodeOut]
