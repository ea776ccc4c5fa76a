"""CategoryRepository: ``tests/unit/catalog_fakes.py: FakeCategories`` and
``repositories/catalog/categories.py: DynamoCategories`` keep the same rules."""

from __future__ import annotations

import pytest

from domain.catalog.ports import CategoryRepository
from domain.errors import Conflict, NotFound
from tests.contract.builders import at, category


@pytest.fixture
def categories(kind: str) -> CategoryRepository:
    if kind == "fake":
        from tests.unit.catalog_fakes import FakeCategories

        return FakeCategories()
    from repositories.catalog.categories import DynamoCategories

    return DynamoCategories()


def test_a_category_reads_back_as_written(categories: CategoryRepository) -> None:
    lamps = category("Lamps")
    categories.add_category(lamps)
    assert categories.category(lamps.category_id) == lamps
    assert categories.category(category("Unknown").category_id) is None


def test_the_tree_is_ordered_by_path_and_counts_children(categories: CategoryRepository) -> None:
    home = category("Home")
    categories.add_category(home)
    lamps, rugs = category("Lamps", home), category("Rugs", home)
    desk = category("Desk", lamps)
    for child in (rugs, lamps, desk):
        categories.add_category(child)
    tree = categories.all_categories()
    assert [c.path for c in tree] == sorted(c.path for c in (home, lamps, rugs, desk))
    counts = {c.category_id: c.child_count for c in tree}
    assert counts[home.category_id] == 2
    assert counts[lamps.category_id] == 1


def test_a_slug_is_unique(categories: CategoryRepository) -> None:
    categories.add_category(category("Lamps"))
    with pytest.raises(Conflict) as taken:
        categories.add_category(category("Other", slug="lamps"))
    assert taken.value.code == "slug_taken"
    assert [c.slug for c in categories.all_categories()] == ["lamps"]


def test_a_missing_parent_is_not_found_and_nothing_is_written(
    categories: CategoryRepository,
) -> None:
    ghost = category("Ghost")
    with pytest.raises(NotFound) as missing:
        categories.add_category(category("Orphan", ghost))
    assert missing.value.code == "category_not_found"
    assert categories.all_categories() == []
    categories.add_category(category("Orphan"))  # its slug was not claimed


def test_a_rename_frees_the_old_slug(categories: CategoryRepository) -> None:
    lamps, rugs = category("Lamps"), category("Rugs")
    categories.add_category(lamps)
    categories.add_category(rugs)
    with pytest.raises(Conflict) as taken:
        categories.rename_category(lamps, name="Rugs", slug="rugs", now=at(1))
    assert taken.value.code == "slug_taken"
    categories.rename_category(lamps, name="Lights", slug="lights", now=at(1))
    categories.add_category(category("Lamps again", slug="lamps"))
    renamed = categories.category(lamps.category_id)
    assert renamed is not None
    assert (renamed.name, renamed.slug) == ("Lights", "lights")


def test_a_rename_from_a_stale_read_is_a_concurrent_update(
    categories: CategoryRepository,
) -> None:
    lamps = category("Lamps")
    categories.add_category(lamps)
    categories.rename_category(lamps, name="Lights", slug="lights", now=at(1))
    with pytest.raises(Conflict) as stale:
        categories.rename_category(lamps, name="Lamps 2", slug="lamps-2", now=at(2))
    assert stale.value.code == "concurrent_update"


def test_a_category_with_children_is_not_deleted(categories: CategoryRepository) -> None:
    home = category("Home")
    categories.add_category(home)
    lamps = category("Lamps", home)
    categories.add_category(lamps)
    stored_home = categories.category(home.category_id)
    assert stored_home is not None
    with pytest.raises(Conflict) as busy:
        categories.delete_category(stored_home)
    assert busy.value.code == "category_not_empty"
    categories.delete_category(lamps)
    emptied = categories.category(home.category_id)
    assert emptied is not None
    assert emptied.child_count == 0
    categories.delete_category(emptied)
    assert categories.all_categories() == []
    categories.add_category(category("Home"))  # the slug went with it


def test_a_move_rewrites_the_subtree_and_both_counts(categories: CategoryRepository) -> None:
    home, garden = category("Home"), category("Garden")
    categories.add_category(home)
    categories.add_category(garden)
    lamps = category("Lamps", home)
    categories.add_category(lamps)
    desk = category("Desk", lamps)
    categories.add_category(desk)
    new_parent = categories.category(garden.category_id)
    assert new_parent is not None
    categories.move_category(lamps, new_parent, [desk], at(1))
    tree = {c.category_id: c for c in categories.all_categories()}
    assert tree[lamps.category_id].path == f"{garden.path}/{lamps.category_id}"
    assert tree[lamps.category_id].parent_id == garden.category_id
    assert tree[desk.category_id].path == f"{garden.path}/{lamps.category_id}/{desk.category_id}"
    assert (tree[home.category_id].child_count, tree[garden.category_id].child_count) == (0, 1)


def test_a_move_from_a_stale_read_changes_nothing(categories: CategoryRepository) -> None:
    home, garden = category("Home"), category("Garden")
    categories.add_category(home)
    categories.add_category(garden)
    lamps = category("Lamps", home)
    categories.add_category(lamps)
    stored_garden = categories.category(garden.category_id)
    assert stored_garden is not None
    categories.move_category(lamps, stored_garden, [], at(1))
    before = categories.all_categories()
    with pytest.raises(Conflict) as stale:
        categories.move_category(lamps, None, [], at(2))  # lamps' path has changed
    assert stale.value.code == "concurrent_update"
    assert categories.all_categories() == before
