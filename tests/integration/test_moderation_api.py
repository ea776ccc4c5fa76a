"""Moderation: a seller submits, an admin approves or rejects (with a reason the seller
sees), a rejected product is fixed and resubmitted; the queue is oldest first."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.catalog_helpers import Shop, activate, become_seller, create_product, shop
from tests.integration.helpers import error_locs, problem
from tests.support.lambda_api import ApiResponse, LambdaApi, query

UNKNOWN_PRODUCT = "prd_01ARZ3NDEKTSV4RRFFQ69G5FAV"
STATES = ["draft", "pending_review", "active", "rejected", "archived"]


def submit(api: LambdaApi, s: Shop, product_id: str) -> ApiResponse:
    return api.post(f"/products/{product_id}/submit", token=s.seller.access)


def approve(api: LambdaApi, s: Shop, product_id: str) -> ApiResponse:
    return api.post(f"/admin/products/{product_id}/approve", token=s.admin.access)


def reject(api: LambdaApi, s: Shop, product_id: str, reason: str = "blurry photos") -> ApiResponse:
    return api.post(
        f"/admin/products/{product_id}/reject", json={"reason": reason}, token=s.admin.access
    )


def archive(api: LambdaApi, s: Shop, product_id: str) -> ApiResponse:
    return api.delete(f"/products/{product_id}", token=s.seller.access)


def edit(api: LambdaApi, s: Shop, product_id: str) -> ApiResponse:
    version = seen_by_seller(api, s, product_id)["version"]
    return api.patch(
        f"/products/{product_id}",
        json={"name": "Edited"},
        token=s.seller.access,
        headers={"If-Match": f'"{version}"'},
    )


def seen_by_seller(api: LambdaApi, s: Shop, product_id: str) -> dict[str, Any]:
    response = api.get(f"/products/{product_id}", token=s.seller.access)
    assert response.status == 200, response.text
    return response.body  # type: ignore[no-any-return]


def ok(response: ApiResponse) -> dict[str, Any]:
    assert response.status == 200, response.text
    return response.body  # type: ignore[no-any-return]


def product_in(api: LambdaApi, s: Shop, state: str, sku: str) -> str:
    """A new product of ``s.seller``, brought to ``state`` through the API."""
    product_id = str(create_product(api, s.seller, s.child, sku=sku)["productId"])
    if state == "draft":
        return product_id
    ok(submit(api, s, product_id))
    if state == "rejected":
        ok(reject(api, s, product_id))
    elif state in ("active", "archived"):
        ok(approve(api, s, product_id))
        if state == "archived":
            ok(archive(api, s, product_id))
    assert seen_by_seller(api, s, product_id)["status"] == state
    return product_id


def queue(api: LambdaApi, s: Shop, **params: Any) -> dict[str, Any]:
    response = api.get(f"/admin/products?{query(**params)}", token=s.admin.access)
    assert response.status == 200, response.text
    return response.body  # type: ignore[no-any-return]


def ids_of(page: dict[str, Any]) -> list[str]:
    return [item["productId"] for item in page["items"]]


# -- the whole path -------------------------------------------------------------------


def test_reject_fix_resubmit_approve(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]

    submitted = submit(api, s, product_id)
    assert ok(submitted)["status"] == "pending_review"
    assert submitted.body["version"] == 2
    assert submitted.header("etag") == '"2"'
    problem(api.get(f"/products/{product_id}"), 404, "product_not_found")
    assert ids_of(queue(api, s)) == [product_id]

    rejected = ok(reject(api, s, product_id, "The photos are blurry"))
    assert rejected["status"] == "rejected"
    assert rejected["rejectionReason"] == "The photos are blurry"
    assert ids_of(queue(api, s)) == []
    shown = seen_by_seller(api, s, product_id)
    assert (shown["status"], shown["rejectionReason"]) == ("rejected", "The photos are blurry")
    problem(api.get(f"/products/{product_id}"), 404, "product_not_found")
    problem(api.get(f"/products/{product_id}", token=s.customer.access), 404, "product_not_found")
    mine = api.get("/sellers/me/products?status=rejected", token=s.seller.access).body
    assert ids_of(mine) == [product_id]

    fixed = ok(edit(api, s, product_id))
    assert fixed["status"] == "rejected"
    assert fixed["name"] == "Edited"

    resubmitted = ok(submit(api, s, product_id))
    assert resubmitted["status"] == "pending_review"
    assert resubmitted["rejectionReason"] is None
    assert ids_of(queue(api, s)) == [product_id]

    approved = ok(approve(api, s, product_id))
    assert approved["status"] == "active"
    assert approved["rejectionReason"] is None
    assert approved["version"] == fixed["version"] + 2
    public = api.get(f"/products/{product_id}")
    assert public.status == 200, public.text
    assert public.body["name"] == "Edited"
    assert public.body["rejectionReason"] is None
    assert ids_of(queue(api, s)) == []
    listed = api.get(f"/products?category={s.root}").body
    assert ids_of(listed) == [product_id]


def test_an_approved_product_sells_once_stocked(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    activate(api, s.seller, s.admin, product_id, stock=4)
    assert api.get(f"/products/{product_id}").body["stock"] == {"status": "low", "available": 4}
    assert ids_of(queue(api, s, status="active")) == [product_id]


# -- who may do what ------------------------------------------------------------------


def test_only_the_owning_seller_submits(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other = become_seller(api, "Other shop")
    url = f"/products/{product_id}/submit"
    problem(api.post(url, token=other.access), 404, "product_not_found")
    problem(api.post(url, token=s.admin.access), 403, "forbidden_role")
    problem(api.post(url, token=s.customer.access), 403, "forbidden_role")
    problem(api.post(url), 401, "token_missing")
    problem(
        api.post(f"/products/{UNKNOWN_PRODUCT}/submit", token=s.seller.access),
        404,
        "product_not_found",
    )
    assert seen_by_seller(api, s, product_id)["status"] == "draft"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_admins_moderate(api: LambdaApi, action: str) -> None:
    s = shop(api)
    product_id = product_in(api, s, "pending_review", "P")
    url = f"/admin/products/{product_id}/{action}"
    body = {"reason": "no"}
    for token in (s.seller.access, s.customer.access):
        problem(api.post(url, json=body, token=token), 403, "forbidden_role")
    problem(api.post(url, json=body), 401, "token_missing")
    problem(
        api.post(f"/admin/products/{UNKNOWN_PRODUCT}/{action}", json=body, token=s.admin.access),
        404,
        "product_not_found",
    )
    assert seen_by_seller(api, s, product_id)["status"] == "pending_review"


def test_the_queue_is_for_admins_only(api: LambdaApi) -> None:
    s = shop(api)
    for token in (s.seller.access, s.customer.access):
        problem(api.get("/admin/products", token=token), 403, "forbidden_role")
    problem(api.get("/admin/products"), 401, "token_missing")


@pytest.mark.parametrize(
    "body",
    [None, {}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": "no", "x": 1}],
)
def test_a_rejection_needs_a_reason(api: LambdaApi, body: Any) -> None:
    s = shop(api)
    product_id = product_in(api, s, "pending_review", "P")
    response = api.post(f"/admin/products/{product_id}/reject", json=body, token=s.admin.access)
    assert response.status == 422, response.text
    assert response.body["code"] == "validation_failed"
    assert error_locs(response.body)
    assert seen_by_seller(api, s, product_id)["status"] == "pending_review"


# -- the state machine ----------------------------------------------------------------

ACTIONS: dict[str, tuple[Callable[[LambdaApi, Shop, str], ApiResponse], dict[str, str]]] = {
    # action: (how, {from state: to state} for the moves it may make)
    "submit": (submit, {"draft": "pending_review", "rejected": "pending_review"}),
    "approve": (approve, {"pending_review": "active"}),
    "reject": (reject, {"pending_review": "rejected"}),
    "archive": (
        archive,
        dict.fromkeys(("draft", "pending_review", "active", "rejected"), "archived"),
    ),
    "edit": (edit, {s: s for s in ("draft", "rejected", "active")}),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_moves_only_from_its_states(api: LambdaApi, action: str) -> None:
    """Every state is tried: an allowed move lands where it should, any other is a 409
    ``invalid_product_state`` that changes nothing (not even the version)."""
    s = shop(api)
    how, moves = ACTIONS[action]
    for n, state in enumerate(STATES):
        product_id = product_in(api, s, state, f"SKU-{n}")
        before = seen_by_seller(api, s, product_id)
        response = how(api, s, product_id)
        if state in moves:
            assert response.status == 200, f"{action} from {state}: {response.text}"
            assert response.body["status"] == moves[state], (action, state)
            assert response.body["version"] == before["version"] + 1
        else:
            problem(response, 409, "invalid_product_state")
            after = seen_by_seller(api, s, product_id)
            assert (after["status"], after["version"]) == (state, before["version"]), action


def test_a_second_approval_or_rejection_is_409(api: LambdaApi) -> None:
    s = shop(api)
    product_id = product_in(api, s, "pending_review", "P")
    ok(approve(api, s, product_id))
    problem(approve(api, s, product_id), 409, "invalid_product_state")
    problem(reject(api, s, product_id), 409, "invalid_product_state")
    assert api.get(f"/products/{product_id}").body["status"] == "active"


# -- the queue ------------------------------------------------------------------------


def test_the_queue_is_oldest_submission_first_and_pages(api: LambdaApi) -> None:
    s = shop(api)
    products = [create_product(api, s.seller, s.child, sku=f"Q{n}")["productId"] for n in range(6)]
    order = [products[n] for n in (3, 0, 4, 1, 5, 2)]  # not the order of creation
    for product_id in order:
        ok(submit(api, s, product_id))
    draft = create_product(api, s.seller, s.child, sku="DRAFT")["productId"]

    assert ids_of(queue(api, s)) == order
    assert ids_of(queue(api, s, status="pending_review", limit=100)) == order
    first = queue(api, s, limit=1)
    assert ids_of(first) == [order[0]]
    item = first["items"][0]
    assert item["status"] == "pending_review"
    assert item["sellerId"] == "sel_" + s.seller.user_id.removeprefix("usr_")

    pages: list[list[str]] = []
    cursor = None
    for _ in range(10):
        page = queue(api, s, limit=4, cursor=cursor)
        assert len(page["items"]) <= 4
        pages.append(ids_of(page))
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages[0] == order[:4]
    assert [pid for page in pages for pid in page] == order

    # Moderated products leave the queue; a resubmission waits behind the others.
    ok(approve(api, s, order[0]))
    ok(reject(api, s, order[1]))
    assert ids_of(queue(api, s)) == order[2:]
    ok(submit(api, s, order[1]))
    assert ids_of(queue(api, s)) == [*order[2:], order[1]]
    assert ids_of(queue(api, s, status="rejected")) == []
    assert ids_of(queue(api, s, status="active")) == [order[0]]
    assert draft in ids_of(queue(api, s, status="draft"))
    assert draft not in ids_of(queue(api, s))


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_tampered_queue_cursor_is_404(api: LambdaApi) -> None:
    s = shop(api)
    for n in range(3):
        product_in(api, s, "pending_review", f"P{n}")
        product_in(api, s, "draft", f"D{n}")
    pending_cursor = queue(api, s, limit=1)["nextCursor"]
    draft_cursor = queue(api, s, status="draft", limit=1)["nextCursor"]
    mine_cursor = api.get("/sellers/me/products?limit=1", token=s.seller.access).body["nextCursor"]
    assert pending_cursor
    assert draft_cursor
    assert mine_cursor
    keys = json.loads(base64.urlsafe_b64decode(pending_cursor + "==="))
    bad = [
        "garbage",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _cursor(["x"]),
        _cursor({}),
        _cursor({**keys, "extra": "x"}),
        _cursor(dict.fromkeys(keys, 1)),
        draft_cursor,  # another status's list
        mine_cursor,  # another list altogether
    ]
    for cursor in bad:
        problem(
            api.get(f"/admin/products?{query(cursor=cursor)}", token=s.admin.access),
            404,
            "cursor_not_found",
        )
    assert len(queue(api, s, limit=1, cursor=pending_cursor)["items"]) == 1


def test_an_unknown_status_is_422(api: LambdaApi) -> None:
    s = shop(api)
    problem(api.get("/admin/products?status=sold", token=s.admin.access), 422, "validation_failed")
