"""What the catalogue rules need from storage and from the image store."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from domain.catalog.model import (
    BrowseQuery,
    Category,
    Inventory,
    Product,
    ProductStatus,
    ProductSummary,
    Review,
    Seller,
    StockAdjustment,
)
from domain.paging import Page

if TYPE_CHECKING:
    from domain.accounts.model import User


class SellerRepository(Protocol):
    def add_seller(self, seller: Seller, user: User) -> None:
        """Create the shop and make the user a seller in one write;
        ``Conflict(seller_exists)`` if the user has one."""

    def seller(self, seller_id: str) -> Seller | None: ...


class CategoryRepository(Protocol):
    def all_categories(self) -> list[Category]:
        """Every category, ordered by path (parents before their children)."""

    def category(self, category_id: str) -> Category | None: ...

    def add_category(self, category: Category) -> None:
        """``Conflict(slug_taken)``; ``NotFound(category_not_found)`` for a vanished parent."""

    def rename_category(
        self, category: Category, *, name: str, slug: str, now: datetime
    ) -> None: ...

    def move_category(
        self,
        category: Category,
        new_parent: Category | None,
        subtree: list[Category],
        now: datetime,
    ) -> None:
        """Re-parent ``category``; rewrites the paths of ``subtree`` (its descendants)."""

    def delete_category(self, category: Category) -> None:
        """``Conflict(category_not_empty)`` while it has children or products."""


class ProductRepository(Protocol):
    def add_product(self, product: Product, inventory: Inventory) -> None:
        """``Conflict(sku_taken)``; ``NotFound(category_not_found)``."""

    def product(self, product_id: str) -> Product | None: ...

    def product_with_inventory(
        self, product_id: str
    ) -> tuple[Product | None, Inventory | None]: ...

    def save_edits(self, before: Product, after: Product, now: datetime) -> Product:
        """Write ``after`` if the stored version is still ``before.version``
        (``PreconditionFailed(version_mismatch)`` otherwise); returns it with its new version."""

    def change_status(self, before: Product, after: Product, now: datetime) -> Product:
        """Move to ``after.status`` if the stored status is still ``before.status``."""

    def browse(self, query: BrowseQuery, category_ids: list[str] | None) -> Page[ProductSummary]:
        """Active products in any of ``category_ids`` (all when None)."""

    def by_seller(
        self, seller_id: str, status: ProductStatus | None, cursor: str | None, limit: int
    ) -> Page[ProductSummary]: ...

    def by_status(
        self, status: ProductStatus, cursor: str | None, limit: int, *, oldest_first: bool
    ) -> Page[ProductSummary]: ...


class InventoryRepository(Protocol):
    def set_stock(
        self,
        inventory: Inventory,
        *,
        available: int,
        low_stock_threshold: int,
        adjustment: StockAdjustment,
    ) -> Inventory:
        """Replace the figure if it is still ``inventory.available`` (else ``Conflict``)."""

    def adjust_stock(self, inventory: Inventory, adjustment: StockAdjustment) -> Inventory:
        """Add ``adjustment.delta``; ``Conflict(insufficient_stock)`` below zero."""

    def adjustments(self, product_id: str, limit: int) -> list[StockAdjustment]: ...


class ReviewContext(NamedTuple):
    """What writing a review needs, read together (one BatchGetItem on the table)."""

    product: Product | None
    review: Review | None  # the user's own review of the product, if any
    user: User | None
    verified_buyer: bool  # an order of the user holding the product was delivered


class ReviewRepository(Protocol):
    def review_context(self, product_id: str, user_id: str) -> ReviewContext: ...

    def save_review(self, review: Review, previous: Review | None) -> None:
        """Write the review and move the product's rating sums in one transaction."""

    def delete_review(self, review: Review) -> None: ...

    def reviews(self, product_id: str, cursor: str | None, limit: int) -> Page[Review]: ...


class ImageStore(Protocol):
    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]:
        """A presigned POST: ``{"url", "fields"}``."""

    def public_url(self, key: str) -> str: ...
