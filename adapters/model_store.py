"""Model files in the images bucket (``products/<productId>/models/``): presigned POST
forms for uploads, and the worker's reads and writes."""

from __future__ import annotations

from typing import Any

from adapters import aws
from adapters.images import S3ImageStore


class S3ModelFiles(S3ImageStore):
    """The image store's form (same bucket, same SigV4 signer) plus the object calls the
    reality worker makes. The policy of each form fixes its key, content type and size."""

    def size(self, key: str) -> int | None:
        try:
            head: dict[str, Any] = aws.client("s3").head_object(Bucket=self.bucket, Key=key)
        except aws.client("s3").exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    def read(self, key: str) -> bytes:
        body = aws.client("s3").get_object(Bucket=self.bucket, Key=key)["Body"]
        data: bytes = body.read()
        return data

    def write(self, key: str, data: bytes, content_type: str) -> None:
        aws.client("s3").put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl="public, max-age=31536000, immutable",  # a new key for every model
        )

    def delete(self, key: str) -> None:
        aws.client("s3").delete_object(Bucket=self.bucket, Key=key)

    def key_of(self, url: str) -> str | None:
        prefix = f"{self.base_url}/"
        key = url[len(prefix) :] if url.startswith(prefix) else ""
        if not key.startswith("products/") or ".." in key:
            return None
        return key
