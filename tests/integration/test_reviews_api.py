"""Reviews through the in-process API: one per user and product, an exact rating summary."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.integration.catalog_helpers import Shop, activate, become_seller, create_product, shop
from tests.integration.helpers import Account, problem, register_and_login
from tests.integration.order_helpers import record_delivered_purchase
from tests.support.lambda_api import LambdaApi, query

REVIEW_KEYS = {"productId", "authorName", "rating", "title", "text", "createdAt", "updatedAt"}
MISSING_PRODUCT = "prd_01J00000000000000000000000"


def mine(product_id: str) -> str:
    return f"/products/{product_id}/reviews/me"


def listing(product_id: str, **params: Any) -> str:
    suffix = query(**params)
    return f"/products/{product_id}/reviews" + (f"?{suffix}" if suffix else "")


def review_body(
    rating: int = 4, title: str = "Good", text: str = "Does the job."
) -> dict[str, Any]:
    return {"rating": rating, "title": title, "text": text}


def write(api: LambdaApi, product_id: str, who: Account, rating: int, **fields: Any) -> Any:
    """Review as a verified buyer: ``who`` first receives an order holding the product."""
    record_delivered_purchase(who.user_id, product_id)
    response = api.put(mine(product_id), json=review_body(rating, **fields), token=who.access)
    assert response.status == 200, response.text
    return response.body


def rating_of(api: LambdaApi, product_id: str) -> dict[str, Any]:
    response = api.get(f"/products/{product_id}")
    assert response.status == 200, response.text
    return response.body["rating"]  # type: ignore[no-any-return]


def all_reviews(api: LambdaApi, product_id: str, limit: int = 100) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        response = api.get(listing(product_id, limit=limit, cursor=cursor))
        assert response.status == 200, response.text
        found.extend(response.body["items"])
        cursor = response.body["nextCursor"]
        if cursor is None:
            return found
    raise AssertionError("the pages never ended")


@pytest.fixture
def s(api: LambdaApi) -> Shop:
    return shop(api)


@pytest.fixture
def active(api: LambdaApi, s: Shop) -> str:
    product_id = str(create_product(api, s.seller, s.child)["productId"])
    activate(api, s.seller, s.admin, product_id)
    return product_id


# -- writing --------------------------------------------------------------------------


def test_a_customer_reviews_an_active_product(api: LambdaApi, s: Shop, active: str) -> None:
    reviewer = register_and_login(api, first_name="Grace", last_name="Hopper")
    body = write(api, active, reviewer, 5, title="Excellent", text="Lights up the room.")
    assert set(body) == REVIEW_KEYS
    assert body["productId"] == active
    assert body["authorName"] == "Grace H."
    assert (body["rating"], body["title"], body["text"]) == (5, "Excellent", "Lights up the room.")
    assert body["createdAt"] == body["updatedAt"]
    assert rating_of(api, active) == {"average": 5.0, "count": 1}

    (listed,) = all_reviews(api, active)
    assert listed == body


def test_a_second_review_replaces_the_first(api: LambdaApi, s: Shop, active: str) -> None:
    first = write(api, active, s.customer, 2, title="Meh", text="Flickers.")
    second = write(api, active, s.customer, 5, title="Fixed", text="A new bulb did it.")

    assert second["createdAt"] == first["createdAt"]
    assert second["updatedAt"] > first["updatedAt"]
    assert (second["rating"], second["title"], second["text"]) == (5, "Fixed", "A new bulb did it.")
    assert rating_of(api, active) == {"average": 5.0, "count": 1}
    assert all_reviews(api, active) == [second]


def test_only_a_verified_buyer_reviews(api: LambdaApi, s: Shop, active: str) -> None:
    problem(
        api.put(mine(active), json=review_body(5), token=s.customer.access),
        403,
        "verified_buyer_required",
    )
    other = str(create_product(api, s.seller, s.child, sku="OTHER-1")["productId"])
    activate(api, s.seller, s.admin, other)
    record_delivered_purchase(s.customer.user_id, other)  # bought something else
    problem(
        api.put(mine(active), json=review_body(5), token=s.customer.access),
        403,
        "verified_buyer_required",
    )
    assert rating_of(api, active) == {"average": None, "count": 0}
    write(api, active, s.customer, 5)
    assert rating_of(api, active) == {"average": 5.0, "count": 1}


def test_sellers_do_not_review_their_own_products(api: LambdaApi, s: Shop, active: str) -> None:
    problem(api.put(mine(active), json=review_body(5), token=s.seller.access), 403, "own_product")
    assert rating_of(api, active) == {"average": None, "count": 0}
    assert all_reviews(api, active) == []


def test_a_seller_cannot_review_their_own_product_with_an_older_token(
    api: LambdaApi, s: Shop
) -> None:
    # A token says the role it was issued with: one from before the shop opened still
    # says "customer" (until it expires), yet its holder is the product's own seller.
    owner = register_and_login(api)
    customer_token = owner.access
    opened = api.post(
        "/sellers", json={"shopName": "Own", "contactEmail": owner.email}, token=customer_token
    )
    assert opened.status == 201, opened.text
    refreshed = api.post("/auth/refresh", json={"refreshToken": owner.refresh})
    assert refreshed.status == 200, refreshed.text
    owner.access = refreshed.body["accessToken"]
    product_id = str(create_product(api, owner, s.child)["productId"])
    activate(api, owner, s.admin, product_id)

    response = api.put(mine(product_id), json=review_body(5), token=customer_token)
    problem(response, 403, "own_product")
    assert rating_of(api, product_id) == {"average": None, "count": 0}


def test_other_sellers_and_admins_may_review(api: LambdaApi, s: Shop, active: str) -> None:
    rival = become_seller(api, "Rival")
    write(api, active, rival, 1)
    write(api, active, s.admin, 4)
    assert rating_of(api, active) == {"average": 2.5, "count": 2}


def test_anonymous_callers_are_told_to_sign_in(api: LambdaApi, active: str) -> None:
    problem(api.put(mine(active), json=review_body()), 401, "token_missing")
    problem(api.delete(mine(active)), 401, "token_missing")
    assert rating_of(api, active)["count"] == 0


def test_only_active_products_take_reviews(api: LambdaApi, s: Shop) -> None:
    product_id = str(create_product(api, s.seller, s.child)["productId"])

    def refused() -> None:
        response = api.put(mine(product_id), json=review_body(), token=s.customer.access)
        problem(response, 404, "product_not_found")

    refused()  # draft
    assert api.post(f"/products/{product_id}/submit", token=s.seller.access).status == 200
    refused()  # pending review
    activate_now = api.post(f"/admin/products/{product_id}/approve", token=s.admin.access)
    assert activate_now.status == 200, activate_now.text
    write(api, product_id, s.customer, 3)  # active
    assert api.delete(f"/products/{product_id}", token=s.seller.access).status == 200
    refused()  # archived
    detail = api.get(f"/products/{product_id}", token=s.seller.access).body
    assert detail["rating"] == {"average": 3.0, "count": 1}  # the refused edit moved nothing
    problem(
        api.put(mine(MISSING_PRODUCT), json=review_body(), token=s.customer.access),
        404,
        "product_not_found",
    )


BAD_REVIEWS: list[dict[str, Any]] = [
    {"rating": 0, "title": "t", "text": "x"},
    {"rating": 6, "title": "t", "text": "x"},
    {"rating": -1, "title": "t", "text": "x"},
    {"rating": 4.5, "title": "t", "text": "x"},
    {"rating": "4", "title": "t", "text": "x"},
    {"rating": True, "title": "t", "text": "x"},
    {"rating": None, "title": "t", "text": "x"},
    {"rating": 4, "title": "", "text": "x"},
    {"rating": 4, "title": "   ", "text": "x"},
    {"rating": 4, "title": "t" * 121, "text": "x"},
    {"rating": 4, "title": "t", "text": ""},
    {"rating": 4, "title": "t", "text": "x" * 5001},
    {"rating": 4, "title": "t"},
    {"title": "t", "text": "x"},
    {"rating": 4, "title": "t", "text": "x", "userId": "usr_01J00000000000000000000000"},
    {"rating": 4, "title": "t", "text": "x", "authorName": "Someone Else"},
]


def test_a_malformed_review_is_refused(api: LambdaApi, s: Shop, active: str) -> None:
    for body in BAD_REVIEWS:
        response = api.put(mine(active), json=body, token=s.customer.access)
        assert response.status == 422, (body, response.text)
        problem(response, 422, "validation_failed")
    assert rating_of(api, active) == {"average": None, "count": 0}
    assert all_reviews(api, active) == []


def test_the_longest_title_and_text_are_accepted(api: LambdaApi, s: Shop, active: str) -> None:
    body = write(api, active, s.customer, 1, title="t" * 120, text="x" * 5000)
    assert (len(body["title"]), len(body["text"])) == (120, 5000)
    stored = all_reviews(api, active)[0]
    assert (len(stored["title"]), len(stored["text"])) == (120, 5000)


# -- withdrawing ----------------------------------------------------------------------


def test_a_withdrawn_review_is_gone(api: LambdaApi, s: Shop, active: str) -> None:
    first = write(api, active, s.customer, 2)
    write(api, active, s.admin, 4)

    deleted = api.delete(mine(active), token=s.customer.access)
    assert deleted.status == 204, deleted.text
    assert deleted.text == ""
    assert rating_of(api, active) == {"average": 4.0, "count": 1}
    assert [r["rating"] for r in all_reviews(api, active)] == [4]

    problem(api.delete(mine(active), token=s.customer.access), 404, "review_not_found")
    assert rating_of(api, active) == {"average": 4.0, "count": 1}

    again = write(api, active, s.customer, 5)  # a new review, not the old one revived
    assert again["createdAt"] > first["createdAt"]
    assert rating_of(api, active) == {"average": 4.5, "count": 2}


def test_withdrawing_a_review_never_written_is_not_found(
    api: LambdaApi, s: Shop, active: str
) -> None:
    write(api, active, s.admin, 3)
    problem(api.delete(mine(active), token=s.customer.access), 404, "review_not_found")
    problem(api.delete(mine(MISSING_PRODUCT), token=s.customer.access), 404, "review_not_found")
    assert rating_of(api, active) == {"average": 3.0, "count": 1}


# -- the exact rating summary --------------------------------------------------------
#
# Each step is (reviewer index, rating to write, or None to withdraw). The expectation is
# computed here from the ratings the reviewers currently hold, never from the API.
RATING_STEPS: list[tuple[int, int | None]] = [
    (0, 5),
    (1, 3),
    (2, 4),
    (3, 1),
    (4, 2),  # five reviews: 15 / 5
    (1, 5),  # edit: 3 -> 5
    (3, 4),  # edit: 1 -> 4
    (2, None),  # withdraw a 4
    (0, 5),  # an edit to the same rating moves nothing
]


def expected_rating(held: dict[int, int]) -> dict[str, Any]:
    ratings = list(held.values())
    if not ratings:
        return {"average": None, "count": 0}
    return {"average": round(sum(ratings) / len(ratings), 2), "count": len(ratings)}


def test_the_rating_stays_exact_through_creates_edits_and_deletes(
    api: LambdaApi, s: Shop, active: str
) -> None:
    reviewers = [register_and_login(api, first_name=f"R{i}", last_name="Test") for i in range(5)]
    held: dict[int, int] = {}
    for step, (who, rating) in enumerate(RATING_STEPS):
        if rating is None:
            response = api.delete(mine(active), token=reviewers[who].access)
            assert response.status == 204, response.text
            del held[who]
        else:
            write(api, active, reviewers[who], rating)
            held[who] = rating
        expected = expected_rating(held)
        assert rating_of(api, active) == expected, f"step {step}: {RATING_STEPS[step]}"
        listed = all_reviews(api, active)
        assert sorted(r["rating"] for r in listed) == sorted(held.values()), f"step {step}"
        browsed = api.get(f"/products?category={s.child}").body["items"]
        assert [p["rating"] for p in browsed if p["productId"] == active] == [expected]

    assert held == {0: 5, 1: 5, 3: 4, 4: 2}
    assert rating_of(api, active) == {"average": 4.0, "count": 4}

    for who in list(held):
        assert api.delete(mine(active), token=reviewers[who].access).status == 204
        del held[who]
        assert rating_of(api, active) == expected_rating(held)
    assert rating_of(api, active) == {"average": None, "count": 0}


def test_an_average_is_rounded_to_two_places(api: LambdaApi, s: Shop, active: str) -> None:
    write(api, active, s.customer, 5)
    write(api, active, s.admin, 4)
    write(api, active, become_seller(api, "Other"), 4)
    assert rating_of(api, active) == {"average": 4.33, "count": 3}


# -- reading --------------------------------------------------------------------------


def test_reviews_are_public_newest_first_and_paginated(
    api: LambdaApi, s: Shop, active: str
) -> None:
    reviewers = [register_and_login(api, first_name=f"P{i}", last_name="Page") for i in range(5)]
    for i, who in enumerate(reviewers):
        write(api, active, who, i + 1, title=f"review {i}")
    # an edit keeps its place: reviews are ordered by when they were first written
    write(api, active, reviewers[0], 5, title="review 0, edited")

    page_titles: list[list[str]] = []
    cursor = None
    while True:
        response = api.get(listing(active, limit=2, cursor=cursor))
        assert response.status == 200, response.text
        assert set(response.body) == {"items", "nextCursor"}
        page_titles.append([r["title"] for r in response.body["items"]])
        cursor = response.body["nextCursor"]
        if cursor is None:
            break
    titles = [t for page in page_titles for t in page]
    assert titles == ["review 4", "review 3", "review 2", "review 1", "review 0, edited"]
    assert all(len(page) <= 2 for page in page_titles)
    assert len(page_titles) in (3, 4)  # a last, empty page is allowed

    signed_in = api.get(listing(active), token=s.customer.access)
    assert signed_in.status == 200, signed_in.text
    assert [r["title"] for r in signed_in.body["items"]] == titles


def test_reviews_name_the_author_but_never_identify_them(
    api: LambdaApi, s: Shop, active: str
) -> None:
    reviewers = [
        register_and_login(api, first_name="Ada", last_name="Lovelace"),
        register_and_login(api, first_name="Émile", last_name="Ünal"),
    ]
    for who in reviewers:
        write(api, active, who, 4)
    response = api.get(listing(active))
    assert sorted(r["authorName"] for r in response.body["items"]) == ["Ada L.", "Émile Ü."]
    for review in response.body["items"]:
        assert set(review) == REVIEW_KEYS
    for who in reviewers:
        assert who.email not in response.text
        assert who.user_id not in response.text
        assert who.user_id.removeprefix("usr_") not in response.text
        written = api.put(mine(active), json=review_body(3), token=who.access)
        assert who.email not in written.text
        assert who.user_id.removeprefix("usr_") not in written.text


def test_a_product_hidden_from_the_caller_has_no_reviews_to_show(api: LambdaApi, s: Shop) -> None:
    draft = str(create_product(api, s.seller, s.child)["productId"])
    problem(api.get(listing(draft)), 404, "product_not_found")
    problem(api.get(listing(draft), token=s.customer.access), 404, "product_not_found")
    rival = become_seller(api, "Rival")
    problem(api.get(listing(draft), token=rival.access), 404, "product_not_found")
    problem(api.get(listing(MISSING_PRODUCT)), 404, "product_not_found")

    for who in (s.seller, s.admin):  # those who may see the draft see its (empty) list
        response = api.get(listing(draft), token=who.access)
        assert response.status == 200, response.text
        assert response.body == {"items": [], "nextCursor": None}


def test_reviews_of_an_archived_product_are_hidden_from_shoppers(
    api: LambdaApi, s: Shop, active: str
) -> None:
    write(api, active, s.customer, 4)
    assert api.delete(f"/products/{active}", token=s.seller.access).status == 200
    problem(api.get(listing(active)), 404, "product_not_found")
    owner_view = api.get(listing(active), token=s.seller.access)
    assert owner_view.status == 200, owner_view.text
    assert [r["rating"] for r in owner_view.body["items"]] == [4]


def _cursor(plain: dict[str, str]) -> str:
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decoded(cursor: str) -> dict[str, str]:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))  # type: ignore[no-any-return]


def test_a_tampered_cursor_is_not_found(api: LambdaApi, s: Shop, active: str) -> None:
    write(api, active, s.customer, 4)
    write(api, active, s.admin, 2)
    first = api.get(listing(active, limit=1))
    assert first.status == 200, first.text
    cursor = first.body["nextCursor"]
    assert cursor
    assert api.get(listing(active, limit=1, cursor=cursor)).status == 200

    other = str(create_product(api, s.seller, s.child, sku="SKU-2")["productId"])
    activate(api, s.seller, s.admin, other)
    key = _decoded(cursor)
    moved = {**key, "GSI1PK": f"REVIEWS#{other}"}
    extra = {**key, "GSI2PK": "USER#x"}
    missing = {k: v for k, v in key.items() if k != "SK"}
    not_text = json.dumps({**key, "SK": 5})
    for bad in (
        "not-a-cursor",
        cursor[:-3],
        _cursor(extra),
        _cursor(missing),
        base64.urlsafe_b64encode(not_text.encode()).decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
    ):
        problem(api.get(listing(active, cursor=bad)), 404, "cursor_not_found")
    # a cursor of one product's list is not valid for another's
    problem(api.get(listing(other, cursor=cursor)), 404, "cursor_not_found")
    problem(api.get(listing(active, cursor=_cursor(moved))), 404, "cursor_not_found")


def test_a_bad_page_size_is_refused(api: LambdaApi, active: str) -> None:
    for limit in ("0", "101", "-1", "abc", "2.5"):
        response = api.get(f"/products/{active}/reviews?limit={limit}")
        assert response.status == 422, (limit, response.text)
        problem(response, 422, "validation_failed")
    assert api.get(f"/products/{active}/reviews?limit=100").status == 200
