"""GET /reality/{productId}: the product's 3D/AR models with their dimensions and URLs.

Everybody sees an active product's ready models; its seller and admins see every model of
it in any state, a rejected one with its reason.
"""

from __future__ import annotations

from typing import Annotated

from domain.reality.assets import reality_of
from handlers.reality.schemas import RealityOut
from handlers.shared import wiring
from handlers.shared.actors import optional_actor
from handlers.shared.http import PUBLIC, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=PUBLIC, optional_auth=True)
products, assets = wiring.products(), wiring.assets()


@app.get(
    "/reality/<productId>", summary="A product's 3D models", **documented(200, RealityOut, 404)
)
def get_reality(productId: Annotated[Identifier, Path()]) -> Response[RealityOut]:  # noqa: N803
    product, found = reality_of(
        productId, actor=optional_actor(app.caller), products=products, assets=assets
    )
    return reply(RealityOut.of(product, found))


lambda_handler = handler_for(app)
