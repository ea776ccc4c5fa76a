"""3D and AR (issue 14) through the functions on moto: upload forms, the "done" call, the
worker's verdicts on real files made by the tests, the generated model, the AR page.

moto intercepts ``requests`` in process, so each form is used for real: the file is POSTed
with the returned fields. moto does not enforce a POST policy; the policy's conditions are
read and checked, and the worker checks the size again (the oversized case).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pygltflib
import pytest
import requests

from tests.integration.catalog_helpers import Shop, activate, become_seller, create_product, shop
from tests.support import model_files as files
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import sqs_event

MAX = 20 * 1024 * 1024


def bucket() -> str:
    return os.environ["IMAGES_BUCKET"]


def s3() -> Any:
    from adapters import aws

    return aws.client("s3")


def queue_name() -> str:
    return os.environ["REALITY_QUEUE_URL"].rsplit("/", 1)[-1]


def run_worker() -> int:
    """Hands the worker what is on its queue, as Lambda would; answers how many."""
    event = sqs_event(queue_name())
    handler = load_handler("handlers.reality.process_models.lambda_handler")
    result = handler(event, LambdaContext())
    assert result == {"batchItemFailures": []}
    return len(event["Records"])


def policy_of(fields: dict[str, str]) -> dict[str, Any]:
    encoded = fields["policy"]
    return json.loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4)))  # type: ignore[no-any-return]


def form(api: LambdaApi, token: str | None, product_id: str, kind: str = "glb") -> Any:
    return api.post(
        f"/reality/{product_id}/uploads", json={"type": kind, "name": "Desk lamp"}, token=token
    )


def upload(api: LambdaApi, s: Shop, product_id: str, kind: str, data: bytes | None) -> str:
    """Form, POST (unless ``data`` is None), done; answers the asset id."""
    answer = form(api, s.seller.access, product_id, kind)
    assert answer.status == 201, answer.text
    body = answer.body
    if data is not None:
        posted = requests.post(
            body["url"],
            data=body["fields"],
            files={"file": (f"model.{kind}", data, body["fields"]["Content-Type"])},
            timeout=10,
        )
        assert posted.status_code in (200, 201, 204), posted.text
    asset_id = str(body["asset"]["assetId"])
    done = api.post(f"/reality/{product_id}/uploads/{asset_id}/done", token=s.seller.access)
    assert done.status == 202, done.text
    assert done.body["status"] == "processing"
    return asset_id


def assets_of(api: LambdaApi, product_id: str, token: str | None = None) -> dict[str, Any]:
    answer = api.get(f"/reality/{product_id}", token=token)
    assert answer.status == 200, answer.text
    return {a["assetId"]: a for a in answer.body["assets"]}


def key_exists(key: str) -> bool:
    return "Contents" in s3().list_objects_v2(Bucket=bucket(), Prefix=key)


@pytest.mark.parametrize(
    ("kind", "content_type"), [("glb", "model/gltf-binary"), ("usdz", "model/vnd.usdz+zip")]
)
def test_the_form_is_a_presigned_post_with_the_type_and_size_in_its_policy(
    api: LambdaApi, kind: str, content_type: str
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    answer = form(api, s.seller.access, product_id, kind)
    assert answer.status == 201, answer.text
    body = answer.body
    asset = body["asset"]
    key = body["fields"]["key"]
    assert key == f"products/{product_id}/models/{asset['assetId']}.{kind}"
    assert body["fields"]["Content-Type"] == content_type
    assert body["maxBytes"] == MAX
    assert body["expiresIn"] == 900
    conditions = policy_of(body["fields"])["conditions"]
    assert ["content-length-range", 1, MAX] in conditions
    assert {"Content-Type": content_type} in conditions
    assert {"key": key} in conditions
    assert asset["status"] == "uploading"
    assert asset["source"] == "uploaded"
    assert asset["url"] == f"{os.environ['IMAGES_BASE_URL']}/{key}"
    assert asset["category"] == s.child


REJECTIONS = [
    ("glb", files.truncated_glb(), "truncated"),
    ("glb", files.png(), "does not start with 'glTF'"),  # a png renamed .glb
    ("glb", files.glb_without_mesh(), "no mesh"),
    ("glb", files.glb_without_min_max(), "min/max"),
    ("usdz", files.plain_zip(), "not a USD layer"),  # a zip that is not a usdz
    ("usdz", files.usdz(compress=True), "compressed"),
    ("usdz", files.usdz(aligned=False), "64-byte aligned"),
    ("usdz", files.tiny_glb(), "not a zip"),
]


@pytest.mark.parametrize(("kind", "data", "reason"), REJECTIONS)
def test_a_file_that_is_not_what_it_claims_is_rejected_with_a_reason_and_never_served(
    api: LambdaApi, kind: str, data: bytes, reason: str
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    activate(api, s.seller, s.admin, product_id)
    asset_id = upload(api, s, product_id, kind, data)
    assert run_worker() == 1
    asset = assets_of(api, product_id, s.seller.access)[asset_id]
    assert asset["status"] == "rejected"
    assert reason in asset["reason"]
    assert asset["dimensions"] is None
    assert assets_of(api, product_id) == {}  # the public sees ready models only
    assert not key_exists(f"products/{product_id}/models/{asset_id}")


def test_an_oversized_file_is_rejected_even_where_the_policy_was_not_enforced(
    api: LambdaApi,
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    body = form(api, s.seller.access, product_id).body
    s3().put_object(Bucket=bucket(), Key=body["fields"]["key"], Body=b"\0" * (MAX + 1))
    asset_id = body["asset"]["assetId"]
    assert (
        api.post(f"/reality/{product_id}/uploads/{asset_id}/done", token=s.seller.access).status
        == 202
    )
    run_worker()
    asset = assets_of(api, product_id, s.seller.access)[asset_id]
    assert (asset["status"], asset["reason"]) == ("rejected", "the file is larger than 20 MB")


def test_done_without_an_upload_is_rejected(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    asset_id = upload(api, s, product_id, "glb", None)
    run_worker()
    asset = assets_of(api, product_id, s.seller.access)[asset_id]
    assert (asset["status"], asset["reason"]) == ("rejected", "no file was uploaded for this model")


def test_valid_models_are_ready_with_their_real_dimensions_and_public_once_active(
    api: LambdaApi,
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    glb = upload(api, s, product_id, "glb", files.tiny_glb(scale=(2.0, 2.0, 2.0)))
    usdz = upload(api, s, product_id, "usdz", files.usdz())
    assert run_worker() == 2
    mine = assets_of(api, product_id, s.seller.access)
    assert mine[glb]["status"] == "ready"
    assert mine[glb]["dimensions"] == {"width": 0.4, "height": 0.6, "depth": 0.2}
    assert mine[usdz]["status"] == "ready"
    assert mine[usdz]["type"] == "usdz"
    assert api.get(f"/reality/{product_id}").status == 404  # not active: strangers see nothing
    activate(api, s.seller, s.admin, product_id)
    public = assets_of(api, product_id)
    assert set(public) == {glb, usdz}
    downloaded = requests.get(public[glb]["url"], timeout=10)
    assert downloaded.content == files.tiny_glb(scale=(2.0, 2.0, 2.0))
    # done again once settled: a conflict, not a second check
    again = api.post(f"/reality/{product_id}/uploads/{glb}/done", token=s.seller.access)
    assert again.status == 409


def test_done_twice_while_processing_asks_again_and_the_worker_checks_once(
    api: LambdaApi,
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    asset_id = upload(api, s, product_id, "glb", files.tiny_glb())
    again = api.post(f"/reality/{product_id}/uploads/{asset_id}/done", token=s.seller.access)
    assert again.status == 202
    assert run_worker() == 2
    assert assets_of(api, product_id, s.seller.access)[asset_id]["status"] == "ready"


def add_photo(api: LambdaApi, s: Shop, product_id: str, photo: bytes) -> str:
    upload_form = api.post(
        f"/products/{product_id}/images/uploads",
        json={"contentType": "image/png"},
        token=s.seller.access,
    ).body
    posted = requests.post(
        upload_form["url"],
        data=upload_form["fields"],
        files={"file": ("photo.png", photo, "image/png")},
        timeout=10,
    )
    assert posted.status_code in (200, 201, 204)
    version = api.get(f"/products/{product_id}", token=s.seller.access).body["version"]
    saved = api.patch(
        f"/products/{product_id}",
        json={"images": [{"url": upload_form["imageUrl"], "alt": "the lamp"}]},
        token=s.seller.access,
        headers={"If-Match": f'"{version}"'},
    )
    assert saved.status == 200, saved.text
    return str(upload_form["imageUrl"])


def generated_of(api: LambdaApi, product_id: str, token: str) -> list[dict[str, Any]]:
    return [a for a in assets_of(api, product_id, token).values() if a["source"] == "generated"]


def test_a_model_is_made_from_the_main_photo_at_the_products_size(api: LambdaApi) -> None:
    s = shop(api)
    attributes = {"width": "40", "height": "60 cm", "depth": "2"}
    product_id = create_product(api, s.seller, s.child, attributes=attributes)["productId"]
    assert api.post(f"/reality/{product_id}/generate", token=s.seller.access).status == 422
    photo = files.png(4, 6)
    photo_url = add_photo(api, s, product_id, photo)
    assert api.post(f"/reality/{product_id}/generate", token=s.seller.access).status == 202
    run_worker()
    (made,) = generated_of(api, product_id, s.seller.access)
    assert made["status"] == "ready"
    assert made["type"] == "glb"
    assert made["dimensions"] == {"width": 0.4, "height": 0.6, "depth": 0.02}
    key = made["url"].removeprefix(f"{os.environ['IMAGES_BASE_URL']}/")
    data = s3().get_object(Bucket=bucket(), Key=key)["Body"].read()
    gltf = pygltflib.GLTF2.load_from_bytes(data)
    position = gltf.accessors[gltf.meshes[0].primitives[0].attributes.POSITION]
    size = [hi - lo for lo, hi in zip(position.min, position.max, strict=True)]
    assert size == pytest.approx([0.4, 0.6, 0.02])
    image = gltf.images[0]
    view = gltf.bufferViews[image.bufferView]
    blob = gltf.binary_blob()
    assert blob[view.byteOffset : view.byteOffset + view.byteLength] == photo
    assert image.mimeType == "image/png"

    # asked again with the same photo: the same model
    api.post(f"/reality/{product_id}/generate", token=s.seller.access)
    run_worker()
    assert [a["assetId"] for a in generated_of(api, product_id, s.seller.access)] == [
        made["assetId"]
    ]

    # a new main photo: a new model, the old one gone
    add_photo(api, s, product_id, files.png(8, 8))
    assert photo_url not in api.get(f"/products/{product_id}", token=s.seller.access).text
    api.post(f"/reality/{product_id}/generate", token=s.seller.access)
    run_worker()
    (remade,) = generated_of(api, product_id, s.seller.access)
    assert remade["assetId"] != made["assetId"]
    assert not key_exists(key)

    # a real model replaces it
    uploaded = upload(api, s, product_id, "glb", files.tiny_glb())
    run_worker()
    found = assets_of(api, product_id, s.seller.access)
    assert set(found) == {uploaded}
    assert not key_exists(remade["url"].removeprefix(f"{os.environ['IMAGES_BASE_URL']}/"))
    # and no model is made from the photo while it has one
    api.post(f"/reality/{product_id}/generate", token=s.seller.access)
    run_worker()
    assert set(assets_of(api, product_id, s.seller.access)) == {uploaded}


def test_the_ar_page_shows_the_model_with_its_dimensions_from_bazaar_only(
    api: LambdaApi,
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child, name='Lamp <"b">')["productId"]
    assert api.get(f"/reality/{product_id}/view").status == 404
    glb = upload(api, s, product_id, "glb", files.tiny_glb())
    usdz = upload(api, s, product_id, "usdz", files.usdz())
    run_worker()
    assert api.get(f"/reality/{product_id}/view").status == 404  # not active yet
    activate(api, s.seller, s.admin, product_id)
    page = api.get(f"/reality/{product_id}/view")
    assert page.status == 200
    assert page.header("content-type") == "text/html; charset=utf-8"
    found = assets_of(api, product_id)
    assert f'src="{found[glb]["url"]}"' in page.text
    assert f'ios-src="{found[usdz]["url"]}"' in page.text
    assert 'ar-modes="webxr scene-viewer quick-look"' in page.text
    assert "20 × 30 × 10 cm" in page.text
    assert "Lamp &lt;&quot;b&quot;&gt;" in page.text
    assert 'Lamp <"b">' not in page.text
    assert "<script>" not in page.text  # no inline script
    policy = page.header("content-security-policy") or ""
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy  # WebAssembly, never eval
    assert "default-src 'none'" in policy
    assert "https://" not in policy.split("img-src")[0]  # scripts from no other origin
    script = api.get("/viewer/model-viewer.min.js", headers={"Accept-Encoding": "gzip"})
    assert script.status == 200
    assert script.header("content-encoding") == "gzip"
    assert script.header("cache-control") == "public, max-age=31536000, immutable"
    assert api.get("/viewer/view.js").text.startswith("// Bazaar's AR page")
    assert api.get("/viewer/..%2Fschemas.py").status == 404
    assert api.get("/viewer/view_reality.py").status == 404


def test_who_may_upload_and_see(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other = become_seller(api, "Other shop")
    assert form(api, None, product_id).status == 401
    assert form(api, s.customer.access, product_id).status == 403
    assert form(api, other.access, product_id).status == 404
    assert form(api, s.admin.access, product_id).status == 201
    asset_id = form(api, s.seller.access, product_id).body["asset"]["assetId"]
    done = f"/reality/{product_id}/uploads/{asset_id}/done"
    assert api.post(done, token=other.access).status == 404
    assert api.post(done, token=s.customer.access).status == 403
    unknown = f"/reality/{product_id}/uploads/mdl_{'0' * 26}/done"
    assert api.post(unknown, token=s.seller.access).status == 404
    assert api.get(f"/reality/{product_id}", token=other.access).status == 404
    assert api.get(f"/reality/{product_id}", token=s.admin.access).status == 200
    assert api.post(f"/reality/{product_id}/generate", token=other.access).status == 404


def test_a_product_event_on_the_queue_remakes_the_model_from_the_main_photo(
    api: LambdaApi,
) -> None:
    """The hook for regeneration on a photo change: any domain event about a product (raw
    SNS delivery, as a subscription of this queue would carry it) re-checks the model."""
    from adapters import aws
    from events.contracts import DomainEvent

    s = shop(api)
    product_id = str(create_product(api, s.seller, s.child)["productId"])
    add_photo(api, s, product_id, files.png(4, 4))
    event = DomainEvent(
        event_id="evt_1", type="product.edited", occurred_at="2026-11-30T15:00:00Z",
        subject=product_id,
    )  # fmt: skip
    aws.client("sqs").send_message(
        QueueUrl=os.environ["REALITY_QUEUE_URL"], MessageBody=event.to_json()
    )
    assert run_worker() == 1
    (made,) = generated_of(api, product_id, s.seller.access)
    assert made["status"] == "ready"
    add_photo(api, s, product_id, files.png(5, 5))  # a new main photo, a new event
    aws.client("sqs").send_message(
        QueueUrl=os.environ["REALITY_QUEUE_URL"], MessageBody=event.to_json()
    )
    run_worker()
    (remade,) = generated_of(api, product_id, s.seller.access)
    assert remade["assetId"] != made["assetId"]


def test_going_live_and_a_new_photo_make_the_model_through_the_event_path(
    api: LambdaApi,
) -> None:
    """The stream, publishEvents, SNS and the reality queue's subscription, as deployed: a
    product that goes live with a photo gets its model, a new main photo a new one, and
    any other edit nothing."""
    from tests.support.pipeline import StreamReader

    s = shop(api)
    product_id = str(create_product(api, s.seller, s.child)["productId"])
    add_photo(api, s, product_id, files.png(4, 4))
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()  # what happened before it went live
    activate(api, s.seller, s.admin, product_id)

    def deliver() -> int:
        published = load_handler("handlers.streams.publish_events.lambda_handler")(
            stream.event(), LambdaContext()
        )
        assert published == {"batchItemFailures": []}
        return run_worker()

    assert deliver() == 1  # product.activated
    (made,) = generated_of(api, product_id, s.seller.access)
    assert made["status"] == "ready"
    add_photo(api, s, product_id, files.png(5, 5))  # product.edited, images among its fields
    assert deliver() == 1
    (remade,) = generated_of(api, product_id, s.seller.access)
    assert remade["assetId"] != made["assetId"]
    version = api.get(f"/products/{product_id}", token=s.seller.access).body["version"]
    renamed = api.patch(
        f"/products/{product_id}",
        json={"name": "Desk lamp, walnut"},
        token=s.seller.access,
        headers={"If-Match": f'"{version}"'},
    )
    assert renamed.status == 200, renamed.text
    assert deliver() == 1  # product.edited: the same photo and size, the same model
    (kept,) = generated_of(api, product_id, s.seller.access)
    assert kept["assetId"] == remade["assetId"]
