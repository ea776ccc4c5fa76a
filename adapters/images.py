"""The product image bucket: presigned POST forms and public URLs."""

from __future__ import annotations

from typing import Any

from adapters import aws


class S3ImageStore:
    def __init__(self, bucket: str, base_url: str) -> None:
        self.bucket = bucket
        self.base_url = base_url.rstrip("/")

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]:
        form: dict[str, Any] = aws.client("s3").generate_presigned_post(
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
