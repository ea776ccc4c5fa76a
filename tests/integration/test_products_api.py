"""Products through the API: listing, editing at a version, who sees what, archiving."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.integration.catalog_helpers import (
    Shop,
    activate,
    become_seller,
    create_category,
    create_product,
    money,
    product_body,
    shop,
)
from tests.integration.helpers import error_locs, problem
from tests.support.lambda_api import ApiResponse, LambdaApi, query

UNKNOWN_PRODUCT = "prd_01ARZ3NDEKTSV4RRFFQ69G5FAV"
UNKNOWN_CATEGORY = "cat_01ARZ3NDEKTSV4RRFFQ69G5FAV"


def edit(
    api: LambdaApi, token: str | None, product_id: str, body: dict[str, Any], version: Any = 1
) -> ApiResponse:
    headers = {} if version is None else {"If-Match": str(version)}
    return api.patch(f"/products/{product_id}", json=body, token=token, headers=headers)


def etag_of(response: ApiResponse) -> str | None:
    return response.header("etag")


def image_url(product_id: str, name: str = "a.jpg") -> str:
    return f"{os.environ['IMAGES_BASE_URL']}/products/{product_id}/{name}"


def browse_ids(api: LambdaApi, **params: Any) -> list[str]:
    response = api.get(f"/products?{query(limit=100, **params)}")
    assert response.status == 200, response.text
    return [item["productId"] for item in response.body["items"]]


# -- create ---------------------------------------------------------------------------


def test_a_seller_lists_a_draft_at_version_1(api: LambdaApi) -> None:
    s = shop(api)
    body = product_body(
        s.child, sku="LAMP-1", price=2599, brand="Acme", attributes={"colour": "walnut"}
    )
    response = api.post("/products", json=body, token=s.seller.access)
    assert response.status == 201, response.text
    product = response.body
    assert product["status"] == "draft"
    assert product["version"] == 1
    assert etag_of(response) == '"1"'
    assert product["sellerId"] == "sel_" + s.seller.user_id.removeprefix("usr_")
    assert product["price"] == {"amount": 2599, "currency": "USD"}
    assert product["categoryId"] == s.child
    assert product["sku"] == "LAMP-1"
    assert product["brand"] == "Acme"
    assert product["attributes"] == {"colour": "walnut"}
    assert product["images"] == []
    assert product["rejectionReason"] is None
    assert product["rating"] == {"average": None, "count": 0}
    assert product["productId"].startswith("prd_")

    detail = api.get(f"/products/{product['productId']}", token=s.seller.access)
    assert detail.status == 200, detail.text
    assert detail.body["stock"] == {"status": "out", "available": 0}
    assert etag_of(detail) == '"1"'
    assert detail.body["name"] == body["name"]


@pytest.mark.parametrize("who", ["admin", "customer"])
def test_only_sellers_list_products(api: LambdaApi, who: str) -> None:
    s = shop(api)
    token = getattr(s, who).access
    problem(api.post("/products", json=product_body(s.child), token=token), 403, "forbidden_role")
    problem(api.post("/products", json=product_body(s.child)), 401, "token_missing")
    assert api.get("/sellers/me/products", token=s.seller.access).body["items"] == []


def test_an_unknown_category_is_422(api: LambdaApi) -> None:
    s = shop(api)
    response = api.post("/products", json=product_body(UNKNOWN_CATEGORY), token=s.seller.access)
    problem(response, 422, "unknown_category")
    malformed = api.post("/products", json=product_body("lighting"), token=s.seller.access)
    body = problem(malformed, 422, "validation_failed")
    assert [loc for loc, _ in error_locs(body)] == [("body", "categoryId")]


def test_a_price_in_another_currency_is_422(api: LambdaApi) -> None:
    s = shop(api)
    body = product_body(s.child)
    body["price"] = money(1999, "EUR")
    problem(api.post("/products", json=body, token=s.seller.access), 422, "currency_mismatch")


@pytest.mark.parametrize(
    "amount", [0, -1, -1999, 19.99, 1999.5, "1999", True, None, 100_000_000_000, 1e11]
)
def test_a_price_is_a_positive_integer_of_minor_units(api: LambdaApi, amount: Any) -> None:
    s = shop(api)
    body = product_body(s.child)
    body["price"] = {"amount": amount, "currency": "USD"}
    response = api.post("/products", json=body, token=s.seller.access)
    problem_body = problem(response, 422, "validation_failed")
    assert {loc for loc, _ in error_locs(problem_body)} == {("body", "price", "amount")}


def test_a_whole_number_written_with_a_decimal_point_is_that_integer(api: LambdaApi) -> None:
    # JSON has one number type, and JSON Schema's "integer" includes 1999.0
    s = shop(api)
    body = product_body(s.child)
    body["price"] = {"amount": 1999.0, "currency": "USD"}
    response = api.post("/products", json=body, token=s.seller.access)
    assert response.status == 201, response.text
    assert response.body["price"] == {"amount": 1999, "currency": "USD"}
    assert '"amount":1999,' in response.text


def test_the_price_bounds_themselves_are_allowed(api: LambdaApi) -> None:
    s = shop(api)
    highest = create_product(api, s.seller, s.child, sku="TOP", price=99_999_999_999)
    assert highest["price"]["amount"] == 99_999_999_999
    lowest = create_product(api, s.seller, s.child, sku="BOTTOM", price=1)
    assert lowest["price"]["amount"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "active"),
        ("sellerId", "sel_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        ("rating", {"average": 5, "count": 100}),
        ("version", 7),
        ("images", [{"url": "https://example.com/a.jpg", "alt": "a lamp"}]),
        ("productId", UNKNOWN_PRODUCT),
        ("rejectionReason", "none"),
    ],
)
def test_mass_assignment_at_create_is_refused(api: LambdaApi, field: str, value: Any) -> None:
    s = shop(api)
    body = product_body(s.child, **{field: value})
    response = api.post("/products", json=body, token=s.seller.access)
    problem_body = problem(response, 422, "validation_failed")
    assert error_locs(problem_body) == [(("body", field), "extra_forbidden")]
    assert api.get("/sellers/me/products", token=s.seller.access).body["items"] == []


def test_at_most_30_attributes(api: LambdaApi) -> None:
    s = shop(api)
    thirty = {f"a{n}": "v" for n in range(30)}
    assert create_product(api, s.seller, s.child, sku="A30", attributes=thirty)["attributes"] == (
        thirty
    )
    body = product_body(s.child, sku="A31", attributes={**thirty, "one-more": "v"})
    problem_body = problem(
        api.post("/products", json=body, token=s.seller.access), 422, "validation_failed"
    )
    assert [loc for loc, _ in error_locs(problem_body)] == [("body", "attributes")]


def test_a_sku_is_unique_per_seller_only(api: LambdaApi) -> None:
    s = shop(api)
    create_product(api, s.seller, s.child, sku="LAMP-1")
    again = api.post("/products", json=product_body(s.child, sku="LAMP-1"), token=s.seller.access)
    problem(again, 409, "sku_taken")
    other = become_seller(api, "Other shop")
    reused = create_product(api, other, s.child, sku="LAMP-1")
    assert reused["sku"] == "LAMP-1"
    assert len(api.get("/sellers/me/products", token=s.seller.access).body["items"]) == 1


# -- edit -----------------------------------------------------------------------------


def test_an_edit_needs_if_match(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    missing = edit(api, s.seller.access, product_id, {"name": "Renamed"}, version=None)
    problem(missing, 428, "if_match_required")
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["version"] == 1


@pytest.mark.parametrize("sent", ['"1"', "1", ' "1" '])
def test_if_match_takes_the_version_quoted_or_bare(api: LambdaApi, sent: str) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    response = edit(api, s.seller.access, product_id, {"name": "Renamed"}, version=sent)
    assert response.status == 200, response.text
    assert response.body["version"] == 2
    assert response.body["name"] == "Renamed"
    assert etag_of(response) == '"2"'


def test_a_stale_version_is_412_and_changes_nothing(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    first = edit(api, s.seller.access, product_id, {"name": "First"}, version='"1"')
    assert first.status == 200, first.text
    for stale in ['"1"', "1", '"3"', "abc", '"*"', 'W/"2"']:
        late = edit(api, s.seller.access, product_id, {"name": "Second"}, version=stale)
        problem(late, 412, "version_mismatch")
    detail = api.get(f"/products/{product_id}", token=s.seller.access)
    assert detail.body["name"] == "First"
    assert detail.body["version"] == 2
    second = edit(api, s.seller.access, product_id, {"name": "Second"}, version=2)
    assert second.status == 200, second.text
    assert second.body["version"] == 3


def test_only_the_seller_or_an_admin_edits(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other = become_seller(api, "Other shop")
    problem(edit(api, other.access, product_id, {"name": "Mine"}), 404, "product_not_found")
    problem(edit(api, s.customer.access, product_id, {"name": "Mine"}), 403, "forbidden_role")
    problem(edit(api, None, product_id, {"name": "Mine"}), 401, "token_missing")
    by_admin = edit(api, s.admin.access, product_id, {"name": "Fixed typo"})
    assert by_admin.status == 200, by_admin.text
    assert by_admin.body["name"] == "Fixed typo"
    assert by_admin.body["status"] == "draft"
    assert by_admin.body["sellerId"] == "sel_" + s.seller.user_id.removeprefix("usr_")
    problem(edit(api, s.admin.access, UNKNOWN_PRODUCT, {"name": "x"}), 404, "product_not_found")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "active"),
        ("sellerId", "sel_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        ("version", 9),
        ("rating", {"average": 5, "count": 1}),
        ("rejectionReason", None),
    ],
)
def test_mass_assignment_in_an_edit_is_refused(api: LambdaApi, field: str, value: Any) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    response = edit(api, s.seller.access, product_id, {"name": "x", field: value})
    assert error_locs(problem(response, 422, "validation_failed")) == [
        (("body", field), "extra_forbidden")
    ]
    detail = api.get(f"/products/{product_id}", token=s.seller.access).body
    assert (detail["status"], detail["version"], detail["name"]) == ("draft", 1, "Walnut desk lamp")


def test_an_empty_edit_is_422(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    problem(edit(api, s.seller.access, product_id, {}), 422, "empty_update")


def test_an_edit_changes_only_what_was_sent_and_null_clears(api: LambdaApi) -> None:
    s = shop(api)
    product = create_product(
        api, s.seller, s.child, brand="Acme", attributes={"colour": "walnut"}, price=1500
    )
    response = edit(api, s.seller.access, product["productId"], {"brand": None, "attributes": None})
    assert response.status == 200, response.text
    after = response.body
    assert after["brand"] is None
    assert after["attributes"] == {}
    assert after["price"] == product["price"]
    assert after["description"] == product["description"]
    assert after["sku"] == product["sku"]
    stored = api.get(f"/products/{product['productId']}", token=s.seller.access).body
    assert stored["brand"] is None
    assert stored["attributes"] == {}
    assert stored["name"] == product["name"]


def test_an_edited_price_is_checked_like_a_new_one(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    problem(
        edit(api, s.seller.access, product_id, {"price": money(100, "EUR")}),
        422,
        "currency_mismatch",
    )
    problem(edit(api, s.seller.access, product_id, {"price": money(0)}), 422, "validation_failed")
    problem(
        edit(api, s.seller.access, product_id, {"categoryId": UNKNOWN_CATEGORY}),
        422,
        "unknown_category",
    )
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["version"] == 1


def _pending(api: LambdaApi, s: Shop) -> str:
    product_id = create_product(api, s.seller, s.child, sku="PENDING")["productId"]
    assert api.post(f"/products/{product_id}/submit", token=s.seller.access).status == 200
    return product_id


def test_a_product_under_review_or_archived_cannot_be_edited(api: LambdaApi) -> None:
    s = shop(api)
    pending = _pending(api, s)
    for token in (s.seller.access, s.admin.access):
        problem(edit(api, token, pending, {"name": "x"}, version=2), 409, "invalid_product_state")
    archived = create_product(api, s.seller, s.child, sku="GONE")["productId"]
    assert api.delete(f"/products/{archived}", token=s.seller.access).status == 200
    problem(
        edit(api, s.seller.access, archived, {"name": "x"}, version=2),
        409,
        "invalid_product_state",
    )


def test_an_active_product_stays_active_and_shows_the_edit_at_once(api: LambdaApi) -> None:
    s = shop(api)
    cheap = create_product(api, s.seller, s.child, sku="CHEAP", price=1000)["productId"]
    middle = create_product(api, s.seller, s.child, sku="MIDDLE", price=2000)["productId"]
    dear = create_product(api, s.seller, s.child, sku="DEAR", price=3000)["productId"]
    for product_id in (cheap, middle, dear):
        activate(api, s.seller, s.admin, product_id)
    assert browse_ids(api, category=s.root, sort="price_asc") == [cheap, middle, dear]
    version = api.get(f"/products/{dear}").body["version"]

    response = edit(
        api, s.seller.access, dear, {"price": money(500), "name": "Sale lamp"}, version=version
    )
    assert response.status == 200, response.text
    assert response.body["status"] == "active"

    public = api.get(f"/products/{dear}")
    assert public.status == 200, public.text
    assert public.body["price"] == {"amount": 500, "currency": "USD"}
    assert public.body["name"] == "Sale lamp"
    assert public.body["status"] == "active"
    assert browse_ids(api, category=s.root, sort="price_asc") == [dear, cheap, middle]
    assert browse_ids(api, category=s.child, sort="price_desc") == [middle, cheap, dear]
    assert browse_ids(api, sort="price_asc") == [dear, cheap, middle]
    assert browse_ids(api, category=s.root, maxPrice=999) == [dear]
    assert browse_ids(api, minPrice=2500, sort="price_asc") == []
    listed = api.get(f"/products?{query(category=s.root, sort='price_asc', limit=1)}").body
    assert listed["items"][0]["name"] == "Sale lamp"
    assert listed["items"][0]["price"]["amount"] == 500


def test_a_new_category_moves_the_product_between_listings(api: LambdaApi) -> None:
    s = shop(api)
    garden = create_category(api, s.admin, "Garden")
    product_id = create_product(api, s.seller, s.child)["productId"]
    activate(api, s.seller, s.admin, product_id)
    for sort in ("price_asc", "newest"):
        assert browse_ids(api, category=s.root, sort=sort) == [product_id]
        assert browse_ids(api, category=garden, sort=sort) == []
    version = api.get(f"/products/{product_id}").body["version"]

    moved = edit(api, s.seller.access, product_id, {"categoryId": garden}, version=version)
    assert moved.status == 200, moved.text
    assert moved.body["categoryId"] == garden
    for sort in ("price_asc", "price_desc", "newest"):
        assert browse_ids(api, category=s.root, sort=sort) == []
        assert browse_ids(api, category=s.child, sort=sort) == []
        assert browse_ids(api, category=garden, sort=sort) == [product_id]
        assert browse_ids(api, sort=sort) == [product_id]
    # The old category no longer counts it, so it can be deleted; the new one refuses.
    problem(api.delete(f"/categories/{garden}", token=s.admin.access), 409, "category_not_empty")
    emptied = api.delete(f"/categories/{s.child}", token=s.admin.access)
    assert emptied.status in (200, 204), emptied.text


def test_a_changed_sku_frees_the_old_one(api: LambdaApi) -> None:
    s = shop(api)
    first = create_product(api, s.seller, s.child, sku="OLD")["productId"]
    second = create_product(api, s.seller, s.child, sku="OTHER")["productId"]
    renamed = edit(api, s.seller.access, first, {"sku": "NEW"})
    assert renamed.status == 200, renamed.text
    assert renamed.body["sku"] == "NEW"

    reuse = create_product(api, s.seller, s.child, sku="OLD")
    assert reuse["sku"] == "OLD"
    problem(
        api.post("/products", json=product_body(s.child, sku="NEW"), token=s.seller.access),
        409,
        "sku_taken",
    )
    clash = edit(api, s.seller.access, second, {"sku": "NEW"})
    problem(clash, 409, "sku_taken")
    detail = api.get(f"/products/{second}", token=s.seller.access).body
    assert (detail["sku"], detail["version"]) == ("OTHER", 1)
    same = edit(api, s.seller.access, second, {"sku": "OTHER", "name": "Kept"})
    assert same.status == 200, same.text
    assert same.body["sku"] == "OTHER"


def test_images_must_be_uploaded_under_the_products_prefix(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other_id = create_product(api, s.seller, s.child, sku="OTHER")["productId"]
    base = os.environ["IMAGES_BASE_URL"]
    foreign = [
        f"https://evil.example/products/{product_id}/a.jpg",
        image_url(other_id),
        f"{base}/products/a.jpg",
        f"{base}/avatars/{product_id}/a.jpg",
        f"{base}/products/{product_id}",
        f"{base}.evil.example/products/{product_id}/a.jpg",
        f"http://{base.removeprefix('https://')}/products/{product_id}/a.jpg",
    ]
    version = 1
    for url in foreign:
        body = {"images": [{"url": image_url(product_id), "alt": "ok"}, {"url": url, "alt": "x"}]}
        problem(edit(api, s.seller.access, product_id, body, version=version), 422, "foreign_image")

    ten = [{"url": image_url(product_id, f"{n}.jpg"), "alt": f"view {n}"} for n in range(10)]
    saved = edit(api, s.seller.access, product_id, {"images": ten}, version=version)
    assert saved.status == 200, saved.text
    assert saved.body["images"] == ten
    eleven = [*ten, {"url": image_url(product_id, "10.jpg"), "alt": "one more"}]
    too_many = edit(api, s.seller.access, product_id, {"images": eleven}, version=2)
    assert too_many.status == 422, too_many.text
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["images"] == ten
    cleared = edit(api, s.seller.access, product_id, {"images": []}, version=2)
    assert cleared.status == 200, cleared.text
    assert cleared.body["images"] == []


# -- who sees what --------------------------------------------------------------------


def test_a_product_not_yet_active_is_seen_by_its_seller_and_admins_only(api: LambdaApi) -> None:
    s = shop(api)
    other = become_seller(api, "Other shop")
    draft = create_product(api, s.seller, s.child)["productId"]
    pending = _pending(api, s)
    for product_id in (draft, pending):
        problem(api.get(f"/products/{product_id}"), 404, "product_not_found")
        problem(
            api.get(f"/products/{product_id}", token=s.customer.access), 404, "product_not_found"
        )
        problem(api.get(f"/products/{product_id}", token=other.access), 404, "product_not_found")
        assert api.get(f"/products/{product_id}", token=s.seller.access).status == 200
        seen_by_admin = api.get(f"/products/{product_id}", token=s.admin.access)
        assert seen_by_admin.status == 200, seen_by_admin.text
        assert seen_by_admin.body["productId"] == product_id
    problem(api.get(f"/products/{UNKNOWN_PRODUCT}", token=s.admin.access), 404, "product_not_found")


@pytest.mark.parametrize(
    ("stock", "status"), [(0, "out"), (1, "low"), (5, "low"), (6, "in_stock"), (250, "in_stock")]
)
def test_an_active_product_is_public_with_its_stock_status(
    api: LambdaApi, stock: int, status: str
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    activate(api, s.seller, s.admin, product_id, stock=stock)
    other = become_seller(api, "Other shop")
    for token in (None, s.customer.access, other.access, s.seller.access, s.admin.access):
        response = api.get(f"/products/{product_id}", token=token)
        assert response.status == 200, response.text
        assert response.body["status"] == "active"
        assert response.body["stock"] == {"status": status, "available": stock}
        assert response.body["rating"] == {"average": None, "count": 0}
        assert etag_of(response) == f'"{response.body["version"]}"'


# -- archive --------------------------------------------------------------------------


def test_archiving_takes_a_product_out_of_the_catalog(api: LambdaApi) -> None:
    s = shop(api)
    kept = create_product(api, s.seller, s.child, sku="KEPT")["productId"]
    gone = create_product(api, s.seller, s.child, sku="GONE")["productId"]
    for product_id in (kept, gone):
        activate(api, s.seller, s.admin, product_id)
    assert set(browse_ids(api, category=s.root)) == {kept, gone}

    archived = api.delete(f"/products/{gone}", token=s.seller.access)
    assert archived.status == 200, archived.text
    assert archived.body["status"] == "archived"
    assert etag_of(archived) == f'"{archived.body["version"]}"'

    for sort in ("price_asc", "price_desc", "newest"):
        assert browse_ids(api, category=s.root, sort=sort) == [kept]
        assert browse_ids(api, category=s.child, sort=sort) == [kept]
        assert browse_ids(api, sort=sort) == [kept]
    problem(api.get(f"/products/{gone}"), 404, "product_not_found")
    problem(api.get(f"/products/{gone}", token=s.customer.access), 404, "product_not_found")
    own = api.get(f"/products/{gone}", token=s.seller.access)
    assert own.status == 200, own.text
    assert own.body["status"] == "archived"
    assert api.get(f"/products/{gone}", token=s.admin.access).body["status"] == "archived"
    mine = api.get("/sellers/me/products?status=archived", token=s.seller.access).body
    assert [p["productId"] for p in mine["items"]] == [gone]
    problem(api.delete(f"/products/{gone}", token=s.seller.access), 409, "invalid_product_state")


def test_who_may_archive(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other = become_seller(api, "Other shop")
    problem(api.delete(f"/products/{product_id}", token=other.access), 404, "product_not_found")
    problem(api.delete(f"/products/{product_id}", token=s.customer.access), 403, "forbidden_role")
    problem(api.delete(f"/products/{product_id}"), 401, "token_missing")
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["status"] == "draft"
    by_admin = api.delete(f"/products/{product_id}", token=s.admin.access)
    assert by_admin.status == 200, by_admin.text
    assert by_admin.body["status"] == "archived"


# -- the seller's own list ------------------------------------------------------------


def test_a_seller_lists_their_own_products_newest_first(api: LambdaApi) -> None:
    s = shop(api)
    other = become_seller(api, "Other shop")
    create_product(api, other, s.child, sku="NOT-MINE")
    ids = [create_product(api, s.seller, s.child, sku=f"MINE-{n}")["productId"] for n in range(5)]
    activate(api, s.seller, s.admin, ids[1])
    assert api.post(f"/products/{ids[3]}/submit", token=s.seller.access).status == 200

    everything = api.get("/sellers/me/products", token=s.seller.access)
    assert everything.status == 200, everything.text
    assert [p["productId"] for p in everything.body["items"]] == ids[::-1]
    statuses = {p["productId"]: p["status"] for p in everything.body["items"]}
    assert statuses[ids[1]] == "active"
    assert statuses[ids[3]] == "pending_review"

    drafts = api.get("/sellers/me/products?status=draft", token=s.seller.access).body
    assert [p["productId"] for p in drafts["items"]] == [ids[4], ids[2], ids[0]]
    active = api.get("/sellers/me/products?status=active", token=s.seller.access).body
    assert [p["productId"] for p in active["items"]] == [ids[1]]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = api.get(
            f"/sellers/me/products?{query(limit=2, cursor=cursor)}", token=s.seller.access
        )
        assert page.status == 200, page.text
        assert len(page.body["items"]) <= 2
        seen += [p["productId"] for p in page.body["items"]]
        cursor = page.body["nextCursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]

    problem(
        api.get("/sellers/me/products?cursor=bm90LWEtY3Vyc29y", token=s.seller.access),
        404,
        "cursor_not_found",
    )
    problem(api.get("/sellers/me/products", token=s.customer.access), 403, "forbidden_role")
    problem(api.get("/sellers/me/products", token=s.admin.access), 403, "forbidden_role")
    problem(
        api.get("/sellers/me/products?status=sold", token=s.seller.access),
        422,
        "validation_failed",
    )
