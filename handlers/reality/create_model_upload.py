"""POST /reality/{productId}/uploads: a presigned form to upload one 3D model (.glb, .usdz).

The client POSTs the file straight to the bucket with the returned fields (the policy
fixes the key, the content type and the size), then calls the "done" route.
"""

from __future__ import annotations

from typing import Annotated

from domain.clock import utcnow
from domain.reality.assets import upload_form
from handlers.reality.schemas import ModelUploadOut, ModelUploadRequest
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
products, assets, files = wiring.products(), wiring.assets(), wiring.model_files()


@app.post(
    "/reality/<productId>/uploads",
    summary="Get a 3D model upload form",
    **documented(201, ModelUploadOut, 401, 403, 404, 422),
)
def model_upload(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: ModelUploadRequest,
) -> Response[ModelUploadOut]:
    asset, form = upload_form(
        productId,
        body.type,
        body.name,
        actor=actor_of(app.principal),
        products=products,
        assets=assets,
        files=files,
        now=utcnow(),
    )
    return reply(ModelUploadOut.of(asset, form), 201)


lambda_handler = handler_for(app)
