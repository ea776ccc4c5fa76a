"""Each operation makes exactly the DynamoDB calls docs/data-model.md budgets for it.

The table under "## Access patterns and their cost" is the source: one row per operation
(``operation | function | budget``). Every row has a scenario here that sets up state
outside the counted block, then makes exactly the measured request inside it. A row
without a scenario, or a scenario without a row, fails too.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import settings
from tests.integration.catalog_helpers import (
    Shop,
    activate,
    become_seller,
    create_category,
    create_product,
    product_body,
    shop,
)
from tests.integration.helpers import (
    PASSWORD,
    Account,
    add_address,
    address_body,
    login,
    make_admin,
    register,
    register_and_login,
    reset_token_of,
    sent_emails,
    unique_email,
)
from tests.integration.order_helpers import (
    Market,
    checkout_body,
    market,
    pay,
    place,
    put_cart_line,
    record_delivered_purchase,
)
from tests.support.calls import dynamodb_calls
from tests.support.lambda_api import ApiResponse, LambdaApi

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"
SECTION = "## Access patterns and their cost"
NONE = {"—", "-", "–", ""}


@dataclass(frozen=True)
class Row:
    operation: str
    key: str  # the function column without backticks: "login (wrong password)"
    function: str  # the function's name in serverless.yml: "login"
    budget: dict[str, int]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_budget(text: str) -> dict[str, int]:
    if text.strip() in NONE:
        return {}
    budget: dict[str, int] = {}
    for part in text.split(","):
        found = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d+)\s*", part)
        assert found, f"cannot read budget part {part!r} of {text!r}"
        name, count = found.group(1), int(found.group(2))
        assert name not in budget, f"{name} twice in {text!r}"
        budget[name] = count
    return budget


def budget_rows(markdown: str) -> list[Row]:
    _, _, after = markdown.partition(SECTION + "\n")
    assert after, f"{SECTION!r} not found in {DOC}"
    section = after.split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.strip().startswith("|")]
    header = [cell.lower() for cell in _cells(lines[0])]
    assert header == ["operation", "function", "budget"], header
    assert set(lines[1].replace("|", "").strip()) <= set("-: "), lines[1]
    rows = []
    for line in lines[2:]:
        operation, function, budget = _cells(line)
        found = re.fullmatch(r"`([A-Za-z0-9_]+)`(?:\s*\(([^)]+)\))?", function)
        assert found, f"cannot read the function cell {function!r}"
        name, variant = found.group(1), found.group(2)
        key = f"{name} ({variant.strip()})" if variant else name
        rows.append(Row(operation, key, name, parse_budget(budget)))
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys)), f"duplicate rows: {keys}"
    return rows


ROWS = budget_rows(DOC.read_text(encoding="utf-8"))

# A scenario sets up state (not counted) and returns the request to measure, plus the
# status that request must answer (so a budget is never "met" by an early refusal).
Measured = tuple[Callable[[], ApiResponse], int]
Scenario = Callable[[LambdaApi], Measured]
SCENARIOS: dict[str, Scenario] = {}


def scenario(key: str) -> Callable[[Scenario], Scenario]:
    def add(fn: Scenario) -> Scenario:
        assert key not in SCENARIOS, key
        SCENARIOS[key] = fn
        return fn

    return add


def _login(api: LambdaApi, email: str, password: str) -> ApiResponse:
    return api.post("/auth/login", json={"email": email, "password": password})


def _fail_login(api: LambdaApi, email: str, times: int) -> None:
    for _ in range(times):
        assert _login(api, email, "not the password").status == 401


@scenario("register")
def _register(api: LambdaApi) -> Measured:
    register(api)  # a table that is not empty
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"}
    return (lambda: api.post("/auth/register", json=body)), 201


@scenario("register (rate limited)")
def _register_limited(api: LambdaApi) -> Measured:
    limit = settings().REGISTER_RATE_LIMIT
    for _ in range(limit):
        register(api)  # the same client (127.0.0.1) each time
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"}
    return (lambda: api.post("/auth/register", json=body)), 429


@scenario("login (rate limited)")
def _sign_in_limited(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    for _ in range(settings().LOGIN_RATE_LIMIT):
        assert _login(api, email, PASSWORD).status == 200
    return (lambda: _login(api, email, PASSWORD)), 429


@scenario("login")
def _sign_in(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: _login(api, email, PASSWORD)), 200


@scenario("login (failures on record)")
def _sign_in_after_failures(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 2)
    return (lambda: _login(api, email, PASSWORD)), 200


@scenario("login (wrong password)")
def _wrong_password(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: _login(api, email, "not the password")), 401


@scenario("login (repeated failure)")
def _repeated_failure(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 1)
    return (lambda: _login(api, email, "not the password")), 401


@scenario("login (locked)")
def _locked(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 5)
    return (lambda: _login(api, email, PASSWORD)), 429


@scenario("refresh")
def _refresh(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    return (lambda: api.post("/auth/refresh", json={"refreshToken": user.refresh})), 200


@scenario("logout")
def _logout(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    return (
        lambda: api.post("/auth/logout", json={"refreshToken": user.refresh}, token=user.access)
    ), 204


@scenario("forgotPassword")
def _forgot_known(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: api.post("/auth/password/forgot", json={"email": email})), 202


@scenario("forgotPassword (address limited)")
def _forgot_address_limited(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    for _ in range(settings().RESET_EMAILS_PER_ADDRESS):
        assert api.post("/auth/password/forgot", json={"email": email}).status == 202
    return (lambda: api.post("/auth/password/forgot", json={"email": email})), 202


@scenario("forgotPassword (rate limited)")
def _forgot_limited(api: LambdaApi) -> Measured:
    register(api)
    for _ in range(settings().FORGOT_PASSWORD_RATE_LIMIT):
        body = {"email": unique_email("nobody")}
        assert api.post("/auth/password/forgot", json=body).status == 202
    body = {"email": unique_email("nobody")}
    return (lambda: api.post("/auth/password/forgot", json=body)), 429


@scenario("forgotPassword (unknown)")
def _forgot_unknown(api: LambdaApi) -> Measured:
    register(api)
    email = unique_email("nobody")
    return (lambda: api.post("/auth/password/forgot", json={"email": email})), 202


@scenario("resetPassword")
def _reset(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    login(api, email)  # a session for the reset to revoke
    assert api.post("/auth/password/forgot", json={"email": email}).status == 202
    token = reset_token_of(sent_emails()[-1])
    body = {"token": token, "newPassword": "a new password 9"}
    return (lambda: api.post("/auth/password/reset", json=body)), 204


def _with_addresses(api: LambdaApi, count: int) -> tuple[Account, list[dict[str, Any]]]:
    user = register_and_login(api)
    return user, [add_address(api, user.access, label=f"A{n}") for n in range(count)]


@scenario("getMe")
def _get_me(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 2)
    return (lambda: api.get("/me", token=user.access)), 200


@scenario("updateMe")
def _update_me(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    body = {"firstName": "Augusta", "phone": None, "preferences": {"theme": "dark"}}
    return (lambda: api.patch("/me", json=body, token=user.access)), 200


@scenario("changePassword")
def _change_password(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    body = {"currentPassword": PASSWORD, "newPassword": "a new password 9"}
    return (lambda: api.post("/me/password", json=body, token=user.access)), 204


@scenario("listAddresses")
def _list_addresses(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 2)
    return (lambda: api.get("/me/addresses", token=user.access)), 200


@scenario("addAddress")
def _add_address(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 1)
    body = address_body(defaultShipping=True)
    return (lambda: api.post("/me/addresses", json=body, token=user.access)), 201


@scenario("updateAddress")
def _update_address(api: LambdaApi) -> Measured:
    user, (_, second) = _with_addresses(api, 2)
    path = f"/me/addresses/{second['addressId']}"
    return (lambda: api.patch(path, json={"city": "Bath"}, token=user.access)), 200


@scenario("updateAddress (default)")
def _default_address(api: LambdaApi) -> Measured:
    user, (_, second) = _with_addresses(api, 2)
    path = f"/me/addresses/{second['addressId']}"
    body = {"defaultShipping": True, "defaultBilling": True}
    return (lambda: api.patch(path, json=body, token=user.access)), 200


@scenario("deleteAddress")
def _delete_address(api: LambdaApi) -> Measured:
    user, (first, _) = _with_addresses(api, 2)
    path = f"/me/addresses/{first['addressId']}"  # the default: both defaults are cleared
    return (lambda: api.delete(path, token=user.access)), 204


@scenario("listUsers")
def _list_users(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    for _ in range(4):
        register(api)
    first = api.get("/admin/users?limit=2", token=admin.access)
    cursor = first.body["nextCursor"]
    assert cursor
    return (lambda: api.get(f"/admin/users?limit=2&cursor={cursor}", token=admin.access)), 200


@scenario("updateUser")
def _update_user(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    user = register_and_login(api)
    body = {"role": "seller", "status": "disabled"}
    return (lambda: api.patch(f"/admin/users/{user.user_id}", json=body, token=admin.access)), 200


@scenario("health")
def _health(api: LambdaApi) -> Measured:
    return (lambda: api.get("/health")), 200


# -- the catalogue ----------------------------------------------------------------------

UNKNOWN_CATEGORY = "cat_01JD0000000000000000000000"
REVIEW = {"rating": 4, "title": "Bright", "text": "Bright enough for reading."}
_skus = itertools.count(1)


def _seller_id(seller: Account) -> str:
    return "sel_" + seller.user_id.removeprefix("usr_")


def _product(api: LambdaApi, s: Shop, *, category: str | None = None, price: int = 1999) -> str:
    sku = f"SKU-{next(_skus)}"
    found = create_product(api, s.seller, category or s.child, sku=sku, price=price)
    return str(found["productId"])


def _active(api: LambdaApi, s: Shop, **fields: Any) -> str:
    product_id = _product(api, s, **fields)
    activate(api, s.seller, s.admin, product_id)
    return product_id


def _pending(api: LambdaApi, s: Shop) -> str:
    product_id = _product(api, s)
    assert api.post(f"/products/{product_id}/submit", token=s.seller.access).status == 200
    return product_id


def _cold_tree() -> None:
    """Forget the container's cached category tree (the next browse by category reads it)."""
    from handlers.shared import wiring

    wiring.category_tree().clear()


