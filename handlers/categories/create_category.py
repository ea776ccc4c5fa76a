"""POST /categories: add a category (optionally under a parent)."""

from __future__ import annotations

from domain.catalog.categories import create_category
from handlers.categories.schemas import CategoryOut, CategoryRequest
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=ADMINS)
categories = wiring.categories()


@app.post(
    "/categories", summary="Create a category", **documented(201, CategoryOut, 401, 403, 404, 409)
)
def add_category(body: CategoryRequest) -> Response[CategoryOut]:
    category = create_category(
        body.name, parent_id=body.parent_id, slug=body.slug, categories=categories
    )
    return reply(CategoryOut.of(category), 201)


lambda_handler = handler_for(app)
