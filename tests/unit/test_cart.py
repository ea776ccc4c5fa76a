"""The cart (domain/buying/cart.py) and expired holds (domain/buying/holds.py) over fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.buying import cart as rules
from domain.buying.cart import CartPolicy, PricedCart
from domain.buying.holds import release_expired, sweep
from domain.buying.model import LineFlag
from domain.catalog.model import Money, ProductStatus
from domain.errors import Conflict, NotFound, RuleViolation
from tests.unit.cart_fakes import T0, Shop, at, product

ADA = "usr_01JD00000000000000000000AD"
BOB = "usr_01JD00000000000000000000B0"


def shop(**policy: int) -> Shop:
    return Shop(policy=CartPolicy(**policy))


def add(s: Shop, pid: str, quantity: int, *, user: str = ADA, now: datetime = T0) -> PricedCart:
    return rules.add_to_cart(user, pid, quantity, now=now, **s.ports())  # type: ignore[arg-type]


def change(s: Shop, pid: str, quantity: int, *, user: str = ADA, now: datetime = T0) -> PricedCart:
    return rules.change_quantity(user, pid, quantity, now=now, **s.ports())  # type: ignore[arg-type]


def view(s: Shop, *, user: str = ADA, now: datetime = T0, address: str | None = None) -> PricedCart:
    return rules.view_cart(
        user,
        address_id=address,
        carts=s.carts,
        addresses=s.addresses,
        pricing=s.pricing,
        policy=s.policy,
        now=now,
    )


def remove(s: Shop, pid: str, *, user: str = ADA, now: datetime = T0) -> None:
    rules.remove_from_cart(user, pid, carts=s.carts, policy=s.policy, now=now)


def stock(s: Shop, pid: str) -> tuple[int, int]:
    inv = s.store.inventory(pid)
    return inv.available, inv.reserved


# -- holds on ---------------------------------------------------------------------------


def test_adding_holds_the_units_until_the_hold_ends() -> None:
    s = shop()
    pid = s.store.add(product(1250), 10)
    cart = add(s, pid, 3)
    assert stock(s, pid) == (7, 3)
    (line,) = cart.lines
    assert (line.quantity, line.held, line.hold_until) == (3, 3, at(15))
    assert (line.unit_price, line.price_seen, line.line_total) == (1250, 1250, 3750)
    assert line.flags == ()
    stored = s.store.lines[(ADA, pid)]
    assert stored.expires_at == T0 + timedelta(days=30)


def test_adding_a_product_again_adds_to_its_line() -> None:
    s = shop()
    pid = s.store.add(product(), 10)
    add(s, pid, 2)
    (line,) = add(s, pid, 3, now=at(5)).lines
    assert (line.quantity, line.held, line.hold_until) == (5, 5, at(20))
    assert stock(s, pid) == (5, 5)


def test_every_change_extends_every_hold_and_the_ttl() -> None:
    s = shop()
    lamp, desk = s.store.add(product(), 10), s.store.add(product(), 10)
    add(s, lamp, 1)
    add(s, desk, 1, now=at(10))
    assert s.store.lines[(ADA, lamp)].hold_until == at(25)
    assert s.store.lines[(ADA, lamp)].expires_at == at(10) + timedelta(days=30)
    remove(s, desk, now=at(20))
    assert s.store.lines[(ADA, lamp)].hold_until == at(35)
    assert stock(s, desk) == (10, 0)


def test_lowering_gives_units_back_and_raising_takes_more() -> None:
    s = shop()
    pid = s.store.add(product(), 10)
    add(s, pid, 6)
    change(s, pid, 2)
    assert stock(s, pid) == (8, 2)
    change(s, pid, 9)
    assert stock(s, pid) == (1, 9)


def test_removing_and_clearing_give_every_unit_back() -> None:
    s = shop()
    lamp, desk = s.store.add(product(), 10), s.store.add(product(), 4)
    add(s, lamp, 2)
    add(s, desk, 4)
    remove(s, lamp)
    assert stock(s, lamp) == (10, 0)
    rules.clear_cart(ADA, carts=s.carts, now=T0)
    assert stock(s, desk) == (4, 0)
    assert view(s).lines == []


def test_short_stock_is_a_409_naming_what_the_line_can_have() -> None:
    s = shop()
    pid = s.store.add(product(), 5)
    add(s, pid, 2)
    add(s, pid, 2, user=BOB)
    writes = s.store.writes
    with pytest.raises(Conflict) as short:
        change(s, pid, 6)
    assert short.value.code == "insufficient_stock"
    assert short.value.extra["available"] == 3  # its own 2 and the 1 left
    assert s.store.writes == writes
    assert stock(s, pid) == (1, 4)


def test_a_product_not_sold_cannot_be_added() -> None:
    s = shop()
    draft = s.store.add(product(status=ProductStatus.DRAFT), 5)
    with pytest.raises(NotFound) as missing:
        add(s, draft, 1)
    assert missing.value.code == "product_not_found"
    with pytest.raises(NotFound):
        add(s, "prd_01JD0000000000000000000000", 1)


def test_quantities_and_lines_are_bounded() -> None:
    s = shop(max_quantity=5, max_lines=2, max_held_per_product=100)
    a, b, c = (s.store.add(product(), 50) for _ in range(3))
    for bad in (0, 6):
        with pytest.raises(RuleViolation) as out:
            add(s, a, bad)
        assert out.value.code == "quantity_range"
    add(s, a, 4)
    with pytest.raises(Conflict) as over:
        add(s, a, 2)
    assert (over.value.code, over.value.extra["limit"]) == ("quantity_limit", 5)
    add(s, b, 1)
    with pytest.raises(Conflict) as full:
        add(s, c, 1)
    assert (full.value.code, full.value.extra["limit"]) == ("cart_full", 2)
    change(s, b, 5)  # an existing line may still change


def test_an_account_holds_at_most_its_share_of_a_product_and_in_all() -> None:
    s = shop(max_held_per_product=4, max_held_total=6)
    a, b = s.store.add(product(), 50), s.store.add(product(), 50)
    add(s, a, 4)
    with pytest.raises(Conflict) as per_product:
        add(s, a, 1)
    assert per_product.value.code == "hold_limit"
    assert per_product.value.extra == {"limit": 4, "scope": "product"}
    add(s, b, 2)
    with pytest.raises(Conflict) as in_all:
        change(s, b, 3)
    assert in_all.value.extra == {"limit": 6, "scope": "total"}
    assert stock(s, a) == (46, 4)
    assert stock(s, b) == (48, 2)


# -- holds off --------------------------------------------------------------------------


def test_with_holds_off_lines_are_saved_and_no_stock_moves() -> None:
    s = shop(hold_minutes=0, max_held_per_product=1)
    pid = s.store.add(product(), 3)
    cart = add(s, pid, 5)  # no cap on holds, no stock check: stock is taken at checkout
    assert stock(s, pid) == (3, 0)
    (line,) = cart.lines
    assert (line.held, line.hold_until) == (0, None)
    assert line.flags == (LineFlag.SHORT,)
    change(s, pid, 2)
    assert view(s).lines[0].flags == ()


def test_turning_holds_off_gives_a_changed_lines_units_back() -> None:
    s = shop()
    pid = s.store.add(product(), 3)
    add(s, pid, 2)
    s.policy = CartPolicy(hold_minutes=0)
    change(s, pid, 1)
    assert stock(s, pid) == (3, 0)


# -- TTL, flags, pricing ----------------------------------------------------------------


def test_lines_past_the_ttl_are_ignored_and_a_new_add_starts_over() -> None:
    s = shop(hold_minutes=0)
    pid = s.store.add(product(), 10)
    add(s, pid, 4)
    later = T0 + timedelta(days=31)
    assert view(s, now=later).lines == []
    (line,) = add(s, pid, 1, now=later).lines
    assert line.quantity == 1


def test_a_stale_line_still_holding_gives_its_units_back_when_replaced() -> None:
    s = shop()
    pid = s.store.add(product(), 10)
    add(s, pid, 4)
    later = T0 + timedelta(days=31)
    add(s, pid, 1, now=later)
    assert stock(s, pid) == (9, 1)


def test_flags_price_changes_short_lines_and_lapsed_holds() -> None:
    s = shop(hold_minutes=0)
    lamp = s.store.add(product(1000), 2)
    add(s, lamp, 2)
    s.store.products[lamp] = replace(s.store.products[lamp], price=Money(1100, "USD"))
    s.store.stock[lamp] = replace(s.store.stock[lamp], available=1)
    (line,) = view(s).lines
    assert set(line.flags) == {LineFlag.PRICE_CHANGED, LineFlag.SHORT}
    assert (line.unit_price, line.price_seen, line.line_total) == (1100, 1000, 2200)

    held = shop()
    desk = held.store.add(product(), 2)
    add(held, desk, 1)
    (line,) = view(held, now=at(16)).lines
    assert line.flags == (LineFlag.HOLD_EXPIRED,)
    assert line.held == 0


def test_a_product_no_longer_sold_is_flagged_its_hold_released_on_read_and_left_out() -> None:
    s = shop()
    lamp, desk = s.store.add(product(1000), 5), s.store.add(product(3000), 5)
    add(s, lamp, 2)
    add(s, desk, 1)
    s.store.products[lamp] = replace(s.store.products[lamp], status=ProductStatus.ARCHIVED)
    cart = view(s)
    flagged = next(line for line in cart.lines if line.product_id == lamp)
    assert LineFlag.UNAVAILABLE in flagged.flags
    assert stock(s, lamp) == (5, 0)
    assert cart.totals.subtotal == 3000
    with pytest.raises(Conflict) as gone:
        change(s, lamp, 1)
    assert gone.value.code == "product_unavailable"
    remove(s, lamp)
    assert [line.product_id for line in view(s).lines] == [desk]


def test_an_add_releases_the_holds_of_other_lines_no_longer_sold() -> None:
    s = shop()
    lamp, desk = s.store.add(product(), 5), s.store.add(product(), 5)
    add(s, lamp, 2)
    s.store.products[lamp] = replace(s.store.products[lamp], status=ProductStatus.ARCHIVED)
    add(s, desk, 1)
    assert stock(s, lamp) == (5, 0)


def test_totals_tax_per_line_half_even_and_shipping() -> None:
    s = shop(hold_minutes=0)
    # 8% of 1,231 = 98.48 -> 98; 8% of 1,250 (x1) = 100; 8% of 625 = 50
    a, b = s.store.add(product(1231), 9), s.store.add(product(625), 9)
    s.addresses.add(ADA, "US", None, default=True)
    add(s, a, 1)
    cart = add(s, b, 1, now=at(1))  # lines come oldest first
    assert [line.tax for line in cart.lines] == [98, 50]
    assert (cart.totals.subtotal, cart.totals.tax, cart.totals.shipping) == (1856, 148, 499)
    assert cart.totals.total == 1856 + 148 + 499
    cart = change(s, b, 7, now=at(2))  # 4,375 + 1,231 = 5,606 >= 5,000: shipping is free
    assert (cart.totals.subtotal, cart.totals.shipping) == (5606, 0)


def test_half_even_rounding_of_a_half() -> None:
    s = shop(hold_minutes=0)
    s.pricing = replace(s.pricing, tax_rates={"*": 1000})  # 10%
    a, b = s.store.add(product(25), 9), s.store.add(product(35), 9)
    add(s, a, 1)  # 2.5 -> 2
    cart = add(s, b, 1, now=at(1))  # 3.5 -> 4
    assert [line.tax for line in cart.lines] == [2, 4]


def test_the_destination_is_the_address_asked_for_else_the_default_else_anywhere() -> None:
    s = shop(hold_minutes=0)
    pid = s.store.add(product(10_000), 9)
    add(s, pid, 1)
    assert view(s).totals.tax == 0  # "*"
    s.addresses.add(ADA, "US", None, default=True)
    california = s.addresses.add(ADA, "US", "CA", default=False)
    assert view(s).totals.tax == 800
    assert view(s, address=california).totals.tax == 725
    with pytest.raises(NotFound) as other:
        view(s, address="adr_01JD0000000000000000000000")
    assert other.value.code == "address_not_found"


def test_another_users_lines_are_never_seen() -> None:
    s = shop()
    pid = s.store.add(product(), 9)
    add(s, pid, 1, user=BOB)
    assert view(s).lines == []
    with pytest.raises(NotFound):
        remove(s, pid)
    with pytest.raises(NotFound):
        change(s, pid, 2)


# -- expired holds (issue 16) -----------------------------------------------------------


def test_a_short_add_releases_expired_holds_of_others_and_tries_again() -> None:
    s = shop()
    pid = s.store.add(product(), 3)
    add(s, pid, 3, user=BOB)
    with pytest.raises(Conflict):
        add(s, pid, 1, now=at(10))  # Bob's hold is live
    (line,) = add(s, pid, 2, now=at(16)).lines  # lapsed at 15: released, then added
    assert line.held == 2
    assert stock(s, pid) == (1, 2)
    assert s.store.lines[(BOB, pid)].held == 0
    assert s.holds.released == [(BOB, pid)]


def test_a_buyers_own_expired_hold_is_renewed_not_released() -> None:
    s = shop()
    pid = s.store.add(product(), 3)
    add(s, pid, 2)
    (line,) = change(s, pid, 3, now=at(20)).lines
    assert (line.held, line.hold_until) == (3, at(35))
    assert s.holds.released == []
    assert stock(s, pid) == (0, 3)


def test_an_expired_unpaid_order_is_expired_through_its_port() -> None:
    s = shop()
    pid = s.store.add(product(), 4)
    order = s.orders.add({pid: 4}, deadline=at(15))
    with pytest.raises(Conflict):
        add(s, pid, 1, now=at(14))
    add(s, pid, 1, now=at(15))
    assert s.orders.expired == [order]
    assert stock(s, pid) == (3, 1)


def test_a_race_lost_at_the_write_reclaims_and_retries_once() -> None:
    s = shop()
    pid = s.store.add(product(), 3)
    s.carts.fail_next_take = True
    (line,) = add(s, pid, 1).lines
    assert line.held == 1


def test_releasing_twice_releases_once() -> None:
    s = shop()
    pid = s.store.add(product(), 3)
    add(s, pid, 3, user=BOB)
    assert release_expired(pid, holds=s.holds, orders=s.orders, now=at(16)) == 1
    assert release_expired(pid, holds=s.holds, orders=s.orders, now=at(16)) == 0
    assert stock(s, pid) == (3, 0)
    assert release_expired(pid, holds=s.holds, orders=s.orders, now=at(14)) == 0


def test_the_sweep_releases_every_due_hold_of_every_shard_once() -> None:
    s = shop()
    lamp, desk = s.store.add(product(), 12), s.store.add(product(), 10)
    users = [f"usr_01JD0000000000000000000{i:03d}" for i in range(12)]
    for i, user in enumerate(users):
        add(s, lamp, 1, user=user, now=at(i))  # holds end at 15 .. 26
    order = s.orders.add({desk: 2}, deadline=at(20))
    report = sweep(holds=s.holds, orders=s.orders, now=at(20), shards=8, page=2)
    assert report.released == 6 + 1  # the carts whose holds ended by 20, and the order
    assert stock(s, lamp) == (6, 6)
    assert s.orders.expired == [order]
    again = sweep(holds=s.holds, orders=s.orders, now=at(20), shards=8)
    assert (again.seen, again.released) == (0, 0)
    assert sweep(holds=s.holds, orders=s.orders, now=at(30), shards=8).released == 6
    assert stock(s, lamp) == (12, 0)


def test_the_sweep_and_a_buyer_release_a_hold_once() -> None:
    s = shop()
    pid = s.store.add(product(), 2)
    add(s, pid, 2, user=BOB)
    due = s.holds.due_holds(
        next(i for i in range(8) if s.holds.due_holds(i, at(16), 10)), at(16), 10
    )
    add(s, pid, 2, now=at(16))  # the buyer releases Bob's hold first
    from domain.buying.holds import release

    assert [release(r, holds=s.holds, orders=s.orders, now=at(16)) for r in due] == [False]
    assert stock(s, pid) == (0, 2)


# -- the stock equation over any sequence of cart moves ---------------------------------

USERS = (ADA, BOB, "usr_01JD00000000000000000000C0")
STEP = st.tuples(
    st.sampled_from(["add", "change", "remove", "clear", "view", "sweep", "archive"]),
    st.integers(0, 2),  # user
    st.integers(0, 1),  # product
    st.integers(1, 6),  # quantity
    st.integers(0, 12),  # minutes forward
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, max_size=25), st.booleans())
def test_stock_is_never_negative_and_always_adds_up(steps: list[tuple], holds: bool) -> None:
    s = shop(hold_minutes=15 if holds else 0, max_held_per_product=8, max_held_total=10)
    pids = [s.store.add(product(), 6), s.store.add(product(), 4)]
    received = {pids[0]: 6, pids[1]: 4}
    now = T0
    for op, u, p, q, forward in steps:
        now += timedelta(minutes=forward)
        user, pid = USERS[u], pids[p]
        try:
            if op == "add":
                add(s, pid, q, user=user, now=now)
            elif op == "change":
                change(s, pid, q, user=user, now=now)
            elif op == "remove":
                remove(s, pid, user=user, now=now)
            elif op == "clear":
                rules.clear_cart(user, carts=s.carts, now=now)
            elif op == "view":
                view(s, user=user, now=now)
            elif op == "sweep":
                sweep(holds=s.holds, orders=s.orders, now=now, shards=8)
            else:
                s.store.products[pid] = replace(
                    s.store.products[pid], status=ProductStatus.ARCHIVED
                )
        except (Conflict, NotFound, RuleViolation):
            pass
        assert s.store.balanced(received)
        if not holds:
            assert all(inv.reserved == 0 for inv in s.store.stock.values())
