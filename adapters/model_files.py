"""Reading and writing 3D model files: glTF binary with pygltflib, USDZ by its zip rules.

Loaded by the reality worker only (tests/config/test_import_hygiene.py). pygltflib itself
is imported on the first glb the worker reads or writes, not when the worker starts: with
dataclasses-json and marshmallow it costs about 0.14x of the cold-start yardstick, which
would put the worker at 1.46x, over its 1.3x budget (benchmarks/). A container pays it once,
on its first glb; a USDZ never does.
"""

from __future__ import annotations

import importlib
import io
import math
import struct
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from domain.reality.model import AssetType, Dimensions, InvalidModel

if TYPE_CHECKING:
    import pygltflib

GLB_MAGIC = b"glTF"
Matrix = list[float]  # 4x4, column-major (glTF's order)
IDENTITY: Matrix = [1.0, 0, 0, 0, 0, 1.0, 0, 0, 0, 0, 1.0, 0, 0, 0, 0, 1.0]
USD_LAYERS = (".usda", ".usdc", ".usd")
USDC_MAGIC, USDA_MAGIC = b"PXR-USDC", b"#usda"


def _gltf() -> ModuleType:
    """pygltflib, imported on first use (see the module's docstring)."""
    return importlib.import_module("pygltflib")


# -- validation ------------------------------------------------------------------------


class GltfInspector:
    def dimensions(self, kind: AssetType, data: bytes) -> Dimensions | None:
        if kind is AssetType.GLB:
            return glb_dimensions(data)
        check_usdz(data)
        return None


def _header(data: bytes) -> None:
    if len(data) < 20 or data[:4] != GLB_MAGIC:
        raise InvalidModel("not a glTF binary file (.glb): the file does not start with 'glTF'")
    version, length = struct.unpack_from("<II", data, 4)
    if version != 2:
        raise InvalidModel(f"glTF version {version} is not supported; export glTF 2.0")
    if length != len(data):
        raise InvalidModel("the glb is truncated or has trailing bytes (its length is wrong)")
    json_length, json_type = struct.unpack_from("<I4s", data, 12)
    if json_type != b"JSON" or 20 + json_length > len(data):
        raise InvalidModel("the glb's first chunk is not its JSON")


def glb_dimensions(data: bytes) -> Dimensions:
    """Validates a glb (header, JSON, at least one mesh whose positions carry min/max, the
    binary chunk holding what its views say) and returns the scene's bounding box."""
    _header(data)
    pygltflib = _gltf()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gltf = pygltflib.GLTF2.load_from_bytes(data)
    except Exception as error:
        raise InvalidModel(f"the glb cannot be read: {type(error).__name__}") from error
    if gltf is None or not gltf.meshes:
        raise InvalidModel("the model has no mesh")
    blob = gltf.binary_blob() or b""
    for view in gltf.bufferViews:
        if (view.byteOffset or 0) + view.byteLength > len(blob):
            raise InvalidModel("a buffer view points past the end of the glb's binary data")
    boxes: dict[int, tuple[list[float], list[float]]] = {}
    for index, mesh in enumerate(gltf.meshes):
        box = _mesh_box(gltf, mesh)
        if box is not None:
            boxes[index] = box
    if not boxes:
        raise InvalidModel("no mesh has positions with min/max")
    corners = list(_scene_corners(gltf, boxes))
    low = [min(c[i] for c in corners) for i in range(3)]
    high = [max(c[i] for c in corners) for i in range(3)]
    size = [h - lo for lo, h in zip(low, high, strict=True)]
    if not all(math.isfinite(s) for s in size) or max(size) <= 0:
        raise InvalidModel("the model's bounding box is empty")
    return Dimensions(size[0], size[1], size[2])


def _mesh_box(
    gltf: pygltflib.GLTF2, mesh: pygltflib.Mesh
) -> tuple[list[float], list[float]] | None:
    low: list[float] | None = None
    high: list[float] | None = None
    for primitive in mesh.primitives:
        position = getattr(primitive.attributes, "POSITION", None)
        if position is None:
            continue
        if not 0 <= position < len(gltf.accessors):
            raise InvalidModel("a mesh names a position accessor that does not exist")
        accessor = gltf.accessors[position]
        if accessor.type != "VEC3" or not accessor.min or not accessor.max:
            raise InvalidModel("a mesh's positions have no min/max (required by glTF 2.0)")
        if len(accessor.min) != 3 or len(accessor.max) != 3:
            raise InvalidModel("a mesh's positions' min/max are not 3D")
        a_low, a_high = [float(v) for v in accessor.min], [float(v) for v in accessor.max]
        low = a_low if low is None else [min(x, y) for x, y in zip(low, a_low, strict=True)]
        high = a_high if high is None else [max(x, y) for x, y in zip(high, a_high, strict=True)]
    return None if low is None or high is None else (low, high)


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return [sum(a[k * 4 + r] * b[c * 4 + k] for k in range(4)) for c in range(4) for r in range(4)]


