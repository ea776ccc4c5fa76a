"""GET /openapi.json and GET /docs: the API's OpenAPI 3.1 document and Swagger UI.

Each operation is its own function, so no single resolver knows every route;
scripts/openapi.py merges them into docs/openapi.json (committed, checked by a test
for drift), which this function serves as it was packaged.
"""

from __future__ import annotations

from pathlib import Path

from handlers.shared.http import PUBLIC, HttpApp, Response, handler_for

app = HttpApp(roles=PUBLIC)
SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
SWAGGER_UI = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bazaar API</title>
<link rel="stylesheet"
 href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", persistAuthorization: true});
</script>
</body></html>
"""


@app.get("/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(200, "application/json", SPEC.read_text())


@app.get("/docs", include_in_schema=False)
def swagger_ui() -> Response[str]:
    return Response(200, "text/html; charset=utf-8", SWAGGER_UI)


lambda_handler = handler_for(app)
