"""DELETE /categories/{categoryId}: remove an empty category."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.categories import delete_category
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
categories = wiring.categories()


@app.delete(
    "/categories/<categoryId>",
    summary="Delete an empty category",
    **documented(204, None, 401, 403, 404, 409),
)
def remove_category(categoryId: Annotated[Identifier, Path()]) -> Response[None]:  # noqa: N803
    delete_category(categoryId, categories=categories)
    return reply(status=204)


lambda_handler = handler_for(app)
