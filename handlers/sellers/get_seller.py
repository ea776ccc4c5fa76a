"""GET /sellers/{sellerId}: a shop's public page."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.sellers import shop
from handlers.sellers.schemas import SellerOut
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=PUBLIC)
sellers = wiring.sellers()


@app.get("/sellers/<sellerId>", summary="A seller's shop", **documented(200, SellerOut, 404))
def get_seller(sellerId: Annotated[Identifier, Path()]) -> Response[SellerOut]:  # noqa: N803
    return reply(SellerOut.of(shop(sellerId, sellers=sellers)))


lambda_handler = handler_for(app)
