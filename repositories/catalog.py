"""Categories, products and their stock in the single table (sellers and reviews
are in repositories/sellers.py and repositories/reviews.py).

| item             | PK                  | SK               | indexes                       |
|------------------|---------------------|------------------|-------------------------------|
| SKU claim        | SELLER#<sellerId>   | SKU#<sku>        | (SKU unique per seller)       |
| category         | CATEGORY#<id>       | METADATA         | GSI1 CATEGORIES / <path>      |
| category slug    | CATEGORYSLUG#<slug> | CATEGORYSLUG     | (slug unique)                 |
| product          | PRODUCT#<id>        | METADATA         | see ``_index_keys``           |
| inventory        | PRODUCT#<id>        | INVENTORY        |                               |
| stock adjustment | PRODUCT#<id>        | STOCKADJ#<adjId> |                               |

``INVENTORY`` and ``METADATA`` are adjacent in the partition (nothing sorts between
them), so a product with its stock is one Query.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import re
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from domain.catalog.model import (
    AdjustmentReason,
    BrowseQuery,
    Category,
    Image,
    Inventory,
    Money,
    Product,
    ProductSort,
    ProductStatus,
    ProductSummary,
    Rating,
    StockAdjustment,
)
from domain.catalog.stock import MAX_STOCK
from domain.clock import iso, parse_iso
from domain.errors import Conflict, NotFound, PreconditionFailed
from domain.paging import Page, UnknownCursor
from repositories.keys import category_pk, product_pk, seller_pk
from repositories.table import (
    GSI2_KEYS,
    GSI3_KEYS,
    ConditionFailed,
    Item,
    Transaction,
    decode_cursor,
    is_condition_failure,
    take_page,
)

CATEGORIES = "CATEGORIES"
ACTIVE_PRODUCTS = "ACTIVEPRODUCTS"
PRICE_DIGITS = 11
_PRICE_KEY = re.compile(r"^\d{11}#prd_[0-9A-Z]{26}$")
_TIME_KEY = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z#prd_[0-9A-Z]{26}$")


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


def _category(item: CategoryItem) -> Category:
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


def _images(item: ProductItem) -> list[Image]:
    return [Image(url=i.url, alt=i.alt) for i in (item.images or [])]


def _product(item: ProductItem) -> Product:
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
        images=_images(item),
        status=ProductStatus(item.status),
        version=int(item.version),
        rejection_reason=item.rejection_reason,
        rating=Rating(int(item.rating_count or 0), int(item.rating_total or 0)),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        status_changed_at=parse_iso(item.status_changed_at),
    )


def _summary(item: ProductItem) -> ProductSummary:
    images = _images(item)
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


def _inventory(item: InventoryItem) -> Inventory:
    return Inventory(
        product_id=item.product_id,
        available=int(item.available),
        reserved=int(item.reserved or 0),
        low_stock_threshold=int(item.low_stock_threshold),
        updated_at=parse_iso(item.updated_at),
    )


def _price_key(product: Product) -> str:
    return f"{product.price.amount:0{PRICE_DIGITS}d}#{product.product_id}"


def _index_keys(product: Product) -> dict[str, str | None]:
    """Every index key of a product; the browse indexes hold active products only."""
    active = product.status is ProductStatus.ACTIVE
    changed = iso(product.status_changed_at or product.updated_at)
    return {
        "GSI1PK": category_pk(product.category_id) if active else None,
        "GSI1SK": _price_key(product) if active else None,
        "GSI2PK": seller_pk(product.seller_id),
        "GSI2SK": f"{iso(product.created_at)}#{product.product_id}",
        "GSI3PK": f"PRODUCTSTATUS#{product.status.value}",
        "GSI3SK": f"{changed}#{product.product_id}",
        "GSI4PK": category_pk(product.category_id) if active else None,
        "GSI4SK": f"{changed}#{product.product_id}" if active else None,
        "GSI5PK": ACTIVE_PRODUCTS if active else None,
        "GSI5SK": _price_key(product) if active else None,
    }


def _set_or_remove(attribute: Any, value: Any) -> Action:
    action: Action = attribute.remove() if value is None else attribute.set(value)
    return action


def _image_maps(images: list[Image]) -> list[ImageMap]:
    return [ImageMap(url=i.url, alt=i.alt) for i in images]


# -- categories -----------------------------------------------------------------------


class DynamoCategories:
    def all_categories(self) -> list[Category]:
        return [_category(i) for i in CategoryItem.gsi1.query(CATEGORIES)]

    def category(self, category_id: str) -> Category | None:
        try:
            return _category(CategoryItem.get(category_pk(category_id), "METADATA"))
        except CategoryItem.DoesNotExist:
            return None

    def add_category(self, category: Category) -> None:
        stamp = iso(category.created_at)
        tx = Transaction()
        tx.put(
            CategoryItem(
                category_pk(category.category_id),
                "METADATA",
                GSI1PK=CATEGORIES,
                GSI1SK=category.path,
                category_id=category.category_id,
                name=category.name,
                slug=category.slug,
                parent_id=category.parent_id,
                path=category.path,
                child_count=0,
                product_count=0,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CategoryItem.PK.does_not_exist(),
        )
        self._claim_slug(tx, category.slug, category.category_id, stamp)
        if category.parent_id:
            tx.update(
                CategoryItem(category_pk(category.parent_id), "METADATA"),
                actions=[CategoryItem.child_count.add(1)],
                condition=CategoryItem.PK.exists(),
                label="parent",
            )
        self._commit(tx)

    @staticmethod
    def _claim_slug(tx: Transaction, slug: str, category_id: str, stamp: str) -> None:
        tx.put(
            CategorySlugItem(
                f"CATEGORYSLUG#{slug}",
                "CATEGORYSLUG",
                category_id=category_id,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CategorySlugItem.PK.does_not_exist(),
            label="slug",
        )

    @staticmethod
    def _commit(tx: Transaction) -> None:
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "slug":
                raise Conflict("another category has this slug", code="slug_taken") from None
            if failed.label == "parent":
                raise NotFound("no such parent category", code="category_not_found") from None
            if failed.label == "empty":
                raise Conflict(
                    "the category still has subcategories or products",
                    code="category_not_empty",
                ) from None
            raise Conflict(
                "the categories changed meanwhile; retry", code="concurrent_update"
            ) from None

    def rename_category(self, category: Category, *, name: str, slug: str, now: datetime) -> None:
        stamp = iso(now)
        tx = Transaction()
        tx.update(
            CategoryItem(category_pk(category.category_id), "METADATA"),
            actions=[
                CategoryItem.name.set(name),
                CategoryItem.slug.set(slug),
                CategoryItem.updated_at.set(stamp),
            ],
            condition=CategoryItem.slug == category.slug,
        )
        if slug != category.slug:
            self._claim_slug(tx, slug, category.category_id, stamp)
            tx.delete(CategorySlugItem(f"CATEGORYSLUG#{category.slug}", "CATEGORYSLUG"))
        self._commit(tx)

    def move_category(
        self,
        category: Category,
        new_parent: Category | None,
        subtree: list[Category],
        now: datetime,
    ) -> None:
        stamp = iso(now)
        new_path = (
            f"{new_parent.path}/{category.category_id}" if new_parent else category.category_id
        )
        tx = Transaction()
        for moved, path in [(category, new_path)] + [
            (c, new_path + c.path[len(category.path) :]) for c in subtree
        ]:
            actions: list[Action] = [
                CategoryItem.path.set(path),
                CategoryItem.GSI1SK.set(path),
                CategoryItem.updated_at.set(stamp),
            ]
            if moved is category:
                actions.append(
                    _set_or_remove(
                        CategoryItem.parent_id, new_parent.category_id if new_parent else None
                    )
                )
            tx.update(
                CategoryItem(category_pk(moved.category_id), "METADATA"),
                actions=actions,
                condition=CategoryItem.path == moved.path,
            )
        if category.parent_id:
            tx.update(
                CategoryItem(category_pk(category.parent_id), "METADATA"),
                actions=[CategoryItem.child_count.add(-1)],
                condition=CategoryItem.PK.exists(),
            )
        if new_parent is not None:
            tx.update(
                CategoryItem(category_pk(new_parent.category_id), "METADATA"),
                actions=[CategoryItem.child_count.add(1)],
                # the new parent must not have moved under the category meanwhile
                condition=CategoryItem.path == new_parent.path,
                label="parent",
            )
        self._commit(tx)

    def delete_category(self, category: Category) -> None:
        tx = Transaction()
        tx.delete(
            CategoryItem(category_pk(category.category_id), "METADATA"),
            condition=(CategoryItem.child_count == 0) & (CategoryItem.product_count == 0),
            label="empty",
        )
        tx.delete(CategorySlugItem(f"CATEGORYSLUG#{category.slug}", "CATEGORYSLUG"))
        if category.parent_id:
            tx.update(
                CategoryItem(category_pk(category.parent_id), "METADATA"),
                actions=[CategoryItem.child_count.add(-1)],
                condition=CategoryItem.PK.exists(),
            )
        self._commit(tx)


# -- products -------------------------------------------------------------------------


def _cursor(sort: ProductSort, key: str) -> str:
    raw = json.dumps({"s": sort.value, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str | None, sort: ProductSort) -> str | None:
    """The sort key a browse cursor resumes after; anything else is a 404 (``UnknownCursor``)."""
    if cursor is None:
        return None
    bad = UnknownCursor()
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeError):
        raise bad from None
    if not isinstance(plain, dict) or plain.get("s") != sort.value:
        raise bad
    key = plain.get("k")
    pattern = _TIME_KEY if sort is ProductSort.NEWEST else _PRICE_KEY
    if not isinstance(key, str) or not pattern.match(key):
        raise bad
    return key


class DynamoProducts:
    def add_product(self, product: Product, inventory: Inventory) -> None:
        stamp = iso(product.created_at)
        tx = Transaction()
        tx.put(self._item(product), condition=ProductItem.PK.does_not_exist())
        tx.put(
            InventoryItem(
                product_pk(product.product_id),
                "INVENTORY",
                product_id=product.product_id,
                available=inventory.available,
                reserved=inventory.reserved,
                low_stock_threshold=inventory.low_stock_threshold,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=InventoryItem.PK.does_not_exist(),
        )
        self._claim_sku(tx, product, stamp)
        tx.update(
            CategoryItem(category_pk(product.category_id), "METADATA"),
            actions=[CategoryItem.product_count.add(1)],
            condition=CategoryItem.PK.exists(),
            label="category",
        )
        self._commit(tx)

    @staticmethod
    def _claim_sku(tx: Transaction, product: Product, stamp: str) -> None:
        tx.put(
            SkuItem(
                seller_pk(product.seller_id),
                f"SKU#{product.sku}",
                product_id=product.product_id,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=SkuItem.PK.does_not_exist(),
            label="sku",
        )

    @staticmethod
    def _commit(tx: Transaction) -> None:
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "sku":
                raise Conflict(
                    "you already list a product with this SKU", code="sku_taken"
                ) from None
            if failed.label == "category":
                raise NotFound("no such category", code="category_not_found") from None
            if failed.label == "version":
                raise PreconditionFailed(
                    "the product changed since you read it", code="version_mismatch"
                ) from None
            if failed.label == "status":
                raise Conflict(
                    "the product's status changed meanwhile", code="invalid_product_state"
                ) from None
            raise

    @staticmethod
    def _item(product: Product) -> ProductItem:
        return ProductItem(
            product_pk(product.product_id),
            "METADATA",
            **_index_keys(product),  # type: ignore[arg-type]
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
            images=_image_maps(product.images) or None,
            status=product.status.value,
            status_changed_at=iso(product.status_changed_at or product.created_at),
            rejection_reason=product.rejection_reason,
            version=product.version,
            rating_count=product.rating.count,
            rating_total=product.rating.total,
            created_at=iso(product.created_at),
            updated_at=iso(product.updated_at),
        )

    def product(self, product_id: str) -> Product | None:
        try:
            return _product(ProductItem.get(product_pk(product_id), "METADATA"))
        except ProductItem.DoesNotExist:
            return None

    def product_with_inventory(self, product_id: str) -> tuple[Product | None, Inventory | None]:
        product: Product | None = None
        inventory: Inventory | None = None
        for item in Item.query(product_pk(product_id), Item.SK.between("INVENTORY", "METADATA")):
            if isinstance(item, ProductItem):
                product = _product(item)
            elif isinstance(item, InventoryItem):
                inventory = _inventory(item)
        return product, inventory

    @staticmethod
    def _key_actions(product: Product) -> list[Action]:
        return [
            _set_or_remove(getattr(ProductItem, name), value)
            for name, value in _index_keys(product).items()
        ]

    def save_edits(self, before: Product, after: Product, now: datetime) -> Product:
        stamp = iso(now)
        # Only the editable fields: the rating sums move in review transactions and must
        # not be overwritten by an edit read before them.
        actions: list[Action] = [
            ProductItem.name.set(after.name),
            ProductItem.description.set(after.description),
            ProductItem.price_amount.set(after.price.amount),
            ProductItem.currency.set(after.price.currency),
            ProductItem.category_id.set(after.category_id),
            ProductItem.sku.set(after.sku),
            _set_or_remove(ProductItem.brand, after.brand),
            _set_or_remove(ProductItem.attributes, after.attributes or None),
            _set_or_remove(ProductItem.images, _image_maps(after.images) or None),
            ProductItem.version.set(before.version + 1),
            ProductItem.updated_at.set(stamp),
            *self._key_actions(after),
        ]
        tx = Transaction()
        tx.update(
            ProductItem(product_pk(before.product_id), "METADATA"),
            actions=actions,
            condition=ProductItem.version == before.version,
            label="version",
        )
        if after.sku != before.sku:
            self._claim_sku(tx, after, stamp)
            tx.delete(SkuItem(seller_pk(before.seller_id), f"SKU#{before.sku}"))
        if after.category_id != before.category_id:
            tx.update(
                CategoryItem(category_pk(after.category_id), "METADATA"),
                actions=[CategoryItem.product_count.add(1)],
                condition=CategoryItem.PK.exists(),
                label="category",
            )
            tx.update(
                CategoryItem(category_pk(before.category_id), "METADATA"),
                actions=[CategoryItem.product_count.add(-1)],
            )
        self._commit(tx)
        after.version = before.version + 1
        after.updated_at = now
        return after

    def change_status(self, before: Product, after: Product, now: datetime) -> Product:
        actions: list[Action] = [
            ProductItem.status.set(after.status.value),
            ProductItem.status_changed_at.set(iso(after.status_changed_at or now)),
            _set_or_remove(ProductItem.rejection_reason, after.rejection_reason),
            ProductItem.version.set(before.version + 1),
            ProductItem.updated_at.set(iso(now)),
            *self._key_actions(after),
        ]
        if after.status is ProductStatus.ARCHIVED:
            return self._archive(before, after, actions)
        item = ProductItem(product_pk(before.product_id), "METADATA")
        try:
            item.update(actions=actions, condition=ProductItem.status == before.status.value)
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict(
                    "the product's status changed meanwhile", code="invalid_product_state"
                ) from None
            raise
        return _product(item)

    def _archive(self, before: Product, after: Product, actions: list[Action]) -> Product:
        """Archiving takes the product out of its category's count and frees its SKU,
        in the same write: an archived product is gone for everyone but its seller."""
        tx = Transaction()
        tx.update(
            ProductItem(product_pk(before.product_id), "METADATA"),
            actions=actions,
            condition=ProductItem.status == before.status.value,
            label="status",
        )
        tx.update(
            CategoryItem(category_pk(before.category_id), "METADATA"),
            actions=[CategoryItem.product_count.add(-1)],
            condition=CategoryItem.PK.exists(),
        )
        tx.delete(SkuItem(seller_pk(before.seller_id), f"SKU#{before.sku}"))
        self._commit(tx)
        after.version = before.version + 1
        return after

    def browse(self, query: BrowseQuery, category_ids: list[str] | None) -> Page[ProductSummary]:
        """A page of active products merged from each category's partition.

        Every partition is read in the same sort order and resumed after the last sort
        key shown (sort keys are unique: they end with the product id), so one cursor
        serves a category and all its subcategories.
        """
        by_price = query.sort is not ProductSort.NEWEST
        forward = query.sort is ProductSort.PRICE_ASC
        after = _after(query.after, query.sort)
        index: Any
        if by_price:
            index, key_name = (
                (ProductItem.gsi1, "GSI1SK") if category_ids else (ProductItem.gsi5, "GSI5SK")
            )
            partitions = (
                [category_pk(c) for c in category_ids] if category_ids else [ACTIVE_PRODUCTS]
            )
            low = f"{query.min_price:0{PRICE_DIGITS}d}#" if query.min_price is not None else "0"
            high = f"{query.max_price:0{PRICE_DIGITS}d}#~" if query.max_price is not None else "~"
            price_filter: Condition | None = None
        else:
            index, key_name = (
                (ProductItem.gsi4, "GSI4SK") if category_ids else (ProductItem.gsi3, "GSI3SK")
            )
            partitions = (
                [category_pk(c) for c in category_ids] if category_ids else ["PRODUCTSTATUS#active"]
            )
            low, high = "0", "~"
            price_filter = self._price_filter(query)
        if after is not None:
            if forward:
                low = max(low, after)
            else:
                high = min(high, after)
        sort_key = getattr(ProductItem, key_name)
        # One row beyond the page tells whether there is more; resuming, the bounds are
        # inclusive, so the row at the cursor comes back too (and is dropped below).
        wanted = query.limit + (2 if after is not None else 1)
        fetched: list[list[tuple[str, ProductItem]]] = []
        for partition in partitions:
            if low > high:
                fetched.append([])
                continue
            results = index.query(
                partition,
                sort_key.between(low, high),
                filter_condition=price_filter,
                scan_index_forward=forward,
                limit=wanted,
                page_size=wanted,
            )
            rows = [(getattr(i, key_name), i) for i in results]
            fetched.append([(k, i) for k, i in rows if k != after])
        merged = list(heapq.merge(*fetched, key=lambda row: row[0], reverse=not forward))
        page = merged[: query.limit]
        more = len(merged) > query.limit
        next_cursor = _cursor(query.sort, page[-1][0]) if more and page else None
        return Page([_summary(i) for _, i in page], next_cursor)

    @staticmethod
    def _price_filter(query: BrowseQuery) -> Condition | None:
        condition: Condition | None = None
        if query.min_price is not None:
            condition = ProductItem.price_amount >= query.min_price
        if query.max_price is not None:
            upper = ProductItem.price_amount <= query.max_price
            condition = upper if condition is None else condition & upper
        return condition

    def by_seller(
        self, seller_id: str, status: ProductStatus | None, cursor: str | None, limit: int
    ) -> Page[ProductSummary]:
        partition = seller_pk(seller_id)
        results = ProductItem.gsi2.query(
            partition,
            ProductItem.GSI2SK.between("0", "~"),
            filter_condition=(ProductItem.status == status.value) if status else None,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI2_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_summary(i) for i in items], next_cursor)

    def by_status(
        self, status: ProductStatus, cursor: str | None, limit: int, *, oldest_first: bool
    ) -> Page[ProductSummary]:
        partition = f"PRODUCTSTATUS#{status.value}"
        results = ProductItem.gsi3.query(
            partition,
            scan_index_forward=oldest_first,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_summary(i) for i in items], next_cursor)


# -- stock ----------------------------------------------------------------------------


class DynamoInventory:
    def _adjustment_item(self, adjustment: StockAdjustment) -> AdjustmentItem:
        stamp = iso(adjustment.created_at)
        return AdjustmentItem(
            product_pk(adjustment.product_id),
            f"STOCKADJ#{adjustment.adjustment_id}",
            adjustment_id=adjustment.adjustment_id,
            product_id=adjustment.product_id,
            delta=adjustment.delta,
            reason=adjustment.reason.value,
            note=adjustment.note,
            actor_id=adjustment.actor_id,
            available_after=adjustment.available_after,
            created_at=stamp,
            updated_at=stamp,
        )

    def set_stock(
        self,
        inventory: Inventory,
        *,
        available: int,
        low_stock_threshold: int,
        adjustment: StockAdjustment,
    ) -> Inventory:
        stamp = iso(adjustment.created_at)
        tx = Transaction()
        tx.update(
            InventoryItem(product_pk(inventory.product_id), "INVENTORY"),
            actions=[
                InventoryItem.available.set(available),
                InventoryItem.low_stock_threshold.set(low_stock_threshold),
                InventoryItem.updated_at.set(stamp),
            ],
            condition=InventoryItem.available == inventory.available,
        )
        tx.put(self._adjustment_item(adjustment), condition=AdjustmentItem.PK.does_not_exist())
        try:
            tx.commit()
        except ConditionFailed:
            raise Conflict(
                "the stock changed since you read it; read it again", code="stock_changed"
            ) from None
        return Inventory(
            inventory.product_id,
            available,
            inventory.reserved,
            low_stock_threshold,
            adjustment.created_at,
        )

    def adjust_stock(self, inventory: Inventory, adjustment: StockAdjustment) -> Inventory:
        stamp = iso(adjustment.created_at)
        condition = InventoryItem.PK.exists()
        if adjustment.delta < 0:
            # never below zero, whatever happened since the read
            condition = condition & (InventoryItem.available >= -adjustment.delta)
        else:
            condition = condition & (InventoryItem.available <= MAX_STOCK - adjustment.delta)
        tx = Transaction()
        tx.update(
            InventoryItem(product_pk(inventory.product_id), "INVENTORY"),
            actions=[
                InventoryItem.available.add(adjustment.delta),
                InventoryItem.updated_at.set(stamp),
            ],
            condition=condition,
        )
        tx.put(self._adjustment_item(adjustment), condition=AdjustmentItem.PK.does_not_exist())
        try:
            tx.commit()
        except ConditionFailed:
            if adjustment.delta > 0:
                raise Conflict(f"stock would exceed {MAX_STOCK}", code="stock_limit") from None
            raise Conflict(
                "not enough stock for this adjustment", code="insufficient_stock"
            ) from None
        return Inventory(
            inventory.product_id,
            inventory.available + adjustment.delta,
            inventory.reserved,
            inventory.low_stock_threshold,
            adjustment.created_at,
        )

    def adjustments(self, product_id: str, limit: int) -> list[StockAdjustment]:
        items = AdjustmentItem.query(
            product_pk(product_id),
            AdjustmentItem.SK.startswith("STOCKADJ#"),
            scan_index_forward=False,
            limit=limit,
        )
        return [
            StockAdjustment(
                adjustment_id=i.adjustment_id,
                product_id=i.product_id,
                delta=int(i.delta),
                reason=AdjustmentReason(i.reason),
                note=i.note,
                actor_id=i.actor_id,
                available_after=None if i.available_after is None else int(i.available_after),
                created_at=parse_iso(i.created_at),
            )
            for i in items
        ]
