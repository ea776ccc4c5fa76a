"""The model file adapter (adapters/model_files.py) on real files made by the tests."""

from __future__ import annotations

import pygltflib
import pytest

from adapters.model_files import check_usdz, glb_dimensions, photo_card
from domain.reality.model import Dimensions, InvalidModel
from tests.support import model_files as files


def test_the_box_of_a_glb_is_read_from_its_positions_min_max_placed_by_its_nodes() -> None:
    assert glb_dimensions(files.tiny_glb()) == pytest.approx(Dimensions(0.2, 0.3, 0.1))
    scaled = glb_dimensions(files.tiny_glb(scale=(2.0, 1.0, 3.0)))
    assert (scaled.width, scaled.height, scaled.depth) == pytest.approx((0.4, 0.3, 0.3))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.truncated_glb(), "truncated"),
        (files.png(), "does not start with 'glTF'"),
        (files.glb_without_mesh(), "no mesh"),
        (files.glb_without_min_max(), "min/max"),
        (b"glTF" + b"\x01\x00\x00\x00" + b"\x00" * 16, "version 1"),
        (b"", "does not start with 'glTF'"),
    ],
)
def test_a_broken_glb_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidModel) as refused:
        glb_dimensions(data)
    assert reason in str(refused.value)


def test_a_usdz_by_the_zip_rules() -> None:
    check_usdz(files.usdz())
    check_usdz(files.usdz(first="scene.usdc", layer=b"PXR-USDC" + b"\x00" * 40))
    for data, reason in [
        (files.plain_zip(), "not a USD layer"),
        (files.usdz(compress=True), "compressed"),
        (files.usdz(aligned=False), "64-byte aligned"),
        (files.usdz(first="photo.png"), "not a USD layer"),
        (files.usdz(layer=b"just text"), "not a USD layer (crate or text)"),
        (files.tiny_glb(), "not a zip"),
    ]:
        with pytest.raises(InvalidModel) as refused:
            check_usdz(data)
        assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("mime", "extension"), [("image/png", None), ("image/webp", "EXT_texture_webp")]
)
def test_the_photo_card_opens_with_pygltflib_at_the_products_size(
    mime: str, extension: str | None
) -> None:
    photo = files.png(3, 5)
    glb = photo_card(photo, mime, Dimensions(0.4, 0.6, 0.02))
    assert glb_dimensions(glb) == pytest.approx(Dimensions(0.4, 0.6, 0.02))
    gltf = pygltflib.GLTF2.load_from_bytes(glb)
    assert len(gltf.meshes) == 1
    image = gltf.images[0]
    view = gltf.bufferViews[image.bufferView]
    assert gltf.binary_blob()[view.byteOffset : view.byteOffset + view.byteLength] == photo
    assert image.mimeType == mime
    material = gltf.materials[0].pbrMetallicRoughness
    assert material.baseColorTexture.index == 0
    assert (gltf.extensionsRequired or []) == ([extension] if extension else [])
