"""Demo data for ``make dev``: accounts (credentials printed), shops, a category tree,
active products with stock, and a few reviews. Written through the domain services, so
the demo obeys the same rules (and fires the same events) as real traffic."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from domain.accounts.model import Role, UserStatus
from domain.accounts.services import Registration, register, set_user_access
from domain.errors import Conflict

if TYPE_CHECKING:
    from domain.catalog.model import Actor, Product


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    first_name: str
    last_name: str
    role: Role
    shop: str | None = None


DEMO_USERS = [
    DemoUser("admin@bazaar.local", "admin-password-1", "Ada", "Admin", Role.ADMIN),
    DemoUser(
        "seller@bazaar.local", "seller-password-1", "Sam", "Seller", Role.SELLER, "Sam's Workshop"
    ),
    DemoUser("customer@bazaar.local", "customer-password-1", "Cleo", "Customer", Role.CUSTOMER),
]
MORE_SELLERS = [
    DemoUser(
        "lumen@bazaar.local", "lumen-password-1", "Lia", "Lumen", Role.SELLER, "Lumen Lighting"
    ),
    DemoUser("sonic@bazaar.local", "sonic-password-1", "Sol", "Sonic", Role.SELLER, "Sonic Audio"),
]
REVIEWERS = [
    DemoUser(f"shopper{i}@bazaar.local", "shopper-password-1", name, "Shopper", Role.CUSTOMER)
    for i, name in enumerate(["Noor", "Ivo", "Mara"], start=1)
]

# category path -> (seller index, product names, base price in cents)
CATALOGUE: dict[tuple[str, ...], tuple[int, list[str], int]] = {
    ("Home", "Lighting"): (
        1,
        ["Walnut desk lamp", "Paper pendant", "Brass floor lamp", "LED strip 2 m", "Reading light"],
        2900,
    ),
    ("Home", "Furniture"): (
        0,
        ["Oak side table", "Folding chair", "Wall shelf", "Bench 120 cm"],
        8900,
    ),
    ("Home", "Kitchen"): (
        0,
        ["Chef's knife", "Cast-iron pan", "Linen apron", "Pour-over kettle"],
        3500,
    ),
    ("Electronics", "Audio", "Headphones"): (
        2,
        ["Studio headphones", "Wireless earbuds", "Kids' headphones"],
        5900,
    ),
    ("Electronics", "Audio", "Speakers"): (
        2,
        ["Bookshelf speakers", "Pocket speaker", "Soundbar"],
        7900,
    ),
    ("Electronics", "Computers"): (
        2,
        ["Mechanical keyboard", "Wireless mouse", "USB-C hub", "Laptop stand"],
        4500,
    ),
    ("Books",): (0, ["Field guide to birds", "Bread baking", "Sea charts atlas"], 1900),
    ("Clothing", "Shoes"): (1, ["Trail runners", "Canvas sneakers", "Wool slippers"], 6500),
    ("Clothing", "Outerwear"): (1, ["Rain shell", "Down vest", "Fleece jacket"], 9900),
}
REVIEW_TEXTS = [
    (5, "Love it", "Exactly as described and well made."),
    (4, "Very good", "Does the job; shipping was quick."),
    (3, "Fine", "Decent for the price."),
]


def ensure_user(demo: DemoUser) -> str:
    """Register ``demo`` (or find it) and give it its role; returns the user id."""
    from domain.catalog.sellers import ShopForm, become_seller
    from handlers.shared import wiring

    accounts = wiring.accounts()
    form = Registration(demo.email, demo.password, demo.first_name, demo.last_name)
    try:
        user_id = register(form, accounts=accounts, hasher=wiring.hasher()).user_id
    except Conflict:
        credentials = accounts.credentials(demo.email)
        assert credentials is not None
        user_id = credentials.user_id
    existing = accounts.user(user_id)
    assert existing is not None
    if demo.role is Role.SELLER and existing.role is Role.CUSTOMER:
        become_seller(
            user_id,
            ShopForm(demo.shop or f"{demo.first_name}'s shop", demo.email),
            accounts=accounts,
            sellers=wiring.sellers(),
        )
    elif demo.role is Role.ADMIN and existing.role is not Role.ADMIN:
        set_user_access(
            user_id,
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            acting_admin_id="seed",
            accounts=accounts,
        )
    return user_id


def seed_catalog(seller_ids: list[str], reviewer_ids: list[str]) -> int:
    """Categories and active, stocked products (skipped when categories exist)."""
    from adapters.settings import settings
    from domain.catalog import categories as cats
    from domain.catalog import products as prods
    from domain.catalog import reviews as revs
    from domain.catalog import stock
    from domain.catalog.model import Actor, Money
    from handlers.shared import wiring

    if wiring.categories().all_categories():
        return 0
    rng = random.Random(7)  # noqa: S311 - the same demo every time, not a secret
    ids: dict[tuple[str, ...], str] = {}
    for path in CATALOGUE:
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key not in ids:
                parent = ids.get(key[:-1]) if depth > 1 else None
                ids[key] = cats.create_category(
                    key[-1], parent_id=parent, slug=None, categories=wiring.categories()
                ).category_id
    count = 0
    stocked: list[str] = []
    for path, (seller_index, names, base) in CATALOGUE.items():
        seller = Actor(seller_ids[seller_index], Role.SELLER)
        for index, name in enumerate(names):
            form = prods.ProductForm(
                name=name,
                description=f"{name}: a demo product of the {path[-1].lower()} aisle.",
                price=Money(base + rng.randrange(-10, 30) * 100 + 99, settings().STORE_CURRENCY),
                category_id=ids[path],
                sku=f"{path[-1][:3].upper()}-{index + 1:03d}",
                brand=["Acme", "Northwind", "Umbra", None][index % 4],
                attributes={"colour": ["black", "oak", "white", "red"][index % 4]},
            )
            product = prods.create_product(
                form,
                actor=seller,
                products=wiring.products(),
                categories=wiring.categories(),
                store_currency=settings().STORE_CURRENCY,
            )
            prods.submit_product(product.product_id, actor=seller, products=wiring.products())
            prods.approve_product(product.product_id, products=wiring.products())
            units = [0, 3, 25, 120][(index + count) % 4]
            if units >= 25:
                stocked.append(product.product_id)
            stock.set_stock(
                product.product_id,
                units,
                low_stock_threshold=None,
                note="opening stock",
                actor=seller,
                products=wiring.products(),
                inventories=wiring.inventories(),
            )
            for reviewer in reviewer_ids[: index % 3]:
                rating, title, text = REVIEW_TEXTS[(index + len(reviewer)) % 3]
                delivered_order(reviewer, product)  # only verified buyers review
                revs.write_review(
                    product.product_id,
                    revs.ReviewForm(rating, title, text),
                    actor=Actor(reviewer, Role.CUSTOMER),
                    reviews=wiring.reviews(),
                )
            if name in DEMO_MODELS:
                seed_model(product.product_id, DEMO_MODELS[name], seller)
            count += 1
    seed_orders(reviewer_ids[0], stocked[:4])
    return count


# 3D and AR (issue 14): one product with a model its seller uploaded, one with a model made
# from its photo (at the size its attributes give: width, height, depth in cm).
DEMO_MODELS = {"Walnut desk lamp": "uploaded", "Oak side table": "generated"}
DEMO_SIZE_CM = {"Oak side table": {"width": "45", "height": "55", "depth": "45"}}


def seed_model(product_id: str, source: str, seller: Actor) -> None:
    """The uploaded model goes the seller's way (form, file in the bucket, the worker's
    check); the generated one is made by the worker's rule from a photo the seller added."""
    from adapters.settings import settings
    from domain.catalog import products as prods
    from domain.catalog.model import Image
    from domain.clock import utcnow
    from domain.reality import assets as reality
    from domain.reality.model import AssetType
    from handlers.shared import wiring
    from scripts.demo_models import demo_photo, desk_lamp_glb

    files, assets = wiring.model_files(), wiring.assets()
    if source == "uploaded":
        asset, _form = reality.upload_form(
            product_id, AssetType.GLB, "Walnut desk lamp (seller's model)", actor=seller,
            products=wiring.products(), assets=assets, files=files, now=utcnow(),
        )  # fmt: skip
        files.write(asset.key, desk_lamp_glb(), "model/gltf-binary")  # what the POST does
        assets.start_processing(asset)  # what "done" does; then the worker's rule:
        reality.process_upload(
            product_id, asset.asset_id, assets=assets, files=files,
            inspector=wiring.model_inspector(), now=utcnow(),
        )  # fmt: skip
        return
    product = wiring.products().product(product_id)
    assert product is not None
    key = f"products/{product_id}/img_demo.png"
    files.write(key, demo_photo(), "image/png")
    prods.edit_product(
        product_id,
        {"images": [Image(files.public_url(key), "The oak side table")],
         "attributes": {**product.attributes, **DEMO_SIZE_CM.get(product.name, {})}},
        if_match=product.version, actor=seller, products=wiring.products(),
        categories=wiring.categories(), store_currency=settings().STORE_CURRENCY,
        images_base_url=settings().IMAGES_BASE_URL,
    )  # fmt: skip
    reality.refresh_generated(
        product_id, products=wiring.products(), assets=assets, files=files,
        maker=wiring.model_maker(), now=utcnow(),
    )  # fmt: skip


