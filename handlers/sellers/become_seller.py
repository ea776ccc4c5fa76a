"""POST /sellers: a customer opens a shop and becomes a seller."""

from __future__ import annotations

from domain.catalog.sellers import ShopForm, become_seller
from handlers.sellers.schemas import BecomeSellerRequest, SellerOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Response,
    documented,
    handler_for,
    reply,
)

# Sellers may ask too: they get a 409 (they already have a shop), not a 403.
app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
accounts, sellers = wiring.accounts(), wiring.sellers()


@app.post(
    "/sellers", summary="Open a shop (become a seller)", **documented(201, SellerOut, 401, 403, 409)
)
def open_shop(body: BecomeSellerRequest) -> Response[SellerOut]:
    form = ShopForm(body.shop_name, body.contact_email, body.description)
    seller = become_seller(app.principal.user_id, form, accounts=accounts, sellers=sellers)
    return reply(SellerOut.of(seller), 201)


lambda_handler = handler_for(app)
