"""POST /reality/{productId}/uploads/{assetId}/done: the file is in the bucket; validate it.

An explicit call rather than the bucket's event (docs/reality.md): it works the same on
AWS, under ``make dev`` and in the end-to-end tests. The answer is the asset, ``processing``;
the worker sets ``ready`` or ``rejected`` (with the reason) moments later.
"""

from __future__ import annotations

from typing import Annotated

from domain.reality.assets import finish_upload
from handlers.reality.schemas import AssetOut
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
products, assets, queue = wiring.products(), wiring.assets(), wiring.model_queue()


@app.post(
    "/reality/<productId>/uploads/<assetId>/done",
    summary="Say a 3D model upload is finished",
    **documented(202, AssetOut, 401, 403, 404, 409),
)
def done(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    assetId: Annotated[Identifier, Path()],  # noqa: N803
) -> Response[AssetOut]:
    asset = finish_upload(
        productId,
        assetId,
        actor=actor_of(app.principal),
        products=products,
        assets=assets,
        queue=queue,
    )
    return reply(AssetOut.of(asset), 202)


lambda_handler = handler_for(app)
