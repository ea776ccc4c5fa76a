"""Rules settled after the first round of catalogue tests."""

from __future__ import annotations

from tests.integration.catalog_helpers import activate, create_product, shop
from tests.integration.helpers import problem
from tests.support.lambda_api import LambdaApi


def test_archiving_frees_the_sku_and_lets_an_emptied_category_go(api: LambdaApi) -> None:
    s = shop(api)
    product = create_product(api, s.seller, s.child, sku="LAMP-1")
    problem(api.delete(f"/categories/{s.child}", token=s.admin.access), 409, "category_not_empty")

    archived = api.delete(f"/products/{product['productId']}", token=s.seller.access)
    assert archived.status == 200, archived.text
    assert archived.body["status"] == "archived"

    again = create_product(api, s.seller, s.root, sku="LAMP-1")  # the SKU is free again
    assert again["sku"] == "LAMP-1"
    assert api.delete(f"/categories/{s.child}", token=s.admin.access).status == 204
    # the archived product is still its seller's to see
    mine = api.get(f"/products/{product['productId']}", token=s.seller.access)
    assert mine.status == 200
    assert mine.body["status"] == "archived"


def test_stock_never_exceeds_its_ceiling_and_a_refused_adjustment_writes_nothing(
    api: LambdaApi,
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    activate(api, s.seller, s.admin, product_id, stock=999_999)

    refused = api.post(
        f"/products/{product_id}/inventory/adjustments",
        json={"delta": 2, "reason": "restock"},
        token=s.seller.access,
    )

    problem(refused, 409, "stock_limit")
    inventory = api.get(f"/products/{product_id}/inventory", token=s.seller.access).body
    assert inventory["available"] == 999_999
    assert [a["reason"] for a in inventory["adjustments"]] == ["stock_count"]


def test_no_upload_form_for_an_archived_or_pending_product(api: LambdaApi) -> None:
    s = shop(api)
    pending = create_product(api, s.seller, s.child, sku="P-1")["productId"]
    api.post(f"/products/{pending}/submit", token=s.seller.access)
    archived = create_product(api, s.seller, s.child, sku="A-1")["productId"]
    api.delete(f"/products/{archived}", token=s.seller.access)

    for product_id in (pending, archived):
        problem(
            api.post(
                f"/products/{product_id}/images/uploads",
                json={"contentType": "image/png"},
                token=s.seller.access,
            ),
            409,
            "invalid_product_state",
        )
