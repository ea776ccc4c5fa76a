"""The product image bucket: presigned POST forms and public URLs."""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config

from adapters import aws


@cache
def _signer() -> Any:
    """An S3 client that signs with SigV4: botocore signs POST forms with SigV2 unless
    told otherwise, and buckets created since June 2020 refuse SigV2."""
    return aws.session().create_client(
        "s3", region_name=aws.region(), config=Config(signature_version="s3v4")
    )


class S3ImageStore:
    def __init__(self, bucket: str, base_url: str) -> None:
        self.bucket = bucket
        self.base_url = base_url.rstrip("/")

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]:
        form: dict[str, Any] = _signer().generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
        return form

    def public_url(self, key: str) -> str:
        return f"{self.base_url}/{key}"
