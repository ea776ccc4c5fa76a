"""PUT /products/{productId}/inventory: set the available stock (a stock count)."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.stock import set_stock
from handlers.inventory.schemas import InventoryOut, SetStockRequest
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


@app.put(
    "/products/<productId>/inventory",
    summary="Set the available stock",
    **documented(200, InventoryOut, 401, 403, 404, 409),
)
def put_inventory(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: SetStockRequest,
) -> Response[InventoryOut]:
    inventory = set_stock(
        productId,
        body.available,
        low_stock_threshold=body.low_stock_threshold,
        note=body.note,
        actor=actor_of(app.principal),
        products=products,
        inventories=inventories,
    )
    return reply(InventoryOut.of(inventory))


lambda_handler = handler_for(app)
