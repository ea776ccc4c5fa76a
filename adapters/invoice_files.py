"""Invoice PDFs in S3: the images bucket under ``invoices/`` (not public: its bucket
policy makes ``products/*`` alone readable by anyone), read through presigned GET URLs."""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config

from adapters import aws


@cache
def _signer() -> Any:
    """An S3 client that signs with SigV4 (presigned URLs; botocore's default is SigV2
    for some calls, which newer buckets refuse)."""
    return aws.session().create_client(
        "s3", region_name=aws.region(), config=Config(signature_version="s3v4")
    )


class S3DocumentFiles:
    """``DocumentFiles``."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put(self, key: str, body: bytes) -> None:
        aws.client("s3").put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType="application/pdf",
            ContentDisposition=f'inline; filename="{key.rsplit("/", 1)[-1]}"',
        )

    def download_url(self, key: str, expires_in: int) -> str:
        url: str = _signer().generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=expires_in,
        )
        return url