def _local(node: pygltflib.Node) -> Matrix:
    if node.matrix:
        return [float(v) for v in node.matrix]
    tx, ty, tz = node.translation or (0.0, 0.0, 0.0)
    x, y, z, w = node.rotation or (0.0, 0.0, 0.0, 1.0)
    sx, sy, sz = node.scale or (1.0, 1.0, 1.0)
    rotation = [
        1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w), 0,
        2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w), 0,
        2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y), 0,
        0, 0, 0, 1,
    ]  # fmt: skip
    scale = [sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1]
    translation = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, tx, ty, tz, 1]
    return _multiply(_multiply(translation, rotation), scale)


def _scene_corners(
    gltf: pygltflib.GLTF2, boxes: dict[int, tuple[list[float], list[float]]]
) -> Iterator[Sequence[float]]:
    """The corners of every mesh's box, placed by its nodes' transforms (the default
    scene's, else every root node's; a file with no nodes: the boxes as they are)."""
    if not gltf.nodes:
        for low, high in boxes.values():
            yield low
            yield high
        return
    scene_index = gltf.scene if gltf.scene is not None else 0
    if gltf.scenes and 0 <= scene_index < len(gltf.scenes):
        roots = list(gltf.scenes[scene_index].nodes or [])
    else:
        children = {c for n in gltf.nodes for c in (n.children or [])}
        roots = [i for i in range(len(gltf.nodes)) if i not in children]
    stack = [(root, IDENTITY, 0) for root in roots]
    found = False
    while stack:
        index, parent, depth = stack.pop()
        if not 0 <= index < len(gltf.nodes) or depth > 64:
            raise InvalidModel("the node hierarchy is broken (a missing node or a cycle)")
        node = gltf.nodes[index]
        world = _multiply(parent, _local(node))
        if node.mesh is not None and node.mesh in boxes:
            found = True
            low, high = boxes[node.mesh]
            for x in (low[0], high[0]):
                for y in (low[1], high[1]):
                    for z in (low[2], high[2]):
                        yield [
                            sum(world[k * 4 + r] * v for k, v in enumerate((x, y, z, 1.0)))
                            for r in range(3)
                        ]
        stack.extend((child, world, depth + 1) for child in node.children or [])
    if not found:
        raise InvalidModel("the scene shows no mesh")


def check_usdz(data: bytes) -> None:
    """A USDZ is a zip (no compression, no encryption) whose first file is a USD layer and
    whose every file's data starts at a multiple of 64 bytes (the USDZ specification)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InvalidModel("not a USDZ: the file is not a zip archive") from error
    if not entries:
        raise InvalidModel("not a USDZ: the archive is empty")
    first = entries[0]
    if not first.filename.lower().endswith(USD_LAYERS):
        raise InvalidModel(f"not a USDZ: its first file {first.filename!r} is not a USD layer")
    for entry in entries:
        if entry.compress_type != zipfile.ZIP_STORED:
            raise InvalidModel(f"not a USDZ: {entry.filename!r} is compressed (must be stored)")
        if entry.flag_bits & 0x1:
            raise InvalidModel(f"not a USDZ: {entry.filename!r} is encrypted")
        offset = _data_offset(data, entry)
        if offset % 64:
            raise InvalidModel(f"not a USDZ: {entry.filename!r} is not 64-byte aligned")
    head = data[_data_offset(data, first) :][:8]
    if not (head.startswith(USDC_MAGIC) or head.startswith(USDA_MAGIC)):
        raise InvalidModel(f"not a USDZ: {first.filename!r} is not a USD layer (crate or text)")


def _data_offset(data: bytes, entry: zipfile.ZipInfo) -> int:
    """Where the entry's bytes start: after its local header, whose name and extra field
    may differ in length from the central directory's."""
    start = entry.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise InvalidModel("not a USDZ: a local file header is missing")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    return int(start + 30 + name_length + extra_length)


# -- generation ------------------------------------------------------------------------

# A box centred on x and z, standing on y = 0: each face (normal, four corners, whether the
# photo shows on it whole) in the order front, back, right, left, top, bottom.
_FACES = (
    ((0, 0, 1), ((-1, 0, 1), (1, 0, 1), (1, 1, 1), (-1, 1, 1)), True),
    ((0, 0, -1), ((1, 0, -1), (-1, 0, -1), (-1, 1, -1), (1, 1, -1)), True),
    ((1, 0, 0), ((1, 0, 1), (1, 0, -1), (1, 1, -1), (1, 1, 1)), False),
    ((-1, 0, 0), ((-1, 0, -1), (-1, 0, 1), (-1, 1, 1), (-1, 1, -1)), False),
    ((0, 1, 0), ((-1, 1, 1), (1, 1, 1), (1, 1, -1), (-1, 1, -1)), False),
    ((0, -1, 0), ((-1, 0, -1), (1, 0, -1), (1, 0, 1), (-1, 0, 1)), False),
)
_FULL_UV = ((0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0))
_EDGE_UV = ((0.0, 1.0), (0.01, 1.0), (0.01, 0.0), (0.0, 0.0))  # a strip of the photo's edge


