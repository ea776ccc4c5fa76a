"""GET /reality/{productId}/view and GET /viewer/{asset}: "view it in your room".

An HTML page with Google's ``<model-viewer>`` showing the product's glb with the AR button
(WebXR, Android's Scene Viewer, and iOS Quick Look with the usdz when there is one) and the
model's real dimensions. Like /docs, everything the page runs comes from Bazaar itself:
``model-viewer.min.js`` is the single-file build of ``@google/model-viewer`` 4.4.0 (three.js
inside), pinned in package.json and copied byte for byte into ``handlers/reality/vendor/``
so that it is in the function's package (which holds no node_modules);
tests/config/test_reality_vendor.py holds the copy to the pin. No inline script, a
Content-Security-Policy of ``'self'`` plus the bucket the models are read from.
"""

from __future__ import annotations

import base64
import gzip
import html
from functools import cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from domain.errors import NotFound
from domain.reality.assets import viewable
from domain.reality.model import AssetSource, Dimensions
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for
from handlers.shared.http import Path as PathParam
from handlers.shared.schema import Identifier

MODEL_VIEWER_VERSION = "4.4.0"
# model-viewer's shadow DOM template carries one <style> element: the policy admits exactly
# that text by its hash (tests/config/test_reality_vendor.py recomputes it from the build),
# never 'unsafe-inline'.
MODEL_VIEWER_STYLE = "'sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0='"
VENDOR = Path(__file__).resolve().parent / "vendor"
IMMUTABLE = "public, max-age=31536000, immutable"
JS, CSS = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
# The only files /viewer/{asset} serves: name -> (file, content type, Cache-Control).
ASSETS = {
    "model-viewer.min.js": (VENDOR / "model-viewer.min.js", JS, IMMUTABLE),
    "view.js": (VENDOR / "view.js", JS, "no-cache"),
    "view.css": (VENDOR / "view.css", CSS, "no-cache"),
}
COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

app = HttpApp(roles=PUBLIC)
products, assets = wiring.products(), wiring.assets()


def page_policy(models_origin: str) -> str:
    """Scripts and styles from this origin only; the models (and their textures, which
    three.js reads as blob: URLs) from the bucket; no framing, no forms elsewhere."""
    return "; ".join(
        (
            "default-src 'none'",
            # model-viewer compiles its bundled glTF decoders (meshopt, zstd) as WebAssembly:
            # 'wasm-unsafe-eval' allows that and nothing else (no eval, no inline script)
            "script-src 'self' 'wasm-unsafe-eval'",
            f"style-src 'self' {MODEL_VIEWER_STYLE}",
            f"img-src 'self' data: blob: {models_origin}",
            f"connect-src 'self' data: blob: {models_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _centimetres(box: Dimensions | None) -> str:
    if box is None:
        return "size unknown"
    w, h, d = (round(v * 100, 1) for v in (box.width, box.height, box.depth))
    return f"{w:g} × {h:g} × {d:g} cm (width × height × depth)"


def _page(name: str, glb_url: str, usdz_url: str | None, size: str, generated: bool) -> str:
    e = html.escape
    ios = f' ios-src="{e(usdz_url)}"' if usdz_url else ""
    note = (
        '<p class="generated">Made from the product photo at its stated size: not a 3D scan.</p>'
        if generated
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(name)} in your room · Bazaar</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/viewer/view.css">
<script type="module" src="/viewer/model-viewer.min.js?v={MODEL_VIEWER_VERSION}"></script>
<script type="module" src="/viewer/view.js"></script>
</head><body>
<header><h1>{e(name)}</h1></header>
<model-viewer src="{e(glb_url)}"{ios} alt="{e(name)}, 3D model" ar
 ar-modes="webxr scene-viewer quick-look" ar-scale="fixed" camera-controls touch-action="pan-y"
 shadow-intensity="1"></model-viewer>
<footer><p id="dimensions">{e(size)}</p><p id="measured"></p>{note}
<p id="status">Loading the model…</p></footer>
</body></html>
"""


PAGE_RESPONSES = documented(200, None, 404)
PAGE_RESPONSES["responses"][200]["content"] = {"text/html": {"schema": {"type": "string"}}}


@app.get("/reality/<productId>/view", summary="View a product in your room (AR)", **PAGE_RESPONSES)
def view(productId: Annotated[Identifier, PathParam()]) -> Response[str]:  # noqa: N803
    product, glb, usdz = viewable(productId, products=products, assets=assets)
    body = _page(
        product.name,
        glb.url,
        usdz.url if usdz else None,
        _centimetres(glb.dimensions),
        glb.source is AssetSource.GENERATED,
    )
    headers = {
        **COMMON,
        "Content-Security-Policy": page_policy(_origin(glb.url)),
        "Cache-Control": "no-cache",
    }
    return Response(200, "text/html; charset=utf-8", body, headers=headers)


@cache
def _text(name: str) -> str:
    return ASSETS[name][0].read_text(encoding="utf-8")


@cache
def _gzipped_base64(name: str) -> str:
    return base64.b64encode(gzip.compress(_text(name).encode(), compresslevel=6, mtime=0)).decode()


def _accepts_gzip() -> bool:
    accepted = (app.current_event.headers.get("accept-encoding") or "").lower()
    return any(
        c.split(";")[0].strip() == "gzip" and "q=0" not in c.replace(" ", "")
        for c in accepted.split(",")
    )


@app.get("/viewer/<asset>", include_in_schema=False)
def viewer_asset(asset: str) -> Response[str]:
    # An exact name from the allow-list, or nothing: no path is ever built from input.
    if asset not in ASSETS:
        raise NotFound("no such viewer file", code="asset_not_found")
    _, content_type, cache_control = ASSETS[asset]
    headers = {**COMMON, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if not _accepts_gzip():
        return Response(200, content_type, _text(asset), headers=headers)
    headers["Content-Encoding"] = "gzip"
    response = Response(200, content_type, _gzipped_base64(asset), headers=headers)
    response.base64_encoded = True
    return response


lambda_handler = handler_for(app)
