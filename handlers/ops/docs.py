"""GET /openapi.json, GET /docs and GET /docs/{asset}: the OpenAPI document and Swagger UI.

Each operation is its own function, so no single resolver knows every route;
scripts/openapi.py merges them into docs/openapi.json (committed, checked by a test
for drift), which this function serves as it was packaged.

Swagger UI is served from here, never from a third-party origin (the page is where people
paste their tokens, and it must work offline). Its files are the ones Powertools ships,
byte for byte swagger-ui-dist 5.31.0's ``swagger-ui-bundle.js`` and ``swagger-ui.css``:
already pinned (requirements.txt) and already in the package, so serving them adds
nothing to it. They are read on the first request for them, in this function only.

Powertools' own ``enable_swagger`` does not fit a function per operation: it documents
the routes of its own resolver (here: none) and inlines its script, which a
``script-src 'self'`` policy forbids.
"""

from __future__ import annotations

import base64
import gzip
from functools import cache
from pathlib import Path

import aws_lambda_powertools
from aws_lambda_powertools.shared.version import VERSION as POWERTOOLS_VERSION

from domain.errors import NotFound
from handlers.shared.http import PUBLIC, HttpApp, Response, handler_for

app = HttpApp(roles=PUBLIC)
SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
VENDOR = Path(aws_lambda_powertools.__file__).parent / "event_handler" / "openapi" / "swagger_ui"

# The only files /docs/{asset} serves: name -> (source, content type, Cache-Control).
# Swagger UI's files change only with the Powertools pin, which the page's URLs carry
# (?v=), so browsers may keep them for good; the initializer is Bazaar's and small.
IMMUTABLE = "public, max-age=31536000, immutable"
INITIALIZER = """\
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null
});
"""
ASSETS: dict[str, tuple[Path | str, str, str]] = {
    "swagger-ui.css": (VENDOR / "swagger-ui.min.css", "text/css; charset=utf-8", IMMUTABLE),
    "swagger-ui-bundle.js": (
        VENDOR / "swagger-ui-bundle.min.js",
        "text/javascript; charset=utf-8",
        IMMUTABLE,
    ),
    "swagger-initializer.js": (INITIALIZER, "text/javascript; charset=utf-8", "no-cache"),
}

PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bazaar API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css?v={POWERTOOLS_VERSION}">
</head><body><div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js?v={POWERTOOLS_VERSION}"></script>
<script src="docs/swagger-initializer.js"></script>
</body></html>
"""
# Everything the page loads comes from this origin; no inline script, no framing.
PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@cache
def _text(name: str) -> str:
    source = ASSETS[name][0]
    return source.read_text(encoding="utf-8") if isinstance(source, Path) else source


@cache
def _gzipped_base64(name: str) -> str:
    """The file gzipped once per container (1.5 MB of script becomes about 0.4 MB)."""
    return base64.b64encode(gzip.compress(_text(name).encode(), compresslevel=6, mtime=0)).decode()


def _accepts_gzip() -> bool:
    accepted = app.current_event.headers.get("accept-encoding") or ""
    for coding in accepted.lower().split(","):
        name, _, params = coding.partition(";")
        if name.strip() == "gzip":
            weight = params.strip()
            try:
                return not weight.startswith("q=") or float(weight[2:]) > 0
            except ValueError:
                return False
    return False


@app.get("/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(200, "application/json", SPEC.read_text())


@app.get("/docs", include_in_schema=False)
def swagger_ui() -> Response[str]:
    headers = {**COMMON, "Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache"}
    return Response(200, "text/html; charset=utf-8", PAGE, headers=headers)


@app.get("/docs/<asset>", include_in_schema=False)
def swagger_asset(asset: str) -> Response[str]:
    # An exact name from the allow-list, or nothing: no path is ever built from input.
    if asset not in ASSETS:
        raise NotFound("no such documentation file", code="asset_not_found")
    _, content_type, cache_control = ASSETS[asset]
    headers = {**COMMON, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if not _accepts_gzip():
        return Response(200, content_type, _text(asset), headers=headers)
    headers["Content-Encoding"] = "gzip"
    response = Response(200, content_type, _gzipped_base64(asset), headers=headers)
    response.base64_encoded = True
    return response


lambda_handler = handler_for(app)
