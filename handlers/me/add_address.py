"""POST /me/addresses: add an address (the first becomes the default)."""

from __future__ import annotations

from domain.accounts.services import add_address
from handlers.me.schemas import AddressOut, AddressRequest
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.post("/me/addresses", summary="Add an address", **documented(201, AddressOut, 401, 409))
def create_address(body: AddressRequest) -> Response[AddressOut]:
    user, address = add_address(
        app.principal.user_id,
        body.form(),
        default_shipping=body.default_shipping,
        default_billing=body.default_billing,
        accounts=accounts,
    )
    return reply(AddressOut.of(address, user), 201)


lambda_handler = handler_for(app)
