"""POST /payments/test/setup-intents/{setupIntentId}/confirm: test mode's Stripe.js.

Only on a stage without Stripe (404 otherwise): attaches one of Stripe's test cards
(``pm_card_visa`` …) to the SetupIntent, as ``stripe.confirmCardSetup`` would. Public,
like Stripe.js (which holds only a publishable key): the intent's id is the capability.
"""

from __future__ import annotations

from typing import Annotated

from domain.payments.cards import confirm_test_setup
from handlers.payment_methods.schemas import SetupIntentId, TestConfirmOut, TestConfirmRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Path, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)


@app.post(
    "/payments/test/setup-intents/<setupIntentId>/confirm",
    summary="Confirm a SetupIntent with a test card (test mode only)",
    **documented(200, TestConfirmOut, 404),
)
def confirm_setup_intent(
    setupIntentId: Annotated[SetupIntentId, Path()],  # noqa: N803 - the path's own name
    body: TestConfirmRequest,
) -> Response[TestConfirmOut]:
    # Asked per request: the payments secret (which says Stripe or test mode) is never
    # read at import.
    saved = confirm_test_setup(setupIntentId, body.payment_method, vault=wiring.setup_confirmer())
    return reply(TestConfirmOut.of(setupIntentId, saved))


lambda_handler = handler_for(app)
