"""Product images: a presigned POST form per image, the upload, then PATCH images.

moto intercepts ``requests`` calls to AWS addresses in process, so the form is used
for real: the file is POSTed with the returned fields and lands in the (moto) bucket.
moto does not enforce a POST policy, so the policy's conditions are read and checked.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.integration.catalog_helpers import Shop, activate, become_seller, create_product, shop
from tests.integration.helpers import error_locs, problem
from tests.support.lambda_api import ApiResponse, LambdaApi

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MAX_BYTES = 5 * 1024 * 1024


def bucket() -> str:
    return os.environ["IMAGES_BUCKET"]


def upload_form(
    api: LambdaApi, token: str | None, product_id: str, content_type: str = "image/png"
) -> ApiResponse:
    return api.post(
        f"/products/{product_id}/images/uploads", json={"contentType": content_type}, token=token
    )


def s3() -> Any:
    from adapters import aws

    return aws.client("s3")


def policy_of(fields: dict[str, str]) -> dict[str, Any]:
    encoded = fields["policy"]
    return json.loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4)))  # type: ignore[no-any-return]


def set_images(
    api: LambdaApi, s: Shop, product_id: str, images: list[dict[str, str]]
) -> ApiResponse:
    version = api.get(f"/products/{product_id}", token=s.seller.access).body["version"]
    return api.patch(
        f"/products/{product_id}",
        json={"images": images},
        token=s.seller.access,
        headers={"If-Match": f'"{version}"'},
    )


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [("image/png", "png"), ("image/jpeg", "jpg"), ("image/webp", "webp")],
)
def test_the_form_is_a_presigned_post_for_one_key_under_the_product(
    api: LambdaApi, content_type: str, extension: str
) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    asked = datetime.now(UTC)
    response = upload_form(api, s.seller.access, product_id, content_type)
    assert response.status == 201, response.text
    form = response.body
    assert set(form) == {"url", "fields", "imageUrl", "expiresIn", "maxBytes"}
    assert bucket() in form["url"]
    assert form["url"].startswith("https://")
    assert form["expiresIn"] == 900
    assert form["maxBytes"] == MAX_BYTES

    fields = form["fields"]
    key = fields["key"]
    assert key.startswith(f"products/{product_id}/img_")
    assert key.endswith(f".{extension}")
    assert fields["Content-Type"] == content_type
    assert "policy" in fields
    # Signature Version 4: buckets created since June 2020 refuse SigV2 (which botocore
    # still signs POST forms with unless asked for s3v4).
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert fields["x-amz-credential"].endswith("/us-east-1/s3/aws4_request")
    assert len(fields["x-amz-signature"]) == 64
    assert "signature" not in fields
    assert "AWSAccessKeyId" not in fields
    assert form["imageUrl"] == f"{os.environ['IMAGES_BASE_URL']}/{key}"

    policy = policy_of(fields)
    conditions = policy["conditions"]
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert {"Content-Type": content_type} in conditions
    assert {"bucket": bucket()} in conditions
    assert {"key": key} in conditions
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions
    assert {"x-amz-credential": fields["x-amz-credential"]} in conditions
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(seconds=880) <= expires - asked <= timedelta(seconds=920)


def test_each_form_is_for_a_new_key(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    keys = {upload_form(api, s.seller.access, product_id).body["fields"]["key"] for _ in range(3)}
    assert len(keys) == 3


def test_an_uploaded_image_is_added_to_the_product_and_shown(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    form = upload_form(api, s.seller.access, product_id).body

    posted = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("lamp.png", PNG, "image/png")},
        timeout=5,
    )
    assert posted.status_code in (200, 201, 204), posted.text
    stored = s3().get_object(Bucket=bucket(), Key=form["fields"]["key"])
    assert stored["Body"].read() == PNG
    assert stored["ContentType"] == "image/png"

    image = {"url": form["imageUrl"], "alt": "The lamp, lit"}
    saved = set_images(api, s, product_id, [image])
    assert saved.status == 200, saved.text
    assert saved.body["images"] == [image]
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["images"] == [image]

    activate(api, s.seller, s.admin, product_id)
    assert api.get(f"/products/{product_id}").body["images"] == [image]
    listed = api.get(f"/products?category={s.root}").body["items"]
    assert [item["image"] for item in listed] == [image]


def test_a_simulated_upload_with_put_object_then_patch(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    forms = [upload_form(api, s.seller.access, product_id, t).body for t in ("image/jpeg",) * 2]
    for form in forms:
        s3().put_object(
            Bucket=bucket(),
            Key=form["fields"]["key"],
            Body=b"\xff\xd8\xff\xe0jpeg",
            ContentType=form["fields"]["Content-Type"],
        )
    images = [{"url": f["imageUrl"], "alt": f"view {n}"} for n, f in enumerate(forms)]
    saved = set_images(api, s, product_id, images)
    assert saved.status == 200, saved.text
    shown = api.get(f"/products/{product_id}", token=s.seller.access).body["images"]
    assert shown == images
    keys = [o["Key"] for o in s3().list_objects_v2(Bucket=bucket())["Contents"]]
    assert sorted(keys) == sorted(f["fields"]["key"] for f in forms)


def test_an_image_outside_the_products_prefix_is_422(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other_id = create_product(api, s.seller, s.child, sku="OTHER")["productId"]
    other_form = upload_form(api, s.seller.access, other_id).body
    foreign = [
        other_form["imageUrl"],  # a real upload, but of another product
        "https://images.example.com/lamp.png",
        other_form["imageUrl"]
        .replace(other_id, product_id)
        .replace(os.environ["IMAGES_BASE_URL"], "https://elsewhere.example"),
    ]
    own = os.environ["IMAGES_BASE_URL"] + f"/products/{product_id}/"
    foreign += [
        # under the prefix as text, but resolving to another product's (or no) object
        own + f"../{other_id}/" + other_form["fields"]["key"].rsplit("/", 1)[1],
        own + f"%2e%2e/{other_id}/a.png",
        own + "./a.png",
        own,
    ]
    for url in foreign:
        response = set_images(api, s, product_id, [{"url": url, "alt": "x"}])
        assert response.status == 422, f"{url}: {response.text}"
        problem(response, 422, "foreign_image")
    assert api.get(f"/products/{product_id}", token=s.seller.access).body["images"] == []


@pytest.mark.parametrize("content_type", ["image/gif", "image/svg+xml", "text/html", "", "PNG"])
def test_only_jpeg_png_and_webp(api: LambdaApi, content_type: str) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    response = upload_form(api, s.seller.access, product_id, content_type)
    body = problem(response, 422, "validation_failed")
    assert [loc for loc, _ in error_locs(body)] == [("body", "contentType")]


def test_the_body_is_checked(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    url = f"/products/{product_id}/images/uploads"
    problem(api.post(url, json={}, token=s.seller.access), 422, "validation_failed")
    extra = {"contentType": "image/png", "key": "products/other/x.png"}
    body = problem(api.post(url, json=extra, token=s.seller.access), 422, "validation_failed")
    assert error_locs(body) == [(("body", "key"), "extra_forbidden")]


def test_only_the_owning_seller_gets_a_form(api: LambdaApi) -> None:
    s = shop(api)
    product_id = create_product(api, s.seller, s.child)["productId"]
    other = become_seller(api, "Other shop")
    problem(upload_form(api, other.access, product_id), 404, "product_not_found")
    problem(upload_form(api, s.admin.access, product_id), 403, "forbidden_role")
    problem(upload_form(api, s.customer.access, product_id), 403, "forbidden_role")
    problem(upload_form(api, None, product_id), 401, "token_missing")
    problem(
        upload_form(api, s.seller.access, "prd_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        404,
        "product_not_found",
    )
    assert upload_form(api, s.seller.access, product_id).status == 201
