"""Bodies of the reality (3D/AR) operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import StringConstraints

from domain.catalog.model import Product
from domain.reality.model import (
    MAX_MODEL_BYTES,
    MODEL_UPLOAD_EXPIRES_IN,
    Asset,
    AssetSource,
    AssetStatus,
    AssetType,
    Dimensions,
)
from handlers.shared.schema import RequestModel, ResponseModel

AssetName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ModelUploadRequest(RequestModel):
    type: AssetType
    name: AssetName


class DimensionsOut(ResponseModel):
    """Metres: the bounding box's width (x), height (y) and depth (z)."""

    width: float
    height: float
    depth: float

    @classmethod
    def of(cls, box: Dimensions | None) -> DimensionsOut | None:
        return None if box is None else cls(width=box.width, height=box.height, depth=box.depth)


class AssetOut(ResponseModel):
    asset_id: str
    name: str
    type: AssetType
    url: str
    category: str
    dimensions: DimensionsOut | None
    source: AssetSource
    status: AssetStatus
    reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, asset: Asset) -> AssetOut:
        return cls(
            asset_id=asset.asset_id,
            name=asset.name,
            type=asset.type,
            url=asset.url,
            category=asset.category,
            dimensions=DimensionsOut.of(asset.dimensions),
            source=asset.source,
            status=asset.status,
            reason=asset.reason,
            created_at=asset.created_at,
            updated_at=asset.updated_at,
        )


class ModelUploadOut(ResponseModel):
    url: str
    fields: dict[str, str]
    asset: AssetOut
    expires_in: int
    max_bytes: int

    @classmethod
    def of(cls, asset: Asset, form: dict[str, Any]) -> ModelUploadOut:
        return cls(
            url=str(form["url"]),
            fields={k: str(v) for k, v in form["fields"].items()},
            asset=AssetOut.of(asset),
            expires_in=MODEL_UPLOAD_EXPIRES_IN,
            max_bytes=MAX_MODEL_BYTES[asset.type],
        )


class RealityOut(ResponseModel):
    product_id: str
    name: str
    assets: list[AssetOut]
    view_url: str

    @classmethod
    def of(cls, product: Product, assets: list[Asset]) -> RealityOut:
        return cls(
            product_id=product.product_id,
            name=product.name,
            assets=[AssetOut.of(a) for a in assets],
            view_url=f"/reality/{product.product_id}/view",
        )
