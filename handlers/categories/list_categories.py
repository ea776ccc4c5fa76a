"""GET /categories: the whole category tree (one Query)."""

from __future__ import annotations

from domain.catalog.categories import tree
from handlers.categories.schemas import CategoryNodeOut, CategoryTreeOut
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
categories = wiring.categories()


@app.get("/categories", summary="The category tree", **documented(200, CategoryTreeOut))
def list_categories() -> Response[CategoryTreeOut]:
    roots = tree(categories.all_categories())
    return reply(CategoryTreeOut(items=[CategoryNodeOut.of(n) for n in roots]))


lambda_handler = handler_for(app)
