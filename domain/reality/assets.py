"""The rules of 3D/AR assets: upload forms, the "done" call, validation, the generated model.

Upload completion is an explicit call (``POST /reality/{productId}/uploads/{assetId}/done``)
rather than the bucket's event: it runs the same on AWS, under ``make dev`` and in the
end-to-end tests (the embedded AWS delivers no S3 notifications to serverless offline), it
names the asset the seller means, and a seller's client knows when its POST finished. The
call only moves the record to ``processing`` and queues the work; the worker that loads the
glTF parser validates the file, so no HTTP function pays for the parser.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from domain.catalog.model import Actor, Product, may_see
from domain.catalog.ports import ProductRepository
from domain.errors import Conflict, NotFound, RuleViolation
from domain.ids import new_id
from domain.reality.model import (
    CONTENT_TYPES,
    DEFAULT_SIZE_CM,
    MAX_ASSETS,
    MAX_MODEL_BYTES,
    MAX_PHOTO_BYTES,
    MAX_SIZE_CM,
    MIN_SIZE_CM,
    MODEL_UPLOAD_EXPIRES_IN,
    Asset,
    AssetSource,
    AssetStatus,
    AssetType,
    Dimensions,
    InvalidModel,
)
from domain.reality.ports import AssetRepository, ModelFiles, ModelInspector, ModelMaker, ModelQueue

PHOTO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(cm)?\s*", re.IGNORECASE)


def _not_found() -> NotFound:
    return NotFound("no such product", code="product_not_found")


def _managed(product_id: str, actor: Actor, products: ProductRepository) -> Product:
    product = products.product(product_id)
    if product is None or not actor.may_manage(product):
        raise _not_found()
    return product


def model_key(product_id: str, asset_id: str, kind: AssetType) -> str:
    return f"products/{product_id}/models/{asset_id}.{kind.value}"


def upload_form(
    product_id: str,
    kind: AssetType,
    name: str,
    *,
    actor: Actor,
    products: ProductRepository,
    assets: AssetRepository,
    files: ModelFiles,
    now: datetime,
) -> tuple[Asset, dict[str, object]]:
    """A presigned POST for one model file of the product (its seller or an admin), and the
    asset's record, ``uploading`` until the "done" call."""
    product = _managed(product_id, actor, products)
    if len(assets.assets(product_id)) >= MAX_ASSETS:
        raise RuleViolation(f"a product has at most {MAX_ASSETS} models", code="too_many_models")
    asset_id = new_id("mdl")
    key = model_key(product_id, asset_id, kind)
    form = files.upload_form(
        key, CONTENT_TYPES[kind], MAX_MODEL_BYTES[kind], MODEL_UPLOAD_EXPIRES_IN
    )
    asset = Asset(
        asset_id=asset_id,
        product_id=product_id,
        name=name,
        type=kind,
        category=product.category_id,
        source=AssetSource.UPLOADED,
        status=AssetStatus.UPLOADING,
        url=files.public_url(key),
        key=key,
        created_at=now,
        updated_at=now,
    )
    assets.add(asset)
    return asset, form


def finish_upload(
    product_id: str,
    asset_id: str,
    *,
    actor: Actor,
    products: ProductRepository,
    assets: AssetRepository,
    queue: ModelQueue,
) -> Asset:
    """The seller's "done": the record becomes ``processing`` and the worker is asked to
    validate the file. Calling it again while it is processing only asks again."""
    _managed(product_id, actor, products)
    asset = assets.asset(product_id, asset_id)
    if asset is None or asset.source is not AssetSource.UPLOADED:
        raise NotFound("no such model upload", code="asset_not_found")
    if asset.status is AssetStatus.UPLOADING:
        asset = assets.start_processing(asset)
    elif asset.status is not AssetStatus.PROCESSING:
        raise Conflict(f"the model is {asset.status.value} already", code="asset_settled")
    queue.process(product_id, asset_id)
    return asset


def reality_of(
    product_id: str, *, actor: Actor | None, products: ProductRepository, assets: AssetRepository
) -> tuple[Product, list[Asset]]:
    """The product's models: the ready ones for everybody (active products only); every
    status, with the reasons, for its seller and admins."""
    product = products.product(product_id)
    if product is None or not may_see(actor, product):
        raise _not_found()
    found = sorted(assets.assets(product_id), key=lambda a: (a.created_at, a.asset_id))
    if actor is None or not actor.may_manage(product):
        found = [a for a in found if a.status is AssetStatus.READY]
    return product, found


def viewable(
    product_id: str, *, products: ProductRepository, assets: AssetRepository
) -> tuple[Product, Asset, Asset | None]:
    """What the AR page shows: an active product's ready glb (an uploaded one before the
    generated one) and its ready usdz for iOS, if any."""
    product, ready = reality_of(product_id, actor=None, products=products, assets=assets)
    glbs = [a for a in ready if a.type is AssetType.GLB]
    glbs.sort(key=lambda a: a.source is not AssetSource.UPLOADED)
    if not glbs:
        raise NotFound("this product has no 3D model yet", code="no_model")
    usdz = next((a for a in ready if a.type is AssetType.USDZ), None)
    return product, glbs[0], usdz


