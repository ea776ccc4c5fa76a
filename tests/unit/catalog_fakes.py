"""Plain in-memory fakes of the catalogue ports (domain/catalog/ports.py).

They keep the rules of ``DynamoSellers`` and ``DynamoCategories`` (repositories/)
in dictionaries: a slug is unique, a parent's child count moves with its children, a
category is deleted only while empty, and every write is all-or-nothing (checked in
full before anything changes, like a DynamoDB transaction). They store and hand out
copies, so a service that mutates what it read changes nothing until it writes.
tests/contract/ holds ``FakeCategories`` to the real repository.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TYPE_CHECKING

from domain.accounts.model import Role, User
from domain.catalog.model import Category, Seller
from domain.catalog.ports import CategoryRepository, SellerRepository
from domain.errors import Conflict, NotFound
from tests.unit.fakes import FakeAccounts


def _concurrent() -> Conflict:
    return Conflict("the categories changed meanwhile; retry", code="concurrent_update")


class FakeCategories:
    """CategoryRepository in memory."""

    def __init__(self) -> None:
        self.categories: dict[str, Category] = {}
        self.slugs: dict[str, str] = {}  # slug -> category id (the slug claims)
        self.moves: list[tuple[str, str | None, list[str]]] = []  # (id, new parent, subtree)

    # -- reads -----------------------------------------------------------------------

    def all_categories(self) -> list[Category]:
        return copy.deepcopy(sorted(self.categories.values(), key=lambda c: c.path))

    def category(self, category_id: str) -> Category | None:
        return copy.deepcopy(self.categories.get(category_id))

    # -- writes ----------------------------------------------------------------------

    def add_category(self, category: Category) -> None:
        if category.category_id in self.categories:
            raise _concurrent()
        if category.slug in self.slugs:
            raise Conflict("another category has this slug", code="slug_taken")
        parent = self.categories.get(category.parent_id) if category.parent_id else None
        if category.parent_id and parent is None:
            raise NotFound("no such parent category", code="category_not_found")
        stored = copy.deepcopy(category)
        stored.child_count = stored.product_count = 0
        self.categories[category.category_id] = stored
        self.slugs[category.slug] = category.category_id
        if parent is not None:
            parent.child_count += 1

    def rename_category(self, category: Category, *, name: str, slug: str, now: datetime) -> None:
        stored = self.categories.get(category.category_id)
        if stored is None or stored.slug != category.slug:
            raise _concurrent()
        if slug != category.slug:
            if slug in self.slugs:
                raise Conflict("another category has this slug", code="slug_taken")
            self.slugs[slug] = category.category_id
            self.slugs.pop(category.slug, None)
        stored.name, stored.slug, stored.updated_at = name, slug, now

    def move_category(
        self,
        category: Category,
        new_parent: Category | None,
        subtree: list[Category],
        now: datetime,
    ) -> None:
        new_path = (
            f"{new_parent.path}/{category.category_id}" if new_parent else category.category_id
        )
        rewrites = [(category, new_path)] + [
            (c, new_path + c.path[len(category.path) :]) for c in subtree
        ]
        # every condition first (the transaction is all-or-nothing)
        for moved, _ in rewrites:
            stored = self.categories.get(moved.category_id)
            if stored is None or stored.path != moved.path:
                raise _concurrent()
        if category.parent_id and category.parent_id not in self.categories:
            raise _concurrent()
        if new_parent is not None:
            stored_parent = self.categories.get(new_parent.category_id)
            if stored_parent is None or stored_parent.path != new_parent.path:
                raise NotFound("no such parent category", code="category_not_found")
        for moved, path in rewrites:
            stored = self.categories[moved.category_id]
            stored.path, stored.updated_at = path, now
        self.categories[category.category_id].parent_id = (
            new_parent.category_id if new_parent else None
        )
        if category.parent_id:
            self.categories[category.parent_id].child_count -= 1
        if new_parent is not None:
            self.categories[new_parent.category_id].child_count += 1
        self.moves.append(
            (
                category.category_id,
                new_parent.category_id if new_parent else None,
                [c.category_id for c in subtree],
            )
        )

    def delete_category(self, category: Category) -> None:
        stored = self.categories.get(category.category_id)
        # (DynamoDB: the condition on the counts fails for a missing item too.)
        if stored is None or stored.child_count != 0 or stored.product_count != 0:
            raise Conflict(
                "the category still has subcategories or products", code="category_not_empty"
            )
        if category.parent_id and category.parent_id not in self.categories:
            raise _concurrent()
        del self.categories[category.category_id]
        self.slugs.pop(category.slug, None)
        if category.parent_id:
            self.categories[category.parent_id].child_count -= 1

    # -- what products do to a category (DynamoProducts moves productCount) -----------

    def add_product_to(self, category_id: str) -> None:
        self.categories[category_id].product_count += 1


class FakeSellers:
    """SellerRepository in memory; opening a shop changes the role in ``accounts`` too
    (profile and sign-in record), on the condition that the user is still a customer."""

    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts
        self.sellers: dict[str, Seller] = {}

    def add_seller(self, seller: Seller, user: User) -> None:
        stored_user = self.accounts.users.get(user.user_id)
        credentials = self.accounts.credentials_by_email.get(user.email)
        if (
            seller.seller_id in self.sellers
            or stored_user is None
            or stored_user.role not in (Role.CUSTOMER, Role.SELLER)
            or credentials is None
        ):
            raise Conflict("this account already has a shop", code="seller_exists")
        self.sellers[seller.seller_id] = copy.deepcopy(seller)
        stored_user.role, stored_user.updated_at = Role.SELLER, seller.created_at
        credentials.role = Role.SELLER

    def seller(self, seller_id: str) -> Seller | None:
        return copy.deepcopy(self.sellers.get(seller_id))


if TYPE_CHECKING:  # mypy checks that the fakes satisfy the ports
    _categories: CategoryRepository = FakeCategories()
    _sellers: SellerRepository = FakeSellers(FakeAccounts())
