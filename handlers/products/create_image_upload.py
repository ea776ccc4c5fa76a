"""POST /products/{productId}/images/uploads: a presigned form to upload one image.

The client POSTs the file straight to the bucket with the returned fields, then adds
``imageUrl`` (with alt text) to the product's ``images`` through PATCH /products/{id}.
"""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import image_upload_form
from handlers.products.schemas import UploadOut, UploadRequest
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_ONLY,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SELLERS_ONLY)
products, images = wiring.products(), wiring.image_store()


@app.post(
    "/products/<productId>/images/uploads",
    summary="Get an image upload form",
    **documented(201, UploadOut, 401, 403, 404),
)
def upload_form(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: UploadRequest,
) -> Response[UploadOut]:
    form = image_upload_form(
        productId,
        body.content_type,
        actor=actor_of(app.principal),
        products=products,
        images=images,
    )
    return reply(UploadOut.of(form), 201)


lambda_handler = handler_for(app)
