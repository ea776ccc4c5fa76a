"""Categories: the tree (one Query), unique slugs, moves that rewrite a subtree's paths."""

from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.update import Action

from domain.catalog.model import Category
from domain.clock import iso
from domain.errors import Conflict, NotFound
from repositories import keys
from repositories.catalog.items import CategoryItem, CategorySlugItem, set_or_remove, to_category
from repositories.table import ConditionFailed, Transaction


class DynamoCategories:
    def all_categories(self) -> list[Category]:
        return [to_category(i) for i in CategoryItem.gsi1.query(keys.CATEGORIES)]

    def category(self, category_id: str) -> Category | None:
        try:
            return to_category(CategoryItem.get(keys.category_pk(category_id), keys.METADATA))
        except CategoryItem.DoesNotExist:
            return None

    def add_category(self, category: Category) -> None:
        stamp = iso(category.created_at)
        tx = Transaction()
        tx.put(
            CategoryItem(
                keys.category_pk(category.category_id),
                keys.METADATA,
                GSI1PK=keys.CATEGORIES,
                GSI1SK=category.path,
                category_id=category.category_id,
                name=category.name,
                slug=category.slug,
                parent_id=category.parent_id,
                path=category.path,
                child_count=0,
                product_count=0,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CategoryItem.PK.does_not_exist(),
        )
        self._claim_slug(tx, category.slug, category.category_id, stamp)
        if category.parent_id:
            tx.update(
                CategoryItem(keys.category_pk(category.parent_id), keys.METADATA),
                actions=[CategoryItem.child_count.add(1)],
                condition=CategoryItem.PK.exists(),
                label="parent",
            )
        self._commit(tx)

    @staticmethod
    def _claim_slug(tx: Transaction, slug: str, category_id: str, stamp: str) -> None:
        tx.put(
            CategorySlugItem(
                keys.category_slug_pk(slug),
                keys.CATEGORY_SLUG,
                category_id=category_id,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CategorySlugItem.PK.does_not_exist(),
            label="slug",
        )

    @staticmethod
    def _commit(tx: Transaction) -> None:
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "slug":
                raise Conflict("another category has this slug", code="slug_taken") from None
            if failed.label == "parent":
                raise NotFound("no such parent category", code="category_not_found") from None
            if failed.label == "empty":
                raise Conflict(
                    "the category still has subcategories or products",
                    code="category_not_empty",
                ) from None
            raise Conflict(
                "the categories changed meanwhile; retry", code="concurrent_update"
            ) from None

    def rename_category(self, category: Category, *, name: str, slug: str, now: datetime) -> None:
        stamp = iso(now)
        tx = Transaction()
        tx.update(
            CategoryItem(keys.category_pk(category.category_id), keys.METADATA),
            actions=[
                CategoryItem.name.set(name),
                CategoryItem.slug.set(slug),
                CategoryItem.updated_at.set(stamp),
            ],
            condition=CategoryItem.slug == category.slug,
        )
        if slug != category.slug:
            self._claim_slug(tx, slug, category.category_id, stamp)
            tx.delete(CategorySlugItem(keys.category_slug_pk(category.slug), keys.CATEGORY_SLUG))
        self._commit(tx)

    def move_category(
        self,
        category: Category,
        new_parent: Category | None,
        subtree: list[Category],
        now: datetime,
    ) -> None:
        stamp = iso(now)
        new_path = (
            f"{new_parent.path}/{category.category_id}" if new_parent else category.category_id
        )
        tx = Transaction()
        for moved, path in [(category, new_path)] + [
            (c, new_path + c.path[len(category.path) :]) for c in subtree
        ]:
            actions: list[Action] = [
                CategoryItem.path.set(path),
                CategoryItem.GSI1SK.set(path),
                CategoryItem.updated_at.set(stamp),
            ]
            if moved is category:
                actions.append(
                    set_or_remove(
                        CategoryItem.parent_id, new_parent.category_id if new_parent else None
                    )
                )
            tx.update(
                CategoryItem(keys.category_pk(moved.category_id), keys.METADATA),
                actions=actions,
                condition=CategoryItem.path == moved.path,
            )
        if category.parent_id:
            tx.update(
                CategoryItem(keys.category_pk(category.parent_id), keys.METADATA),
                actions=[CategoryItem.child_count.add(-1)],
                condition=CategoryItem.PK.exists(),
            )
        if new_parent is not None:
            tx.update(
                CategoryItem(keys.category_pk(new_parent.category_id), keys.METADATA),
                actions=[CategoryItem.child_count.add(1)],
                # the new parent must not have moved under the category meanwhile
                condition=CategoryItem.path == new_parent.path,
                label="parent",
            )
        self._commit(tx)

    def delete_category(self, category: Category) -> None:
        tx = Transaction()
        tx.delete(
            CategoryItem(keys.category_pk(category.category_id), keys.METADATA),
            condition=(CategoryItem.child_count == 0) & (CategoryItem.product_count == 0),
            label="empty",
        )
        tx.delete(CategorySlugItem(keys.category_slug_pk(category.slug), keys.CATEGORY_SLUG))
        if category.parent_id:
            tx.update(
                CategoryItem(keys.category_pk(category.parent_id), keys.METADATA),
                actions=[CategoryItem.child_count.add(-1)],
                condition=CategoryItem.PK.exists(),
            )
        self._commit(tx)
