"""PATCH /me/addresses/{addressId}: change an address or make it the default."""

from __future__ import annotations

from typing import Annotated

from domain.accounts.services import update_address
from handlers.me.schemas import AddressOut, AddressPatch
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.patch(
    "/me/addresses/<addressId>",
    summary="Change an address",
    **documented(200, AddressOut, 401, 404),
)
def change_address(
    addressId: Annotated[Identifier, Path()],  # noqa: N803 - the path's own name
    body: AddressPatch,
) -> Response[AddressOut]:
    user, address = update_address(
        app.principal.user_id,
        addressId,
        body.changes(),
        default_shipping=body.default_shipping,
        default_billing=body.default_billing,
        accounts=accounts,
    )
    return reply(AddressOut.of(address, user))


lambda_handler = handler_for(app)
