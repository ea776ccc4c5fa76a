"""PUT /products/{productId}/reviews/me: write or rewrite my review (rating 1-5)."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.reviews import ReviewForm, write_review
from handlers.reviews.schemas import ReviewOut, ReviewRequest
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
reviews = wiring.reviews()


@app.put(
    "/products/<productId>/reviews/me",
    summary="Review a product",
    **documented(200, ReviewOut, 401, 403, 404, 409),
)
def put_review(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: ReviewRequest,
) -> Response[ReviewOut]:
    form = ReviewForm(rating=body.rating, title=body.title, text=body.text)
    review = write_review(productId, form, actor=actor_of(app.principal), reviews=reviews)
    return reply(ReviewOut.of(review))


lambda_handler = handler_for(app)
