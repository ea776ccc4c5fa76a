"""The catalogue: sellers, categories, products, their stock and reviews.

Values that are never changed after they are made are NamedTuples: defining a dataclass
costs several times as much, and nearly every function loads this module on its cold start.
The records that are copied with a change (``Product``, ``Inventory``, …) stay dataclasses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from domain.access import Role
from domain.errors import Conflict, RuleViolation

MAX_PRICE = 99_999_999_999  # minor units; 11 digits keep the index sort key fixed-width
MAX_CATEGORY_DEPTH = 5
MAX_SUBTREE_MOVE = 90  # a move rewrites the subtree's paths in one transaction
MAX_IMAGES = 10
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
DEFAULT_LOW_STOCK = 5
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # also the schema's (handlers/categories)
_SLUG = re.compile(SLUG_PATTERN)


def seller_id_for(user_id: str) -> str:
    """A user has at most one shop, so the seller id is the user's id, re-prefixed."""
    return "sel_" + user_id.removeprefix("usr_")


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60].strip("-") or "category"


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug) or len(slug) > 60:
        raise ValueError("a slug is lowercase letters, digits and single hyphens")
    return slug


class _Amount(NamedTuple):
    amount: int
    currency: str


class Money(_Amount):
    """An amount in integer minor units of an ISO 4217 currency (never a float)."""

    __slots__ = ()

    def __new__(cls, amount: int, currency: str) -> Money:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError("money is an integer number of minor units")
        if not _CURRENCY.fullmatch(currency):
            raise ValueError("a currency is an ISO 4217 code")
        return super().__new__(cls, amount, currency)


_CURRENCY = re.compile(r"[A-Z]{3}")


def check_price(price: Money, store_currency: str) -> Money:
    if price.currency != store_currency:
        raise RuleViolation(
            f"prices are in the store currency, {store_currency}", code="currency_mismatch"
        )
    if not 0 < price.amount <= MAX_PRICE:
        raise RuleViolation("a price is above zero and at most 99,999,999,999", code="price_range")
    return price


@dataclass
class Seller:
    seller_id: str
    user_id: str
    shop_name: str
    contact_email: str
    created_at: datetime
    updated_at: datetime
    description: str | None = None


@dataclass
class Category:
    category_id: str
    name: str
    slug: str
    parent_id: str | None
    path: str  # ids from the root, joined by "/": a subtree shares a path prefix
    created_at: datetime
    updated_at: datetime
    child_count: int = 0
    product_count: int = 0

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    REJECTED = "rejected"
    ARCHIVED = "archived"


# Which moves each action may make (anything else is a 409 naming both states).
SUBMITTABLE = {ProductStatus.DRAFT, ProductStatus.REJECTED}
EDITABLE = {ProductStatus.DRAFT, ProductStatus.REJECTED, ProductStatus.ACTIVE}
ARCHIVABLE = {
    ProductStatus.DRAFT,
    ProductStatus.PENDING_REVIEW,
    ProductStatus.ACTIVE,
    ProductStatus.REJECTED,
}


def require_status(current: ProductStatus, allowed: set[ProductStatus], action: str) -> None:
    if current not in allowed:
        article = "an" if current.value[0] in "aeiou" else "a"
        raise Conflict(
            f"{article} {current.value} product cannot be {action}",
            code="invalid_product_state",
        )


class Image(NamedTuple):
    url: str
    alt: str


@dataclass(frozen=True)
class Rating:
    count: int
    total: int

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


@dataclass
class Product:
    product_id: str
    seller_id: str
    name: str
    description: str
    price: Money
    category_id: str
    sku: str
    status: ProductStatus
    version: int
    created_at: datetime
    updated_at: datetime
    brand: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    images: list[Image] = field(default_factory=list)
    rejection_reason: str | None = None
    rating: Rating = field(default_factory=lambda: Rating(0, 0))
    status_changed_at: datetime | None = None

    @property
    def is_visible_to_everyone(self) -> bool:
        return self.status is ProductStatus.ACTIVE


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"
    OUT = "out"


@dataclass
class Inventory:
    product_id: str
    available: int
    reserved: int
    low_stock_threshold: int
    updated_at: datetime
    sold: int = 0  # units of paid orders (domain/buying/model.py: the stock equation)

    @property
    def status(self) -> StockStatus:
        if self.available <= 0:
            return StockStatus.OUT
        if self.available <= self.low_stock_threshold:
            return StockStatus.LOW
        return StockStatus.IN_STOCK


class AdjustmentReason(StrEnum):
    RESTOCK = "restock"
    DAMAGE = "damage"
    CORRECTION = "correction"
    RETURN = "return"
    STOCK_COUNT = "stock_count"  # PUT /inventory: the counted figure replaces the old one


class StockAdjustment(NamedTuple):
    adjustment_id: str
    product_id: str
    delta: int
    reason: AdjustmentReason
    actor_id: str
    created_at: datetime
    note: str | None = None
    # Exact only for a stock count (written on the condition that stock was unchanged);
    # a delta is applied atomically, so what it ended at is not known to the writer.
    available_after: int | None = None


@dataclass
class Review:
    product_id: str
    user_id: str
    rating: int
    title: str
    text: str
    author_name: str
    created_at: datetime
    updated_at: datetime


class ProductSummary(NamedTuple):
    """A product as lists show it (what the browse indexes carry)."""

    product_id: str
    seller_id: str
    name: str
    price: Money
    category_id: str
    brand: str | None
    image: Image | None
    rating: Rating
    status: ProductStatus
    created_at: datetime
    updated_at: datetime


class ProductDetail(NamedTuple):
    product: Product
    inventory: Inventory | None


class ProductSort(StrEnum):
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"


class BrowseQuery(NamedTuple):
    """What a shopper asks of the catalogue; ``after`` is the opaque page cursor."""

    category_id: str | None = None
    include_subcategories: bool = True
    min_price: int | None = None
    max_price: int | None = None
    sort: ProductSort = ProductSort.NEWEST
    after: str | None = None
    limit: int = 20


class Actor(NamedTuple):
    """Who is asking, as the catalogue rules need to know it."""

    user_id: str
    role: Role

    @property
    def seller_id(self) -> str:
        return seller_id_for(self.user_id)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def owns(self, product: Product) -> bool:
        return self.role is Role.SELLER and product.seller_id == self.seller_id

    def may_manage(self, product: Product) -> bool:
        return self.is_admin or self.owns(product)

    def may_see(self, product: Product) -> bool:
        return product.status is ProductStatus.ACTIVE or self.may_manage(product)


def may_see(actor: Actor | None, product: Product) -> bool:
    return product.status is ProductStatus.ACTIVE or (actor is not None and actor.may_see(product))
