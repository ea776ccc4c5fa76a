"""Stock (domain/catalog/stock.py) and reviews (domain/catalog/reviews.py) over fakes."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.accounts.model import Page, Role
from domain.catalog import reviews as review_rules
from domain.catalog import stock as stock_rules
from domain.catalog.model import (
    Actor,
    AdjustmentReason,
    Inventory,
    Product,
    ProductStatus,
    Rating,
    Review,
    StockAdjustment,
    StockStatus,
)
from domain.catalog.reviews import ReviewForm
from domain.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.stock_fakes import T0, Catalog, at

# -- helpers --------------------------------------------------------------------------


def world(**product: object) -> tuple[Catalog, Actor, str]:
    catalog = Catalog()
    seller = catalog.user("Sam", "Seller", role=Role.SELLER)
    product_id = catalog.product(seller, **product)  # type: ignore[arg-type]
    return catalog, seller, product_id


def set_stock(
    catalog: Catalog,
    product_id: str,
    available: int,
    actor: Actor,
    *,
    threshold: int | None = None,
    note: str | None = None,
    now: datetime = T0,
) -> Inventory:
    return stock_rules.set_stock(
        product_id,
        available,
        low_stock_threshold=threshold,
        note=note,
        actor=actor,
        products=catalog.products,
        inventories=catalog.inventory,
        now=now,
    )


def adjust(
    catalog: Catalog,
    product_id: str,
    delta: int,
    actor: Actor,
    reason: AdjustmentReason = AdjustmentReason.RESTOCK,
    *,
    note: str | None = None,
    now: datetime = T0,
) -> Inventory:
    return stock_rules.adjust_stock(
        product_id,
        delta,
        reason,
        note=note,
        actor=actor,
        products=catalog.products,
        inventories=catalog.inventory,
        now=now,
    )


def read(
    catalog: Catalog, product_id: str, actor: Actor, history: int = 20
) -> tuple[Inventory, list[StockAdjustment]]:
    return stock_rules.stock(
        product_id,
        actor=actor,
        products=catalog.products,
        inventories=catalog.inventory,
        history=history,
    )


def stored_available(catalog: Catalog, product_id: str) -> int:
    return catalog.products.inventories[product_id].available


# -- the stock status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "threshold", "status"),
    [
        (0, 5, StockStatus.OUT),
        (-1, 5, StockStatus.OUT),
        (1, 5, StockStatus.LOW),
        (5, 5, StockStatus.LOW),
        (6, 5, StockStatus.IN_STOCK),
        (0, 0, StockStatus.OUT),
        (1, 0, StockStatus.IN_STOCK),
        (1_000_000, 1_000_000, StockStatus.LOW),
    ],
)
def test_stock_status(available: int, threshold: int, status: StockStatus) -> None:
    assert Inventory("prd_x", available, 0, threshold, T0).status is status


# -- reading stock ----------------------------------------------------------------------


def test_the_seller_and_admins_read_stock_and_the_newest_adjustments() -> None:
    catalog, seller, product_id = world()
    admin = catalog.user(role=Role.ADMIN)
    for minute in range(1, 6):
        adjust(catalog, product_id, minute, seller, now=at(minute))

    for who in (seller, admin):
        inventory, history = read(catalog, product_id, who, history=3)
        assert inventory.available == 15
        assert [a.delta for a in history] == [5, 4, 3]


@pytest.mark.parametrize("role", [Role.SELLER, Role.CUSTOMER])
def test_anyone_else_is_told_the_product_does_not_exist(role: Role) -> None:
    catalog, _, product_id = world(available=4)
    stranger = catalog.user(role=role)

    with pytest.raises(NotFound) as caught:
        read(catalog, product_id, stranger)
    assert caught.value.code == "product_not_found"
    with pytest.raises(NotFound):
        set_stock(catalog, product_id, 0, stranger)
    with pytest.raises(NotFound):
        adjust(catalog, product_id, -4, stranger, AdjustmentReason.DAMAGE)
    assert stored_available(catalog, product_id) == 4
    assert catalog.inventory.writes == 0


def test_a_missing_product_or_inventory_is_not_found() -> None:
    catalog, seller, _ = world()
    bare = catalog.product(seller, with_inventory=False)
    for product_id in ("prd_missing", bare):
        with pytest.raises(NotFound) as caught:
            read(catalog, product_id, seller)
        assert caught.value.code == "product_not_found"
        with pytest.raises(NotFound):
            adjust(catalog, product_id, 1, seller)
        with pytest.raises(NotFound):
            set_stock(catalog, product_id, 1, seller)
    assert catalog.inventory.writes == 0


@pytest.mark.parametrize("status", list(ProductStatus))
def test_stock_is_managed_in_any_product_state(status: ProductStatus) -> None:
    catalog, seller, product_id = world(status=status)
    assert adjust(catalog, product_id, 3, seller).available == 3
    assert set_stock(catalog, product_id, 7, seller).available == 7


# -- a stock count ----------------------------------------------------------------------


def test_a_stock_count_records_the_difference_and_the_figure() -> None:
    catalog, seller, product_id = world(available=10)
    result = set_stock(catalog, product_id, 4, seller, note="recount", now=at(1))

    assert (result.available, result.low_stock_threshold, result.updated_at) == (4, 5, at(1))
    assert stored_available(catalog, product_id) == 4
    (entry,) = catalog.inventory.log
    assert entry.reason is AdjustmentReason.STOCK_COUNT
    assert (entry.delta, entry.available_after) == (-6, 4)
    assert (entry.actor_id, entry.note, entry.created_at) == (seller.user_id, "recount", at(1))
    assert entry.product_id == product_id
    assert entry.adjustment_id.startswith("adj_")


def test_a_stock_count_keeps_or_replaces_the_threshold() -> None:
    catalog, seller, product_id = world(threshold=3)
    assert set_stock(catalog, product_id, 4, seller).low_stock_threshold == 3
    changed = set_stock(catalog, product_id, 4, seller, threshold=0)
    assert (changed.low_stock_threshold, changed.status) == (0, StockStatus.IN_STOCK)
    assert catalog.products.inventories[product_id].low_stock_threshold == 0


@pytest.mark.parametrize("available", [-1, stock_rules.MAX_STOCK + 1])
def test_a_stock_count_out_of_range_is_refused(available: int) -> None:
    catalog, seller, product_id = world(available=2)
    with pytest.raises(RuleViolation) as caught:
        set_stock(catalog, product_id, available, seller)
    assert caught.value.code == "stock_range"
    assert stored_available(catalog, product_id) == 2
    assert catalog.inventory.writes == 0


@pytest.mark.parametrize("available", [0, stock_rules.MAX_STOCK])
def test_a_stock_count_at_the_limits_is_allowed(available: int) -> None:
    catalog, seller, product_id = world(available=2)
    assert set_stock(catalog, product_id, available, seller).available == available


def test_a_stock_count_uses_the_figure_it_read() -> None:
    """The write is conditional on the read figure: the repository refuses it if stale."""

    class Racing:
        """Reads the product, then lets someone else remove a unit before the write."""

        def __init__(self, catalog: Catalog, seller: Actor) -> None:
            self.catalog, self.seller = catalog, seller

        def product(self, product_id: str) -> Product | None:
            return self.catalog.products.product(product_id)

        def product_with_inventory(
            self, product_id: str
        ) -> tuple[Product | None, Inventory | None]:
            found = self.catalog.products.product_with_inventory(product_id)
            adjust(self.catalog, product_id, -1, self.seller, AdjustmentReason.DAMAGE)
            return found

    catalog, seller, product_id = world(available=5)
    with pytest.raises(Conflict) as caught:
        stock_rules.set_stock(
            product_id,
            9,
            low_stock_threshold=None,
            note=None,
            actor=seller,
            products=Racing(catalog, seller),
            inventories=catalog.inventory,
        )
    assert caught.value.code == "stock_changed"
    assert stored_available(catalog, product_id) == 4
    assert [a.reason for a in catalog.inventory.log] == [AdjustmentReason.DAMAGE]


# -- adjustments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        (5, AdjustmentReason.RESTOCK),
        (2, AdjustmentReason.RETURN),
        (-3, AdjustmentReason.DAMAGE),
        (-4, AdjustmentReason.CORRECTION),
        (1, AdjustmentReason.CORRECTION),
    ],
)
def test_an_adjustment_moves_the_stock_and_is_recorded(
    delta: int, reason: AdjustmentReason
) -> None:
    catalog, seller, product_id = world(available=4)
    result = adjust(catalog, product_id, delta, seller, reason, note="why", now=at(2))

    assert result.available == 4 + delta
    assert result.updated_at == at(2)
    assert stored_available(catalog, product_id) == 4 + delta
    (entry,) = catalog.inventory.log
    assert (entry.delta, entry.reason, entry.note) == (delta, reason, "why")
    assert (entry.actor_id, entry.created_at, entry.product_id) == (
        seller.user_id,
        at(2),
        product_id,
    )
    assert entry.available_after is None


def test_an_adjustment_may_empty_the_stock_but_not_go_below() -> None:
    catalog, seller, product_id = world(available=3)
    with pytest.raises(Conflict) as caught:
        adjust(catalog, product_id, -4, seller, AdjustmentReason.DAMAGE)
    assert caught.value.code == "insufficient_stock"
    assert stored_available(catalog, product_id) == 3
    assert catalog.inventory.log == []

    emptied = adjust(catalog, product_id, -3, seller, AdjustmentReason.DAMAGE)
    assert (emptied.available, emptied.status) == (0, StockStatus.OUT)
    with pytest.raises(Conflict):
        adjust(catalog, product_id, -1, seller, AdjustmentReason.DAMAGE)
    assert stored_available(catalog, product_id) == 0
    assert len(catalog.inventory.log) == 1


def test_serial_removals_stop_at_zero() -> None:
    catalog, seller, product_id = world(available=5)
    outcomes = []
    for _ in range(8):
        try:
            adjust(catalog, product_id, -1, seller, AdjustmentReason.DAMAGE)
            outcomes.append("ok")
        except Conflict as conflict:
            outcomes.append(conflict.code)
    assert outcomes == ["ok"] * 5 + ["insufficient_stock"] * 3
    assert stored_available(catalog, product_id) == 0
    assert len(catalog.inventory.log) == 5


@pytest.mark.parametrize("delta", [0, stock_rules.MAX_STOCK + 1, -stock_rules.MAX_STOCK - 1])
def test_a_delta_out_of_range_is_refused(delta: int) -> None:
    catalog, seller, product_id = world(available=2)
    with pytest.raises(RuleViolation) as caught:
        adjust(catalog, product_id, delta, seller)
    assert caught.value.code == "delta_range"
    assert catalog.inventory.writes == 0


def test_the_largest_deltas_are_allowed() -> None:
    catalog, seller, product_id = world()
    assert adjust(catalog, product_id, stock_rules.MAX_STOCK, seller).available == 1_000_000
    back = adjust(catalog, product_id, -stock_rules.MAX_STOCK, seller, AdjustmentReason.CORRECTION)
    assert back.available == 0


def test_a_stock_count_is_not_an_adjustment() -> None:
    catalog, seller, product_id = world(available=2)
    with pytest.raises(RuleViolation) as caught:
        adjust(catalog, product_id, 3, seller, AdjustmentReason.STOCK_COUNT)
    assert caught.value.code == "invalid_reason"
    assert catalog.inventory.writes == 0


def test_an_admin_adjustment_names_the_admin() -> None:
    catalog, _, product_id = world()
    admin = catalog.user(role=Role.ADMIN)
    adjust(catalog, product_id, 2, admin)
    assert [a.actor_id for a in catalog.inventory.log] == [admin.user_id]


# -- reviews: writing ---------------------------------------------------------------------


def write(
    catalog: Catalog,
    product_id: str,
    actor: Actor,
    rating: int,
    *,
    now: datetime = T0,
    bought: bool = True,
    **form: str,
) -> Review:
    """Write a review; ``bought``: the actor first received an order holding the product
    (a verified buyer), as every reviewer must be."""
    if bought:
        catalog.reviews.buyers.add((product_id, actor.user_id))
    return review_rules.write_review(
        product_id,
        ReviewForm(rating=rating, title=form.get("title", "Good"), text=form.get("text", "Fine.")),
        actor=actor,
        reviews=catalog.reviews,
        now=now,
    )


def remove(catalog: Catalog, product_id: str, actor: Actor) -> None:
    review_rules.remove_review(product_id, actor=actor, reviews=catalog.reviews)


def rating(catalog: Catalog, product_id: str) -> Rating:
    return catalog.products.products[product_id].rating


def test_a_review_names_its_author_by_first_name_and_initial() -> None:
    catalog, _, product_id = world()
    grace = catalog.user("Grace", "Hopper")
    review = write(catalog, product_id, grace, 5, title="Great", text="Bright.", now=at(1))

    assert review.author_name == "Grace H."
    assert (review.product_id, review.user_id) == (product_id, grace.user_id)
    assert (review.rating, review.title, review.text) == (5, "Great", "Bright.")
    assert review.created_at == review.updated_at == at(1)
    assert catalog.reviews.items[(product_id, grace.user_id)] == review
    assert rating(catalog, product_id) == Rating(1, 5)


def test_an_author_without_a_last_name_is_named_by_first_name_only() -> None:
    catalog, _, product_id = world()
    mononym = catalog.user("Plato", "")
    assert write(catalog, product_id, mononym, 3).author_name == "Plato"


def test_a_second_review_replaces_the_first_and_keeps_when_it_was_written() -> None:
    catalog, _, product_id = world()
    customer = catalog.user()
    write(catalog, product_id, customer, 2, now=at(1))
    second = write(catalog, product_id, customer, 5, title="Better", now=at(9))

    assert (second.created_at, second.updated_at) == (at(1), at(9))
    assert len(catalog.reviews.items) == 1
    assert catalog.reviews.items[(product_id, customer.user_id)].title == "Better"
    assert rating(catalog, product_id) == Rating(1, 5)


def test_a_seller_does_not_review_their_own_product() -> None:
    catalog, seller, product_id = world()
    with pytest.raises(Forbidden) as caught:
        write(catalog, product_id, seller, 5)
    assert caught.value.code == "own_product"
    assert catalog.reviews.writes == 0
    assert rating(catalog, product_id) == Rating(0, 0)


def test_a_seller_is_the_owner_whatever_role_their_token_says() -> None:
    catalog, seller, product_id = world()
    for role in (Role.CUSTOMER, Role.ADMIN):  # a token from before the shop, or since
        with pytest.raises(Forbidden) as caught:
            write(catalog, product_id, Actor(user_id=seller.user_id, role=role), 5)
        assert caught.value.code == "own_product"
    assert catalog.reviews.writes == 0


def test_only_verified_buyers_review() -> None:
    catalog, _, product_id = world()
    customer = catalog.user()
    with pytest.raises(Forbidden) as caught:
        write(catalog, product_id, customer, 5, bought=False)
    assert caught.value.code == "verified_buyer_required"
    assert catalog.reviews.writes == 0
    other_product = "prd_other"
    catalog.reviews.buyers.add((other_product, customer.user_id))  # bought something else
    with pytest.raises(Forbidden):
        write(catalog, product_id, customer, 5, bought=False)
    assert rating(catalog, product_id) == Rating(0, 0)
    write(catalog, product_id, customer, 5)
    assert rating(catalog, product_id) == Rating(1, 5)


def test_other_sellers_and_admins_may_review() -> None:
    catalog, _, product_id = world()
    rival = catalog.user(role=Role.SELLER)
    admin = catalog.user(role=Role.ADMIN)
    write(catalog, product_id, rival, 1)
    write(catalog, product_id, admin, 4)
    assert rating(catalog, product_id) == Rating(2, 5)


@pytest.mark.parametrize("status", [s for s in ProductStatus if s is not ProductStatus.ACTIVE])
def test_only_active_products_take_reviews(status: ProductStatus) -> None:
    catalog, _, product_id = world(status=status)
    with pytest.raises(NotFound) as caught:
        write(catalog, product_id, catalog.user(), 4)
    assert caught.value.code == "product_not_found"
    assert catalog.reviews.writes == 0


def test_a_missing_product_or_user_cannot_be_reviewed() -> None:
    catalog, _, product_id = world()
    with pytest.raises(NotFound) as caught:
        write(catalog, "prd_missing", catalog.user(), 4)
    assert caught.value.code == "product_not_found"
    ghost = Actor(user_id="usr_gone", role=Role.CUSTOMER)  # a token outliving its user
    with pytest.raises(NotFound):
        write(catalog, product_id, ghost, 4)
    assert catalog.reviews.writes == 0


# -- reviews: withdrawing ------------------------------------------------------------------


def test_a_withdrawn_review_takes_its_rating_with_it() -> None:
    catalog, _, product_id = world()
    ada, bob = catalog.user(), catalog.user("Bob", "Builder")
    write(catalog, product_id, ada, 2)
    write(catalog, product_id, bob, 5)
    remove(catalog, product_id, ada)

    assert list(catalog.reviews.items) == [(product_id, bob.user_id)]
    assert rating(catalog, product_id) == Rating(1, 5)
    with pytest.raises(NotFound) as caught:
        remove(catalog, product_id, ada)
    assert caught.value.code == "review_not_found"
    assert rating(catalog, product_id) == Rating(1, 5)


def test_withdrawing_a_review_never_written_is_not_found() -> None:
    catalog, seller, product_id = world()
    with pytest.raises(NotFound) as caught:
        remove(catalog, product_id, seller)
    assert caught.value.code == "review_not_found"
    assert catalog.reviews.writes == 0


# -- the exact rating -----------------------------------------------------------------------

STEPS: list[tuple[int, int | None]] = [
    (0, 5),
    (1, 3),
    (2, 4),
    (3, 1),
    (4, 2),
    (1, 5),
    (3, 4),
    (2, None),
    (0, 1),
    (4, None),
]


def test_the_rating_follows_every_create_edit_and_delete() -> None:
    catalog, _, product_id = world()
    people = [catalog.user(f"U{i}", "Test") for i in range(5)]
    held: dict[int, int] = {}
    for minute, (who, stars) in enumerate(STEPS, start=1):
        if stars is None:
            remove(catalog, product_id, people[who])
            del held[who]
        else:
            write(catalog, product_id, people[who], stars, now=at(minute))
            held[who] = stars
        expected = Rating(len(held), sum(held.values()))
        assert rating(catalog, product_id) == expected, (minute, STEPS[minute - 1])
        average = round(sum(held.values()) / len(held), 2) if held else None
        assert rating(catalog, product_id).average == average
    assert held == {0: 1, 1: 5, 3: 4}


@pytest.mark.parametrize(
    ("count", "total", "average"),
    [(0, 0, None), (1, 4, 4.0), (3, 13, 4.33), (3, 14, 4.67), (2, 5, 2.5), (6, 25, 4.17)],
)
def test_an_average_has_two_decimals(count: int, total: int, average: float | None) -> None:
    assert Rating(count, total).average == average


# -- reviews: reading ---------------------------------------------------------------------


def listed(
    catalog: Catalog,
    product_id: str,
    actor: Actor | None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[Review]:
    return review_rules.product_reviews(
        product_id,
        cursor,
        limit,
        actor=actor,
        products=catalog.products,
        reviews=catalog.reviews,
    )


def test_reviews_come_newest_first_a_page_at_a_time() -> None:
    catalog, _, product_id = world()
    people = [catalog.user(f"U{i}", "Test") for i in range(5)]
    for minute, person in enumerate(people, start=1):
        write(catalog, product_id, person, 3, title=f"r{minute}", now=at(minute))

    titles: list[str] = []
    cursor = None
    for _ in range(5):
        page = listed(catalog, product_id, None, cursor, limit=2)
        assert len(page.items) <= 2
        titles += [r.title for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert titles == ["r5", "r4", "r3", "r2", "r1"]


def test_the_reviews_of_a_hidden_product_are_not_found_to_strangers() -> None:
    catalog, seller, product_id = world(status=ProductStatus.DRAFT)
    for stranger in (None, catalog.user(), catalog.user(role=Role.SELLER)):
        with pytest.raises(NotFound) as caught:
            listed(catalog, product_id, stranger)
        assert caught.value.code == "product_not_found"
    for insider in (seller, catalog.user(role=Role.ADMIN)):
        assert listed(catalog, product_id, insider).items == []
    with pytest.raises(NotFound):
        listed(catalog, "prd_missing", None)
