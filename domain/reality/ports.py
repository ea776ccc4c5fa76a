"""What the reality rules need from the outside: the records, the files, the parsers."""

from __future__ import annotations

from typing import Any, Protocol

from domain.reality.model import Asset, AssetType, Dimensions


class AssetRepository(Protocol):
    def assets(self, product_id: str) -> list[Asset]:
        """Every asset of the product, any status (one Query of its partition)."""

    def asset(self, product_id: str, asset_id: str) -> Asset | None: ...

    def add(self, asset: Asset) -> None:
        """Writes a new asset record (conditional on its absence)."""

    def save(self, asset: Asset) -> None:
        """Overwrites the asset's record."""

    def start_processing(self, asset: Asset) -> Asset:
        """uploading -> processing, conditional on ``uploading``; Conflict otherwise."""

    def remove(self, asset: Asset) -> None: ...


class ModelFiles(Protocol):
    """The bucket the models live in (the images bucket)."""

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]: ...

    def public_url(self, key: str) -> str: ...

    def size(self, key: str) -> int | None:
        """The object's size in bytes, or None when nothing is there."""

    def read(self, key: str) -> bytes: ...

    def write(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def key_of(self, url: str) -> str | None:
        """The key of one of the bucket's public URLs, or None for any other URL."""


class ModelInspector(Protocol):
    def dimensions(self, kind: AssetType, data: bytes) -> Dimensions | None:
        """Validates the file as ``kind`` and returns its bounding box (None where the
        format's box is not read, USDZ); raises InvalidModel with the reason."""


class ModelMaker(Protocol):
    def photo_card(self, photo: bytes, mime: str, size: Dimensions) -> bytes:
        """A glb of the photo as a textured box of ``size`` (metres)."""


class ModelQueue(Protocol):
    def process(self, product_id: str, asset_id: str) -> None:
        """Asks the worker to validate an uploaded model."""

    def generate(self, product_id: str) -> None:
        """Asks the worker to (re)make the product's model from its main photo."""
