"""3D and AR (issue 14) end to end, in serverless offline and headless Chromium.

A seller uploads a glb through the presigned form (to the embedded AWS's bucket), says
"done"; the worker, fed by its SQS queue under offline, validates it; another product gets
a model made from its photo. Each product's AR page is loaded in Chromium: the
``<model-viewer>`` element reports the model loaded (its ``loaded`` property and the page's
load handler), the page shows the dimensions, and nothing ran from another origin than
Bazaar's API and its bucket (no CDN: the machine may have no internet).

Skipped (loudly) where Chromium is missing, failing instead under BAZAAR_REQUIRE_BROWSER=1,
as tests/e2e/test_docs_browser.py.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from tests.e2e.test_docs_browser import WAIT, browser  # noqa: F401 - the fixture
from tests.support.http_api import HttpApi
from tests.support.model_files import png, tiny_glb

LOAD_WAIT = 4 * WAIT  # seconds


def _seller(http: HttpApi, tag: str) -> str:
    email = f"maker3d-{tag}@example.com"
    account = {"email": email, "password": "maker-password"}
    names = {"firstName": "Mo", "lastName": "Dell"}
    assert http.post("/auth/register", json={**account, **names}).status == 201
    signed_in = http.post("/auth/login", json=account).body
    shop = {"shopName": f"Mo's models {tag}", "contactEmail": email}
    assert http.post("/sellers", json=shop, token=signed_in["accessToken"]).status == 201
    refreshed = http.post("/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    return str(refreshed.body["accessToken"])


def _product(http: HttpApi, token: str, category: str, tag: str, **extra: Any) -> str:
    created = http.post(
        "/products",
        json={
            "name": extra.pop("name"),
            "description": "Seen in 3D before it is bought.",
            "price": {"amount": 4500, "currency": "USD"},
            "categoryId": category,
            "sku": f"AR-{uuid.uuid4().hex[:8]}",
            **extra,
        },
        token=token,
    )
    assert created.status == 201, created.text
    return str(created.body["productId"])


def _post_file(form: dict[str, Any], name: str, data: bytes, content_type: str) -> None:
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": (name, data, content_type)}, timeout=30
    )
    assert posted.status_code in (200, 201, 204), posted.text


def _ready(http: HttpApi, product_id: str, token: str, source: str) -> dict[str, Any]:
    """Waits for the worker (offline polls its queue) to settle the product's model."""
    deadline = time.monotonic() + 60
    while True:
        found = http.get(f"/reality/{product_id}", token=token).body["assets"]
        settled = [a for a in found if a["source"] == source and a["status"] != "processing"]
        settled = [a for a in settled if a["status"] != "uploading"]
        if settled:
            return settled[0]
        assert time.monotonic() < deadline, f"the worker never settled the model: {found}"
        time.sleep(0.5)


def _approve(http: HttpApi, product_id: str, token: str, admin_token: str) -> None:
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    assert http.post(f"/admin/products/{product_id}/approve", token=admin_token).status == 200