def seed_orders(customer_id: str, product_ids: list[str]) -> list[str]:
    """The demo customer's orders, one in each state a shop sees, made the real way
    (cart, checkout, the moves the state machine and an admin make), so their stock, holds
    and history are exactly what the running shop would have written."""
    from datetime import timedelta

    from domain.buying.cart import add_to_cart
    from domain.buying.checkout import CheckoutForm, checkout
    from domain.buying.lifecycle import Mover
    from domain.buying.model import SYSTEM, OrderStatus, Shipment, ShippingAddress
    from domain.buying.orders import move_order
    from domain.clock import utcnow
    from handlers.shared import wiring

    address = ShippingAddress("Casey Customer", "12 Market Street", "London", "N1 7AA", "GB")
    # (payment method, then the moves after checkout)
    plans = [
        (
            "pm_card_visa",
            [(OrderStatus.CONFIRMED, Mover.SYSTEM), (OrderStatus.SHIPPED, Mover.ADMIN)],
        ),
        ("pm_card_visa", [(OrderStatus.CONFIRMED, Mover.SYSTEM)]),
        ("pm_card_chargeDeclined", [(OrderStatus.PAYMENT_FAILED, Mover.SYSTEM)]),
        ("pm_card_visa", [(OrderStatus.CANCELLED, Mover.CUSTOMER)]),
    ]
    made = []
    start = utcnow() - timedelta(days=len(plans))
    for day, ((method, moves), product_id) in enumerate(zip(plans, product_ids, strict=False)):
        now = start + timedelta(days=day)
        add_to_cart(
            customer_id,
            product_id,
            1 + day % 2,
            carts=wiring.carts(),
            holds=wiring.holds(),
            orders=wiring.unpaid_orders(),
            addresses=wiring.address_book(),
            pricing=wiring.pricing(),
            policy=wiring.cart_policy(),
            now=now,
        )
        placed = checkout(
            customer_id,
            f"demo-order-{day}",
            CheckoutForm(method, shipping_address=address),
            store=wiring.orders(),
            orders=wiring.orders(),
            holds=wiring.hold_releaser(),
            pricing=wiring.pricing(),
            limits=wiring.checkout_limits(),
            now=now,
        )
        for step, (status, mover) in enumerate(moves, start=1):
            move_order(
                placed.order.order_id,
                status,
                mover=mover,
                actor_id=customer_id if mover is Mover.CUSTOMER else SYSTEM,
                reason="demo data",
                orders=wiring.orders(),
                now=now + timedelta(minutes=step),
                shipment=Shipment("Royal Mail", f"RM{day:09d}GB")
                if status is OrderStatus.SHIPPED
                else None,
            )
        made.append(placed.order.order_id)
    return made


