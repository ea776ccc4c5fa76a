"""The category tree: nested categories with a materialised path of ids.

A category's ``path`` is the ids from the root to it, so a subtree is every category
whose path starts with its own. The whole tree is one Query; a move rewrites the moved
subtree's paths in one transaction, refusing a move under itself (a cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.catalog.model import (
    MAX_CATEGORY_DEPTH,
    MAX_SUBTREE_MOVE,
    Category,
    slugify,
)
from domain.catalog.ports import CategoryRepository
from domain.clock import utcnow
from domain.errors import NotFound, RuleViolation
from domain.ids import new_id


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode]


def tree(categories: list[Category]) -> list[CategoryNode]:
    """Roots with their descendants, siblings by name."""
    nodes = {c.category_id: CategoryNode(c, []) for c in categories}
    roots: list[CategoryNode] = []
    for category in sorted(categories, key=lambda c: c.path):
        node = nodes[category.category_id]
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent.children if parent else roots).append(node)

    def order(level: list[CategoryNode]) -> list[CategoryNode]:
        for node in level:
            node.children = order(node.children)
        return sorted(level, key=lambda n: n.category.name.lower())

    return order(roots)


def subtree_ids(categories: list[Category], category_id: str) -> list[str]:
    """The category and all its descendants."""
    root = next((c for c in categories if c.category_id == category_id), None)
    if root is None:
        return []
    prefix = root.path + "/"
    return [root.category_id] + [c.category_id for c in categories if c.path.startswith(prefix)]


def _existing(categories: CategoryRepository, category_id: str) -> Category:
    found = categories.category(category_id)
    if found is None:
        raise NotFound("no such category", code="category_not_found")
    return found


def create_category(
    name: str,
    *,
    parent_id: str | None,
    slug: str | None,
    categories: CategoryRepository,
    now: datetime | None = None,
) -> Category:
    now = now or utcnow()
    parent = _existing(categories, parent_id) if parent_id else None
    if parent is not None and parent.depth >= MAX_CATEGORY_DEPTH:
        raise RuleViolation(
            f"categories nest at most {MAX_CATEGORY_DEPTH} deep", code="category_too_deep"
        )
    category_id = new_id("cat")
    category = Category(
        category_id=category_id,
        name=name,
        slug=slug or slugify(name),
        parent_id=parent.category_id if parent else None,
        path=f"{parent.path}/{category_id}" if parent else category_id,
        created_at=now,
        updated_at=now,
    )
    categories.add_category(category)
    return category


def update_category(
    category_id: str,
    *,
    name: str | None,
    slug: str | None,
    parent_id: str | None,
    move: bool,
    categories: CategoryRepository,
    now: datetime | None = None,
) -> Category:
    """Rename and/or move (``move`` with ``parent_id`` None makes it a root)."""
    now = now or utcnow()
    category = _existing(categories, category_id)
    if name is None and slug is None and not move:
        raise RuleViolation("nothing to change", code="empty_update")
    # A refused move must not leave a rename behind: check it before writing anything.
    planned = _plan_move(category, parent_id, categories) if move else None
    if name is not None or slug is not None:
        new_name = name or category.name
        new_slug = slug or (slugify(name) if name else category.slug)
        if (new_name, new_slug) != (category.name, category.slug):
            categories.rename_category(category, name=new_name, slug=new_slug, now=now)
            category.name, category.slug, category.updated_at = new_name, new_slug, now
    if planned is not None:
        parent, subtree = planned
        categories.move_category(category, parent, subtree, now)
        category.parent_id = parent.category_id if parent else None
        category.path = f"{parent.path}/{category.category_id}" if parent else category.category_id
        category.updated_at = now
    return category


def _plan_move(
    category: Category, parent_id: str | None, categories: CategoryRepository
) -> tuple[Category | None, list[Category]] | None:
    """The new parent and the subtree a move carries (None: it stays where it is);
    raises if a rule refuses the move."""
    if parent_id == category.parent_id:
        return None
    everything = categories.all_categories()
    subtree = [c for c in everything if c.path.startswith(category.path + "/")]
    parent = None
    if parent_id is not None:
        parent = next((c for c in everything if c.category_id == parent_id), None)
        if parent is None:
            raise NotFound("no such parent category", code="category_not_found")
        if parent.category_id == category.category_id or parent.path.startswith(
            category.path + "/"
        ):
            raise RuleViolation(
                "a category cannot move under itself or its descendants", code="category_cycle"
            )
    deepest = max((c.depth for c in subtree), default=category.depth) - category.depth + 1
    if (parent.depth if parent else 0) + deepest > MAX_CATEGORY_DEPTH:
        raise RuleViolation(
            f"categories nest at most {MAX_CATEGORY_DEPTH} deep", code="category_too_deep"
        )
    if len(subtree) > MAX_SUBTREE_MOVE:
        raise RuleViolation(
            f"a move carries at most {MAX_SUBTREE_MOVE} subcategories", code="subtree_too_large"
        )
    return parent, subtree


def delete_category(category_id: str, *, categories: CategoryRepository) -> None:
    """Delete an empty category (no subcategories, no products)."""
    categories.delete_category(_existing(categories, category_id))


class CategoryTree:
    """The category list, cached per container for a minute: browsing needs it to
    include subcategories, and categories change seldom. An id not in the cached copy
    refreshes it once before it is called unknown."""

    def __init__(self, categories: CategoryRepository, max_age_seconds: float = 60) -> None:
        self._categories = categories
        self._max_age = max_age_seconds
        self._cached: tuple[float, list[Category]] | None = None

    def _load(self, now: float) -> list[Category]:
        loaded = self._categories.all_categories()
        self._cached = (now, loaded)
        return loaded

    def current(self, clock: float) -> list[Category]:
        if self._cached is None or clock - self._cached[0] > self._max_age:
            return self._load(clock)
        return self._cached[1]

    def subtree(self, category_id: str, clock: float) -> list[str]:
        found = subtree_ids(self.current(clock), category_id)
        # An unknown id re-reads the tree (it may have been created since), unless the
        # copy is from this very moment. That costs an unknown id one Query, no more
        # than any browse: a category made a moment ago is browsable at once.
        if not found and self._cached is not None and clock > self._cached[0]:
            found = subtree_ids(self._load(clock), category_id)
        return found

    def clear(self) -> None:
        self._cached = None
