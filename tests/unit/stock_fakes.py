"""Plain in-memory fakes of the stock and review ports (domain/catalog/ports.py).

They keep the rules repositories/catalog/inventory.py and repositories/reviews.py enforce
with conditions (stock never below zero nor above MAX_STOCK, a stock count only over the
figure it read, one review per user and product, the rating sums moved in the same
write), and store and hand out copies, as a database would. tests/contract/ holds the
inventory fake to the real repository.
Every write is also logged, so a test can tell that a refused request wrote nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from domain.accounts.model import Page, Role, User, UserStatus
from domain.catalog.model import (
    DEFAULT_LOW_STOCK,
    Actor,
    Inventory,
    Money,
    Product,
    ProductStatus,
    Rating,
    Review,
    StockAdjustment,
    seller_id_for,
)
from domain.catalog.ports import ReviewContext
from domain.catalog.stock import MAX_STOCK
from domain.errors import Conflict, NotFound
from domain.paging import UnknownCursor

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class FakeProducts:
    """The two reads of ProductRepository that stock and reviews use."""

    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.inventories: dict[str, Inventory] = {}

    def product(self, product_id: str) -> Product | None:
        return copy.deepcopy(self.products.get(product_id))

    def product_with_inventory(self, product_id: str) -> tuple[Product | None, Inventory | None]:
        return self.product(product_id), copy.deepcopy(self.inventories.get(product_id))


class FakeInventory:
    """InventoryRepository over the same dictionaries as a FakeProducts."""

    def __init__(self, products: FakeProducts) -> None:
        self.store = products
        self.log: list[StockAdjustment] = []  # oldest first
        self.writes = 0

    def set_stock(
        self,
        inventory: Inventory,
        *,
        available: int,
        low_stock_threshold: int,
        adjustment: StockAdjustment,
    ) -> Inventory:
        stored = self.store.inventories.get(inventory.product_id)
        if stored is None or stored.available != inventory.available:
            raise Conflict("the stock changed since you read it", code="stock_changed")
        updated = replace(
            stored,
            available=available,
            low_stock_threshold=low_stock_threshold,
            updated_at=adjustment.created_at,
        )
        self.store.inventories[inventory.product_id] = updated
        self.log.append(adjustment)
        self.writes += 1
        return copy.deepcopy(updated)

    def adjust_stock(self, inventory: Inventory, adjustment: StockAdjustment) -> Inventory:
        stored = self.store.inventories.get(inventory.product_id)
        if stored is None or stored.available + adjustment.delta < 0:
            raise Conflict("not enough stock", code="insufficient_stock")
        if stored.available + adjustment.delta > MAX_STOCK:
            raise Conflict(f"stock would exceed {MAX_STOCK}", code="stock_limit")
        updated = replace(
            stored,
            available=stored.available + adjustment.delta,
            updated_at=adjustment.created_at,
        )
        self.store.inventories[inventory.product_id] = updated
        self.log.append(adjustment)
        self.writes += 1
        return copy.deepcopy(updated)

    def adjustments(self, product_id: str, limit: int) -> list[StockAdjustment]:
        mine = [a for a in self.log if a.product_id == product_id]
        return list(reversed(mine))[:limit]


class FakeReviews:
    """ReviewRepository: reviews keyed by (product, user), plus the users they name."""

    def __init__(self, products: FakeProducts) -> None:
        self.store = products
        self.users: dict[str, User] = {}
        self.items: dict[tuple[str, str], Review] = {}
        self.buyers: set[tuple[str, str]] = set()  # (product, user): delivered orders
        self.writes = 0

    def review_context(self, product_id: str, user_id: str) -> ReviewContext:
        return ReviewContext(
            self.store.product(product_id),
            copy.deepcopy(self.items.get((product_id, user_id))),
            copy.deepcopy(self.users.get(user_id)),
            (product_id, user_id) in self.buyers,
        )

    def _move_rating(self, product_id: str, count: int, total: int) -> None:
        product = self.store.products[product_id]
        rating = product.rating
        product.rating = Rating(rating.count + count, rating.total + total)

    def save_review(self, review: Review, previous: Review | None) -> None:
        key = (review.product_id, review.user_id)
        stored = self.items.get(key)
        if previous is None and stored is not None:
            raise Conflict("your review changed meanwhile", code="concurrent_update")
        if previous is not None and stored != previous:
            raise Conflict("your review changed meanwhile", code="concurrent_update")
        product = self.store.products.get(review.product_id)
        if product is None or product.status is not ProductStatus.ACTIVE:
            raise NotFound("no such product", code="product_not_found")
        self.items[key] = copy.deepcopy(review)
        self._move_rating(
            review.product_id,
            0 if previous else 1,
            review.rating - (previous.rating if previous else 0),
        )
        self.writes += 1

    def delete_review(self, review: Review) -> None:
        key = (review.product_id, review.user_id)
        if self.items.get(key) != review:
            raise Conflict("your review changed meanwhile", code="concurrent_update")
        del self.items[key]
        self._move_rating(review.product_id, -1, -review.rating)
        self.writes += 1

    def reviews(self, product_id: str, cursor: str | None, limit: int) -> Page[Review]:
        """Newest first by when a review was first written; the cursor is an offset."""
        mine = sorted(
            (r for (p, _), r in self.items.items() if p == product_id),
            key=lambda r: (r.created_at, r.user_id),
            reverse=True,
        )
        start = 0
        if cursor is not None:
            if not cursor.startswith(f"{product_id}:") or not cursor.split(":")[1].isdigit():
                raise UnknownCursor()
            start = int(cursor.split(":")[1])
        page = mine[start : start + limit]
        more = start + limit < len(mine)
        return Page(copy.deepcopy(page), f"{product_id}:{start + limit}" if more else None)


@dataclass
class Catalog:
    """A tiny catalogue: products with stock, users who review them."""

    products: FakeProducts = field(default_factory=FakeProducts)
    inventory: FakeInventory = field(init=False)
    reviews: FakeReviews = field(init=False)
    _serial: int = 0

    def __post_init__(self) -> None:
        self.inventory = FakeInventory(self.products)
        self.reviews = FakeReviews(self.products)

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    def user(self, first: str = "Ada", last: str = "Lovelace", role: Role = Role.CUSTOMER) -> Actor:
        n = self._next()
        user_id = f"usr_{n:026d}"
        self.reviews.users[user_id] = User(
            user_id=user_id,
            email=f"user{n}@shop.example",
            first_name=first,
            last_name=last,
            role=role,
            status=UserStatus.ACTIVE,
            created_at=T0,
            updated_at=T0,
        )
        return Actor(user_id=user_id, role=role)

    def product(
        self,
        seller: Actor,
        *,
        status: ProductStatus = ProductStatus.ACTIVE,
        available: int = 0,
        threshold: int = DEFAULT_LOW_STOCK,
        with_inventory: bool = True,
    ) -> str:
        product_id = f"prd_{self._next():026d}"
        self.products.products[product_id] = Product(
            product_id=product_id,
            seller_id=seller_id_for(seller.user_id),
            name="Walnut desk lamp",
            description="A warm lamp.",
            price=Money(1999, "USD"),
            category_id="cat_01",
            sku=f"SKU-{product_id[-4:]}",
            status=status,
            version=1,
            created_at=T0,
            updated_at=T0,
        )
        if with_inventory:
            self.products.inventories[product_id] = Inventory(
                product_id=product_id,
                available=available,
                reserved=0,
                low_stock_threshold=threshold,
                updated_at=T0,
            )
        return product_id


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)
