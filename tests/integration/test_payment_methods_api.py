"""Saved cards through the API (local test-mode card vault on moto): setup, the test-mode
stand-in for Stripe.js, save, list, default, delete, and checkout paying with one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.bad_input.cases import table_items
from tests.integration.card_helpers import (
    cards,
    confirm,
    confirmed_setup,
    save,
    saved_card,
    setup_intent,
)
from tests.integration.helpers import Account, problem, register_and_login
from tests.integration.order_helpers import checkout_body, market, place, put_cart_line
from tests.support.lambda_api import LambdaApi

CARD_FIELDS = {"id", "brand", "last4", "expMonth", "expYear", "isDefault"}


@pytest.fixture
def user(api: LambdaApi) -> Account:
    return register_and_login(api)


def _stored(user_id: str) -> list[dict[str, Any]]:
    return [
        i
        for i in table_items()
        if i["PK"]["S"] == f"USER#{user_id}" and i["SK"]["S"].startswith("CARDS")
    ]


def test_a_card_is_saved_through_a_confirmed_setup_intent(api: LambdaApi, user: Account) -> None:
    started = setup_intent(api, user)
    assert started["setupIntentId"].startswith("seti_test_")
    assert started["clientSecret"].startswith(started["setupIntentId"] + "_secret_")
    assert confirm(api, started["setupIntentId"], "pm_card_mastercard").status == 200

    response = save(api, user, started["setupIntentId"])
    assert response.status == 201, response.text
    card = response.body
    assert set(card) == CARD_FIELDS
    assert card["id"].startswith("pm_test_saved_")
    assert (card["brand"], card["last4"], card["expMonth"]) == ("mastercard", "4444", 12)
    assert card["isDefault"] is True  # the first card is the default
    assert cards(api, user) == [card]


def test_only_brand_last_four_expiry_and_the_default_are_stored(
    api: LambdaApi, user: Account
) -> None:
    card = saved_card(api, user)
    items = _stored(user.user_id)
    card_item = next(i for i in items if i["SK"]["S"] == f"CARDS#{card['id']}")
    assert set(card_item) == {
        "PK", "SK", "type", "userId", "paymentMethod", "customerId", "brand", "last4",
        "expMonth", "expYear", "createdAt", "updatedAt",
    }  # fmt: skip
    customer = next(i for i in items if i["SK"]["S"] == "CARDS")
    assert customer["customerId"]["S"].startswith("cus_test_")
    assert customer["defaultPaymentMethod"]["S"] == card["id"]


def test_the_customer_is_created_once(api: LambdaApi, user: Account) -> None:
    first = saved_card(api, user)
    second = saved_card(api, user, "pm_card_amex")
    items = _stored(user.user_id)
    customers = {i["customerId"]["S"] for i in items}
    assert len(customers) == 1
    ledger = [i for i in table_items() if i["PK"]["S"].startswith("TESTCUSTOMER#")]
    assert [i["PK"]["S"] for i in ledger] == [f"TESTCUSTOMER#customer:{user.user_id}"]
    assert [c["id"] for c in cards(api, user)] == [first["id"], second["id"]]
    assert [c["isDefault"] for c in cards(api, user)] == [True, False]


def test_saving_again_answers_the_same_card(api: LambdaApi, user: Account) -> None:
    seti = confirmed_setup(api, user)
    first = save(api, user, seti)
    again = save(api, user, seti)
    assert (first.status, again.status) == (201, 201)
    assert first.body == again.body
    assert len(cards(api, user)) == 1


def test_make_default_on_save_and_by_route(api: LambdaApi, user: Account) -> None:
    visa = saved_card(api, user)
    amex = saved_card(api, user, "pm_card_amex", make_default=True)
    assert amex["isDefault"] is True
    assert {c["id"]: c["isDefault"] for c in cards(api, user)} == {
        visa["id"]: False,
        amex["id"]: True,
    }

    response = api.post(f"/me/payment-methods/{visa['id']}/default", token=user.access)
    assert response.status == 200, response.text
    assert response.body == {**visa, "isDefault": True}
    assert {c["id"]: c["isDefault"] for c in cards(api, user)} == {
        visa["id"]: True,
        amex["id"]: False,
    }


def test_a_setup_not_confirmed_or_not_mine_cannot_be_saved(api: LambdaApi, user: Account) -> None:
    unconfirmed = setup_intent(api, user)["setupIntentId"]
    problem(save(api, user, unconfirmed), 409, "setup_not_confirmed")
    other = register_and_login(api)
    theirs = confirmed_setup(api, other)
    problem(save(api, user, theirs), 409, "setup_not_confirmed")
    problem(save(api, user, "seti_test_unknown"), 409, "setup_not_confirmed")
    assert cards(api, user) == []
    assert cards(api, other) == []


def test_a_user_without_a_customer_cannot_save(api: LambdaApi, user: Account) -> None:
    other = register_and_login(api)
    theirs = confirmed_setup(api, other)
    before = table_items()
    problem(save(api, user, theirs), 409, "setup_not_confirmed")
    assert table_items() == before


def test_deleting_detaches_and_moves_the_default(api: LambdaApi, user: Account) -> None:
    visa = saved_card(api, user)
    amex = saved_card(api, user, "pm_card_amex")
    jcb = saved_card(api, user, "pm_card_jcb")
    response = api.delete(f"/me/payment-methods/{visa['id']}", token=user.access)
    assert response.status == 204, response.text
    # the newest card left becomes the default
    assert [(c["id"], c["isDefault"]) for c in cards(api, user)] == [
        (amex["id"], False),
        (jcb["id"], True),
    ]
    ledger = next(
        i
        for i in table_items()
        if i["PK"]["S"].startswith("TESTSETUP#")
        and i.get("paymentMethod", {}).get("S") == visa["id"]
    )
    assert ledger["detached"]["BOOL"] is True
    # a removed card is gone: 404 again, nothing else changes
    before = table_items()
    problem(
        api.delete(f"/me/payment-methods/{visa['id']}", token=user.access),
        404,
        "payment_method_not_found",
    )
    assert table_items() == before


def test_deleting_a_card_that_is_not_the_default_keeps_the_default(
    api: LambdaApi, user: Account
) -> None:
    visa = saved_card(api, user)
    amex = saved_card(api, user, "pm_card_amex")
    assert api.delete(f"/me/payment-methods/{amex['id']}", token=user.access).status == 204
    assert cards(api, user) == [visa]
    assert api.delete(f"/me/payment-methods/{visa['id']}", token=user.access).status == 204
    assert cards(api, user) == []
    # a new card after all were removed becomes the default again
    assert saved_card(api, user, "pm_card_discover")["isDefault"] is True


def test_another_users_card_is_not_found(api: LambdaApi, user: Account) -> None:
    other = register_and_login(api)
    theirs = saved_card(api, other)
    before = table_items()
    problem(
        api.delete(f"/me/payment-methods/{theirs['id']}", token=user.access),
        404,
        "payment_method_not_found",
    )
    problem(
        api.post(f"/me/payment-methods/{theirs['id']}/default", token=user.access),
        404,
        "payment_method_not_found",
    )
    assert table_items() == before
    assert cards(api, user) == []
    assert cards(api, other) == [theirs]


def test_the_stand_in_confirms_once_and_refuses_declining_cards(
    api: LambdaApi, user: Account
) -> None:
    seti = setup_intent(api, user)["setupIntentId"]
    declined = confirm(api, seti, "pm_card_chargeDeclined")
    body = problem(declined, 422, "card_declined")
    assert body["declineCode"] == "generic_decline"
    first = confirm(api, seti, "pm_card_visa")
    assert first.status == 200, first.text
    assert first.body["status"] == "succeeded"
    assert (first.body["brand"], first.body["last4"]) == ("visa", "4242")
    again = confirm(api, seti, "pm_card_amex")  # confirmed already: its card
    assert again.body == first.body
    problem(confirm(api, "seti_test_nothing", "pm_card_visa"), 404, "not_found")


def test_the_stand_in_is_not_there_on_a_stage_with_stripe(api: LambdaApi, user: Account) -> None:
    from tests.integration.test_payment_mode import forget, set_secret
    from tests.support.stripe_stub import SECRET_KEY

    seti = setup_intent(api, user)["setupIntentId"]
    forget()
    set_secret(secretKey=SECRET_KEY)  # the stage switched to Stripe
    try:
        problem(confirm(api, seti, "pm_card_visa"), 404, "not_found")
    finally:
        set_secret(secretKey="")
        forget()
    assert confirm(api, seti, "pm_card_visa").status == 200  # test mode again


def test_a_body_sent_to_setup_is_ignored(api: LambdaApi, user: Account) -> None:
    response = api.post(
        "/me/payment-methods/setup", json={"customerId": "cus_someone_else"}, token=user.access
    )
    assert response.status == 201, response.text
    (customer,) = [i for i in _stored(user.user_id) if i["SK"]["S"] == "CARDS"]
    assert customer["customerId"]["S"].startswith("cus_test_")


# -- checkout with a saved card --------------------------------------------------------------


def _process(order_id: str) -> Any:
    from domain.buying.payments import process_payment
    from domain.clock import utcnow
    from handlers.shared import wiring

    return process_payment(
        order_id,
        1,
        orders=wiring.order_reader(),
        payments=wiring.payment_records(),
        provider=wiring.payment_provider(),
        now=utcnow(),
    )


def _order_item(order_id: str) -> dict[str, Any]:
    return next(
        i
        for i in table_items()
        if i["PK"]["S"] == f"ORDER#{order_id}" and i["SK"]["S"] == "METADATA"
    )


def _ledger(order_id: str) -> dict[str, Any]:
    return next(i for i in table_items() if i["PK"]["S"] == f"TESTCHARGE#{order_id}:1")


def test_checkout_with_a_saved_card_charges_it_with_its_customer(api: LambdaApi) -> None:
    m = market(api)
    card = saved_card(api, m.buyer, "pm_card_amex")
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    placed = place(api, m.buyer, body=checkout_body(paymentMethod=card["id"]))
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]
    item = _order_item(order_id)
    assert item["paymentMethod"]["S"] == card["id"]
    assert item["customerId"]["S"].startswith("cus_test_")
    assert _process(order_id).outcome.value == "paid"
    assert _ledger(order_id)["outcome"]["S"] == "succeeded"


def test_checkout_with_a_one_off_test_card_records_no_customer(api: LambdaApi) -> None:
    m = market(api)
    saved_card(api, m.buyer)  # saved cards exist, but this checkout names a test card
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    placed = place(api, m.buyer)
    assert placed.status == 201, placed.text
    assert "customerId" not in _order_item(placed.body["orderId"])
    assert _process(placed.body["orderId"]).outcome.value == "paid"


def test_someone_elses_saved_card_is_declined(api: LambdaApi) -> None:
    m = market(api)
    other = register_and_login(api)
    theirs = saved_card(api, other)
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    placed = place(api, m.buyer, body=checkout_body(paymentMethod=theirs["id"]))
    assert placed.status == 201, placed.text
    assert "customerId" not in _order_item(placed.body["orderId"])
    answer = _process(placed.body["orderId"])
    assert (answer.outcome.value, answer.decline_code) == ("declined", "invalid_payment_method")


def test_a_removed_card_is_declined(api: LambdaApi) -> None:
    m = market(api)
    card = saved_card(api, m.buyer)
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    placed = place(api, m.buyer, body=checkout_body(paymentMethod=card["id"]))
    assert placed.status == 201, placed.text
    assert api.delete(f"/me/payment-methods/{card['id']}", token=m.buyer.access).status == 204
    answer = _process(placed.body["orderId"])
    assert (answer.outcome.value, answer.decline_code) == ("declined", "invalid_payment_method")


def test_a_saved_card_whose_charges_fail_is_declined(api: LambdaApi) -> None:
    m = market(api)
    card = saved_card(api, m.buyer, "pm_card_chargeCustomerFail")
    assert (card["brand"], card["last4"]) == ("visa", "0341")
    put_cart_line(m.buyer.user_id, m.product(api), 1, price=1999)
    placed = place(api, m.buyer, body=checkout_body(paymentMethod=card["id"]))
    answer = _process(placed.body["orderId"])
    assert (answer.outcome.value, answer.decline_code) == ("declined", "generic_decline")


def test_the_card_flow_logs_no_client_secret(api: LambdaApi, user: Account) -> None:
    from tests.integration.test_logs import bazaar_logs

    with bazaar_logs() as stream:
        started = setup_intent(api, user)
        assert confirm(api, started["setupIntentId"]).status == 200
        assert save(api, user, started["setupIntentId"]).status == 201
        assert len(cards(api, user)) == 1
    assert started["clientSecret"] not in stream.getvalue()
