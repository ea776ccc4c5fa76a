"""Bad input on the reality (3D/AR) routes: upload forms, "done", generate, reading, the page."""

from __future__ import annotations

from tests.integration.bad_input.cases import (
    ANOTHER_PRODUCT,
    Case,
    body_cases,
    by_route,
    err,
    table_test,
)

ANOTHER_ASSET = "mdl_01JD0000000000000000000000"
UPLOADS = "/reality/{product}/uploads"
FORM = {"type": "glb", "name": "Desk lamp"}

CASES: list[Case] = by_route([
    # -- POST /reality/{productId}/uploads ---------------------------------------------------
    Case("model upload: nothing at all", "POST", UPLOADS, {}, "seller",
         errors=err(("body.type", "missing"), ("body.name", "missing"))),
    Case("model upload: an obj file", "POST", UPLOADS, {**FORM, "type": "obj"}, "seller",
         errors=err(("body.type", "enum"))),
    Case("model upload: a content type for a type", "POST", UPLOADS,
         {**FORM, "type": "model/gltf-binary"}, "seller", errors=err(("body.type", "enum"))),
    Case("model upload: blank name", "POST", UPLOADS, {**FORM, "name": "  "}, "seller",
         errors=err(("body.name", "string_too_short"))),
    Case("model upload: name of 201", "POST", UPLOADS, {**FORM, "name": "n" * 201}, "seller",
         errors=err(("body.name", "string_too_long"))),
    Case("model upload: choosing key, size, status and source", "POST", UPLOADS,
         {**FORM, "key": "products/other/x.glb", "maxBytes": 10**9, "status": "ready",
          "source": "generated", "dimensions": {"width": 1}}, "seller",
         errors=err(("body.key", "extra_forbidden"), ("body.maxBytes", "extra_forbidden"),
                    ("body.status", "extra_forbidden"), ("body.source", "extra_forbidden"),
                    ("body.dimensions", "extra_forbidden"))),
    Case("model upload: malformed id", "POST", "/reality/nope/uploads", FORM, "seller",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("model upload: unknown product", "POST", f"/reality/{ANOTHER_PRODUCT}/uploads", FORM,
         "seller", status=404, code="product_not_found"),
    Case("model upload: a customer", "POST", UPLOADS, FORM, "customer", status=403,
         code="forbidden_role"),
    *body_cases("model upload", "POST", UPLOADS, token="seller", valid=FORM),
    # -- POST /reality/{productId}/uploads/{assetId}/done ------------------------------------
    Case("model done: malformed asset id", "POST", "/reality/{product}/uploads/nope/done",
         token="seller", errors=err(("path.assetId", "string_pattern_mismatch"))),
    Case("model done: malformed product id", "POST", f"/reality/nope/uploads/{ANOTHER_ASSET}/done",
         token="seller", errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("model done: unknown asset", "POST", f"/reality/{{product}}/uploads/{ANOTHER_ASSET}/done",
         token="seller", status=404, code="asset_not_found"),
    Case("model done: a body is ignored", "POST",
         f"/reality/{{product}}/uploads/{ANOTHER_ASSET}/done", {"status": "ready"},
         token="seller", status=404, code="asset_not_found"),
    Case("model done: unknown product", "POST",
         f"/reality/{ANOTHER_PRODUCT}/uploads/{ANOTHER_ASSET}/done", token="seller", status=404,
         code="product_not_found"),
    # -- POST /reality/{productId}/generate ------------------------------------------------
    Case("generate: malformed id", "POST", "/reality/nope/generate", token="seller",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("generate: unknown product", "POST", f"/reality/{ANOTHER_PRODUCT}/generate",
         token="seller", status=404, code="product_not_found"),
    Case("generate: no photo", "POST", "/reality/{product}/generate", {"photo": "x"},
         token="seller", status=422, code="no_photo"),
    # -- GET /reality/{productId} ----------------------------------------------------------
    Case("get reality: malformed id", "GET", "/reality/nope", token=None,
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("get reality: unknown", "GET", f"/reality/{ANOTHER_PRODUCT}", token=None, status=404,
         code="product_not_found"),
    Case("get reality: a draft, to strangers", "GET", "/reality/{product}", token=None,
         status=404, code="product_not_found"),
    # -- GET /reality/{productId}/view, GET /viewer/{asset} ----------------------------------
    Case("ar page: malformed id", "GET", "/reality/nope/view", token=None,
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("ar page: unknown", "GET", f"/reality/{ANOTHER_PRODUCT}/view", token=None, status=404,
         code="product_not_found"),
    Case("ar page: a draft", "GET", "/reality/{product}/view", token=None, status=404,
         code="product_not_found"),
    Case("viewer file: not on the list", "GET", "/viewer/settings.json", token=None,
         status=404, code="asset_not_found"),
    Case("viewer file: a path", "GET", "/viewer/..%2F..%2Fopenapi.json", token=None, status=404,
         code="asset_not_found"),
])  # fmt: skip

test_bad_input = table_test(CASES)
