"""GET /products: the catalogue by category (with subcategories), price range and order.

Twelve active products sit over a parent category ("Home", three products of its own)
and its two subcategories, at distinct and equal prices, from two sellers; one more
is active in an unrelated category, and products in every other state sit at prices
inside every range asked. A page cursor pages through the merged category partitions.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.integration.catalog_helpers import (
    activate,
    become_seller,
    create_category,
    create_product,
)
from tests.integration.helpers import Account, error_locs, make_admin, problem
from tests.support.lambda_api import LambdaApi, query


@dataclass(frozen=True)
class Listed:
    product_id: str
    price: int
    category: str
    activated: int  # the order of approval (what "newest" orders by)


@dataclass
class Catalog:
    admin: Account
    home: str
    lighting: str
    rugs: str
    garden: str
    active: list[Listed]  # everything active, including the one in Garden
    hidden: dict[str, str]  # status -> product id, none of them active

    def under_home(self, *, subcategories: bool = True) -> list[Listed]:
        wanted = {self.home, self.lighting, self.rugs} if subcategories else {self.home}
        return [p for p in self.active if p.category in wanted]


# (category, price): Home has products of its own; 1000, 2000 and 3000 appear more than once.
SEED = [
    ("lighting", 1000),
    ("rugs", 2000),
    ("home", 1500),
    ("lighting", 2000),
    ("rugs", 500),
    ("lighting", 2000),
    ("home", 3000),
    ("rugs", 3000),
    ("lighting", 4500),
    ("rugs", 1000),
    ("lighting", 3000),
    ("home", 9999),
]


def _seed(api: LambdaApi) -> Catalog:
    admin = make_admin(api)
    home = create_category(api, admin, "Home")
    lighting = create_category(api, admin, "Lighting", parent=home)
    rugs = create_category(api, admin, "Rugs", parent=home)
    garden = create_category(api, admin, "Garden")
    ids = {"home": home, "lighting": lighting, "rugs": rugs, "garden": garden}
    sellers = [become_seller(api, "North"), become_seller(api, "South")]
    active: list[Listed] = []
    seed = [*SEED, ("garden", 2000)]
    for n, (where, price) in enumerate(seed):
        seller = sellers[n % 2]
        product = create_product(api, seller, ids[where], sku=f"SKU-{n}", price=price)
        activate(api, seller, admin, product["productId"], stock=7)
        active.append(Listed(product["productId"], price, ids[where], n))

    seller = sellers[0]
    hidden: dict[str, str] = {}
    draft = create_product(api, seller, lighting, sku="H-DRAFT", price=2000)
    hidden["draft"] = draft["productId"]
    pending = create_product(api, seller, rugs, sku="H-PENDING", price=2000)
    assert api.post(f"/products/{pending['productId']}/submit", token=seller.access).status == 200
    hidden["pending_review"] = pending["productId"]
    rejected = create_product(api, seller, home, sku="H-REJECTED", price=2000)
    assert api.post(f"/products/{rejected['productId']}/submit", token=seller.access).status == 200
    refused = api.post(
        f"/admin/products/{rejected['productId']}/reject",
        json={"reason": "blurry photos"},
        token=admin.access,
    )
    assert refused.status == 200, refused.text
    hidden["rejected"] = rejected["productId"]
    archived = create_product(api, seller, lighting, sku="H-ARCHIVED", price=2000)
    activate(api, seller, admin, archived["productId"])
    assert api.delete(f"/products/{archived['productId']}", token=seller.access).status == 200
    hidden["archived"] = archived["productId"]
    return Catalog(admin, home, lighting, rugs, garden, active, hidden)


@pytest.fixture(scope="module")
def seeded(config: dict[str, Any]) -> Iterator[tuple[LambdaApi, Catalog]]:
    """One embedded AWS and one seeded catalogue for the module (as the ``aws`` fixture,
    module-wide): the tests only read, and seeding takes seconds."""
    from moto import mock_aws

    from adapters import aws as aws_clients
    from adapters import secrets
    from scripts.stack import create_resources

    with mock_aws():
        aws_clients.client.cache_clear()
        secrets.clear_cache()
        create_resources(config, aws_clients.client)
        aws_clients.client("ses").verify_email_identity(EmailAddress=os.environ["EMAIL_FROM"])
        api = LambdaApi(config)
        yield api, _seed(api)
    aws_clients.reset_clients()
    secrets.clear_cache()


@pytest.fixture
def api(seeded: tuple[LambdaApi, Catalog]) -> LambdaApi:
    return seeded[0]


@pytest.fixture
def catalog(seeded: tuple[LambdaApi, Catalog]) -> Catalog:
    return seeded[1]


def by_price(listed: list[Listed], *, descending: bool = False) -> list[str]:
    """Price, then product id (the sort key's tie-break), both reversed for descending."""
    keyed = sorted(listed, key=lambda p: (p.price, p.product_id), reverse=descending)
    return [p.product_id for p in keyed]


def newest_first(listed: list[Listed]) -> list[str]:
    return [p.product_id for p in sorted(listed, key=lambda p: p.activated, reverse=True)]


def expected(listed: list[Listed], sort: str) -> list[str]:
    if sort == "price_asc":
        return by_price(listed)
    if sort == "price_desc":
        return by_price(listed, descending=True)
    return newest_first(listed)


def browse(api: LambdaApi, **params: Any) -> dict[str, Any]:
    response = api.get(f"/products?{query(**params)}")
    assert response.status == 200, response.text
    return response.body  # type: ignore[no-any-return]


def ids_of(page: dict[str, Any]) -> list[str]:
    return [item["productId"] for item in page["items"]]


def every_page(api: LambdaApi, limit: int, **params: Any) -> list[list[str]]:
    """Follow the cursor to the end; the ids of each page."""
    pages: list[list[str]] = []
    cursor = None
    for _ in range(50):
        page = browse(api, limit=limit, cursor=cursor, **params)
        assert len(page["items"]) <= limit
        pages.append(ids_of(page))
        cursor = page["nextCursor"]
        if cursor is None:
            return pages
    raise AssertionError("the cursor never ran out")


SORTS = ["price_asc", "price_desc", "newest"]


@pytest.mark.parametrize("sort", SORTS)
def test_a_parent_category_lists_its_subcategories_products_in_order(
    api: LambdaApi, catalog: Catalog, sort: str
) -> None:
    page = browse(api, category=catalog.home, sort=sort, limit=100)
    assert ids_of(page) == expected(catalog.under_home(), sort)
    assert page["nextCursor"] is None
    assert len(page["items"]) == 12


@pytest.mark.parametrize("sort", SORTS)
def test_limit_5_pages_through_every_item_once_in_order(
    api: LambdaApi, catalog: Catalog, sort: str
) -> None:
    pages = every_page(api, 5, category=catalog.home, sort=sort)
    assert [len(p) for p in pages] == [5, 5, 2]
    flat = [pid for page in pages for pid in page]
    assert len(flat) == len(set(flat)), "a product was shown twice"
    assert flat == expected(catalog.under_home(), sort)


@pytest.mark.parametrize("sort", SORTS)
def test_limit_5_pages_through_the_whole_shop(api: LambdaApi, catalog: Catalog, sort: str) -> None:
    pages = every_page(api, 5, sort=sort)
    assert [len(p) for p in pages] == [5, 5, 3]
    flat = [pid for page in pages for pid in page]
    assert flat == expected(catalog.active, sort)


@pytest.mark.parametrize("sort", SORTS)
def test_the_whole_shop_in_one_page_includes_every_category(
    api: LambdaApi, catalog: Catalog, sort: str
) -> None:
    page = browse(api, sort=sort, limit=100)
    assert ids_of(page) == expected(catalog.active, sort)
    garden = next(p.product_id for p in catalog.active if p.category == catalog.garden)
    assert garden in ids_of(page)
    assert page["nextCursor"] is None


def test_newest_is_the_default_order(api: LambdaApi, catalog: Catalog) -> None:
    assert ids_of(browse(api, category=catalog.home)) == newest_first(catalog.under_home())
    assert ids_of(browse(api)) == newest_first(catalog.active)


def test_a_page_is_20_items_by_default(api: LambdaApi, catalog: Catalog) -> None:
    page = browse(api, sort="price_asc")
    assert len(page["items"]) == 13
    assert page["nextCursor"] is None


@pytest.mark.parametrize("sort", SORTS)
def test_without_subcategories_only_the_category_itself(
    api: LambdaApi, catalog: Catalog, sort: str
) -> None:
    own = catalog.under_home(subcategories=False)
    assert len(own) == 3
    page = browse(api, category=catalog.home, includeSubcategories="false", sort=sort)
    assert ids_of(page) == expected(own, sort)
    paged = every_page(api, 2, category=catalog.home, includeSubcategories="false", sort=sort)
    assert [pid for p in paged for pid in p] == expected(own, sort)


def test_a_subcategory_lists_only_its_own_products(api: LambdaApi, catalog: Catalog) -> None:
    rugs = [p for p in catalog.active if p.category == catalog.rugs]
    page = browse(api, category=catalog.rugs, sort="price_asc")
    assert ids_of(page) == by_price(rugs)
    assert {item["categoryId"] for item in page["items"]} == {catalog.rugs}


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(
    ("low", "high"), [(1000, 3000), (2000, 2000), (None, 1000), (3000, None), (501, 999)]
)
def test_price_bounds_are_inclusive(
    api: LambdaApi, catalog: Catalog, sort: str, low: int | None, high: int | None
) -> None:
    def inside(p: Listed) -> bool:
        return (low is None or p.price >= low) and (high is None or p.price <= high)

    in_home = [p for p in catalog.under_home() if inside(p)]
    flat = [
        pid
        for page in every_page(
            api, 2, category=catalog.home, minPrice=low, maxPrice=high, sort=sort
        )
        for pid in page
    ]
    assert flat == expected(in_home, sort)
    shop_wide = browse(api, minPrice=low, maxPrice=high, sort=sort, limit=100)
    assert ids_of(shop_wide) == expected([p for p in catalog.active if inside(p)], sort)
    for item in shop_wide["items"]:
        assert inside(Listed("", item["price"]["amount"], "", 0))


def test_equal_prices_are_ordered_by_product_id(api: LambdaApi, catalog: Catalog) -> None:
    at_2000 = sorted(p.product_id for p in catalog.under_home() if p.price == 2000)
    assert len(at_2000) == 3
    ascending = browse(api, category=catalog.home, minPrice=2000, maxPrice=2000, sort="price_asc")
    assert ids_of(ascending) == at_2000
    descending = browse(api, category=catalog.home, minPrice=2000, maxPrice=2000, sort="price_desc")
    assert ids_of(descending) == at_2000[::-1]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("where", ["home", "shop"])
def test_products_that_are_not_active_are_never_listed(
    api: LambdaApi, catalog: Catalog, sort: str, where: str
) -> None:
    params: dict[str, Any] = {"sort": sort, "limit": 100}
    if where == "home":
        params["category"] = catalog.home
    listed = set(ids_of(browse(api, **params)))
    listed |= set(ids_of(browse(api, minPrice=2000, maxPrice=2000, **params)))
    assert listed
    assert not listed & set(catalog.hidden.values())
    for status, product_id in catalog.hidden.items():
        assert api.get(f"/products/{product_id}").status == 404, status


def test_a_summary_carries_what_a_list_shows(api: LambdaApi, catalog: Catalog) -> None:
    first = browse(api, category=catalog.home, sort="price_asc", limit=1)
    (item,) = first["items"]
    cheapest = min(catalog.under_home(), key=lambda p: p.price)
    assert item["productId"] == cheapest.product_id
    assert item["price"] == {"amount": 500, "currency": "USD"}
    assert item["status"] == "active"
    assert item["categoryId"] == catalog.rugs
    assert item["rating"] == {"average": None, "count": 0}
    assert item["image"] is None
    assert first["nextCursor"]


# -- refusals -------------------------------------------------------------------------


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_tampered_cursors_are_404(api: LambdaApi, catalog: Catalog) -> None:
    by_price_cursor = browse(api, category=catalog.home, sort="price_asc", limit=2)["nextCursor"]
    newest_cursor = browse(api, category=catalog.home, sort="newest", limit=2)["nextCursor"]
    desc_cursor = browse(api, sort="price_desc", limit=2)["nextCursor"]
    assert by_price_cursor
    assert newest_cursor
    assert desc_cursor
    key = json.loads(base64.urlsafe_b64decode(by_price_cursor + "=" * 4))["k"]
    tampered = {
        "garbage": "not-a-cursor",
        "not json": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "a list": _cursor(["price_asc", key]),
        "another sort (newest for price_asc)": newest_cursor,
        "another sort (price_desc for price_asc)": desc_cursor,
        "no key": _cursor({"s": "price_asc"}),
        "a number key": _cursor({"s": "price_asc", "k": 5}),
        "wrong key format": _cursor({"s": "price_asc", "k": "abc"}),
        "a time key under a price sort": _cursor(
            {
                "s": "price_asc",
                "k": json.loads(base64.urlsafe_b64decode(newest_cursor + "==="))["k"],
            }
        ),
        "an unpadded price": _cursor({"s": "price_asc", "k": "2000#" + key.split("#")[1]}),
        "an index key": _cursor({"GSI1PK": f"CATEGORY#{catalog.home}", "GSI1SK": key}),
    }
    for name, cursor in tampered.items():
        url = f"/products?{query(category=catalog.home, sort='price_asc', cursor=cursor)}"
        response = api.get(url)
        assert response.status == 404, f"{name}: {response.text}"
        problem(response, 404, "cursor_not_found")
    # not even the shape of one we issue (base64url): the schema's pattern refuses it
    refused = api.get(f"/products?{query(cursor='not a cursor!!')}")
    problem_body = problem(refused, 422, "validation_failed")
    assert error_locs(problem_body) == [(("query", "cursor"), "string_pattern_mismatch")]


def test_a_price_cursor_in_the_newest_order_is_404(api: LambdaApi, catalog: Catalog) -> None:
    cursor = browse(api, sort="price_asc", limit=2)["nextCursor"]
    problem(api.get(f"/products?{query(sort='newest', cursor=cursor)}"), 404, "cursor_not_found")
    problem(api.get(f"/products?{query(cursor=cursor)}"), 404, "cursor_not_found")


def test_min_price_above_max_price_is_an_empty_page(api: LambdaApi, catalog: Catalog) -> None:
    for url in (
        "/products?minPrice=3000&maxPrice=2999",
        f"/products?{query(category=catalog.home, minPrice=2, maxPrice=1)}",
    ):
        response = api.get(url)
        assert response.status == 200, response.text
        assert response.body == {"items": [], "nextCursor": None}
    # the category is still checked first
    unknown = "cat_01ARZ3NDEKTSV4RRFFQ69G5FAV"
    problem(
        api.get(f"/products?category={unknown}&minPrice=2&maxPrice=1"), 404, "category_not_found"
    )


def test_an_unknown_category_is_404(api: LambdaApi, catalog: Catalog) -> None:
    unknown = "cat_01ARZ3NDEKTSV4RRFFQ69G5FAV"
    problem(api.get(f"/products?category={unknown}"), 404, "category_not_found")
    problem(
        api.get(f"/products?category={unknown}&includeSubcategories=false"),
        404,
        "category_not_found",
    )


@pytest.mark.parametrize(
    "params",
    [
        "limit=0",
        "limit=101",
        "limit=abc",
        "minPrice=-1",
        "maxPrice=1.5",
        "maxPrice=100000000000",
        "sort=cheapest",
        "category=not-an-id",
        "includeSubcategories=maybe",
    ],
)
def test_malformed_queries_are_422(api: LambdaApi, params: str) -> None:
    problem(api.get(f"/products?{params}"), 422, "validation_failed")
