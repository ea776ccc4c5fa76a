"""Bad input on the saved-card routes and the test-mode SetupIntent stand-in."""

from __future__ import annotations

from tests.integration.bad_input.cases import Case, body_cases, by_route, err, table_test

SAVE = {"setupIntentId": "seti_test_000000000000000000000000"}
CONFIRM = {"paymentMethod": "pm_card_visa"}
UNKNOWN_PM = "pm_test_saved_000000000000000000000000"
UNKNOWN_SETI = "seti_test_000000000000000000000000"
CONFIRM_PATH = f"/payments/test/setup-intents/{UNKNOWN_SETI}/confirm"

CASES: list[Case] = by_route([
    # -- GET /me/payment-methods ------------------------------------------------------------
    Case("list cards: signed out", "GET", "/me/payment-methods", token=None, status=401,
         code="token_missing"),
    Case("list cards: admin", "GET", "/me/payment-methods", token="admin", status=403,
         code="forbidden_role"),
    # -- POST /me/payment-methods/setup (no body) -------------------------------------------
    Case("start setup: signed out", "POST", "/me/payment-methods/setup", token=None,
         status=401, code="token_missing"),
    # what is sent is never read (an admin is refused before anything: nothing written)
    Case("start setup: a body is ignored", "POST", "/me/payment-methods/setup",
         {"customerId": "cus_someone_else"}, token="admin", status=403, code="forbidden_role"),
    # -- POST /me/payment-methods -----------------------------------------------------------
    Case("save card: nothing", "POST", "/me/payment-methods", {},
         errors=err(("body.setupIntentId", "missing"))),
    Case("save card: not a setup intent", "POST", "/me/payment-methods",
         {"setupIntentId": "pi_123"},
         errors=err(("body.setupIntentId", "string_pattern_mismatch"))),
    Case("save card: injected id", "POST", "/me/payment-methods",
         {"setupIntentId": "seti_x' OR 1=1"},
         errors=err(("body.setupIntentId", "string_pattern_mismatch"))),
    Case("save card: numeric id", "POST", "/me/payment-methods", {"setupIntentId": 42},
         errors=err(("body.setupIntentId", "string_type"))),
    Case("save card: string for boolean", "POST", "/me/payment-methods",
         {**SAVE, "makeDefault": "yes"}, errors=err(("body.makeDefault", "bool_type"))),
    Case("save card: card data sent", "POST", "/me/payment-methods",
         {**SAVE, "number": "4242424242424242", "cvc": "123", "brand": "visa", "last4": "4242",
          "customerId": "cus_someone_else"},
         errors=err(("body.number", "extra_forbidden"), ("body.cvc", "extra_forbidden"),
                    ("body.brand", "extra_forbidden"), ("body.customerId", "extra_forbidden"))),
    Case("save card: snake case", "POST", "/me/payment-methods",
         {"setup_intent_id": SAVE["setupIntentId"]},
         errors=err(("body.setupIntentId", "missing"),
                    ("body.setup_intent_id", "extra_forbidden"))),
    Case("save card: an intent never confirmed (no customer yet)", "POST", "/me/payment-methods",
         SAVE, status=409, code="setup_not_confirmed"),
    Case("save card: admin", "POST", "/me/payment-methods", SAVE, token="admin", status=403,
         code="forbidden_role"),
    *body_cases("save card", "POST", "/me/payment-methods", token="customer", valid=SAVE),
    # -- DELETE /me/payment-methods/{paymentMethodId} ------------------------------------------
    Case("remove card: malformed id", "DELETE", "/me/payment-methods/card-1",
         errors=err(("path.paymentMethodId", "string_pattern_mismatch"))),
    Case("remove card: injected id", "DELETE", "/me/payment-methods/pm_x'%20OR%201=1",
         errors=err(("path.paymentMethodId", "string_pattern_mismatch"))),
    Case("remove card: unknown", "DELETE", f"/me/payment-methods/{UNKNOWN_PM}", status=404,
         code="payment_method_not_found"),
    # -- POST /me/payment-methods/{paymentMethodId}/default (no body) --------------------------
    Case("default card: malformed id", "POST", "/me/payment-methods/4242/default",
         errors=err(("path.paymentMethodId", "string_pattern_mismatch"))),
    Case("default card: unknown", "POST", f"/me/payment-methods/{UNKNOWN_PM}/default",
         status=404, code="payment_method_not_found"),
    Case("default card: a body is ignored", "POST", f"/me/payment-methods/{UNKNOWN_PM}/default",
         {"isDefault": False, "userId": "usr_01JD0000000000000000000000"}, status=404,
         code="payment_method_not_found"),
    # -- POST /payments/test/setup-intents/{setupIntentId}/confirm -----------------------------
    Case("confirm setup: malformed id", "POST", "/payments/test/setup-intents/nope/confirm",
         CONFIRM, token=None, errors=err(("path.setupIntentId", "string_pattern_mismatch"))),
    Case("confirm setup: nothing", "POST", CONFIRM_PATH, {}, token=None,
         errors=err(("body.paymentMethod", "missing"))),
    Case("confirm setup: a card number", "POST", CONFIRM_PATH,
         {"paymentMethod": "4242424242424242"}, token=None,
         errors=err(("body.paymentMethod", "string_pattern_mismatch"))),
    Case("confirm setup: extra fields", "POST", CONFIRM_PATH,
         {**CONFIRM, "status": "succeeded", "customer": "cus_x"}, token=None,
         errors=err(("body.status", "extra_forbidden"), ("body.customer", "extra_forbidden"))),
    Case("confirm setup: unknown intent", "POST", CONFIRM_PATH, CONFIRM, token=None,
         status=404, code="not_found"),
    *body_cases("confirm setup", "POST", CONFIRM_PATH, token=None, valid=CONFIRM),
])  # fmt: skip

test_bad_input = table_test(CASES)
