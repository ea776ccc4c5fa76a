"""The category tree through the in-process API Gateway: read by anyone, written by admins."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.catalog_helpers import (
    activate,
    become_seller,
    create_category,
    create_product,
)
from tests.integration.helpers import (
    Account,
    error_locs,
    make_admin,
    make_role,
    problem,
)
from tests.support.calls import dynamodb_calls
from tests.support.lambda_api import ApiResponse, LambdaApi

NODE_KEYS = {"categoryId", "name", "slug", "parentId", "children"}
CATEGORY_KEYS = {"categoryId", "name", "slug", "parentId", "path", "createdAt", "updatedAt"}
UNKNOWN = "cat_01JD0000000000000000000000"


# -- helpers ----------------------------------------------------------------------------


def categories(api: LambdaApi) -> list[dict[str, Any]]:
    listed = api.get("/categories")
    assert listed.status == 200, listed.text
    return listed.body["items"]  # type: ignore[no-any-return]


def names(items: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """The tree as (name, children) pairs, in the order the API gives them."""
    return [(n["name"], names(n["children"])) for n in items]


def find(items: list[dict[str, Any]], category_id: str) -> dict[str, Any] | None:
    for node in items:
        if node["categoryId"] == category_id:
            return node
        found = find(node["children"], category_id)
        if found is not None:
            return found
    return None


def stored_path(category_id: str) -> str:
    """What the table holds (the path is not part of the public tree)."""
    from handlers.shared import wiring

    found = wiring.categories().category(category_id)
    assert found is not None
    return found.path


def post(api: LambdaApi, admin: Account, body: dict[str, Any]) -> ApiResponse:
    return api.post("/categories", json=body, token=admin.access)


def patch(api: LambdaApi, admin: Account, category_id: str, body: dict[str, Any]) -> ApiResponse:
    return api.patch(f"/categories/{category_id}", json=body, token=admin.access)


def browse(api: LambdaApi, category_id: str) -> list[str]:
    listed = api.get(f"/products?category={category_id}")
    assert listed.status == 200, listed.text
    return sorted(p["productId"] for p in listed.body["items"])


def fresh_category_cache() -> None:
    """A browsing container keeps the category list for a minute: start a new one."""
    from handlers.shared import wiring

    wiring.category_tree().clear()


@pytest.fixture
def admin(api: LambdaApi) -> Account:
    return make_admin(api)


# -- reading the tree -------------------------------------------------------------------


def test_the_tree_is_public_and_empty_at_first(api: LambdaApi) -> None:
    listed = api.get("/categories")
    assert listed.status == 200, listed.text
    assert listed.body == {"items": []}


def test_the_tree_nests_categories_with_siblings_by_name_in_one_query(
    api: LambdaApi, admin: Account
) -> None:
    lighting = create_category(api, admin, "Lighting")
    create_category(api, admin, "garden")
    bath = create_category(api, admin, "Bath")
    lamps = create_category(api, admin, "Lamps", lighting)
    create_category(api, admin, "bulbs", lighting)
    create_category(api, admin, "Candles", lighting)
    desk = create_category(api, admin, "Desk lamps", lamps)

    with dynamodb_calls() as calls:
        listed = api.get("/categories")  # anonymous
    assert listed.status == 200, listed.text
    assert dict(calls) == {"Query": 1}
    items = listed.body["items"]

    assert names(items) == [
        ("Bath", []),
        ("garden", []),
        ("Lighting", [("bulbs", []), ("Candles", []), ("Lamps", [("Desk lamps", [])])]),
    ]
    assert set(listed.body) == {"items"}
    root = items[0]
    assert set(root) == NODE_KEYS
    assert (root["categoryId"], root["slug"], root["parentId"]) == (bath, "bath", None)
    lamps_node = find(items, lamps)
    assert lamps_node is not None
    assert (lamps_node["parentId"], lamps_node["slug"]) == (lighting, "lamps")
    desk_node = lamps_node["children"][0]
    assert set(desk_node) == NODE_KEYS
    assert (desk_node["categoryId"], desk_node["parentId"]) == (desk, lamps)
    assert desk_node["slug"] == "desk-lamps"


def test_signed_in_callers_read_the_same_tree(api: LambdaApi, admin: Account) -> None:
    create_category(api, admin, "Home")
    customer = make_role(api, "customer")
    assert api.get("/categories", token=customer.access).body == api.get("/categories").body


# -- creating ---------------------------------------------------------------------------


def test_an_admin_creates_a_root_category_with_a_slug_from_its_name(
    api: LambdaApi, admin: Account
) -> None:
    created = post(api, admin, {"name": "Home & Garden"})
    assert created.status == 201, created.text
    body = created.body
    assert set(body) == CATEGORY_KEYS
    assert body["categoryId"].startswith("cat_")
    assert (body["name"], body["slug"], body["parentId"]) == ("Home & Garden", "home-garden", None)
    assert body["path"] == body["categoryId"]
    assert body["createdAt"] == body["updatedAt"]
    assert names(categories(api)) == [("Home & Garden", [])]


def test_a_subcategory_sits_under_its_parent(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    created = post(api, admin, {"name": "Lighting", "parentId": home, "slug": "lights"})
    assert created.status == 201, created.text
    child = created.body
    assert (child["parentId"], child["slug"]) == (home, "lights")
    assert child["path"] == f"{home}/{child['categoryId']}"
    assert names(categories(api)) == [("Home", [("Lighting", [])])]


@pytest.mark.parametrize("body", [{"name": "Home"}, {"name": "Other", "slug": "home"}])
def test_a_slug_in_use_is_a_conflict(api: LambdaApi, admin: Account, body: dict[str, Any]) -> None:
    create_category(api, admin, "Home")
    problem(post(api, admin, body), 409, "slug_taken")
    assert names(categories(api)) == [("Home", [])]


def test_an_unknown_parent_is_not_found(api: LambdaApi, admin: Account) -> None:
    problem(post(api, admin, {"name": "Lamps", "parentId": UNKNOWN}), 404, "category_not_found")
    assert categories(api) == []


def test_categories_nest_at_most_five_deep(api: LambdaApi, admin: Account) -> None:
    parent = None
    for level in range(1, 6):
        parent = create_category(api, admin, f"Level {level}", parent)
    problem(post(api, admin, {"name": "Level 6", "parentId": parent}), 422, "category_too_deep")
    deepest = categories(api)
    for _ in range(4):
        deepest = deepest[0]["children"]
    assert names(deepest) == [("Level 5", [])]


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"name": "Lamps", "path": "x"}, ("body", "path"), "extra_forbidden"),
        ({"name": "Lamps", "childCount": 0}, ("body", "childCount"), "extra_forbidden"),
        ({"name": "Lamps", "categoryId": UNKNOWN}, ("body", "categoryId"), "extra_forbidden"),
        ({"name": "Lamps", "parent_id": UNKNOWN}, ("body", "parent_id"), "extra_forbidden"),
        ({}, ("body", "name"), "missing"),
        ({"name": ""}, ("body", "name"), "string_too_short"),
        ({"name": "x" * 81}, ("body", "name"), "string_too_long"),
        ({"name": "Lamps", "slug": "Desk Lamps"}, ("body", "slug"), "string_pattern_mismatch"),
        ({"name": "Lamps", "slug": "desk--lamps"}, ("body", "slug"), "string_pattern_mismatch"),
        ({"name": "Lamps", "slug": "-lamps"}, ("body", "slug"), "string_pattern_mismatch"),
        ({"name": "Lamps", "slug": "x" * 61}, ("body", "slug"), "string_too_long"),
        ({"name": "Lamps", "parentId": "home"}, ("body", "parentId"), "string_pattern_mismatch"),
    ],
)
def test_a_bad_category_body_is_refused(
    api: LambdaApi, admin: Account, body: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    refused = problem(post(api, admin, body), 422, "validation_failed")
    assert (loc, kind) in error_locs(refused), refused
    assert categories(api) == []


# -- who may write ----------------------------------------------------------------------


def writes(api: LambdaApi, category_id: str, token: str | None) -> list[ApiResponse]:
    return [
        api.post("/categories", json={"name": "Sneaky"}, token=token),
        api.patch(f"/categories/{category_id}", json={"name": "Sneaky"}, token=token),
        api.delete(f"/categories/{category_id}", token=token),
    ]


@pytest.mark.parametrize("role", ["customer", "seller"])
def test_only_admins_write_categories(api: LambdaApi, admin: Account, role: str) -> None:
    home = create_category(api, admin, "Home")
    caller = make_role(api, role)
    for response in writes(api, home, caller.access):
        problem(response, 403, "forbidden_role")
    assert names(categories(api)) == [("Home", [])]


def test_a_seller_with_a_shop_may_not_write_categories(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    seller = become_seller(api)
    for response in writes(api, home, seller.access):
        problem(response, 403, "forbidden_role")


def test_category_writes_need_a_token(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    for response in writes(api, home, None):
        problem(response, 401, "token_missing")
    assert names(categories(api)) == [("Home", [])]


# -- renaming ---------------------------------------------------------------------------


def test_a_rename_moves_the_slug_and_frees_the_old_one(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    renamed = patch(api, admin, home, {"name": "House Wares"})
    assert renamed.status == 200, renamed.text
    body = renamed.body
    assert set(body) == CATEGORY_KEYS
    assert (body["categoryId"], body["name"], body["slug"]) == (home, "House Wares", "house-wares")
    assert body["updatedAt"] > body["createdAt"]
    node = categories(api)[0]
    assert (node["name"], node["slug"]) == ("House Wares", "house-wares")

    again = post(api, admin, {"name": "Home"})  # the old slug is free
    assert again.status == 201, again.text
    assert again.body["slug"] == "home"
    problem(post(api, admin, {"name": "House wares"}), 409, "slug_taken")  # the new one is not


def test_a_rename_may_name_its_slug(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    renamed = patch(api, admin, home, {"name": "House", "slug": "household"})
    assert renamed.status == 200, renamed.text
    assert (renamed.body["name"], renamed.body["slug"]) == ("House", "household")


def test_a_new_slug_alone_keeps_the_name(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    changed = patch(api, admin, home, {"slug": "casa"})
    assert changed.status == 200, changed.text
    assert (changed.body["name"], changed.body["slug"]) == ("Home", "casa")
    assert post(api, admin, {"name": "Home"}).status == 201  # "home" was freed


@pytest.mark.parametrize("body", [{"name": "Garden"}, {"slug": "garden"}])
def test_a_rename_onto_a_slug_in_use_is_a_conflict(
    api: LambdaApi, admin: Account, body: dict[str, Any]
) -> None:
    home = create_category(api, admin, "Home")
    create_category(api, admin, "Garden")
    problem(patch(api, admin, home, body), 409, "slug_taken")
    assert [(n["name"], n["slug"]) for n in categories(api)] == [
        ("Garden", "garden"),
        ("Home", "home"),
    ]


def test_a_rename_alone_does_not_move(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    renamed = patch(api, admin, lighting, {"name": "Lights"})
    assert renamed.status == 200, renamed.text
    assert renamed.body["parentId"] == home
    assert names(categories(api)) == [("Home", [("Lights", [])])]


def test_an_empty_update_is_refused(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    problem(patch(api, admin, home, {}), 422, "empty_update")


def test_updating_an_unknown_category_is_not_found(api: LambdaApi, admin: Account) -> None:
    problem(patch(api, admin, UNKNOWN, {"name": "X"}), 404, "category_not_found")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"path": "x"}, ("body", "path")),
        ({"name": "X", "childCount": 0}, ("body", "childCount")),
        ({"slug": "Not A Slug"}, ("body", "slug")),
        ({"parentId": "home"}, ("body", "parentId")),
    ],
)
def test_a_bad_patch_is_refused(
    api: LambdaApi, admin: Account, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    home = create_category(api, admin, "Home")
    refused = problem(patch(api, admin, home, body), 422, "validation_failed")
    assert loc in [found for found, _ in error_locs(refused)], refused
    assert [(n["name"], n["slug"]) for n in categories(api)] == [("Home", "home")]


def test_a_malformed_category_id_is_a_validation_error(api: LambdaApi, admin: Account) -> None:
    refused = problem(patch(api, admin, "home", {"name": "X"}), 422, "validation_failed")
    assert ("path", "categoryId") in [loc for loc, _ in error_locs(refused)]
    refused = problem(api.delete("/categories/home", token=admin.access), 422, "validation_failed")
    assert ("path", "categoryId") in [loc for loc, _ in error_locs(refused)]


# -- moving -----------------------------------------------------------------------------


def test_a_move_carries_the_subtree_and_its_products(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    garden = create_category(api, admin, "Garden")
    lighting = create_category(api, admin, "Lighting", home)
    lamps = create_category(api, admin, "Lamps", lighting)
    desk = create_category(api, admin, "Desk", lamps)
    seller = become_seller(api)
    in_lighting = create_product(api, seller, lighting, sku="L-1")["productId"]
    in_desk = create_product(api, seller, desk, sku="D-1")["productId"]
    for product_id in (in_lighting, in_desk):
        activate(api, seller, admin, product_id)
    assert browse(api, home) == sorted([in_lighting, in_desk])
    assert browse(api, garden) == []

    moved = patch(api, admin, lighting, {"parentId": garden})
    assert moved.status == 200, moved.text
    assert moved.body["parentId"] == garden
    assert moved.body["path"] == f"{garden}/{lighting}"

    # the tree
    assert names(categories(api)) == [
        ("Garden", [("Lighting", [("Lamps", [("Desk", [])])])]),
        ("Home", []),
    ]
    # the descendants' stored paths
    assert stored_path(lighting) == f"{garden}/{lighting}"
    assert stored_path(lamps) == f"{garden}/{lighting}/{lamps}"
    assert stored_path(desk) == f"{garden}/{lighting}/{lamps}/{desk}"
    # browsing (with the category list read afresh)
    fresh_category_cache()
    assert browse(api, garden) == sorted([in_lighting, in_desk])
    assert browse(api, lamps) == [in_desk]
    assert browse(api, home) == []


def test_browsing_a_new_ancestor_finds_the_moved_subtree(api: LambdaApi, admin: Account) -> None:
    """No browse before the move: the new ancestor is seen for the first time after it."""
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    lamps = create_category(api, admin, "Lamps", lighting)
    outdoor = create_category(api, admin, "Outdoor")
    patio = create_category(api, admin, "Patio", outdoor)
    seller = become_seller(api)
    product_id = create_product(api, seller, lamps)["productId"]
    activate(api, seller, admin, product_id)

    assert patch(api, admin, lighting, {"parentId": patio}).status == 200
    assert browse(api, outdoor) == [product_id]
    assert browse(api, patio) == [product_id]
    assert browse(api, home) == []


def test_a_draft_in_a_moved_subtree_stays_out_of_browsing(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    garden = create_category(api, admin, "Garden")
    seller = become_seller(api)
    draft = create_product(api, seller, lighting, sku="DRAFT")["productId"]
    assert patch(api, admin, lighting, {"parentId": garden}).status == 200
    assert browse(api, garden) == []
    activate(api, seller, admin, draft)
    assert browse(api, garden) == [draft]


def test_a_null_parent_moves_to_the_top(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    lamps = create_category(api, admin, "Lamps", lighting)
    moved = patch(api, admin, lighting, {"parentId": None})
    assert moved.status == 200, moved.text
    assert (moved.body["parentId"], moved.body["path"]) == (None, lighting)
    assert names(categories(api)) == [("Home", []), ("Lighting", [("Lamps", [])])]
    assert stored_path(lamps) == f"{lighting}/{lamps}"
    # the old parent lost its only child
    assert api.delete(f"/categories/{home}", token=admin.access).status == 204


def test_a_rename_and_a_move_in_one_request(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    garden = create_category(api, admin, "Garden")
    lighting = create_category(api, admin, "Lighting", home)
    changed = patch(api, admin, lighting, {"name": "Outdoor lights", "parentId": garden})
    assert changed.status == 200, changed.text
    body = changed.body
    assert (body["name"], body["slug"], body["parentId"]) == (
        "Outdoor lights",
        "outdoor-lights",
        garden,
    )
    assert names(categories(api)) == [("Garden", [("Outdoor lights", [])]), ("Home", [])]


def test_a_category_cannot_move_under_itself_or_a_descendant(
    api: LambdaApi, admin: Account
) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    lamps = create_category(api, admin, "Lamps", lighting)
    before = categories(api)
    for target in (home, lighting, lamps):
        problem(patch(api, admin, home, {"parentId": target}), 422, "category_cycle")
    problem(patch(api, admin, lighting, {"parentId": lamps}), 422, "category_cycle")
    # a refused move does not half-apply a rename sent with it
    problem(patch(api, admin, home, {"name": "Renamed", "parentId": lamps}), 422, "category_cycle")
    assert categories(api) == before
    assert stored_path(lamps) == f"{home}/{lighting}/{lamps}"


def test_a_move_keeps_the_depth_limit(api: LambdaApi, admin: Account) -> None:
    levels: list[str] = []
    for level in range(1, 5):
        levels.append(create_category(api, admin, f"Level {level}", levels[-1] if levels else None))
    branch = create_category(api, admin, "Branch")
    create_category(api, admin, "Leaf", branch)  # two levels to carry

    problem(patch(api, admin, branch, {"parentId": levels[3]}), 422, "category_too_deep")
    assert stored_path(branch) == branch

    fits = patch(api, admin, branch, {"parentId": levels[2]})  # the leaf lands at depth 5
    assert fits.status == 200, fits.text
    level3 = find(categories(api), levels[2])
    assert level3 is not None
    assert names(level3["children"]) == [("Branch", [("Leaf", [])]), ("Level 4", [])]


def test_a_move_under_an_unknown_parent_is_not_found(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    problem(patch(api, admin, home, {"parentId": UNKNOWN}), 404, "category_not_found")
    assert stored_path(home) == home


def test_a_move_to_where_it_already_is_changes_nothing(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    same = patch(api, admin, lighting, {"parentId": home})
    assert same.status == 200, same.text
    assert same.body["path"] == f"{home}/{lighting}"
    assert same.body["updatedAt"] == same.body["createdAt"]
    # the parent still counts exactly one child
    problem(api.delete(f"/categories/{home}", token=admin.access), 409, "category_not_empty")
    assert api.delete(f"/categories/{lighting}", token=admin.access).status == 204
    assert api.delete(f"/categories/{home}", token=admin.access).status == 204


def test_a_parent_emptied_by_a_move_can_be_deleted_and_the_new_one_cannot(
    api: LambdaApi, admin: Account
) -> None:
    home = create_category(api, admin, "Home")
    garden = create_category(api, admin, "Garden")
    lighting = create_category(api, admin, "Lighting", home)
    assert patch(api, admin, lighting, {"parentId": garden}).status == 200
    problem(api.delete(f"/categories/{garden}", token=admin.access), 409, "category_not_empty")
    assert api.delete(f"/categories/{home}", token=admin.access).status == 204
    assert names(categories(api)) == [("Garden", [("Lighting", [])])]


# -- deleting ---------------------------------------------------------------------------


def test_an_empty_category_is_deleted(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    garden = create_category(api, admin, "Garden")
    deleted = api.delete(f"/categories/{home}", token=admin.access)
    assert deleted.status == 204, deleted.text
    assert deleted.text == ""
    assert names(categories(api)) == [("Garden", [])]
    assert garden == categories(api)[0]["categoryId"]
    assert post(api, admin, {"name": "Home"}).status == 201  # its slug is free
    problem(api.delete(f"/categories/{home}", token=admin.access), 404, "category_not_found")


def test_a_category_with_a_subcategory_is_kept_until_its_last_child_goes(
    api: LambdaApi, admin: Account
) -> None:
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", home)
    bath = create_category(api, admin, "Bath", home)
    problem(api.delete(f"/categories/{home}", token=admin.access), 409, "category_not_empty")
    assert api.delete(f"/categories/{lighting}", token=admin.access).status == 204
    problem(api.delete(f"/categories/{home}", token=admin.access), 409, "category_not_empty")
    assert api.delete(f"/categories/{bath}", token=admin.access).status == 204
    assert api.delete(f"/categories/{home}", token=admin.access).status == 204
    assert categories(api) == []


def test_a_category_holding_a_draft_product_is_kept(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    seller = become_seller(api)
    product = create_product(api, seller, home)
    assert product["status"] == "draft"
    problem(api.delete(f"/categories/{home}", token=admin.access), 409, "category_not_empty")
    assert names(categories(api)) == [("Home", [])]


def test_a_category_emptied_of_its_product_can_be_deleted(api: LambdaApi, admin: Account) -> None:
    home = create_category(api, admin, "Home")
    garden = create_category(api, admin, "Garden")
    seller = become_seller(api)
    product = create_product(api, seller, home)
    problem(api.delete(f"/categories/{home}", token=admin.access), 409, "category_not_empty")
    moved = api.patch(
        f"/products/{product['productId']}",
        json={"categoryId": garden},
        token=seller.access,
        headers={"If-Match": f'"{product["version"]}"'},
    )
    assert moved.status == 200, moved.text
    assert api.delete(f"/categories/{home}", token=admin.access).status == 204
    problem(api.delete(f"/categories/{garden}", token=admin.access), 409, "category_not_empty")


def test_deleting_an_unknown_category_is_not_found(api: LambdaApi, admin: Account) -> None:
    problem(api.delete(f"/categories/{UNKNOWN}", token=admin.access), 404, "category_not_found")
