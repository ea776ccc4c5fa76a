"""GET /products/{productId}/inventory: stock figures and the latest adjustments."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.stock import stock
from handlers.inventory.schemas import InventoryOut
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_OR_ADMINS,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SELLERS_OR_ADMINS)
products, inventories = wiring.products(), wiring.inventories()


@app.get(
    "/products/<productId>/inventory",
    summary="Stock of a product",
    **documented(200, InventoryOut, 401, 403, 404),
)
def get_inventory(productId: Annotated[Identifier, Path()]) -> Response[InventoryOut]:  # noqa: N803
    inventory, adjustments = stock(
        productId, actor=actor_of(app.principal), products=products, inventories=inventories
    )
    return reply(InventoryOut.of(inventory, adjustments))


lambda_handler = handler_for(app)
