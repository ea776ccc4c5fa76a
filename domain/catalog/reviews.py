"""Reviews: one per user and product, rating summary kept exact in the same write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.catalog.model import Actor, ProductStatus, Review, may_see
from domain.catalog.ports import ProductRepository, ReviewRepository
from domain.clock import utcnow
from domain.errors import Forbidden, NotFound
from domain.paging import Page


@dataclass(frozen=True)
class ReviewForm:
    rating: int
    title: str
    text: str


def _author_name(first: str, last: str) -> str:
    return f"{first} {last[:1]}." if last else first


def write_review(
    product_id: str,
    form: ReviewForm,
    *,
    actor: Actor,
    reviews: ReviewRepository,
    now: datetime | None = None,
) -> Review:
    """Create or replace the caller's review of an active product.

    Only a verified buyer may: someone an order holding the product was delivered to
    (never the product's own seller).
    """
    now = now or utcnow()
    product, previous, user, verified = reviews.review_context(product_id, actor.user_id)
    if product is None or product.status is not ProductStatus.ACTIVE or user is None:
        raise NotFound("no such product", code="product_not_found")
    # By the product's seller id, not the token's role: a token issued before the shop
    # opened (or after a role change) still says "customer" for the product's own seller.
    if product.seller_id == actor.seller_id:
        raise Forbidden("sellers do not review their own products", code="own_product")
    if not verified:
        raise Forbidden(
            "only a buyer who received this product may review it",
            code="verified_buyer_required",
        )
    review = Review(
        product_id=product_id,
        user_id=actor.user_id,
        rating=form.rating,
        title=form.title,
        text=form.text,
        author_name=_author_name(user.first_name, user.last_name),
        created_at=previous.created_at if previous else now,
        updated_at=now,
    )
    reviews.save_review(review, previous)
    return review


def remove_review(product_id: str, *, actor: Actor, reviews: ReviewRepository) -> None:
    review = reviews.review_context(product_id, actor.user_id).review
    if review is None:
        raise NotFound("you have not reviewed this product", code="review_not_found")
    reviews.delete_review(review)


def product_reviews(
    product_id: str,
    cursor: str | None,
    limit: int,
    *,
    actor: Actor | None,
    products: ProductRepository,
    reviews: ReviewRepository,
) -> Page[Review]:
    """Newest first; the reviews of a product the caller may not see are a 404 too."""
    product = products.product(product_id)
    if product is None or not may_see(actor, product):
        raise NotFound("no such product", code="product_not_found")
    return reviews.reviews(product_id, cursor, limit)
