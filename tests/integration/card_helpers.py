"""Steps the saved-card tests share: a card saved the way a client saves one (setup, the
test-mode stand-in for Stripe.js confirming it, then the save)."""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import Account
from tests.support.lambda_api import LambdaApi


def setup_intent(api: LambdaApi, who: Account) -> dict[str, Any]:
    response = api.post("/me/payment-methods/setup", token=who.access)
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]


def confirm(api: LambdaApi, setup_intent_id: str, test_card: str = "pm_card_visa") -> Any:
    return api.post(
        f"/payments/test/setup-intents/{setup_intent_id}/confirm",
        json={"paymentMethod": test_card},
    )


def confirmed_setup(api: LambdaApi, who: Account, test_card: str = "pm_card_visa") -> str:
    seti = str(setup_intent(api, who)["setupIntentId"])
    response = confirm(api, seti, test_card)
    assert response.status == 200, response.text
    return seti


def save(api: LambdaApi, who: Account, seti: str, *, make_default: bool | None = None) -> Any:
    body: dict[str, Any] = {"setupIntentId": seti}
    if make_default is not None:
        body["makeDefault"] = make_default
    return api.post("/me/payment-methods", json=body, token=who.access)


def saved_card(
    api: LambdaApi, who: Account, test_card: str = "pm_card_visa", *, make_default: bool = False
) -> dict[str, Any]:
    """A saved card of ``who`` made from one of Stripe's test cards: its CardOut."""
    response = save(api, who, confirmed_setup(api, who, test_card), make_default=make_default)
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]


def cards(api: LambdaApi, who: Account) -> list[dict[str, Any]]:
    response = api.get("/me/payment-methods", token=who.access)
    assert response.status == 200, response.text
    return response.body["items"]  # type: ignore[no-any-return]
