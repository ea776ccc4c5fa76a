"""POST /reality/{productId}/generate: (re)make the product's model from its main photo.

The worker makes it (a textured card at the product's size, ``source: generated``) unless
the product has an uploaded glb, or one made from the same photo at the same size.
"""

from __future__ import annotations

from typing import Annotated

from domain.reality.assets import request_generation
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
products, queue = wiring.products(), wiring.model_queue()


@app.post(
    "/reality/<productId>/generate",
    summary="Make a 3D model from the product's photo",
    **documented(202, None, 401, 403, 404, 422),
)
def generate(productId: Annotated[Identifier, Path()]) -> Response[None]:  # noqa: N803
    request_generation(productId, actor=actor_of(app.principal), products=products, queue=queue)
    return reply(None, 202)


lambda_handler = handler_for(app)
