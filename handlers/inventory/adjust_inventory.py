"""POST /products/{productId}/inventory/adjustments: add or remove stock, with a reason."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.stock import adjust_stock
from handlers.inventory.schemas import AdjustStockRequest, InventoryOut
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


@app.post(
    "/products/<productId>/inventory/adjustments",
    summary="Adjust the stock",
    **documented(201, InventoryOut, 401, 403, 404, 409),
)
def adjust(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: AdjustStockRequest,
) -> Response[InventoryOut]:
    inventory = adjust_stock(
        productId,
        body.delta,
        body.reason,
        note=body.note,
        actor=actor_of(app.principal),
        products=products,
        inventories=inventories,
    )
    return reply(InventoryOut.of(inventory), 201)


lambda_handler = handler_for(app)
