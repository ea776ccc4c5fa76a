"""Products: listing, editing with optimistic locking, moderation, browsing."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from domain.catalog.categories import CategoryTree
from domain.catalog.model import (
    ARCHIVABLE,
    DEFAULT_LOW_STOCK,
    EDITABLE,
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    SUBMITTABLE,
    Actor,
    BrowseQuery,
    Image,
    Inventory,
    Money,
    Product,
    ProductDetail,
    ProductStatus,
    ProductSummary,
    check_price,
    may_see,
    require_status,
)
from domain.catalog.ports import CategoryRepository, ImageStore, ProductRepository
from domain.clock import utcnow
from domain.errors import (
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleViolation,
)
from domain.ids import new_id
from domain.paging import Page

UPLOAD_EXPIRES_IN = 900
# What follows a product's image prefix: one file name (as image_upload_form makes them),
# so no "..", "%2e%2e" or sub-path can point at another product's objects.
_IMAGE_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)?")


@dataclass(frozen=True)
class ProductForm:
    name: str
    description: str
    price: Money
    category_id: str
    sku: str
    brand: str | None = None
    attributes: dict[str, str] | None = None
    images: list[Image] | None = None


# What a seller may change: every field of the form (the HTTP patch schema and the
# repository's edit map are held to these names by tests/unit/test_one_place.py).
EDITABLE_FIELDS = frozenset(f.name for f in fields(ProductForm))


def _not_found() -> NotFound:
    return NotFound("no such product", code="product_not_found")


def _check_images(images: list[Image], product_id: str, images_base_url: str) -> None:
    if len(images) > MAX_IMAGES:
        raise RuleViolation(f"a product has at most {MAX_IMAGES} images", code="too_many_images")
    prefix = f"{images_base_url.rstrip('/')}/products/{product_id}/"
    for image in images:
        name = image.url[len(prefix) :] if image.url.startswith(prefix) else ""
        if not _IMAGE_NAME.fullmatch(name):
            raise RuleViolation(
                "images are uploaded through POST /products/{id}/images/uploads first",
                code="foreign_image",
            )


def create_product(
    form: ProductForm,
    *,
    actor: Actor,
    products: ProductRepository,
    categories: CategoryRepository,
    store_currency: str,
    now: datetime | None = None,
) -> Product:
    """A seller lists a product as a draft, with its (empty) stock record."""
    now = now or utcnow()
    check_price(form.price, store_currency)
    if categories.category(form.category_id) is None:
        raise RuleViolation("no such category", code="unknown_category")
    if form.images:
        raise RuleViolation(
            "add images after creating the product (they are uploaded per product)",
            code="foreign_image",
        )
    product = Product(
        product_id=new_id("prd"),
        seller_id=actor.seller_id,
        name=form.name,
        description=form.description,
        price=form.price,
        category_id=form.category_id,
        sku=form.sku,
        brand=form.brand,
        attributes=dict(form.attributes or {}),
        status=ProductStatus.DRAFT,
        version=1,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    inventory = Inventory(
        product_id=product.product_id,
        available=0,
        reserved=0,
        low_stock_threshold=DEFAULT_LOW_STOCK,
        updated_at=now,
    )
    products.add_product(product, inventory)
    return product


def product_detail(
    product_id: str, *, actor: Actor | None, products: ProductRepository
) -> ProductDetail:
    """The product with its stock; anything but an active product is a 404 to strangers."""
    product, inventory = products.product_with_inventory(product_id)
    if product is None or not may_see(actor, product):
        raise _not_found()
    return ProductDetail(product, inventory)


def managed_product(product_id: str, *, actor: Actor, products: ProductRepository) -> Product:
    """A product the actor may change (its seller, or an admin); else 404."""
    product = products.product(product_id)
    if product is None or not actor.may_manage(product):
        raise _not_found()
    return product


def edit_product(
    product_id: str,
    changes: dict[str, Any],
    *,
    if_match: int | None,
    actor: Actor,
    products: ProductRepository,
    categories: CategoryRepository,
    store_currency: str,
    images_base_url: str,
    now: datetime | None = None,
) -> Product:
    """Change a product at the version the client last saw (``If-Match``).

    An active product stays active: a new price or name is what shoppers see at once.
    """
    now = now or utcnow()
    if if_match is None:
        raise PreconditionRequired(
            "send If-Match with the product's version", code="if_match_required"
        )
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(f"not editable: {sorted(unknown)}", code="unknown_field")
    if not changes:
        raise RuleViolation("nothing to change", code="empty_update")
    before = managed_product(product_id, actor=actor, products=products)
    if before.version != if_match:
        raise PreconditionFailed(
            f"the product is at version {before.version}, not {if_match}",
            code="version_mismatch",
        )
    require_status(before.status, EDITABLE, "edited")
    after = copy.deepcopy(before)
    for name, value in changes.items():
        setattr(after, name, value)
    if "price" in changes:
        check_price(after.price, store_currency)
    moved = "category_id" in changes and after.category_id != before.category_id
    if moved and categories.category(after.category_id) is None:
        raise RuleViolation("no such category", code="unknown_category")
    if "images" in changes:
        _check_images(after.images, product_id, images_base_url)
    after.updated_at = now
    return products.save_edits(before, after, now)


def _transition(
    product: Product,
    status: ProductStatus,
    products: ProductRepository,
    now: datetime,
    *,
    reason: str | None = None,
) -> Product:
    after = replace(
        product,
        status=status,
        rejection_reason=reason,
        updated_at=now,
        status_changed_at=now,
    )
    return products.change_status(product, after, now)


def submit_product(
    product_id: str, *, actor: Actor, products: ProductRepository, now: datetime | None = None
) -> Product:
    """The seller asks for review: draft or rejected -> pending_review."""
    product = managed_product(product_id, actor=actor, products=products)
    if not actor.owns(product):
        raise Forbidden("only the product's seller submits it", code="not_the_seller")
    require_status(product.status, SUBMITTABLE, "submitted")
    return _transition(product, ProductStatus.PENDING_REVIEW, products, now or utcnow())


def approve_product(
    product_id: str, *, products: ProductRepository, now: datetime | None = None
) -> Product:
    product = products.product(product_id)
    if product is None:
        raise _not_found()
    require_status(product.status, {ProductStatus.PENDING_REVIEW}, "approved")
    return _transition(product, ProductStatus.ACTIVE, products, now or utcnow())


def reject_product(
    product_id: str, reason: str, *, products: ProductRepository, now: datetime | None = None
) -> Product:
    product = products.product(product_id)
    if product is None:
        raise _not_found()
    require_status(product.status, {ProductStatus.PENDING_REVIEW}, "rejected")
    return _transition(product, ProductStatus.REJECTED, products, now or utcnow(), reason=reason)


def archive_product(
    product_id: str, *, actor: Actor, products: ProductRepository, now: datetime | None = None
) -> Product:
    product = managed_product(product_id, actor=actor, products=products)
    require_status(product.status, ARCHIVABLE, "archived")
    return _transition(product, ProductStatus.ARCHIVED, products, now or utcnow())


def browse(
    query: BrowseQuery,
    *,
    products: ProductRepository,
    tree: CategoryTree,
    clock: float,
) -> Page[ProductSummary]:
    """Active products, optionally in a category (and its subcategories), by price or newest.

    A price range whose minimum is above its maximum holds no product: an empty page, read
    from nowhere (each bound is valid on its own, so the request is well-formed)."""
    category_ids = None
    if query.category_id is not None:
        category_ids = tree.subtree(query.category_id, clock)  # empty: no such category
        if not category_ids:
            raise NotFound("no such category", code="category_not_found")
        if not query.include_subcategories:
            category_ids = [query.category_id]
    if (
        query.min_price is not None
        and query.max_price is not None
        and query.min_price > query.max_price
    ):
        return Page([], None)
    return products.browse(query, category_ids)


def seller_products(
    actor: Actor,
    status: ProductStatus | None,
    cursor: str | None,
    limit: int,
    *,
    products: ProductRepository,
) -> Page[ProductSummary]:
    return products.by_seller(actor.seller_id, status, cursor, limit)


def moderation_queue(
    status: ProductStatus, cursor: str | None, limit: int, *, products: ProductRepository
) -> Page[ProductSummary]:
    """Products by status; the review queue (pending_review) oldest first."""
    return products.by_status(
        status, cursor, limit, oldest_first=status is ProductStatus.PENDING_REVIEW
    )


@dataclass(frozen=True)
class UploadForm:
    url: str
    fields: dict[str, Any]
    image_url: str
    expires_in: int
    max_bytes: int


def image_upload_form(
    product_id: str,
    content_type: str,
    *,
    actor: Actor,
    products: ProductRepository,
    images: ImageStore,
) -> UploadForm:
    """A presigned form to upload one image of the seller's own product to the bucket."""
    product = managed_product(product_id, actor=actor, products=products)
    if not actor.owns(product):
        raise Forbidden("only the product's seller uploads its images", code="not_the_seller")
    require_status(product.status, EDITABLE, "given images")
    extension = IMAGE_TYPES.get(content_type)
    if extension is None:
        raise RuleViolation("images are JPEG, PNG or WebP", code="unsupported_image_type")
    key = f"products/{product_id}/{new_id('img')}.{extension}"
    form = images.upload_form(key, content_type, MAX_IMAGE_BYTES, UPLOAD_EXPIRES_IN)
    return UploadForm(
        url=form["url"],
        fields=form["fields"],
        image_url=images.public_url(key),
        expires_in=UPLOAD_EXPIRES_IN,
        max_bytes=MAX_IMAGE_BYTES,
    )