class PhotoCardMaker:
    def photo_card(self, photo: bytes, mime: str, size: Dimensions) -> bytes:
        return photo_card(photo, mime, size)


def photo_card(photo: bytes, mime: str, size: Dimensions) -> bytes:
    """The photo on the front and back of a box of ``size`` metres (a card when thin),
    written with pygltflib: one mesh, one material, the photo embedded in the glb."""
    pygltflib = _gltf()
    half_w, height, half_d = size.width / 2, size.height, size.depth / 2
    positions: list[float] = []
    normals: list[float] = []
    uvs: list[float] = []
    indices: list[int] = []
    for normal, corners, whole in _FACES:
        base = len(positions) // 3
        for (x, y, z), uv in zip(corners, _FULL_UV if whole else _EDGE_UV, strict=True):
            positions += [x * half_w, y * height, z * half_d]
            normals += [float(n) for n in normal]
            uvs += list(uv)
        indices += [base, base + 1, base + 2, base, base + 2, base + 3]
    blobs = [
        struct.pack(f"<{len(indices)}H", *indices),
        struct.pack(f"<{len(positions)}f", *positions),
        struct.pack(f"<{len(normals)}f", *normals),
        struct.pack(f"<{len(uvs)}f", *uvs),
        photo,
    ]
    views: list[object] = []
    offset = 0
    binary = b""
    for number, blob in enumerate(blobs):
        target = {0: pygltflib.ELEMENT_ARRAY_BUFFER, 4: None}.get(number, pygltflib.ARRAY_BUFFER)
        views.append(
            pygltflib.BufferView(buffer=0, byteOffset=offset, byteLength=len(blob), target=target)
        )
        padded = blob + b"\x00" * (-len(blob) % 4)
        binary += padded
        offset += len(padded)
    vertex_count = len(positions) // 3
    extensions: list[str] = []
    if mime == "image/webp":  # glTF's core images are PNG and JPEG; WebP is an extension
        extensions = ["EXT_texture_webp"]
        texture = pygltflib.Texture(sampler=0, extensions={"EXT_texture_webp": {"source": 0}})
    else:
        texture = pygltflib.Texture(sampler=0, source=0)
    gltf = pygltflib.GLTF2(
        asset=pygltflib.Asset(generator="Bazaar photo card (pygltflib)", version="2.0"),
        scene=0,
        scenes=[pygltflib.Scene(nodes=[0])],
        nodes=[pygltflib.Node(mesh=0, name="photo card")],
        meshes=[
            pygltflib.Mesh(
                name="photo card",
                primitives=[
                    pygltflib.Primitive(
                        attributes=pygltflib.Attributes(POSITION=1, NORMAL=2, TEXCOORD_0=3),
                        indices=0,
                        material=0,
                    )
                ],
            )
        ],
        accessors=[
            pygltflib.Accessor(
                bufferView=0,
                componentType=pygltflib.UNSIGNED_SHORT,
                count=len(indices),
                type=pygltflib.SCALAR,
            ),
            pygltflib.Accessor(
                bufferView=1,
                componentType=pygltflib.FLOAT,
                count=vertex_count,
                type=pygltflib.VEC3,
                min=[-half_w, 0.0, -half_d],
                max=[half_w, height, half_d],
            ),
            pygltflib.Accessor(
                bufferView=2, componentType=pygltflib.FLOAT, count=vertex_count, type=pygltflib.VEC3
            ),
            pygltflib.Accessor(
                bufferView=3, componentType=pygltflib.FLOAT, count=vertex_count, type=pygltflib.VEC2
            ),
        ],
        bufferViews=views,
        buffers=[pygltflib.Buffer(byteLength=len(binary))],
        images=[pygltflib.Image(bufferView=4, mimeType=mime)],
        samplers=[pygltflib.Sampler(magFilter=pygltflib.LINEAR, minFilter=pygltflib.LINEAR)],
        textures=[texture],
        materials=[
            pygltflib.Material(
                name="photo",
                pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                    baseColorTexture=pygltflib.TextureInfo(index=0),
                    metallicFactor=0.0,
                    roughnessFactor=0.9,
                ),
            )
        ],
        extensionsUsed=extensions,
        extensionsRequired=extensions,
    )
    gltf.set_binary_blob(binary)
    return b"".join(gltf.save_to_bytes())
