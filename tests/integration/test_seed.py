"""The demo data `make dev` loads: believable, and made through the real rules."""

from __future__ import annotations

from scripts import seed
from tests.support.lambda_api import LambdaApi


def test_the_demo_shop_has_accounts_shops_a_tree_and_30_active_stocked_products(
    api: LambdaApi,
) -> None:
    ids = seed.seed()

    login = api.post(
        "/auth/login", json={"email": "seller@bazaar.local", "password": "seller-password-1"}
    )
    assert login.status == 200
    assert login.body["role"] == "seller"
    admin = api.post(
        "/auth/login", json={"email": "admin@bazaar.local", "password": "admin-password-1"}
    )
    assert admin.body["role"] == "admin"

    tree = api.get("/categories").body["items"]
    assert {node["name"] for node in tree} >= {"Home", "Electronics", "Books", "Clothing"}

    listed, cursor = [], None
    while True:
        page = api.get("/products?limit=100" + (f"&cursor={cursor}" if cursor else "")).body
        listed += page["items"]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert len(listed) >= 30
    assert {p["sellerId"] for p in listed} >= {"sel_" + ids["seller@bazaar.local"][4:]}
    detail = api.get(f"/products/{listed[0]['productId']}").body
    assert detail["stock"]["status"] in {"in_stock", "low", "out"}
    assert any(p["rating"]["count"] > 0 for p in listed)

    # The demo customer has orders in the states a shop sees, each made the real way.
    customer = api.post(
        "/auth/login", json={"email": "customer@bazaar.local", "password": "customer-password-1"}
    ).body["accessToken"]
    orders = api.get("/orders", token=customer).body["items"]
    assert {o["status"] for o in orders} >= {"shipped", "confirmed", "payment_failed", "cancelled"}
    assert api.get("/cart", token=customer).body["items"] == []  # every cart checked out

    # 3D and AR (issue 14): one product with its seller's model, one with a model made
    # from its photo at the size its attributes give; both ready and shown on the AR page.
    by_name = {p["name"]: p["productId"] for p in listed}
    lamp = api.get(f"/reality/{by_name['Walnut desk lamp']}").body["assets"]
    assert [(a["source"], a["status"], a["type"]) for a in lamp] == [("uploaded", "ready", "glb")]
    assert lamp[0]["dimensions"] == {"width": 0.3, "height": 0.47, "depth": 0.3}
    table = api.get(f"/reality/{by_name['Oak side table']}").body["assets"]
    assert [(a["source"], a["status"]) for a in table] == [("generated", "ready")]
    assert table[0]["dimensions"] == {"width": 0.45, "height": 0.55, "depth": 0.45}
    for product_id in (by_name["Walnut desk lamp"], by_name["Oak side table"]):
        assert api.get(f"/reality/{product_id}/view").status == 200

    # A second run changes nothing.
    seed.seed()
    assert len(api.get("/products?limit=100").body["items"]) == min(100, len(listed))
