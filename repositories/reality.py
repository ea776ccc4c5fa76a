"""3D/AR assets: ``PRODUCT#<productId>`` / ``ASSET#<assetId>``, in the product's own
partition, so a product's models are one Query (``begins_with``) and go with it."""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from domain.clock import iso, parse_iso
from domain.errors import Conflict
from domain.reality.model import Asset, AssetSource, AssetStatus, AssetType, Dimensions
from repositories import keys
from repositories.table import Item, is_condition_failure


class DimensionsAttribute(MapAttribute[str, float]):
    width = NumberAttribute()
    height = NumberAttribute()
    depth = NumberAttribute()


class AssetItem(Item, discriminator="Asset"):
    asset_id = UnicodeAttribute(attr_name="assetId")
    product_id = UnicodeAttribute(attr_name="productId")
    name = UnicodeAttribute()
    asset_type = UnicodeAttribute(attr_name="assetType")
    category = UnicodeAttribute()
    source = UnicodeAttribute()
    status = UnicodeAttribute()
    url = UnicodeAttribute()
    key = UnicodeAttribute(attr_name="objectKey")
    dimensions = DimensionsAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    source_image = UnicodeAttribute(attr_name="sourceImage", null=True)


def _item(asset: Asset) -> AssetItem:
    box = asset.dimensions
    return AssetItem(
        keys.product_pk(asset.product_id),
        keys.asset_sk(asset.asset_id),
        asset_id=asset.asset_id,
        product_id=asset.product_id,
        name=asset.name,
        asset_type=asset.type.value,
        category=asset.category,
        source=asset.source.value,
        status=asset.status.value,
        url=asset.url,
        key=asset.key,
        dimensions=None
        if box is None
        else DimensionsAttribute(width=box.width, height=box.height, depth=box.depth),
        reason=asset.reason,
        source_image=asset.source_image,
        created_at=iso(asset.created_at),
        updated_at=iso(asset.updated_at),
    )


def _asset(item: AssetItem) -> Asset:
    box = item.dimensions
    return Asset(
        asset_id=item.asset_id,
        product_id=item.product_id,
        name=item.name,
        type=AssetType(item.asset_type),
        category=item.category,
        source=AssetSource(item.source),
        status=AssetStatus(item.status),
        url=item.url,
        key=item.key,
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        dimensions=None
        if box is None
        else Dimensions(float(box.width), float(box.height), float(box.depth)),
        reason=item.reason,
        source_image=item.source_image,
    )


class DynamoAssets:
    def assets(self, product_id: str) -> list[Asset]:
        return [
            _asset(item)
            for item in AssetItem.query(
                keys.product_pk(product_id), AssetItem.SK.startswith(keys.ASSET_PREFIX)
            )
            if isinstance(item, AssetItem)
        ]

    def asset(self, product_id: str, asset_id: str) -> Asset | None:
        try:
            item = AssetItem.get(keys.product_pk(product_id), keys.asset_sk(asset_id))
        except AssetItem.DoesNotExist:
            return None
        return _asset(item) if isinstance(item, AssetItem) else None

    def add(self, asset: Asset) -> None:
        try:
            _item(asset).save(condition=AssetItem.PK.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                raise Conflict("the asset exists already", code="asset_exists") from error
            raise

    def save(self, asset: Asset) -> None:
        _item(asset).save()

    def start_processing(self, asset: Asset) -> Asset:
        item = _item(asset)
        try:
            item.update(
                actions=[AssetItem.status.set(AssetStatus.PROCESSING.value)],
                condition=AssetItem.status == AssetStatus.UPLOADING.value,
            )
        except UpdateError as error:
            if is_condition_failure(error):
                raise Conflict(
                    "the model is not awaiting its upload", code="asset_settled"
                ) from error
            raise
        return _asset(item)

    def remove(self, asset: Asset) -> None:
        _item(asset).delete()
