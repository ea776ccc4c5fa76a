"""The demo's 3D files: a desk lamp "uploaded" by its seller (three parts placed by their
nodes, written with pygltflib) and a photo for the model made from a photo."""

from __future__ import annotations

import struct
import zlib

import pygltflib

# A unit cube centred on the origin: (normal, four corners) per face.
_CUBE = (
    ((0, 0, 1), ((-1, -1, 1), (1, -1, 1), (1, 1, 1), (-1, 1, 1))),
    ((0, 0, -1), ((1, -1, -1), (-1, -1, -1), (-1, 1, -1), (1, 1, -1))),
    ((1, 0, 0), ((1, -1, 1), (1, -1, -1), (1, 1, -1), (1, 1, 1))),
    ((-1, 0, 0), ((-1, -1, -1), (-1, -1, 1), (-1, 1, 1), (-1, 1, -1))),
    ((0, 1, 0), ((-1, 1, 1), (1, 1, 1), (1, 1, -1), (-1, 1, -1))),
    ((0, -1, 0), ((-1, -1, -1), (1, -1, -1), (1, -1, 1), (-1, -1, 1))),
)
# part: (scale, translation, base colour) in metres: a 30 x 47 x 30 cm lamp
LAMP = (
    ((0.18, 0.02, 0.18), (0.0, 0.01, 0.0), (0.25, 0.16, 0.08, 1.0)),  # walnut base
    ((0.02, 0.33, 0.02), (0.0, 0.185, 0.0), (0.7, 0.6, 0.3, 1.0)),  # brass stem
    ((0.30, 0.12, 0.30), (0.0, 0.41, 0.0), (0.95, 0.92, 0.85, 1.0)),  # linen shade
)


def desk_lamp_glb() -> bytes:
    positions: list[float] = []
    normals: list[float] = []
    indices: list[int] = []
    for normal, corners in _CUBE:
        base = len(positions) // 3
        for corner in corners:
            positions += [c * 0.5 for c in corner]
            normals += [float(n) for n in normal]
        indices += [base, base + 1, base + 2, base, base + 2, base + 3]
    index_bytes = struct.pack(f"<{len(indices)}H", *indices)
    position_bytes = struct.pack(f"<{len(positions)}f", *positions)
    normal_bytes = struct.pack(f"<{len(normals)}f", *normals)
    offsets = [0, len(index_bytes), len(index_bytes) + len(position_bytes)]
    blob = index_bytes + position_bytes + normal_bytes
    count = len(positions) // 3
    gltf = pygltflib.GLTF2(
        asset=pygltflib.Asset(generator="Bazaar demo (pygltflib)", version="2.0"),
        scene=0,
        scenes=[pygltflib.Scene(nodes=[0, 1, 2])],
        nodes=[
            pygltflib.Node(mesh=part, scale=list(scale), translation=list(move))
            for part, (scale, move, _) in enumerate(LAMP)
        ],
        meshes=[
            pygltflib.Mesh(
                primitives=[
                    pygltflib.Primitive(
                        attributes=pygltflib.Attributes(POSITION=1, NORMAL=2),
                        indices=0,
                        material=part,
                    )
                ]
            )
            for part in range(len(LAMP))
        ],
        materials=[
            pygltflib.Material(
                pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                    baseColorFactor=list(colour), metallicFactor=0.0, roughnessFactor=0.7
                )
            )
            for _, _, colour in LAMP
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
                count=count,
                type=pygltflib.VEC3,
                min=[-0.5, -0.5, -0.5],
                max=[0.5, 0.5, 0.5],
            ),
            pygltflib.Accessor(
                bufferView=2, componentType=pygltflib.FLOAT, count=count, type=pygltflib.VEC3
            ),
        ],
        bufferViews=[
            pygltflib.BufferView(
                buffer=0,
                byteOffset=offset,
                byteLength=length,
                target=pygltflib.ELEMENT_ARRAY_BUFFER if i == 0 else pygltflib.ARRAY_BUFFER,
            )
            for i, (offset, length) in enumerate(
                zip(
                    offsets, (len(index_bytes), len(position_bytes), len(normal_bytes)), strict=True
                )
            )
        ],
        buffers=[pygltflib.Buffer(byteLength=len(blob))],
    )
    gltf.set_binary_blob(blob)
    return b"".join(gltf.save_to_bytes())


def demo_photo(width: int = 64, height: int = 48) -> bytes:
    """A PNG of an oak-coloured table top with darker grain lines."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b""
    for y in range(height):
        dark = y % 8 in (0, 1)
        rows += b"\x00" + (b"\x8a\x5a\x2b" if dark else b"\xc8\x96\x5a") * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