def delivered_order(user_id: str, product: Product) -> str:
    """A delivered order of one unit of ``product`` for ``user_id``, which makes them a
    verified buyer of it. The order is put as ``shipped`` and moved to ``delivered``
    through the real repository (which writes the purchase marker reviews look for); its
    unit is not taken from stock (demo history, not a sale: stock counts stay as seeded)."""
    from domain.buying.lifecycle import StockEffect
    from domain.buying.model import (
        Order,
        OrderLine,
        OrderStatus,
        ShippingAddress,
        StatusChange,
        Totals,
    )
    from domain.clock import utcnow
    from domain.ids import new_id
    from repositories.buying.items import history_item, order_item, seller_lines_item
    from repositories.buying.orders import DynamoOrders

    now = utcnow()
    shipped = StatusChange(OrderStatus.CONFIRMED, OrderStatus.SHIPPED, "system", now)
    price = product.price.amount
    order = Order(
        order_id=new_id("ord"),
        user_id=user_id,
        status=OrderStatus.SHIPPED,
        lines=[
            OrderLine(product.product_id, product.seller_id, product.name, product.sku, 1, price, 0)
        ],
        totals=Totals(price, 0, 0, product.price.currency),
        shipping_address=ShippingAddress("Demo Shopper", "1 Market Street", "London", "N1", "GB"),
        payment_method="pm_card_visa",
        payment_due=now,
        created_at=now,
        updated_at=now,
        history=[shipped],
    )
    order_item(order).save()
    history_item(order.order_id, shipped).save()
    seller_lines_item(order, product.seller_id, now).save()
    delivered = StatusChange(
        OrderStatus.SHIPPED, OrderStatus.DELIVERED, "system", now + timedelta(seconds=1)
    )
    DynamoOrders().transition(order, delivered, StockEffect.NONE)
    return order.order_id


def seed() -> dict[str, str]:
    everyone = DEMO_USERS + MORE_SELLERS + REVIEWERS
    ids = {demo.email: ensure_user(demo) for demo in everyone}
    sellers = [ids[d.email] for d in (DEMO_USERS[1], *MORE_SELLERS)]
    reviewers = [ids[DEMO_USERS[2].email]] + [ids[d.email] for d in REVIEWERS]
    seed_catalog(sellers, reviewers)
    return ids


def describe() -> str:
    width = max(len(d.email) for d in DEMO_USERS)
    lines = [f"  {d.role.value:<9} {d.email:<{width}}  password: {d.password}" for d in DEMO_USERS]
    lines.append(
        f"  (and {len(MORE_SELLERS)} more sellers, {len(REVIEWERS)} shoppers; see scripts/seed.py)"
    )
    return "\n".join(lines)
