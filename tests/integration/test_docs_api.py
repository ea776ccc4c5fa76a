"""The docs function: Swagger UI served from Bazaar itself, and nothing else.

In-process, through the routes serverless.yml declares (tests/support/lambda_api.py).
The browser test (tests/e2e/test_docs_browser.py) shows the page works; this pins the
rules: an allow-list of files, their types and caching, the page's security policy.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import aws_lambda_powertools
import pytest

from tests.conftest import CONFIG
from tests.integration.helpers import problem
from tests.support.lambda_api import LambdaApi, routes_of

VENDOR = Path(aws_lambda_powertools.__file__).parent / "event_handler/openapi/swagger_ui"
# swagger-ui-dist 5.31.0 (npm): swagger-ui-bundle.js and swagger-ui.css, which Powertools
# 3.37.0 ships byte for byte. A Powertools upgrade that changes them fails here: check the
# page in the browser test, then update the version named in handlers/ops/docs.py and here.
SWAGGER_UI_DIST_5_31_0 = {
    "swagger-ui-bundle.min.js": "93b7b0862a80e2786f85b560be7693c2344354ffa7e7e224f850a54349724c31",
    "swagger-ui.min.css": "9e576f8322132c76949da47f9bb53c891373c303ea3a761ff548ffc9de50a98c",
}


@pytest.fixture(scope="module")
def api() -> LambdaApi:
    return LambdaApi(CONFIG)


def test_the_page_loads_only_files_of_this_origin(api: LambdaApi) -> None:
    page = api.get("/docs")
    assert page.status == 200
    assert page.header("content-type") == "text/html; charset=utf-8"
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources, page.text
    for source in sources:
        # relative to /docs, or the empty inline icon (no /favicon.ico request)
        assert source == "data:," or re.fullmatch(r"docs/[\w.-]+(\?v=[\w.]+)?", source), source
    assert "<script>" not in page.text, "no inline script (script-src 'self')"
    assert page.header("cache-control") == "no-cache"
    assert page.header("x-content-type-options") == "nosniff"


def test_the_page_has_a_policy_that_allows_only_this_origin(api: LambdaApi) -> None:
    policy = api.get("/docs").header("content-security-policy") or ""
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy
    assert "unsafe" not in policy


@pytest.mark.parametrize(
    ("asset", "content_type", "source"),
    [
        ("swagger-ui.css", "text/css; charset=utf-8", "swagger-ui.min.css"),
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8", "swagger-ui-bundle.min.js"),
    ],
)
def test_swagger_ui_files_are_served_as_shipped_and_cached_for_good(
    api: LambdaApi, asset: str, content_type: str, source: str
) -> None:
    plain = api.get(f"/docs/{asset}?v=1")
    assert plain.status == 200
    assert plain.header("content-type") == content_type
    assert plain.header("content-encoding") is None
    assert plain.text == (VENDOR / source).read_text(encoding="utf-8")
    assert plain.header("cache-control") == "public, max-age=31536000, immutable"
    assert plain.header("vary") == "Accept-Encoding"
    assert plain.header("x-content-type-options") == "nosniff"

    zipped = api.get(f"/docs/{asset}", headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped.status == 200
    assert zipped.header("content-encoding") == "gzip"
    assert gzip.decompress(base64.b64decode(zipped.text)) == (VENDOR / source).read_bytes()
    assert len(zipped.text) < len(plain.text) / 2

    refused = api.get(f"/docs/{asset}", headers={"accept-encoding": "gzip;q=0, identity"})
    assert refused.header("content-encoding") is None


def test_the_page_links_the_files_with_the_version_that_ships_them(api: LambdaApi) -> None:
    from aws_lambda_powertools.shared.version import VERSION

    page = api.get("/docs").text
    assert f'href="docs/swagger-ui.css?v={VERSION}"' in page
    assert f'src="docs/swagger-ui-bundle.js?v={VERSION}"' in page


def test_the_shipped_files_are_swagger_ui_dist_5_31_0() -> None:
    for name, digest in SWAGGER_UI_DIST_5_31_0.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert 'PACKAGE_VERSION:"5.31.0"' in (VENDOR / "swagger-ui-bundle.min.js").read_text()


def test_the_initializer_loads_the_document_and_no_validator(api: LambdaApi) -> None:
    script = api.get("/docs/swagger-initializer.js")
    assert script.status == 200
    assert script.header("content-type") == "text/javascript; charset=utf-8"
    assert 'url: "openapi.json"' in script.text
    assert "validatorUrl: null" in script.text  # else a badge from validator.swagger.io
    assert "http" not in script.text


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "swagger-ui.min.css",  # the file's own name is not on the list either
        "..",
        "..%2F..%2Fdocs%2Fopenapi.json",
        "%2E%2E%2Fopenapi.json",
        "swagger-ui.css%00",
        "SWAGGER-UI.CSS",
        "swagger-initializer.js.map",
    ],
)
def test_anything_off_the_list_is_not_found(api: LambdaApi, name: str) -> None:
    problem(api.get(f"/docs/{name}"), 404, "asset_not_found")


def test_the_docs_routes_are_public(api: LambdaApi) -> None:
    docs = [r for r in routes_of(CONFIG) if r.function == "apiDocs"]
    assert {r.path for r in docs} == {"/openapi.json", "/docs", "/docs/{asset}"}
    assert not any(r.authorized for r in docs)
    assert api.get("/docs/swagger-ui.css", token="not-a-token").status == 200


def test_nothing_is_read_before_it_is_asked_for() -> None:
    import importlib
    import sys

    sys.modules.pop("handlers.ops.docs", None)
    docs = importlib.import_module("handlers.ops.docs")
    assert docs._text.cache_info().currsize == 0
    assert docs._gzipped_base64.cache_info().currsize == 0
