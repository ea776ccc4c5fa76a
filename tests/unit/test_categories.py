"""The category tree rules (domain/catalog/categories.py) against an in-memory repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.catalog.categories import (
    CategoryNode,
    create_category,
    delete_category,
    subtree_ids,
    tree,
    update_category,
)
from domain.catalog.model import MAX_CATEGORY_DEPTH, MAX_SUBTREE_MOVE, Category
from domain.errors import Conflict, NotFound, RuleViolation
from tests.unit.catalog_fakes import FakeCategories

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)
MISSING = "cat_01JD0000000000000000000000"


def add(
    repo: FakeCategories, name: str, parent: Category | None = None, slug: str | None = None
) -> Category:
    return create_category(
        name,
        parent_id=parent.category_id if parent else None,
        slug=slug,
        categories=repo,
        now=T0,
    )


def update(
    repo: FakeCategories,
    category: Category,
    *,
    name: str | None = None,
    slug: str | None = None,
    parent: Category | None = None,
    move: bool = False,
) -> Category:
    return update_category(
        category.category_id,
        name=name,
        slug=slug,
        parent_id=parent.category_id if parent else None,
        move=move,
        categories=repo,
        now=LATER,
    )


def stored(repo: FakeCategories, category: Category) -> Category:
    found = repo.category(category.category_id)
    assert found is not None
    return found


def chain(repo: FakeCategories, depth: int, prefix: str = "Level") -> list[Category]:
    """``depth`` categories, each under the previous one."""
    made: list[Category] = []
    for level in range(1, depth + 1):
        made.append(add(repo, f"{prefix} {level}", made[-1] if made else None))
    return made


def shape(nodes: list[CategoryNode]) -> list[tuple[str, list[Any]]]:
    return [(n.category.name, shape(n.children)) for n in nodes]


def plain(category_id: str, name: str, parent: Category | None = None) -> Category:
    return Category(
        category_id=category_id,
        name=name,
        slug=name.lower(),
        parent_id=parent.category_id if parent else None,
        path=f"{parent.path}/{category_id}" if parent else category_id,
        created_at=T0,
        updated_at=T0,
    )


# -- tree and subtree_ids ---------------------------------------------------------------


def test_the_tree_nests_children_under_parents_with_siblings_by_name() -> None:
    repo = FakeCategories()
    home = add(repo, "home")
    garden = add(repo, "Garden")
    lighting = add(repo, "Lighting", home)
    add(repo, "bedding", home)
    add(repo, "Lamps", lighting)
    add(repo, "Bulbs", lighting)
    add(repo, "Tools", garden)

    assert shape(tree(repo.all_categories())) == [
        ("Garden", [("Tools", [])]),
        ("home", [("bedding", []), ("Lighting", [("Bulbs", []), ("Lamps", [])])]),
    ]


def test_the_tree_does_not_depend_on_the_order_it_is_given() -> None:
    repo = FakeCategories()
    a = add(repo, "A")
    b = add(repo, "B", a)
    add(repo, "C", b)
    forwards = shape(tree(repo.all_categories()))
    backwards = shape(tree(list(reversed(repo.all_categories()))))
    assert forwards == backwards == [("A", [("B", [("C", [])])])]


def test_the_tree_of_nothing_is_empty() -> None:
    assert tree([]) == []


def test_the_tree_nodes_carry_the_categories() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    child = add(repo, "Lighting", home)
    (root,) = tree(repo.all_categories())
    assert root.category.category_id == home.category_id
    assert [n.category.category_id for n in root.children] == [child.category_id]
    assert root.children[0].category.parent_id == home.category_id


def test_subtree_ids_are_the_category_and_all_its_descendants() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    lamps = add(repo, "Lamps", lighting)
    bedding = add(repo, "Bedding", home)
    garden = add(repo, "Garden")
    everything = repo.all_categories()

    assert set(subtree_ids(everything, home.category_id)) == {
        home.category_id,
        lighting.category_id,
        lamps.category_id,
        bedding.category_id,
    }
    assert subtree_ids(everything, home.category_id)[0] == home.category_id
    assert set(subtree_ids(everything, lighting.category_id)) == {
        lighting.category_id,
        lamps.category_id,
    }
    assert subtree_ids(everything, lamps.category_id) == [lamps.category_id]
    assert subtree_ids(everything, garden.category_id) == [garden.category_id]


def test_subtree_ids_of_an_unknown_category_are_empty() -> None:
    repo = FakeCategories()
    add(repo, "Home")
    assert subtree_ids(repo.all_categories(), MISSING) == []


def test_a_path_that_merely_starts_with_another_id_is_not_in_its_subtree() -> None:
    short = plain("cat_A", "Short")
    longer = plain("cat_AB", "Longer")  # "cat_AB" starts with "cat_A"
    under_longer = plain("cat_C", "Under", longer)
    under_short = plain("cat_D", "Inside", short)
    everything = [short, longer, under_longer, under_short]
    assert subtree_ids(everything, "cat_A") == ["cat_A", "cat_D"]


# -- create -----------------------------------------------------------------------------


def test_a_root_category_is_its_own_path_with_a_slug_from_its_name() -> None:
    repo = FakeCategories()
    home = add(repo, "Home & Garden")
    assert home.category_id.startswith("cat_")
    assert home.parent_id is None
    assert home.path == home.category_id
    assert home.depth == 1
    assert home.slug == "home-garden"
    assert (home.created_at, home.updated_at) == (T0, T0)
    assert stored(repo, home) == home


def test_a_subcategory_extends_its_parents_path_and_counts_as_its_child() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    lamps = add(repo, "Lamps", lighting)
    assert lighting.parent_id == home.category_id
    assert lighting.path == f"{home.category_id}/{lighting.category_id}"
    assert lamps.path == f"{home.category_id}/{lighting.category_id}/{lamps.category_id}"
    assert lamps.depth == 3
    assert stored(repo, home).child_count == 1
    assert stored(repo, lighting).child_count == 1
    assert stored(repo, lamps).child_count == 0


def test_a_given_slug_is_kept() -> None:
    repo = FakeCategories()
    lamps = add(repo, "Lamps", slug="desk-lamps")
    assert lamps.slug == "desk-lamps"
    assert repo.slugs == {"desk-lamps": lamps.category_id}


@pytest.mark.parametrize(("name", "slug"), [("Home", None), ("Other", "home")])
def test_a_slug_in_use_is_refused(name: str, slug: str | None) -> None:
    repo = FakeCategories()
    add(repo, "Home")
    with pytest.raises(Conflict) as caught:
        add(repo, name, slug=slug)
    assert caught.value.code == "slug_taken"
    assert len(repo.categories) == 1


def test_an_unknown_parent_is_not_found() -> None:
    repo = FakeCategories()
    with pytest.raises(NotFound) as caught:
        create_category("Lamps", parent_id=MISSING, slug=None, categories=repo, now=T0)
    assert caught.value.code == "category_not_found"
    assert repo.categories == {}


def test_categories_nest_at_most_five_deep() -> None:
    repo = FakeCategories()
    levels = chain(repo, MAX_CATEGORY_DEPTH)
    assert levels[-1].depth == MAX_CATEGORY_DEPTH == 5
    with pytest.raises(RuleViolation) as caught:
        add(repo, "Too deep", levels[-1])
    assert caught.value.code == "category_too_deep"
    assert len(repo.categories) == MAX_CATEGORY_DEPTH
    assert stored(repo, levels[-1]).child_count == 0
    # a sibling at the deepest allowed level is still fine
    assert add(repo, "Sibling", levels[-2]).depth == MAX_CATEGORY_DEPTH


# -- rename and re-slug -----------------------------------------------------------------


def test_an_empty_update_is_refused() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    with pytest.raises(RuleViolation) as caught:
        update(repo, home)
    assert caught.value.code == "empty_update"


def test_updating_an_unknown_category_is_not_found() -> None:
    repo = FakeCategories()
    with pytest.raises(NotFound) as caught:
        update_category(
            MISSING, name="X", slug=None, parent_id=None, move=False, categories=repo, now=LATER
        )
    assert caught.value.code == "category_not_found"


def test_a_rename_moves_the_slug_with_the_name_and_frees_the_old_one() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    renamed = update(repo, home, name="House Wares")
    assert (renamed.name, renamed.slug, renamed.updated_at) == ("House Wares", "house-wares", LATER)
    kept = stored(repo, home)
    assert (kept.name, kept.slug, kept.updated_at) == ("House Wares", "house-wares", LATER)
    assert repo.slugs == {"house-wares": home.category_id}
    again = add(repo, "Home")  # the old slug is free again
    assert again.slug == "home"


def test_a_rename_with_a_slug_takes_that_slug() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    renamed = update(repo, home, name="House", slug="household")
    assert (renamed.name, renamed.slug) == ("House", "household")
    assert set(repo.slugs) == {"household"}


def test_a_new_slug_alone_keeps_the_name() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    changed = update(repo, home, slug="casa")
    assert (changed.name, changed.slug) == ("Home", "casa")
    assert stored(repo, home).slug == "casa"


def test_renaming_to_the_same_name_and_slug_writes_nothing() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    same = update(repo, home, name="Home")
    assert (same.name, same.slug, same.updated_at) == ("Home", "home", T0)
    assert stored(repo, home).updated_at == T0


@pytest.mark.parametrize(("name", "slug"), [("Garden", None), (None, "garden"), ("X", "garden")])
def test_renaming_onto_a_slug_in_use_is_refused_and_changes_nothing(
    name: str | None, slug: str | None
) -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    add(repo, "Garden")
    with pytest.raises(Conflict) as caught:
        update(repo, home, name=name, slug=slug)
    assert caught.value.code == "slug_taken"
    kept = stored(repo, home)
    assert (kept.name, kept.slug) == ("Home", "home")
    assert repo.slugs["home"] == home.category_id


# -- move -------------------------------------------------------------------------------


def test_a_move_rewrites_the_paths_of_the_whole_subtree() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    garden = add(repo, "Garden")
    lighting = add(repo, "Lighting", home)
    lamps = add(repo, "Lamps", lighting)
    bulbs = add(repo, "Bulbs", lamps)

    moved = update(repo, lighting, parent=garden, move=True)

    assert moved.parent_id == garden.category_id
    assert moved.path == f"{garden.category_id}/{lighting.category_id}"
    assert moved.updated_at == LATER
    assert stored(repo, lighting).path == moved.path
    assert stored(repo, lighting).parent_id == garden.category_id
    assert stored(repo, lamps).path == f"{moved.path}/{lamps.category_id}"
    assert stored(repo, bulbs).path == f"{moved.path}/{lamps.category_id}/{bulbs.category_id}"
    # the parents of the descendants do not change
    assert stored(repo, lamps).parent_id == lighting.category_id
    assert stored(repo, bulbs).parent_id == lamps.category_id
    assert (stored(repo, home).child_count, stored(repo, garden).child_count) == (0, 1)

    everything = repo.all_categories()
    assert set(subtree_ids(everything, garden.category_id)) == {
        garden.category_id,
        lighting.category_id,
        lamps.category_id,
        bulbs.category_id,
    }
    assert subtree_ids(everything, home.category_id) == [home.category_id]
    assert shape(tree(everything)) == [
        ("Garden", [("Lighting", [("Lamps", [("Bulbs", [])])])]),
        ("Home", []),
    ]


def test_a_move_to_the_top_makes_a_root() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    lamps = add(repo, "Lamps", lighting)

    moved = update(repo, lighting, move=True)  # parentId null

    assert moved.parent_id is None
    assert moved.path == lighting.category_id
    assert stored(repo, lighting).parent_id is None
    assert stored(repo, lamps).path == f"{lighting.category_id}/{lamps.category_id}"
    assert stored(repo, home).child_count == 0
    assert shape(tree(repo.all_categories())) == [("Home", []), ("Lighting", [("Lamps", [])])]


def test_without_move_an_absent_parent_leaves_the_category_where_it_is() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    renamed = update(repo, lighting, name="Lights")  # parent_id None, but no move
    assert renamed.parent_id == home.category_id
    assert stored(repo, lighting).path == lighting.path
    assert repo.moves == []


def test_a_move_to_the_current_parent_writes_nothing() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    root = add(repo, "Garden")
    assert update(repo, lighting, parent=home, move=True).path == lighting.path
    assert update(repo, root, move=True).path == root.path
    assert repo.moves == []
    assert stored(repo, home).child_count == 1


def test_a_category_cannot_move_under_itself() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    with pytest.raises(RuleViolation) as caught:
        update(repo, home, parent=home, move=True)
    assert caught.value.code == "category_cycle"
    assert stored(repo, home).parent_id is None


@pytest.mark.parametrize("depth_below", [1, 2])
def test_a_category_cannot_move_under_its_descendants(depth_below: int) -> None:
    repo = FakeCategories()
    levels = chain(repo, 3)
    top, target = levels[0], levels[depth_below]
    with pytest.raises(RuleViolation) as caught:
        update(repo, top, parent=target, move=True)
    assert caught.value.code == "category_cycle"
    assert repo.moves == []
    assert [stored(repo, c).path for c in levels] == [c.path for c in levels]


def test_a_move_under_an_unknown_parent_is_not_found() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    with pytest.raises(NotFound) as caught:
        update_category(
            home.category_id,
            name=None,
            slug=None,
            parent_id=MISSING,
            move=True,
            categories=repo,
            now=LATER,
        )
    assert caught.value.code == "category_not_found"
    assert repo.moves == []


def test_a_move_keeps_the_whole_subtree_within_five_levels() -> None:
    repo = FakeCategories()
    deep = chain(repo, 4, "Deep")  # the new parent would be at depth 4
    branch = add(repo, "Branch")
    leaf = add(repo, "Leaf", branch)  # the moved subtree is two levels high

    with pytest.raises(RuleViolation) as caught:
        update(repo, branch, parent=deep[-1], move=True)
    assert caught.value.code == "category_too_deep"
    assert stored(repo, branch).path == branch.category_id
    assert repo.moves == []

    # one level higher it fits exactly: the leaf lands at depth 5
    update(repo, branch, parent=deep[-2], move=True)
    assert stored(repo, leaf).depth == MAX_CATEGORY_DEPTH


def test_a_move_carries_a_limited_number_of_subcategories() -> None:
    repo = FakeCategories()
    big = add(repo, "Big")
    for n in range(MAX_SUBTREE_MOVE + 1):
        add(repo, f"Child {n:03}", big)
    target = add(repo, "Target")
    with pytest.raises(RuleViolation) as caught:
        update(repo, big, parent=target, move=True)
    assert caught.value.code == "subtree_too_large"
    assert stored(repo, big).parent_id is None


def test_a_rename_and_a_move_together_do_both() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    garden = add(repo, "Garden")
    lighting = add(repo, "Lighting", home)
    changed = update(repo, lighting, name="Outdoor lights", parent=garden, move=True)
    kept = stored(repo, lighting)
    assert (kept.name, kept.slug, kept.parent_id) == (
        "Outdoor lights",
        "outdoor-lights",
        garden.category_id,
    )
    assert changed.path == kept.path == f"{garden.category_id}/{lighting.category_id}"


@pytest.mark.parametrize("bad_move", ["cycle", "unknown_parent", "too_deep"])
def test_a_refused_move_does_not_rename_either(bad_move: str) -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    levels = chain(repo, 5)
    child = add(repo, "Child", home)
    parent_id = {
        "cycle": child.category_id,
        "unknown_parent": MISSING,
        "too_deep": levels[-1].category_id,
    }[bad_move]
    with pytest.raises((RuleViolation, NotFound)):
        update_category(
            home.category_id,
            name="Renamed",
            slug=None,
            parent_id=parent_id,
            move=True,
            categories=repo,
            now=LATER,
        )
    kept = stored(repo, home)
    assert (kept.name, kept.slug, kept.updated_at) == ("Home", "home", T0)
    assert "renamed" not in repo.slugs


# -- delete -----------------------------------------------------------------------------


def test_an_empty_category_is_deleted_and_its_slug_freed() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    delete_category(home.category_id, categories=repo)
    assert repo.category(home.category_id) is None
    assert repo.slugs == {}
    assert add(repo, "Home").slug == "home"


def test_a_category_with_a_subcategory_is_not_deleted() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    with pytest.raises(Conflict) as caught:
        delete_category(home.category_id, categories=repo)
    assert caught.value.code == "category_not_empty"
    assert repo.category(home.category_id) is not None

    delete_category(lighting.category_id, categories=repo)  # the last child
    assert stored(repo, home).child_count == 0
    delete_category(home.category_id, categories=repo)
    assert repo.categories == {}


def test_a_category_with_a_product_is_not_deleted() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    repo.add_product_to(home.category_id)
    with pytest.raises(Conflict) as caught:
        delete_category(home.category_id, categories=repo)
    assert caught.value.code == "category_not_empty"
    assert repo.category(home.category_id) is not None


def test_a_parent_emptied_by_a_move_can_be_deleted() -> None:
    repo = FakeCategories()
    home = add(repo, "Home")
    lighting = add(repo, "Lighting", home)
    update(repo, lighting, move=True)
    delete_category(home.category_id, categories=repo)
    assert repo.category(home.category_id) is None
    assert repo.category(lighting.category_id) is not None


def test_deleting_an_unknown_category_is_not_found() -> None:
    repo = FakeCategories()
    with pytest.raises(NotFound) as caught:
        delete_category(MISSING, categories=repo)
    assert caught.value.code == "category_not_found"
