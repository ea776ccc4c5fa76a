"""Bodies of the product operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from domain.catalog.model import (
    MAX_IMAGES,
    MAX_PRICE,
    Image,
    Inventory,
    Money,
    Product,
    ProductStatus,
    ProductSummary,
    Rating,
    StockStatus,
)
from domain.catalog.products import ProductForm, UploadForm
from handlers.shared.schema import Identifier, Integer, PatchRequest, RequestModel, ResponseModel

ProductName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Sku = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Brand = Annotated[str, StringConstraints(min_length=1, max_length=100)]
AttributeName = Annotated[str, StringConstraints(min_length=1, max_length=50)]
AttributeValue = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Attributes = Annotated[dict[AttributeName, AttributeValue], Field(max_length=30)]
ImageUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https?://[^\s]+$")]
AltText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Images = Annotated[list["ImageBody"], Field(max_length=MAX_IMAGES)]


class MoneyBody(RequestModel):
    amount: Annotated[Integer, Field(ge=1, le=MAX_PRICE, description="minor units")]
    currency: Currency

    def to_domain(self) -> Money:
        return Money(self.amount, self.currency)


class MoneyOut(ResponseModel):
    amount: int
    currency: str

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=money.amount, currency=money.currency)


class ImageBody(RequestModel):
    url: ImageUrl
    alt: AltText


class ImageOut(ResponseModel):
    url: str
    alt: str


class ProductRequest(RequestModel):
    name: ProductName
    description: Description
    price: MoneyBody
    category_id: Identifier
    sku: Sku
    brand: Brand | None = None
    attributes: Attributes | None = None

    def form(self) -> ProductForm:
        return ProductForm(
            name=self.name,
            description=self.description,
            price=self.price.to_domain(),
            category_id=self.category_id,
            sku=self.sku,
            brand=self.brand,
            attributes=self.attributes,
        )


class ProductPatch(PatchRequest):
    """Only the fields sent change; ``null`` clears brand or attributes."""

    name: ProductName = Field(default=None)  # type: ignore[assignment]
    description: Description = Field(default=None)  # type: ignore[assignment]
    price: MoneyBody = Field(default=None)  # type: ignore[assignment]
    category_id: Identifier = Field(default=None)  # type: ignore[assignment]
    sku: Sku = Field(default=None)  # type: ignore[assignment]
    brand: Brand | None = None
    attributes: Attributes | None = None
    images: Images = Field(default=None)  # type: ignore[arg-type]

    def changes(self) -> dict[str, Any]:
        sent: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name == "price":
                value = value.to_domain()
            elif name == "images":
                value = [Image(url=i.url, alt=i.alt) for i in value]
            elif name == "attributes":
                value = dict(value or {})
            sent[name] = value
        return sent


class RatingOut(ResponseModel):
    average: float | None
    count: int

    @classmethod
    def of(cls, rating: Rating) -> RatingOut:
        return cls(average=rating.average, count=rating.count)


class StockOut(ResponseModel):
    status: StockStatus
    available: int

    @classmethod
    def of(cls, inventory: Inventory | None) -> StockOut:
        if inventory is None:
            return cls(status=StockStatus.OUT, available=0)
        return cls(status=inventory.status, available=max(0, inventory.available))


class ProductOut(ResponseModel):
    product_id: str
    seller_id: str
    name: str
    description: str
    price: MoneyOut
    category_id: str
    sku: str
    brand: str | None
    attributes: dict[str, str]
    images: list[ImageOut]
    status: ProductStatus
    rejection_reason: str | None
    version: int
    rating: RatingOut
    stock: StockOut | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(
        cls, product: Product, inventory: Inventory | None = None, *, stock: bool = False
    ) -> ProductOut:
        return cls(
            product_id=product.product_id,
            seller_id=product.seller_id,
            name=product.name,
            description=product.description,
            price=MoneyOut.of(product.price),
            category_id=product.category_id,
            sku=product.sku,
            brand=product.brand,
            attributes=product.attributes,
            images=[ImageOut(url=i.url, alt=i.alt) for i in product.images],
            status=product.status,
            rejection_reason=product.rejection_reason,
            version=product.version,
            rating=RatingOut.of(product.rating),
            stock=StockOut.of(inventory) if stock else None,
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


def etag(product: Product) -> dict[str, str]:
    """The version as an entity tag: send it back in If-Match to edit."""
    return {"ETag": f'"{product.version}"'}


def parse_if_match(value: str | None) -> int | None:
    """``"3"`` (or bare ``3``) is version 3; anything else matches no version (-1)."""
    if value is None:
        return None
    text = value.strip().strip('"')
    return int(text) if text.isdigit() else -1


class ProductSummaryOut(ResponseModel):
    product_id: str
    seller_id: str
    name: str
    price: MoneyOut
    category_id: str
    brand: str | None
    image: ImageOut | None
    rating: RatingOut
    status: ProductStatus
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, summary: ProductSummary) -> ProductSummaryOut:
        return cls(
            product_id=summary.product_id,
            seller_id=summary.seller_id,
            name=summary.name,
            price=MoneyOut.of(summary.price),
            category_id=summary.category_id,
            brand=summary.brand,
            image=ImageOut(url=summary.image.url, alt=summary.image.alt) if summary.image else None,
            rating=RatingOut.of(summary.rating),
            status=summary.status,
            created_at=summary.created_at,
            updated_at=summary.updated_at,
        )


class ProductPage(ResponseModel):
    items: list[ProductSummaryOut]
    next_cursor: str | None


class RejectRequest(RequestModel):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


ImageType = Literal["image/jpeg", "image/png", "image/webp"]


class UploadRequest(RequestModel):
    content_type: ImageType


class UploadOut(ResponseModel):
    url: str
    fields: dict[str, str]
    image_url: str
    expires_in: int
    max_bytes: int

    @classmethod
    def of(cls, form: UploadForm) -> UploadOut:
        return cls(
            url=form.url,
            fields={k: str(v) for k, v in form.fields.items()},
            image_url=form.image_url,
            expires_in=form.expires_in,
            max_bytes=form.max_bytes,
        )
