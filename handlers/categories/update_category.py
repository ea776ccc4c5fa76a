"""PATCH /categories/{categoryId}: rename, re-slug or move (never under itself)."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.categories import update_category
from handlers.categories.schemas import CategoryOut, CategoryPatch
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
categories = wiring.categories()


@app.patch(
    "/categories/<categoryId>",
    summary="Rename or move a category",
    **documented(200, CategoryOut, 401, 403, 404, 409),
)
def change_category(
    categoryId: Annotated[Identifier, Path()],  # noqa: N803
    body: CategoryPatch,
) -> Response[CategoryOut]:
    category = update_category(
        categoryId,
        name=body.name,
        slug=body.slug,
        parent_id=body.parent_id,
        move=body.moves,
        categories=categories,
    )
    return reply(CategoryOut.of(category))


lambda_handler = handler_for(app)