def request_generation(
    product_id: str, *, actor: Actor, products: ProductRepository, queue: ModelQueue
) -> None:
    product = _managed(product_id, actor, products)
    if not product.images:
        raise RuleViolation("the product has no photo to make a model of", code="no_photo")
    queue.generate(product_id)


def _reject(asset: Asset, reason: str, now: datetime) -> Asset:
    return replace(asset, status=AssetStatus.REJECTED, reason=reason, updated_at=now)


def process_upload(
    product_id: str,
    asset_id: str,
    *,
    assets: AssetRepository,
    files: ModelFiles,
    inspector: ModelInspector,
    now: datetime,
) -> Asset | None:
    """Validates an uploaded file: ``ready`` with its dimensions, or ``rejected`` with a
    reason; a ready glb replaces the generated model. Anything not processing is left."""
    asset = assets.asset(product_id, asset_id)
    if asset is None or asset.status is not AssetStatus.PROCESSING:
        return asset
    limit = MAX_MODEL_BYTES[asset.type]
    size = files.size(asset.key)
    if size is None:
        done = _reject(asset, "no file was uploaded for this model", now)
    elif size > limit:
        done = _reject(asset, f"the file is larger than {limit // (1024 * 1024)} MB", now)
    else:
        try:
            box = inspector.dimensions(asset.type, files.read(asset.key))
        except InvalidModel as invalid:
            done = _reject(asset, str(invalid), now)
        else:
            done = replace(
                asset,
                status=AssetStatus.READY,
                dimensions=box.rounded() if box else None,
                updated_at=now,
            )
    if done.status is AssetStatus.REJECTED:
        files.delete(asset.key)  # never served: not even by its URL
    assets.save(done)
    if done.status is AssetStatus.READY and done.type is AssetType.GLB:
        for old in assets.assets(product_id):
            if old.source is AssetSource.GENERATED:
                _drop(old, assets, files)
    return done


def _drop(asset: Asset, assets: AssetRepository, files: ModelFiles) -> None:
    assets.remove(asset)
    files.delete(asset.key)


def _centimetres(attributes: dict[str, str], name: str, default: float) -> float:
    for key, value in attributes.items():
        if key.lower() in (name, f"{name}cm", f"{name}_cm"):
            match = _SIZE.fullmatch(value)
            if match and MIN_SIZE_CM <= float(match.group(1)) <= MAX_SIZE_CM:
                return float(match.group(1))
    return default


def product_size(product: Product) -> Dimensions:
    """The product's size in metres from its attributes ``width``, ``height``, ``depth``
    (centimetres: "40", "40 cm"), each else DEFAULT_SIZE_CM's."""
    w, h, d = (
        _centimetres(product.attributes, axis, default)
        for axis, default in zip(("width", "height", "depth"), DEFAULT_SIZE_CM, strict=True)
    )
    return Dimensions(w / 100, h / 100, d / 100)


def refresh_generated(
    product_id: str,
    *,
    products: ProductRepository,
    assets: AssetRepository,
    files: ModelFiles,
    maker: ModelMaker,
    now: datetime,
) -> Asset | None:
    """Makes the product's model from its main photo unless it has one from that photo
    already or a real (uploaded, ready) glb. Safe to run again."""
    product = products.product(product_id)
    if product is None:
        return None
    existing = assets.assets(product_id)
    generated = [a for a in existing if a.source is AssetSource.GENERATED]
    uploaded = any(
        a.source is AssetSource.UPLOADED
        and a.status is AssetStatus.READY
        and a.type is AssetType.GLB
        for a in existing
    )
    photo_url = product.images[0].url if product.images else None
    photo_key = files.key_of(photo_url) if photo_url else None
    extension = photo_key.rsplit(".", 1)[-1].lower() if photo_key else ""
    if uploaded or photo_key is None or extension not in PHOTO_TYPES:
        for old in generated:
            _drop(old, assets, files)
        return None
    size = product_size(product)
    current = next(
        (a for a in generated if a.source_image == photo_url and a.dimensions == size.rounded()),
        None,
    )
    if current is not None:
        return current
    photo_size = files.size(photo_key)
    if photo_size is None or photo_size > MAX_PHOTO_BYTES:
        return None
    glb = maker.photo_card(files.read(photo_key), PHOTO_TYPES[extension], size)
    asset_id = new_id("mdl")
    key = model_key(product_id, asset_id, AssetType.GLB)
    files.write(key, glb, CONTENT_TYPES[AssetType.GLB])
    made = Asset(
        asset_id=asset_id,
        product_id=product_id,
        name=f"{product.name} (made from its photo)",
        type=AssetType.GLB,
        category=product.category_id,
        source=AssetSource.GENERATED,
        status=AssetStatus.READY,
        url=files.public_url(key),
        key=key,
        created_at=now,
        updated_at=now,
        dimensions=size.rounded(),
        source_image=photo_url,
    )
    assets.add(made)
    for old in generated:
        _drop(old, assets, files)
    return made
