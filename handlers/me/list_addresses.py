"""GET /me/addresses: the caller's address book."""

from __future__ import annotations

from domain.accounts.services import profile
from handlers.me.schemas import AddressList, AddressOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.get("/me/addresses", summary="My addresses", **documented(200, AddressList, 401))
def list_addresses() -> Response[AddressList]:
    user, addresses = profile(app.principal.user_id, accounts=accounts)
    ordered = sorted(addresses, key=lambda a: a.address_id)
    return reply(AddressList(items=[AddressOut.of(a, user) for a in ordered]))


lambda_handler = handler_for(app)
