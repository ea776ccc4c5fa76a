"""Plain fakes of the reality ports (domain/reality/ports.py)."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from domain.errors import Conflict
from domain.reality.model import Asset, AssetStatus, AssetType, Dimensions, InvalidModel

BASE = "https://bucket.example"


class FakeAssets:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Asset] = {}

    def assets(self, product_id: str) -> list[Asset]:
        return [copy.deepcopy(a) for (p, _), a in sorted(self.items.items()) if p == product_id]

    def asset(self, product_id: str, asset_id: str) -> Asset | None:
        return copy.deepcopy(self.items.get((product_id, asset_id)))

    def add(self, asset: Asset) -> None:
        key = (asset.product_id, asset.asset_id)
        if key in self.items:
            raise Conflict("the asset exists already", code="asset_exists")
        self.items[key] = copy.deepcopy(asset)

    def save(self, asset: Asset) -> None:
        self.items[(asset.product_id, asset.asset_id)] = copy.deepcopy(asset)

    def start_processing(self, asset: Asset) -> Asset:
        stored = self.items.get((asset.product_id, asset.asset_id))
        if stored is None or stored.status is not AssetStatus.UPLOADING:
            raise Conflict("the model is not awaiting its upload", code="asset_settled")
        moved = replace(stored, status=AssetStatus.PROCESSING)
        self.items[(asset.product_id, asset.asset_id)] = moved
        return copy.deepcopy(moved)

    def remove(self, asset: Asset) -> None:
        self.items.pop((asset.product_id, asset.asset_id), None)


class FakeModelFiles:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.forms: list[tuple[str, str, int, int]] = []

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]:
        self.forms.append((key, content_type, max_bytes, expires_in))
        return {"url": BASE, "fields": {"key": key, "Content-Type": content_type}}

    def public_url(self, key: str) -> str:
        return f"{BASE}/{key}"

    def size(self, key: str) -> int | None:
        data = self.objects.get(key)
        return None if data is None else len(data)

    def read(self, key: str) -> bytes:
        return self.objects[key]

    def write(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = data

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def key_of(self, url: str) -> str | None:
        return url.removeprefix(f"{BASE}/") if url.startswith(f"{BASE}/products/") else None


class FakeInspector:
    """Says what the file's first bytes say: ``ok:w,h,d`` or ``bad:<reason>``."""

    def dimensions(self, kind: AssetType, data: bytes) -> Dimensions | None:
        text = data.decode()
        if text.startswith("bad:"):
            raise InvalidModel(text[4:])
        if kind is AssetType.USDZ:
            return None
        w, h, d = (float(v) for v in text.removeprefix("ok:").split(","))
        return Dimensions(w, h, d)


class FakeMaker:
    def __init__(self) -> None:
        self.made: list[tuple[bytes, str, Dimensions]] = []

    def photo_card(self, photo: bytes, mime: str, size: Dimensions) -> bytes:
        self.made.append((photo, mime, size))
        return b"glb of " + photo


class FakeQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, ...]] = []

    def process(self, product_id: str, asset_id: str) -> None:
        self.sent.append(("process", product_id, asset_id))

    def generate(self, product_id: str) -> None:
        self.sent.append(("generate", product_id))