def _warm_tree(api: LambdaApi, category_id: str) -> None:
    """Load the container's category tree as it is now, outside the counted block."""
    _cold_tree()
    assert api.get(f"/products?category={category_id}").status == 200


@scenario("becomeSeller")
def _become_seller(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    body = {"shopName": "Lamp Shop", "contactEmail": user.email}
    return (lambda: api.post("/sellers", json=body, token=user.access)), 201


@scenario("getSeller")
def _get_seller(api: LambdaApi) -> Measured:
    seller = become_seller(api)
    return (lambda: api.get(f"/sellers/{_seller_id(seller)}")), 200


@scenario("listMyProducts")
def _my_products(api: LambdaApi) -> Measured:
    s = shop(api)
    for _ in range(3):
        _product(api, s)
    return (lambda: api.get("/sellers/me/products?limit=2", token=s.seller.access)), 200


@scenario("listMyProducts (status filter)")
def _my_products_in_review(api: LambdaApi) -> Measured:
    s = shop(api)
    for _ in range(3):
        _product(api, s)
    url = "/sellers/me/products?status=pending_review&limit=2"
    return (lambda: api.get(url, token=s.seller.access)), 200


@scenario("listCategories")
def _categories(api: LambdaApi) -> Measured:
    shop(api)
    return (lambda: api.get("/categories")), 200


@scenario("createCategory")
def _create_category(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    create_category(api, admin, "Home")
    return (lambda: api.post("/categories", json={"name": "Garden"}, token=admin.access)), 201


@scenario("createCategory (subcategory)")
def _create_subcategory(api: LambdaApi) -> Measured:
    s = shop(api)
    body = {"name": "Desk lamps", "parentId": s.child}
    return (lambda: api.post("/categories", json=body, token=s.admin.access)), 201


@scenario("updateCategory")
def _rename_category(api: LambdaApi) -> Measured:
    s = shop(api)
    body = {"name": "Lamps and lights"}
    return (lambda: api.patch(f"/categories/{s.child}", json=body, token=s.admin.access)), 200


@scenario("updateCategory (move)")
def _move_category(api: LambdaApi) -> Measured:
    s = shop(api)
    create_category(api, s.admin, "Desk lamps", parent=s.child)  # moves along
    garden = create_category(api, s.admin, "Garden")
    body = {"parentId": garden}
    return (lambda: api.patch(f"/categories/{s.child}", json=body, token=s.admin.access)), 200


@scenario("deleteCategory")
def _delete_category(api: LambdaApi) -> Measured:
    s = shop(api)
    empty = create_category(api, s.admin, "Desk lamps", parent=s.child)
    return (lambda: api.delete(f"/categories/{empty}", token=s.admin.access)), 204


@scenario("listProducts")
def _browse_newest(api: LambdaApi) -> Measured:
    s = shop(api)
    _active(api, s)
    return (lambda: api.get("/products")), 200


@scenario("listProducts (by price)")
def _browse_by_price(api: LambdaApi) -> Measured:
    s = shop(api)
    _active(api, s)
    return (lambda: api.get("/products?sort=price_asc&minPrice=1000&maxPrice=5000")), 200


@scenario("listProducts (category, tree cached)")
def _browse_category_cached(api: LambdaApi) -> Measured:
    s = shop(api)
    _active(api, s)
    _warm_tree(api, s.child)
    return (lambda: api.get(f"/products?category={s.child}&sort=price_asc")), 200


@scenario("listProducts (category, tree cold)")
def _browse_category_cold(api: LambdaApi) -> Measured:
    s = shop(api)
    _active(api, s)
    _cold_tree()
    return (lambda: api.get(f"/products?category={s.child}&sort=price_asc")), 200


@scenario("listProducts (category with 2 subcategories)")
def _browse_subtree(api: LambdaApi) -> Measured:
    s = shop(api)  # Home > Lighting
    create_category(api, s.admin, "Rugs", parent=s.root)
    _active(api, s, category=s.root)
    _active(api, s, category=s.child)
    _warm_tree(api, s.root)
    return (lambda: api.get(f"/products?category={s.root}&sort=price_asc")), 200


@scenario("listProducts (category only)")
def _browse_category_only(api: LambdaApi) -> Measured:
    s = shop(api)
    _active(api, s, category=s.root)
    _warm_tree(api, s.root)
    url = f"/products?category={s.root}&includeSubcategories=false&sort=price_desc"
    return (lambda: api.get(url)), 200


@scenario("listProducts (unknown category)")
def _browse_unknown_category(api: LambdaApi) -> Measured:
    shop(api)
    _cold_tree()  # the tree is read once; a tree read a moment ago is not read again
    return (lambda: api.get(f"/products?category={UNKNOWN_CATEGORY}")), 404


@scenario("listProducts (newest in a price range)")
def _browse_newest_in_range(api: LambdaApi) -> Measured:
    s = shop(api)
    for _ in range(3):
        _active(api, s, price=1000)
    return (lambda: api.get("/products?minPrice=5000&limit=1")), 200


@scenario("getProduct")
def _get_product(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    return (lambda: api.get(f"/products/{product_id}")), 200


@scenario("createProduct")
def _create_product(api: LambdaApi) -> Measured:
    s = shop(api)
    _product(api, s)
    body = product_body(s.child, sku="NEW-1")
    return (lambda: api.post("/products", json=body, token=s.seller.access)), 201


@scenario("updateProduct")
def _update_product(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _product(api, s)
    body = {"name": "Brass desk lamp", "price": {"amount": 2499, "currency": "USD"}}
    return (
        lambda: api.patch(
            f"/products/{product_id}",
            json=body,
            token=s.seller.access,
            headers={"if-match": '"1"'},
        )
    ), 200


@scenario("updateProduct (category)")
def _move_product(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _product(api, s)
    return (
        lambda: api.patch(
            f"/products/{product_id}",
            json={"categoryId": s.root},
            token=s.seller.access,
            headers={"if-match": '"1"'},
        )
    ), 200


@scenario("submitProduct")
def _submit(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _product(api, s)
    return (lambda: api.post(f"/products/{product_id}/submit", token=s.seller.access)), 200


@scenario("archiveProduct")
def _archive(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    return (lambda: api.delete(f"/products/{product_id}", token=s.seller.access)), 200


@scenario("createImageUpload")
def _image_upload(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _product(api, s)
    url = f"/products/{product_id}/images/uploads"
    body = {"contentType": "image/webp"}
    return (lambda: api.post(url, json=body, token=s.seller.access)), 201


@scenario("moderationQueue")
def _queue(api: LambdaApi) -> Measured:
    s = shop(api)
    for _ in range(3):
        _pending(api, s)
    return (lambda: api.get("/admin/products?limit=2", token=s.admin.access)), 200


@scenario("approveProduct")
def _approve(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _pending(api, s)
    url = f"/admin/products/{product_id}/approve"
    return (lambda: api.post(url, token=s.admin.access)), 200


@scenario("rejectProduct")
def _reject(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _pending(api, s)
    url = f"/admin/products/{product_id}/reject"
    return (lambda: api.post(url, json={"reason": "Blurry photos"}, token=s.admin.access)), 200


@scenario("getInventory")
def _get_stock(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)  # one adjustment on record (the stock count)
    restock = {"delta": 2, "reason": "restock"}
    url = f"/products/{product_id}/inventory/adjustments"
    assert api.post(url, json=restock, token=s.seller.access).status == 201
    return (lambda: api.get(f"/products/{product_id}/inventory", token=s.seller.access)), 200


@scenario("setInventory")
def _set_stock(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/inventory"
    return (lambda: api.put(url, json={"available": 40}, token=s.seller.access)), 200


@scenario("adjustInventory")
def _adjust_stock(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/inventory/adjustments"
    body = {"delta": -2, "reason": "damage", "note": "dropped"}
    return (lambda: api.post(url, json=body, token=s.seller.access)), 201


@scenario("listReviews")
def _reviews(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/reviews"
    record_delivered_purchase(s.customer.user_id, product_id)
    assert api.put(f"{url}/me", json=REVIEW, token=s.customer.access).status == 200
    return (lambda: api.get(f"{url}?limit=5")), 200


@scenario("putReview")
def _review(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/reviews/me"
    record_delivered_purchase(s.customer.user_id, product_id)
    return (lambda: api.put(url, json=REVIEW, token=s.customer.access)), 200


@scenario("putReview (rewrite)")
def _rewrite_review(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/reviews/me"
    record_delivered_purchase(s.customer.user_id, product_id)
    assert api.put(url, json=REVIEW, token=s.customer.access).status == 200
    body = {**REVIEW, "rating": 2}
    return (lambda: api.put(url, json=body, token=s.customer.access)), 200


@scenario("deleteReview")
def _withdraw_review(api: LambdaApi) -> Measured:
    s = shop(api)
    product_id = _active(api, s)
    url = f"/products/{product_id}/reviews/me"
    record_delivered_purchase(s.customer.user_id, product_id)
    assert api.put(url, json=REVIEW, token=s.customer.access).status == 200
    return (lambda: api.delete(url, token=s.customer.access)), 204


# -- the cart and its holds (buy-cart) --------------------------------------------------


def _cart_add(api: LambdaApi, who: Account, product_id: str, quantity: int) -> ApiResponse:
    body = {"productId": product_id, "quantity": quantity}
    return api.post("/cart/items", json=body, token=who.access)


def _in_cart(api: LambdaApi, *, stock: int = 10, quantity: int = 2) -> tuple[Shop, str]:
    """A shop, a product, and the customer's cart holding ``quantity`` of it."""
    s = shop(api)
    product_id = _product(api, s)
    activate(api, s.seller, s.admin, product_id, stock=stock)
    add_address(api, s.customer.access, country="GB", defaultShipping=True)
    assert _cart_add(api, s.customer, product_id, quantity).status == 200
    return s, product_id


@scenario("getCart")
def _get_cart(api: LambdaApi) -> Measured:
    s, _ = _in_cart(api)
    return (lambda: api.get("/cart", token=s.customer.access)), 200


@scenario("getCart (line no longer sold)")
def _get_cart_unsold(api: LambdaApi) -> Measured:
    s, product_id = _in_cart(api)
    assert api.delete(f"/products/{product_id}", token=s.seller.access).status in (200, 204)
    return (lambda: api.get("/cart", token=s.customer.access)), 200


@scenario("addCartItem")
def _add_to_cart(api: LambdaApi) -> Measured:
    s, _ = _in_cart(api)
    other = _active(api, s)
    return (lambda: _cart_add(api, s.customer, other, 1)), 200


@scenario("addCartItem (short)")
def _add_short(api: LambdaApi) -> Measured:
    _, product_id = _in_cart(api, stock=2, quantity=2)
    buyer = register_and_login(api)
    return (lambda: _cart_add(api, buyer, product_id, 1)), 409


def _expired_elsewhere(api: LambdaApi) -> tuple[Account, str]:
    """A product whose whole stock another buyer's cart held, that hold now expired; and
    a buyer with that product in the cart (its hold lapsed too, released)."""
    from tests.integration.test_cart_api import age_hold

    s, product_id = _in_cart(api, stock=2, quantity=2)
    age_hold(s.customer.user_id, product_id)
    return s.customer, product_id


@scenario("addCartItem (short, an expired hold released)")
def _add_after_expiry(api: LambdaApi) -> Measured:
    _, product_id = _expired_elsewhere(api)
    buyer = register_and_login(api)
    return (lambda: _cart_add(api, buyer, product_id, 2)), 200


@scenario("updateCartItem")
def _change_quantity(api: LambdaApi) -> Measured:
    s, product_id = _in_cart(api)
    url = f"/cart/items/{product_id}"
    return (lambda: api.patch(url, json={"quantity": 5}, token=s.customer.access)), 200


@scenario("updateCartItem (short, an expired hold released)")
def _raise_after_expiry(api: LambdaApi) -> Measured:
    from tests.integration.test_cart_api import age_hold

    _, product_id = _expired_elsewhere(api)
    buyer = register_and_login(api)
    assert _cart_add(api, buyer, product_id, 1).status == 200  # released the expired hold
    # a third buyer holds the last unit, and that hold expires too
    third = register_and_login(api)
    assert _cart_add(api, third, product_id, 1).status == 200
    age_hold(third.user_id, product_id)
    url = f"/cart/items/{product_id}"
    return (lambda: api.patch(url, json={"quantity": 2}, token=buyer.access)), 200


@scenario("removeCartItem")
def _remove_from_cart(api: LambdaApi) -> Measured:
    s, product_id = _in_cart(api)
    return (lambda: api.delete(f"/cart/items/{product_id}", token=s.customer.access)), 204


@scenario("clearCart")
def _clear_cart(api: LambdaApi) -> Measured:
    s, _ = _in_cart(api)
    assert _cart_add(api, s.customer, _active(api, s), 1).status == 200
    return (lambda: api.delete("/cart", token=s.customer.access)), 204


# -- buying: checkout and orders (the orders area) -------------------------------------------

SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}


def _cart(api: LambdaApi, lines: int = 2) -> tuple[Market, list[str]]:
    m = market(api)
    products = [m.product(api, stock=10, price=1999) for _ in range(lines)]
    for product_id in products:
        put_cart_line(m.buyer.user_id, product_id, 2, price=1999)
    return m, products


def _placed(api: LambdaApi) -> tuple[Market, str]:
    m, _ = _cart(api)
    response = place(api, m.buyer)
    assert response.status == 201, response.text
    return m, str(response.body["orderId"])


@scenario("checkout")
def _checkout(api: LambdaApi) -> Measured:
    m, _ = _cart(api, lines=3)
    return (lambda: place(api, m.buyer, key="budget")), 201


@scenario("checkout (replay)")
def _checkout_replay(api: LambdaApi) -> Measured:
    m, _ = _cart(api)
    assert place(api, m.buyer, key="budget").status == 201
    return (lambda: place(api, m.buyer, key="budget")), 201


@scenario("checkout (key reused)")
def _checkout_reused(api: LambdaApi) -> Measured:
    m, products = _cart(api)
    assert place(api, m.buyer, key="budget").status == 201
    put_cart_line(m.buyer.user_id, products[0], 1, price=1999)
    other = checkout_body(paymentMethod="pm_card_chargeDeclined")
    return (lambda: place(api, m.buyer, key="budget", body=other)), 422


@scenario("checkout (short)")
def _checkout_short(api: LambdaApi) -> Measured:
    m = market(api)
    product_id = m.product(api, stock=1)
    put_cart_line(m.buyer.user_id, product_id, 2, price=1999)
    return (lambda: place(api, m.buyer)), 409


@scenario("checkout (unpaid orders at the cap)")
def _checkout_capped(api: LambdaApi) -> Measured:
    m = market(api)
    product_id = m.product(api, stock=20)
    for _ in range(settings().MAX_OPEN_UNPAID_ORDERS):
        put_cart_line(m.buyer.user_id, product_id, 1, price=1999)
        assert place(api, m.buyer).status == 201
    put_cart_line(m.buyer.user_id, product_id, 1, price=1999)
    return (lambda: place(api, m.buyer)), 409


@scenario("listOrders")
def _my_orders(api: LambdaApi) -> Measured:
    m, _ = _placed(api)
    return (lambda: api.get("/orders?limit=5", token=m.buyer.access)), 200


@scenario("getOrder")
def _an_order(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    return (lambda: api.get(f"/orders/{order_id}", token=m.buyer.access)), 200


@scenario("cancelOrder")
def _cancel_mine(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    return (lambda: api.post(f"/orders/{order_id}/cancel", token=m.buyer.access)), 200


@scenario("cancelOrder (shipped: refused)")
def _cancel_shipped(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    pay(order_id)
    assert api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access).status == 200
    return (lambda: api.post(f"/orders/{order_id}/cancel", token=m.buyer.access)), 409


@scenario("adminListOrders")
def _admin_orders(api: LambdaApi) -> Measured:
    m, _ = _placed(api)
    return (lambda: api.get("/admin/orders?limit=5", token=m.admin.access)), 200


@scenario("adminListOrders (status and days)")
def _admin_orders_filtered(api: LambdaApi) -> Measured:
    from domain.clock import utcnow

    m, _ = _placed(api)
    today = utcnow().date().isoformat()
    url = f"/admin/orders?status=pending_payment&from={today}&to={today}"
    return (lambda: api.get(url, token=m.admin.access)), 200


@scenario("shipOrder")
def _ship(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    pay(order_id)
    url = f"/admin/orders/{order_id}/ship"
    return (lambda: api.post(url, json=SHIP, token=m.admin.access)), 200


@scenario("deliverOrder")
def _deliver(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    pay(order_id)
    assert api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access).status == 200
    return (lambda: api.post(f"/admin/orders/{order_id}/deliver", token=m.admin.access)), 200


@scenario("adminCancelOrder")
def _admin_cancel(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    pay(order_id)
    url = f"/admin/orders/{order_id}/cancel"
    return (lambda: api.post(url, json={"reason": "Out of stock"}, token=m.admin.access)), 200


@scenario("listSellerOrders")
def _seller_orders(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    pay(order_id)
    return (lambda: api.get("/sellers/me/orders?limit=5", token=m.seller.access)), 200


# -- payments: saved cards (issue 9) ------------------------------------------------------


def _with_card(api: LambdaApi) -> tuple[Account, dict[str, Any]]:
    from tests.integration.card_helpers import saved_card

    who = register_and_login(api)
    return who, saved_card(api, who)


@scenario("checkout (saved card)")
def _checkout_saved_card(api: LambdaApi) -> Measured:
    from tests.integration.card_helpers import saved_card

    m, _ = _cart(api, lines=3)
    card = saved_card(api, m.buyer)
    body = checkout_body(paymentMethod=card["id"])
    return (lambda: place(api, m.buyer, key="budget", body=body)), 201


@scenario("listPaymentMethods")
def _list_cards(api: LambdaApi) -> Measured:
    who, _ = _with_card(api)
    return (lambda: api.get("/me/payment-methods", token=who.access)), 200


@scenario("startCardSetup")
def _first_setup(api: LambdaApi) -> Measured:
    who = register_and_login(api)
    return (lambda: api.post("/me/payment-methods/setup", token=who.access)), 201


@scenario("startCardSetup (customer kept)")
def _another_setup(api: LambdaApi) -> Measured:
    who, _ = _with_card(api)
    return (lambda: api.post("/me/payment-methods/setup", token=who.access)), 201


@scenario("savePaymentMethod")
def _save_card(api: LambdaApi) -> Measured:
    from tests.integration.card_helpers import confirmed_setup, save

    who, _ = _with_card(api)
    seti = confirmed_setup(api, who, "pm_card_amex")
    return (lambda: save(api, who, seti)), 201


@scenario("savePaymentMethod (not confirmed)")
def _save_unconfirmed(api: LambdaApi) -> Measured:
    from tests.integration.card_helpers import save, setup_intent

    who, _ = _with_card(api)
    seti = setup_intent(api, who)["setupIntentId"]
    return (lambda: save(api, who, seti)), 409


@scenario("deletePaymentMethod")
def _delete_card(api: LambdaApi) -> Measured:
    who, card = _with_card(api)
    return (lambda: api.delete(f"/me/payment-methods/{card['id']}", token=who.access)), 204


@scenario("deletePaymentMethod (not mine)")
def _delete_other_card(api: LambdaApi) -> Measured:
    _, theirs = _with_card(api)
    who, _ = _with_card(api)
    return (lambda: api.delete(f"/me/payment-methods/{theirs['id']}", token=who.access)), 404


@scenario("setDefaultPaymentMethod")
def _default_card(api: LambdaApi) -> Measured:
    from tests.integration.card_helpers import saved_card

    who, _ = _with_card(api)
    other = saved_card(api, who, "pm_card_amex")
    url = f"/me/payment-methods/{other['id']}/default"
    return (lambda: api.post(url, token=who.access)), 200


@scenario("confirmTestSetupIntent")
def _confirm_setup(api: LambdaApi) -> Measured:
    from tests.integration.card_helpers import confirm, setup_intent

    who = register_and_login(api)
    seti = setup_intent(api, who)["setupIntentId"]
    return (lambda: confirm(api, seti)), 200


# -- payments: refunds (issue 9) ------------------------------------------------------------


def _charged_order(api: LambdaApi) -> tuple[Market, str, int]:
    from tests.integration.refund_helpers import charge_and_confirm

    m, order_id = _placed(api)
    charge_and_confirm(order_id)
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access).body
    return m, order_id, int(shown["totals"]["total"]["amount"])


def _refund(api: LambdaApi, m: Market, order_id: str, amount: int, key: str) -> ApiResponse:
    return api.post(
        f"/admin/orders/{order_id}/refunds",
        json={"amount": amount, "reason": "damaged"},
        token=m.admin.access,
        headers={"idempotency-key": key},
    )


@scenario("refundOrder")
def _refund_part(api: LambdaApi) -> Measured:
    m, order_id, _ = _charged_order(api)
    return (lambda: _refund(api, m, order_id, 100, "budget-1")), 201


@scenario("refundOrder (the rest)")
def _refund_the_rest(api: LambdaApi) -> Measured:
    m, order_id, total = _charged_order(api)
    assert _refund(api, m, order_id, 100, "budget-1").status == 201
    return (lambda: _refund(api, m, order_id, total - 100, "budget-2")), 201


@scenario("refundOrder (replay)")
def _refund_replay(api: LambdaApi) -> Measured:
    m, order_id, _ = _charged_order(api)
    assert _refund(api, m, order_id, 100, "budget-1").status == 201
    return (lambda: _refund(api, m, order_id, 100, "budget-1")), 201


@scenario("refundOrder (more than is left)")
def _refund_too_much(api: LambdaApi) -> Measured:
    m, order_id, total = _charged_order(api)
    return (lambda: _refund(api, m, order_id, total + 1, "budget-1")), 409


def test_the_budget_table_reads() -> None:
    assert ROWS, "no budget rows read from docs/data-model.md"
    by_key = {row.key: row for row in ROWS}
    assert by_key["login (wrong password)"].budget == {"UpdateItem": 1, "Query": 1, "PutItem": 1}
    assert by_key["health"].budget == {}
    assert parse_budget("GetItem 2, TransactWriteItems 1") == {
        "GetItem": 2,
        "TransactWriteItems": 1,
    }


def test_every_row_has_a_scenario_and_every_scenario_a_row() -> None:
    rows = {row.key for row in ROWS}
    assert rows - set(SCENARIOS) == set(), "rows in docs/data-model.md without a scenario"
    assert set(SCENARIOS) - rows == set(), "scenarios without a row in docs/data-model.md"


def test_every_row_names_a_declared_function(config: dict[str, Any]) -> None:
    declared = set(config["functions"])
    assert {row.function for row in ROWS} - declared == set()


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_call_budget(api: LambdaApi, row: Row) -> None:
    measured, status = SCENARIOS[row.key](api)
    with dynamodb_calls() as calls:
        response = measured()
    assert response.status == status, response.text
    assert response.function == row.function
    assert calls["Scan"] == 0, "a request path must never Scan"
    assert Counter(calls) == Counter(row.budget), (
        f"{row.key}: made {dict(calls)}, the budget is {row.budget}"
    )


# -- payments: payments that finish later (issue 9, B) --------------------------------------


def _unmatched_event() -> dict[str, Any]:
    import time

    from adapters.local_payments import payment_intent_event

    return payment_intent_event(
        "payment_intent.succeeded",
        reference="pi_test_nobody",
        order_id="ord_nobody",
        amount=100,
        currency="USD",
        created=int(time.time()),
    )


@scenario("paymentsWebhook (unmatched)")
def _webhook_unmatched(api: LambdaApi) -> Measured:
    from tests.integration.test_payments_webhook import deliver

    event = _unmatched_event()
    return (lambda: deliver(api, event)), 200


@scenario("paymentsWebhook (duplicate)")
def _webhook_duplicate(api: LambdaApi) -> Measured:
    from tests.integration.test_payments_webhook import deliver

    event = _unmatched_event()
    assert deliver(api, event).status == 200
    return (lambda: deliver(api, event)), 200


@scenario("paymentsTestAuthenticate")
def _test_authenticate(api: LambdaApi) -> Measured:
    from adapters.local_payments import LocalPaymentProvider

    charge = LocalPaymentProvider().charge(
        order_id="ord_budget",
        amount=100,
        currency="USD",
        payment_method="pm_card_authenticationRequired",
        idempotency_key="ord_budget:1",
    )
    body = {"clientSecret": charge.client_secret, "outcome": "succeed"}
    return (lambda: api.post("/payments/test/authenticate", json=body)), 200


@scenario("listOrderPayments")
def _order_payments(api: LambdaApi) -> Measured:
    m, order_id = _placed(api)
    return (lambda: api.get(f"/orders/{order_id}/payments", token=m.buyer.access)), 200


@scenario("retryOrderPayment")
def _retry_payment(api: LambdaApi) -> Measured:
    from domain.buying.lifecycle import Mover
    from domain.buying.model import SYSTEM, OrderStatus
    from domain.buying.orders import move_order
    from domain.clock import utcnow
    from handlers.shared import wiring

    m, order_id = _placed(api)
    move_order(
        order_id,
        OrderStatus.PAYMENT_FAILED,
        mover=Mover.SYSTEM,
        actor_id=SYSTEM,
        reason="payment declined (card_declined)",
        orders=wiring.orders(),
        now=utcnow(),
    )
    body = {"paymentMethod": "pm_card_visa"}
    headers = {"idempotency-key": "budget-retry"}
    return (
        lambda: api.post(
            f"/orders/{order_id}/payments", json=body, token=m.buyer.access, headers=headers
        )
    ), 202


# -- reality: 3D and AR (issue 14) -----------------------------------------------------------


def _reality_product(api: LambdaApi) -> tuple[Shop, str]:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    return s, str(product_id)


def _model_form(api: LambdaApi, s: Shop, product_id: str) -> str:
    answer = api.post(
        f"/reality/{product_id}/uploads",
        json={"type": "glb", "name": "Lamp"},
        token=s.seller.access,
    )
    assert answer.status == 201, answer.text
    return str(answer.body["asset"]["assetId"])


@scenario("createModelUpload")
def _create_model_upload(api: LambdaApi) -> Measured:
    s, product_id = _reality_product(api)
    _model_form(api, s, product_id)
    body = {"type": "usdz", "name": "Lamp for iOS"}
    return (
        lambda: api.post(f"/reality/{product_id}/uploads", json=body, token=s.seller.access)
    ), 201


@scenario("finishModelUpload")
def _finish_model_upload(api: LambdaApi) -> Measured:
    s, product_id = _reality_product(api)
    asset_id = _model_form(api, s, product_id)
    url = f"/reality/{product_id}/uploads/{asset_id}/done"
    return (lambda: api.post(url, token=s.seller.access)), 202


@scenario("finishModelUpload (processing)")
def _finish_model_upload_again(api: LambdaApi) -> Measured:
    s, product_id = _reality_product(api)
    asset_id = _model_form(api, s, product_id)
    url = f"/reality/{product_id}/uploads/{asset_id}/done"
    assert api.post(url, token=s.seller.access).status == 202
    return (lambda: api.post(url, token=s.seller.access)), 202


@scenario("generateModel")
def _generate_model(api: LambdaApi) -> Measured:
    s = shop(api)
    images_base = settings().IMAGES_BASE_URL
    product_id = str(create_product(api, s.seller, s.child)["productId"])
    image = {"url": f"{images_base}/products/{product_id}/img_1.png", "alt": "lamp"}
    version = api.get(f"/products/{product_id}", token=s.seller.access).body["version"]
    patched = api.patch(
        f"/products/{product_id}",
        json={"images": [image]},
        token=s.seller.access,
        headers={"If-Match": f'"{version}"'},
    )
    assert patched.status == 200, patched.text
    return (lambda: api.post(f"/reality/{product_id}/generate", token=s.seller.access)), 202


@scenario("getReality")
def _get_reality(api: LambdaApi) -> Measured:
    s, product_id = _reality_product(api)
    _model_form(api, s, product_id)
    return (lambda: api.get(f"/reality/{product_id}", token=s.seller.access)), 200


@scenario("realityViewer")
def _reality_viewer(api: LambdaApi) -> Measured:
    from tests.integration.test_reality_api import run_worker, upload
    from tests.support.model_files import tiny_glb

    s, product_id = _reality_product(api)
    upload(api, s, product_id, "glb", tiny_glb())
    run_worker()
    activate(api, s.seller, s.admin, product_id)
    return (lambda: api.get(f"/reality/{product_id}/view")), 200


@scenario("realityViewer (file)")
def _reality_viewer_file(api: LambdaApi) -> Measured:
    return (lambda: api.get("/viewer/view.css")), 200


# -- search (issue 11) -------------------------------------------------------------------------


def _worker_call(function: str, handler: str, event: dict[str, Any]) -> ApiResponse:
    """A worker's run as an answer the budget test reads (200: no failures reported)."""
    import json

    from tests.support.lambda_api import LambdaContext, load_handler

    answer = load_handler(handler)(event, LambdaContext())
    failed = bool(answer.get("batchItemFailures"))
    return ApiResponse(500 if failed else 200, {}, json.dumps(answer), function)


def _search_message(event_type: str, subject: str) -> dict[str, Any]:
    import json

    body = {"eventId": f"evt_{subject}", "type": event_type, "occurredAt": "", "subject": subject}
    return {"Records": [{"messageId": "m-1", "body": json.dumps(body)}]}


def _warm_category_list() -> None:
    import time

    from handlers.shared import wiring

    wiring.search_categories().current(time.monotonic() + 120)  # a fresh copy: a warm container


@scenario("searchProducts")
def _search(api: LambdaApi) -> Measured:
    return (lambda: api.get("/search?q=walnut+lamp&sort=price_asc&inStock=true")), 200


@scenario("suggestSearch")
def _suggest(api: LambdaApi) -> Measured:
    return (lambda: api.get("/search/suggest?q=wal")), 200


@scenario("searchOrders")
def _search_orders(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    return (lambda: api.get("/admin/orders/search?q=shipped", token=admin.access)), 200


@scenario("indexProducts")
def _index_product(api: LambdaApi) -> Measured:
    m = market(api)
    product_id = m.product(api)
    _warm_category_list()
    event = _search_message("product.activated", product_id)
    handler = "handlers/search/index_products.lambda_handler"
    return (lambda: _worker_call("indexProducts", handler, event)), 200


@scenario("indexProducts (order)")
def _index_order(api: LambdaApi) -> Measured:
    m = market(api)
    order_id = record_delivered_purchase(m.buyer.user_id, m.product(api))
    event = _search_message("order.delivered", order_id)
    handler = "handlers/search/index_products.lambda_handler"
    return (lambda: _worker_call("indexProducts", handler, event)), 200


@scenario("reindexSearch")
def _reindex(api: LambdaApi) -> Measured:
    m = market(api)
    m.product(api)
    _warm_category_list()
    handler = "handlers/search/reindex_search.lambda_handler"

    def run() -> ApiResponse:
        response = _worker_call("reindexSearch", handler, {})
        assert response.body["indexed"] >= 1
        return response

    return run, 200


# -- notifications (issue 10) ------------------------------------------------------------------


def _notification_batch(
    api: LambdaApi, *, quantity: int = 1, stock: int = 50, ship: bool = False, only: str
) -> dict[str, Any]:
    """One real SNS-in-SQS message of type ``only``, taken off the notifications queue."""
    import json

    from tests.integration.test_notifications import Pipeline, paid_order

    pipe = Pipeline()
    m = market(api)
    product_id = m.product(api, stock=stock)
    pipe.run()
    order_id = paid_order(api, m, product_id, quantity=quantity)
    if ship:
        pipe.run()
        answer = api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access)
        assert answer.status == 200, answer.text
    batch = pipe.batch()
    records = [r for r in batch["Records"] if json.loads(r["body"])["type"] == only]
    assert len(records) == 1, [json.loads(r["body"])["type"] for r in batch["Records"]]
    return {"Records": records}


_SEND = "handlers/notifications/send_notification.lambda_handler"


@scenario("sendNotification (order confirmed)")
def _notify_confirmed(api: LambdaApi) -> Measured:
    event = _notification_batch(api, only="order.confirmed")
    return (lambda: _worker_call("sendNotification", _SEND, event)), 200


@scenario("sendNotification (redelivered)")
def _notify_again(api: LambdaApi) -> Measured:
    event = _notification_batch(api, only="order.confirmed")
    assert _worker_call("sendNotification", _SEND, event).status == 200
    return (lambda: _worker_call("sendNotification", _SEND, event)), 200


@scenario("sendNotification (shipped)")
def _notify_shipped(api: LambdaApi) -> Measured:
    event = _notification_batch(api, ship=True, only="order.shipped")
    return (lambda: _worker_call("sendNotification", _SEND, event)), 200


@scenario("sendNotification (stock low)")
def _notify_stock_low(api: LambdaApi) -> Measured:
    event = _notification_batch(api, stock=6, quantity=2, only="product.stock_low")
    return (lambda: _worker_call("sendNotification", _SEND, event)), 200


@scenario("listNotifications")
def _list_notifications(api: LambdaApi) -> Measured:
    buyer = register_and_login(api)
    return (lambda: api.get("/me/notifications?limit=5", token=buyer.access)), 200


# -- invoices (issue 10) ----------------------------------------------------------------------

RENDER_INVOICES = "handlers/invoices/render_invoices.lambda_handler"


def _invoice_message(event_type: str, subject: str, **data: Any) -> dict[str, Any]:
    import json

    from domain.clock import iso, utcnow

    body = {
        "eventId": f"evt_{event_type}_{subject}",
        "type": event_type,
        "occurredAt": iso(utcnow()),
        "subject": subject,
        "data": data,
    }
    return {"Records": [{"messageId": "m-1", "body": json.dumps(body)}]}


def _confirmed_order(api: LambdaApi) -> tuple[Market, str]:
    m = market(api)
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    order_id = str(place(api, m.buyer).body["orderId"])
    pay(order_id)
    return m, order_id


def _invoiced(api: LambdaApi) -> tuple[Market, str]:
    m, order_id = _confirmed_order(api)
    event = _invoice_message("order.confirmed", order_id)
    assert _worker_call("renderInvoices", RENDER_INVOICES, event).status == 200
    return m, order_id


@scenario("renderInvoices")
def _render_invoice(api: LambdaApi) -> Measured:
    _m, order_id = _confirmed_order(api)
    event = _invoice_message("order.confirmed", order_id)
    return (lambda: _worker_call("renderInvoices", RENDER_INVOICES, event)), 200


@scenario("renderInvoices (redelivered)")
def _render_invoice_again(api: LambdaApi) -> Measured:
    _m, order_id = _invoiced(api)
    event = _invoice_message("order.confirmed", order_id)
    return (lambda: _worker_call("renderInvoices", RENDER_INVOICES, event)), 200


@scenario("renderInvoices (credit note)")
def _render_credit_note(api: LambdaApi) -> Measured:
    _m, order_id = _invoiced(api)
    event = _invoice_message(
        "refund.succeeded",
        order_id,
        orderId=order_id,
        refundId="rfd_01JD0000000000000000000001",
        amount=500,
        currency="USD",
    )
    return (lambda: _worker_call("renderInvoices", RENDER_INVOICES, event)), 200


@scenario("renderInvoices (never invoiced)")
def _render_nothing_to_credit(api: LambdaApi) -> Measured:
    """A refund of an order cancelled unpaid (a late payment refunded): no invoice, no
    confirmation in its history, nothing to credit."""
    m = market(api)
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    order_id = str(place(api, m.buyer).body["orderId"])
    assert api.post(f"/orders/{order_id}/cancel", token=m.buyer.access).status == 200
    event = _invoice_message(
        "refund.succeeded",
        order_id,
        orderId=order_id,
        refundId="rfd_01JD0000000000000000000002",
        amount=1999,
        currency="USD",
    )
    return (lambda: _worker_call("renderInvoices", RENDER_INVOICES, event)), 200


@scenario("getOrderInvoice")
def _get_invoice(api: LambdaApi) -> Measured:
    m, order_id = _invoiced(api)
    return (lambda: api.get(f"/orders/{order_id}/invoice", token=m.buyer.access)), 302


@scenario("getOrderInvoice (not issued)")
def _get_invoice_not_issued(api: LambdaApi) -> Measured:
    m = market(api)
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    order_id = str(place(api, m.buyer).body["orderId"])
    return (lambda: api.get(f"/orders/{order_id}/invoice", token=m.buyer.access)), 409


# -- the shop's numbers (issue 10, A) --------------------------------------------------------


def _analytics_message(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    import json

    body = {
        "eventId": f"evt_budget_{event_type}",
        "type": event_type,
        "occurredAt": "2026-11-30T10:00:00.000000Z",
        "subject": "ord_budget",
        "data": data,
    }
    return {"Records": [{"messageId": "m-1", "body": json.dumps(body)}]}


RECORD_EVENT = "handlers/analytics/record_event.lambda_handler"


@scenario("recordEvent")
def _record_event(api: LambdaApi) -> Measured:
    event = _analytics_message("order.placed", {"orderId": "ord_budget"})
    return (lambda: _worker_call("recordEvent", RECORD_EVENT, event)), 200


@scenario("recordEvent (paid order)")
def _record_paid_order(api: LambdaApi) -> Measured:
    lines = [
        {"productId": "prd_a", "sellerId": "sel_a", "quantity": 2, "amount": 2000},
        {"productId": "prd_b", "sellerId": "sel_b", "quantity": 1, "amount": 500},
    ]
    data = {"orderId": "ord_budget", "total": 2700, "currency": "EUR", "lines": lines}
    event = _analytics_message("order.confirmed", data)
    return (lambda: _worker_call("recordEvent", RECORD_EVENT, event)), 200


@scenario("shopMetrics")
def _shop_metrics(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    path = "/admin/metrics?from=2026-11-01&to=2026-11-30"
    return (lambda: api.get(path, token=admin.access)), 200


@scenario("shopMetrics (two months)")
def _shop_metrics_two_months(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    path = "/admin/metrics?from=2026-11-15&to=2026-12-15"
    return (lambda: api.get(path, token=admin.access)), 200


@scenario("listEvents")
def _list_events(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    path = "/admin/events?date=2026-11-30&limit=10"
    return (lambda: api.get(path, token=admin.access)), 200


@scenario("sellerMetrics")
def _seller_metrics(api: LambdaApi) -> Measured:
    seller = become_seller(api)
    path = "/sellers/me/metrics?from=2026-11-01&to=2026-11-30"
    return (lambda: api.get(path, token=seller.access)), 200