def _check_page(driver: Any, api: str, product_id: str, size_text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # forget what earlier pages logged
    # WebGL is software-rendered in headless Chromium: on a loaded machine a frame can keep
    # the page busy for a while, so scripts and the load get longer than the docs page's.
    driver.set_script_timeout(LOAD_WAIT)
    driver.get(f"{api}/reality/{product_id}/view")
    WebDriverWait(driver, LOAD_WAIT).until(
        lambda d: d.execute_script("return document.body.dataset.model") in ("loaded", "error"),
        "the model element never reported its load",
    )
    assert driver.execute_script("return document.body.dataset.model") == "loaded"
    assert driver.execute_script("return document.querySelector('model-viewer').loaded")
    assert driver.execute_script("return customElements.get('model-viewer') !== undefined")
    shown = driver.find_element(By.ID, "dimensions").text
    assert size_text in shown, shown
    measured = driver.find_element(By.ID, "measured").text
    assert measured == f"{size_text} (as shown)", measured  # what model-viewer measured
    # Scripts only from the API's origin; the model only from the bucket; no error (a file
    # refused by the page's Content-Security-Policy would be one).
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => [e.name, e.initiatorType])"
    )
    scripts = [name for name, kind in loaded if kind == "script"]
    assert any(name.startswith(f"{api}/viewer/model-viewer.min.js") for name in scripts), loaded
    assert all(name.startswith(f"{api}/") for name in scripts), scripts
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_the_ar_page_loads_an_uploaded_and_a_generated_model_in_chromium(
    browser: Any,  # noqa: F811 - the fixture imported above
    stack: tuple[str, str],
    admin_token: str,
) -> None:
    api = stack[0]
    http = HttpApi(api)
    tag = uuid.uuid4().hex[:8]
    category = http.post("/categories", json={"name": f"Rooms {tag}"}, token=admin_token)
    assert category.status == 201, category.text
    token = _seller(http, tag)

    # The seller's own model: form, POST to the bucket, done, the worker's verdict.
    lamp = _product(http, token, category.body["categoryId"], tag, name="Walnut desk lamp")
    form = http.post(
        f"/reality/{lamp}/uploads", json={"type": "glb", "name": "The lamp"}, token=token
    )
    assert form.status == 201, form.text
    _post_file(form.body, "lamp.glb", tiny_glb(), "model/gltf-binary")
    asset_id = form.body["asset"]["assetId"]
    done = http.post(f"/reality/{lamp}/uploads/{asset_id}/done", token=token)
    assert done.status == 202, done.text
    model = _ready(http, lamp, token, "uploaded")
    assert model["status"] == "ready", model
    assert model["dimensions"] == {"width": 0.2, "height": 0.3, "depth": 0.1}

    # A png renamed .glb: rejected, with a reason the seller reads.
    fake = http.post(
        f"/reality/{lamp}/uploads", json={"type": "glb", "name": "Not a model"}, token=token
    ).body
    _post_file(fake, "photo.glb", png(), "model/gltf-binary")
    http.post(f"/reality/{lamp}/uploads/{fake['asset']['assetId']}/done", token=token)
    deadline = time.monotonic() + 60
    while True:
        found = {a["assetId"]: a for a in http.get(f"/reality/{lamp}", token=token).body["assets"]}
        rejected = found[fake["asset"]["assetId"]]
        if rejected["status"] not in ("uploading", "processing"):
            break
        assert time.monotonic() < deadline, rejected
        time.sleep(0.5)
    assert rejected["status"] == "rejected"
    assert "glTF" in rejected["reason"]

    # A model made from the photo, at the size the attributes give.
    table = _product(
        http, token, category.body["categoryId"], tag, name="Oak side table",
        attributes={"width": "45", "height": "55", "depth": "45"},
    )  # fmt: skip
    photo = http.post(
        f"/products/{table}/images/uploads", json={"contentType": "image/png"}, token=token
    ).body
    _post_file(photo, "table.png", png(8, 8), "image/png")
    edited = http.patch(
        f"/products/{table}",
        json={"images": [{"url": photo["imageUrl"], "alt": "The table"}]},
        token=token,
        headers={"If-Match": '"1"'},
    )
    assert edited.status == 200, edited.text
    assert http.post(f"/reality/{table}/generate", token=token).status == 202
    generated = _ready(http, table, token, "generated")
    assert generated["status"] == "ready", generated
    assert generated["dimensions"] == {"width": 0.45, "height": 0.55, "depth": 0.45}

    for product_id in (lamp, table):
        _approve(http, product_id, token, admin_token)
    assert [a["assetId"] for a in http.get(f"/reality/{lamp}").body["assets"]] == [asset_id]

    _check_page(browser, api, lamp, "20 × 30 × 10 cm")
    _check_page(browser, api, table, "45 × 55 × 45 cm")
