"""The catalog's items and their mapping to the domain.

| item             | PK                  | SK               | indexes                       |
|------------------|---------------------|------------------|-------------------------------|
| SKU claim        | SELLER#<sellerId>   | SKU#<sku>        | (SKU unique per seller)       |
| category         | CATEGORY#<id>       | METADATA         | GSI1 CATEGORIES / <path>      |
| category slug    | CATEGORYSLUG#<slug> | CATEGORYSLUG     | (slug unique)                 |
| product          | PRODUCT#<id>        | METADATA         | see ``index_keys``            |
| inventory        | PRODUCT#<id>        | INVENTORY        |                               |
| stock adjustment | PRODUCT#<id>        | STOCKADJ#<adjId> |                               |

``INVENTORY`` and ``METADATA`` are adjacent in the partition (nothing sorts between
them), so a product with its stock is one Query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.expressions.update import Action

from domain.catalog.model import (
    Category,
    Image,
    Inventory,
    Money,
    Product,
    ProductStatus,
    ProductSummary,
    Rating,
)
from domain.clock import iso, parse_iso
from repositories import keys
from repositories.table import Item

# -- items ----------------------------------------------------------------------------


class SkuItem(Item, discriminator="SkuClaim"):
    product_id = UnicodeAttribute(attr_name="productId")


class CategoryItem(Item, discriminator="Category"):
    category_id = UnicodeAttribute(attr_name="categoryId")
    name = UnicodeAttribute()
    slug = UnicodeAttribute()
    parent_id = UnicodeAttribute(attr_name="parentId", null=True)
    path = UnicodeAttribute()
    child_count = NumberAttribute(attr_name="childCount", default=0)
    product_count = NumberAttribute(attr_name="productCount", default=0)


class CategorySlugItem(Item, discriminator="CategorySlug"):
    category_id = UnicodeAttribute(attr_name="categoryId")


class ImageMap(MapAttribute[str, Any]):
    url = UnicodeAttribute()
    alt = UnicodeAttribute()


class ProductItem(Item, discriminator="Product"):
    product_id = UnicodeAttribute(attr_name="productId")
    seller_id = UnicodeAttribute(attr_name="sellerId")
    name = UnicodeAttribute()
    description = UnicodeAttribute()
    price_amount = NumberAttribute(attr_name="priceAmount")
    currency = UnicodeAttribute()
    category_id = UnicodeAttribute(attr_name="categoryId")
    sku = UnicodeAttribute()
    brand = UnicodeAttribute(null=True)
    attributes = MapAttribute[str, Any](null=True)
    images = ListAttribute[ImageMap](of=ImageMap, null=True)
    status = UnicodeAttribute()
    status_changed_at = UnicodeAttribute(attr_name="statusChangedAt")
    rejection_reason = UnicodeAttribute(attr_name="rejectionReason", null=True)
    version = NumberAttribute()
    rating_count = NumberAttribute(attr_name="ratingCount", default=0)
    rating_total = NumberAttribute(attr_name="ratingTotal", default=0)


class InventoryItem(Item, discriminator="Inventory"):
    product_id = UnicodeAttribute(attr_name="productId")
    available = NumberAttribute()
    reserved = NumberAttribute(default=0)
    sold = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(attr_name="lowStockThreshold")


class AdjustmentItem(Item, discriminator="StockAdjustment"):
    adjustment_id = UnicodeAttribute(attr_name="adjustmentId")
    product_id = UnicodeAttribute(attr_name="productId")
    delta = NumberAttribute()
    reason = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    actor_id = UnicodeAttribute(attr_name="actorId")
    available_after = NumberAttribute(attr_name="availableAfter", null=True)


# -- mapping --------------------------------------------------------------------------


def to_category(item: CategoryItem) -> Category:
    return Category(
        category_id=item.category_id,
        name=item.name,
        slug=item.slug,
        parent_id=item.parent_id,
        path=item.path,
        child_count=int(item.child_count or 0),
        product_count=int(item.product_count or 0),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


def images_of(item: ProductItem) -> list[Image]:
    return [Image(url=i.url, alt=i.alt) for i in (item.images or [])]


def to_product(item: ProductItem) -> Product:
    return Product(
        product_id=item.product_id,
        seller_id=item.seller_id,
        name=item.name,
        description=item.description,
        price=Money(int(item.price_amount), item.currency),
        category_id=item.category_id,
        sku=item.sku,
        brand=item.brand,
        attributes=dict(item.attributes.as_dict()) if item.attributes else {},
        images=images_of(item),
        status=ProductStatus(item.status),
        version=int(item.version),
        rejection_reason=item.rejection_reason,
        rating=Rating(int(item.rating_count or 0), int(item.rating_total or 0)),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        status_changed_at=parse_iso(item.status_changed_at),
    )


def to_summary(item: ProductItem) -> ProductSummary:
    images = images_of(item)
    return ProductSummary(
        product_id=item.product_id,
        seller_id=item.seller_id,
        name=item.name,
        price=Money(int(item.price_amount), item.currency),
        category_id=item.category_id,
        brand=item.brand,
        image=images[0] if images else None,
        rating=Rating(int(item.rating_count or 0), int(item.rating_total or 0)),
        status=ProductStatus(item.status),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


def to_inventory(item: InventoryItem) -> Inventory:
    return Inventory(
        product_id=item.product_id,
        available=int(item.available),
        reserved=int(item.reserved or 0),
        low_stock_threshold=int(item.low_stock_threshold),
        updated_at=parse_iso(item.updated_at),
        sold=int(item.sold or 0),
    )


def index_keys(product: Product) -> dict[str, str | None]:
    """Every index key of a product; the browse indexes hold active products only."""
    active = product.status is ProductStatus.ACTIVE
    changed = keys.time_key(
        iso(product.status_changed_at or product.updated_at), product.product_id
    )
    by_price = keys.price_key(product.price.amount, product.product_id)
    return {
        "GSI1PK": keys.category_pk(product.category_id) if active else None,
        "GSI1SK": by_price if active else None,
        "GSI2PK": keys.seller_pk(product.seller_id),
        "GSI2SK": keys.time_key(iso(product.created_at), product.product_id),
        "GSI3PK": keys.product_status_pk(product.status.value),
        "GSI3SK": changed,
        "GSI4PK": keys.category_pk(product.category_id) if active else None,
        "GSI4SK": changed if active else None,
        "GSI5PK": keys.ACTIVE_PRODUCTS if active else None,
        "GSI5SK": by_price if active else None,
    }


def set_or_remove(attribute: Any, value: Any) -> Action:
    action: Action = attribute.remove() if value is None else attribute.set(value)
    return action


def image_maps(images: list[Image]) -> list[ImageMap]:
    return [ImageMap(url=i.url, alt=i.alt) for i in images]


def product_item(product: Product) -> ProductItem:
    """The whole product item, with every index key."""
    return ProductItem(
        keys.product_pk(product.product_id),
        keys.METADATA,
        **index_keys(product),  # type: ignore[arg-type]
        product_id=product.product_id,
        seller_id=product.seller_id,
        name=product.name,
        description=product.description,
        price_amount=product.price.amount,
        currency=product.price.currency,
        category_id=product.category_id,
        sku=product.sku,
        brand=product.brand,
        attributes=product.attributes or None,
        images=image_maps(product.images) or None,
        status=product.status.value,
        status_changed_at=iso(product.status_changed_at or product.created_at),
        rejection_reason=product.rejection_reason,
        version=product.version,
        rating_count=product.rating.count,
        rating_total=product.rating.total,
        created_at=iso(product.created_at),
        updated_at=iso(product.updated_at),
    )


# What an edit writes, by editable field (``domain.catalog.products.EDITABLE_FIELDS``; a
# test holds the two, and the HTTP patch schema, to the same names). Only these: the
# rating sums move in review transactions and an edit read before them must not undo them.
EDITS: dict[str, Callable[[Product], list[Action]]] = {
    "name": lambda p: [ProductItem.name.set(p.name)],
    "description": lambda p: [ProductItem.description.set(p.description)],
    "price": lambda p: [
        ProductItem.price_amount.set(p.price.amount),
        ProductItem.currency.set(p.price.currency),
    ],
    "category_id": lambda p: [ProductItem.category_id.set(p.category_id)],
    "sku": lambda p: [ProductItem.sku.set(p.sku)],
    "brand": lambda p: [set_or_remove(ProductItem.brand, p.brand)],
    "attributes": lambda p: [set_or_remove(ProductItem.attributes, p.attributes or None)],
    "images": lambda p: [set_or_remove(ProductItem.images, image_maps(p.images) or None)],
}


def key_actions(product: Product) -> list[Action]:
    """Set or remove every index key of a product as it is now."""
    return [
        set_or_remove(getattr(ProductItem, name), value)
        for name, value in index_keys(product).items()
    ]
