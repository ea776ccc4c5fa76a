"""Real 3D files made by the tests: a tiny glb (pygltflib), broken ones, USDZ archives."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pygltflib


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG of solid colour (what a seller's photo would be)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\xc0\x40\x20" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def tiny_glb(
    low: tuple[float, float, float] = (-0.1, 0.0, -0.05),
    high: tuple[float, float, float] = (0.1, 0.3, 0.05),
    scale: tuple[float, float, float] | None = None,
) -> bytes:
    """One triangle mesh (two triangles of the box's diagonal corners) with min/max."""
    (x0, y0, z0), (x1, y1, z1) = low, high
    points = [x0, y0, z0, x1, y0, z0, x1, y1, z1, x0, y1, z1]
    indices = [0, 1, 2, 0, 2, 3]
    index_bytes = struct.pack("<6H", *indices) + b"\x00" * 4
    point_bytes = struct.pack(f"<{len(points)}f", *points)
    gltf = pygltflib.GLTF2(
        scene=0,
        scenes=[pygltflib.Scene(nodes=[0])],
        nodes=[pygltflib.Node(mesh=0, scale=list(scale) if scale else None)],
        meshes=[
            pygltflib.Mesh(
                primitives=[
                    pygltflib.Primitive(attributes=pygltflib.Attributes(POSITION=1), indices=0)
                ]
            )
        ],
        accessors=[
            pygltflib.Accessor(
                bufferView=0, componentType=pygltflib.UNSIGNED_SHORT, count=6, type=pygltflib.SCALAR
            ),
            pygltflib.Accessor(
                bufferView=1,
                componentType=pygltflib.FLOAT,
                count=4,
                type=pygltflib.VEC3,
                min=list(low),
                max=list(high),
            ),
        ],
        bufferViews=[
            pygltflib.BufferView(
                buffer=0, byteOffset=0, byteLength=12, target=pygltflib.ELEMENT_ARRAY_BUFFER
            ),
            pygltflib.BufferView(
                buffer=0, byteOffset=16, byteLength=len(point_bytes), target=pygltflib.ARRAY_BUFFER
            ),
        ],
        buffers=[pygltflib.Buffer(byteLength=16 + len(point_bytes))],
    )
    gltf.set_binary_blob(index_bytes + point_bytes)
    return b"".join(gltf.save_to_bytes())


def glb_without_mesh() -> bytes:
    gltf = pygltflib.GLTF2(scene=0, scenes=[pygltflib.Scene(nodes=[])])
    return b"".join(gltf.save_to_bytes())


def glb_without_min_max() -> bytes:
    gltf = pygltflib.GLTF2.load_from_bytes(tiny_glb())
    gltf.accessors[1].min = None
    gltf.accessors[1].max = None
    return b"".join(gltf.save_to_bytes())


def truncated_glb() -> bytes:
    return tiny_glb()[:-20]


USDA = b'#usda 1.0\n(\n    defaultPrim = "Box"\n    metersPerUnit = 1\n)\ndef Cube "Box" {}\n'


def usdz(
    first: str = "model.usda",
    layer: bytes = USDA,
    compress: bool = False,
    aligned: bool = True,
    extra_files: tuple[tuple[str, bytes], ...] = (("textures/photo.png", b"\x89PNG...."),),
) -> bytes:
    """A zip as USDZ wants it (stored, every file's data 64-byte aligned via padding in the
    extra field, the USD layer first), or broken in one of those ways."""
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in ((first, layer), *extra_files):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            header_end = out.tell() + 30 + len(name.encode())
            if aligned:  # padding in an extra field of its own (as usdzip does)
                pad = -(header_end + 4) % 64
                info.extra = struct.pack("<HH", 0x1986, pad) + b"\x00" * pad
            elif header_end % 64 == 0:
                info.extra = struct.pack("<HH", 0x1986, 1) + b"\x00"
            archive.writestr(info, data)
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip of a text file, compressed: not a USDZ."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "not a model " * 50)
    return out.getvalue()
