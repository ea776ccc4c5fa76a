"""DELETE /me/addresses/{addressId}: remove an address."""

from __future__ import annotations

from typing import Annotated

from domain.accounts.services import delete_address
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.delete(
    "/me/addresses/<addressId>", summary="Remove an address", **documented(204, None, 401, 404)
)
def remove_address(addressId: Annotated[Identifier, Path()]) -> Response[None]:  # noqa: N803
    delete_address(app.principal.user_id, addressId, accounts=accounts)
    return reply(status=204)


lambda_handler = handler_for(app)
