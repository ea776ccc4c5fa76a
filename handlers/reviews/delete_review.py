"""DELETE /products/{productId}/reviews/me: withdraw my review."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.reviews import remove_review
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
reviews = wiring.reviews()


@app.delete(
    "/products/<productId>/reviews/me",
    summary="Withdraw my review",
    **documented(204, None, 401, 404, 409),
)
def delete_review(productId: Annotated[Identifier, Path()]) -> Response[None]:  # noqa: N803
    remove_review(productId, actor=actor_of(app.principal), reviews=reviews)
    return reply(status=204)


lambda_handler = handler_for(app)
