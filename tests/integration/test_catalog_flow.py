"""The catalogue's main path, in process: a seller lists, an admin approves, shoppers find."""

from __future__ import annotations

from tests.integration.catalog_helpers import activate, create_product, shop
from tests.integration.order_helpers import record_delivered_purchase
from tests.support.lambda_api import LambdaApi


def test_a_listed_product_reaches_shoppers_only_once_approved(api: LambdaApi) -> None:
    s = shop(api)
    product = create_product(api, s.seller, s.child, price=2500)
    product_id = product["productId"]
    assert product["status"] == "draft"
    assert product["version"] == 1

    assert api.get(f"/products/{product_id}").status == 404  # not public yet
    assert api.get(f"/products/{product_id}", token=s.seller.access).status == 200

    activate(api, s.seller, s.admin, product_id, stock=3)

    detail = api.get(f"/products/{product_id}")
    assert detail.status == 200, detail.text
    assert detail.body["stock"] == {"status": "low", "available": 3}
    assert detail.body["rating"] == {"average": None, "count": 0}

    in_parent = api.get(f"/products?category={s.root}&minPrice=2000&maxPrice=3000&sort=price_asc")
    assert in_parent.status == 200, in_parent.text
    assert [p["productId"] for p in in_parent.body["items"]] == [product_id]
    out_of_range = api.get(f"/products?category={s.root}&maxPrice=2000&sort=price_asc")
    assert out_of_range.body["items"] == []

    record_delivered_purchase(s.customer.user_id, product_id)  # a verified buyer
    review = api.put(
        f"/products/{product_id}/reviews/me",
        json={"rating": 4, "title": "Good", "text": "Bright enough."},
        token=s.customer.access,
    )
    assert review.status == 200, review.text
    assert api.get(f"/products/{product_id}").body["rating"] == {"average": 4.0, "count": 1}
