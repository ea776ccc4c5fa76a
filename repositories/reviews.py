"""Reviews: ``PRODUCT#<id>`` / ``REVIEW#<userId>``, newest first on GSI1
(``REVIEWS#<productId>``) and a user's on GSI2 (``USER#<userId>``). A review and the
product's rating sums change in one transaction."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from domain.accounts.model import User
from domain.catalog.model import Product, ProductStatus, Review
from domain.catalog.ports import ReviewContext
from domain.clock import iso, parse_iso
from domain.errors import Conflict, NotFound
from domain.paging import Page
from repositories import keys
from repositories.accounts.items import UserItem, to_user
from repositories.buying.purchases import PurchaseItem
from repositories.catalog.items import ProductItem, to_product
from repositories.cursors import GSI1_KEYS, decode_cursor, take_page
from repositories.table import ConditionFailed, Item, Transaction


class ReviewItem(Item, discriminator="Review"):
    product_id = UnicodeAttribute(attr_name="productId")
    user_id = UnicodeAttribute(attr_name="userId")
    rating = NumberAttribute()
    title = UnicodeAttribute()
    text = UnicodeAttribute()
    author_name = UnicodeAttribute(attr_name="authorName")


def _review(item: ReviewItem) -> Review:
    return Review(
        product_id=item.product_id,
        user_id=item.user_id,
        rating=int(item.rating),
        title=item.title,
        text=item.text,
        author_name=item.author_name,
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


class DynamoReviews:
    def review_context(self, product_id: str, user_id: str) -> ReviewContext:
        """The product, the user's review and profile, and the user's purchase marker of
        the product (written when an order holding it is delivered): one BatchGetItem."""
        product: Product | None = None
        review: Review | None = None
        user: User | None = None
        verified = False
        wanted = [
            (keys.product_pk(product_id), keys.METADATA),
            (keys.product_pk(product_id), keys.review_sk(user_id)),
            (keys.user_pk(user_id), keys.PROFILE),
            (keys.user_pk(user_id), keys.purchase_sk(product_id)),
        ]
        for item in Item.batch_get(wanted):
            if isinstance(item, ProductItem):
                product = to_product(item)
            elif isinstance(item, ReviewItem):
                review = _review(item)
            elif isinstance(item, UserItem):
                user = to_user(item)
            elif isinstance(item, PurchaseItem):
                verified = True
        return ReviewContext(product, review, user, verified)

    def save_review(self, review: Review, previous: Review | None) -> None:
        created = iso(review.created_at)
        item = ReviewItem(
            keys.product_pk(review.product_id),
            keys.review_sk(review.user_id),
            GSI1PK=keys.reviews_pk(review.product_id),
            GSI1SK=keys.time_key(created, review.user_id),
            GSI2PK=keys.user_pk(review.user_id),
            GSI2SK=keys.user_review_sk(created, review.product_id),
            product_id=review.product_id,
            user_id=review.user_id,
            rating=review.rating,
            title=review.title,
            text=review.text,
            author_name=review.author_name,
            created_at=created,
            updated_at=iso(review.updated_at),
        )
        tx = Transaction()
        tx.put(
            item,
            condition=ReviewItem.PK.does_not_exist()
            if previous is None
            else (ReviewItem.rating == previous.rating)
            & (ReviewItem.updated_at == iso(previous.updated_at)),
            label="review",
        )
        tx.update(
            ProductItem(keys.product_pk(review.product_id), keys.METADATA),
            actions=[
                ProductItem.rating_count.add(0 if previous else 1),
                ProductItem.rating_total.add(review.rating - (previous.rating if previous else 0)),
            ],
            condition=ProductItem.status == ProductStatus.ACTIVE.value,
            label="product",
        )
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "product":
                raise NotFound("no such product", code="product_not_found") from None
            raise Conflict(
                "your review changed meanwhile; read it again", code="concurrent_update"
            ) from None

    def delete_review(self, review: Review) -> None:
        tx = Transaction()
        tx.delete(
            ReviewItem(keys.product_pk(review.product_id), keys.review_sk(review.user_id)),
            condition=(ReviewItem.rating == review.rating)
            & (ReviewItem.updated_at == iso(review.updated_at)),
        )
        tx.update(
            ProductItem(keys.product_pk(review.product_id), keys.METADATA),
            actions=[
                ProductItem.rating_count.add(-1),
                ProductItem.rating_total.add(-review.rating),
            ],
            condition=ProductItem.PK.exists(),
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise Conflict(
                "your review changed meanwhile; read it again", code="concurrent_update"
            ) from None

    def reviews(self, product_id: str, cursor: str | None, limit: int) -> Page[Review]:
        partition = keys.reviews_pk(product_id)
        results = ReviewItem.gsi1.query(
            partition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI1_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_review(i) for i in items], next_cursor)
