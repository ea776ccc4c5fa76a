"""3D and AR assets of a product (issue 14): uploaded models and the one made from its photo.

An asset is a file in the images bucket (``products/<productId>/models/<assetId>.<ext>``)
and a record in the product's partition. Only a ``ready`` asset is ever served; a
``rejected`` one keeps the reason the seller reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AssetType(StrEnum):
    GLB = "glb"  # glTF 2.0 binary: the web viewer, WebXR and Android's Scene Viewer
    USDZ = "usdz"  # what iOS Quick Look needs


class AssetSource(StrEnum):
    UPLOADED = "uploaded"
    GENERATED = "generated"  # the main photo on a card at the product's size: not a scan


class AssetStatus(StrEnum):
    UPLOADING = "uploading"  # a form was handed out; nothing has been said to be uploaded
    PROCESSING = "processing"  # "done" was called; the worker has not answered yet
    READY = "ready"
    REJECTED = "rejected"


CONTENT_TYPES = {AssetType.GLB: "model/gltf-binary", AssetType.USDZ: "model/vnd.usdz+zip"}
MAX_MODEL_BYTES = {AssetType.GLB: 20 * 1024 * 1024, AssetType.USDZ: 20 * 1024 * 1024}
MODEL_UPLOAD_EXPIRES_IN = 900
MAX_ASSETS = 10  # models a product may have (any status)
MAX_PHOTO_BYTES = 5 * 1024 * 1024  # the image upload's own limit

# The size of a generated card when the product's attributes do not give one (cm).
DEFAULT_SIZE_CM = (30.0, 30.0, 2.0)  # width, height, depth
MIN_SIZE_CM, MAX_SIZE_CM = 0.5, 1000.0


@dataclass(frozen=True)
class Dimensions:
    """A bounding box in metres (glTF's unit): x width, y height, z depth."""

    width: float
    height: float
    depth: float

    def rounded(self) -> Dimensions:
        return Dimensions(round(self.width, 4), round(self.height, 4), round(self.depth, 4))


@dataclass(frozen=True)
class Asset:
    asset_id: str
    product_id: str
    name: str
    type: AssetType
    category: str
    source: AssetSource
    status: AssetStatus
    url: str
    key: str
    created_at: datetime
    updated_at: datetime
    dimensions: Dimensions | None = None
    reason: str | None = None
    source_image: str | None = None  # the photo a generated model was made from


class InvalidModel(Exception):
    """The file is not what it claims to be; the message is what the seller reads."""
