"""The embedded engine on AWS, where each Lambda container has a disk of its own.

The index directory travels through S3: after every write the writer (the indexer, with
reserved concurrency 1, or the reindex function) uploads the whole directory as one tar
(``<prefix>snapshots/<ns>.tar``; a 10,000-product catalogue is ~3 MB) and then replaces
the pointer object ``<prefix>current.json`` naming it. A search container asks S3 for the
pointer at most every ``check_seconds`` with ``If-None-Match`` (a 304 while nothing
changed), and on a change downloads the tar into a new local directory and switches to it:
searches answer from a whole index, old or new, never half of one. A writer first brings
its own copy up to the pointer's, so two writers in a row never lose each other's writes
(one at a time: reserved concurrency 1, and reindex runs alone).

Locally (``make dev``, e2e) every function shares one disk: no snapshots there
(``SEARCH_SNAPSHOTS`` false), the plain TantivySearchIndex is used as is.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from adapters.search_tantivy import TantivySearchIndex
from domain.search.ports import (
    DEFAULT_LIMIT,
    MAX_SUGGESTIONS,
    OrderDoc,
    OrderHit,
    ProductDoc,
    SearchQuery,
    SearchResults,
)


class SnapshotSearchIndex:
    def __init__(
        self,
        s3: Any,
        bucket: str,
        directory: str | Path,
        *,
        prefix: str = "search-index/",
        check_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix
        self.root = Path(directory)
        self.check_seconds = check_seconds
        self.clock = clock
        self._etag: str | None = None
        self._checked_at: float | None = None
        self._local_name: str | None = None
        self._previous_snapshot: str | None = None
        self.local = self._open(self.root / "empty")

    @property
    def pointer_key(self) -> str:
        return f"{self.prefix}current.json"

    def _open(self, path: Path) -> TantivySearchIndex:
        path.mkdir(parents=True, exist_ok=True)
        return TantivySearchIndex(path)

    # -- keeping up with S3 ----------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Switch to the newest snapshot if the pointer changed (checked at most every
        ``check_seconds`` unless ``force``)."""
        now = self.clock()
        if (
            not force
            and self._checked_at is not None
            and now - self._checked_at < self.check_seconds
        ):
            return
        self._checked_at = now
        request: dict[str, Any] = {"Bucket": self.bucket, "Key": self.pointer_key}
        if self._etag:
            request["IfNoneMatch"] = self._etag
        try:
            answer = self.s3.get_object(**request)
        except self.s3.exceptions.NoSuchKey:
            return  # nothing published yet: the empty local index
        except Exception as exc:  # botocore's ClientError for 304 Not Modified
            if _status(exc) == 304:
                return
            raise
        pointer = json.loads(answer["Body"].read())
        if pointer["snapshot"] != self._local_name:
            try:
                self._download(pointer["snapshot"])
            except self.s3.exceptions.NoSuchKey:
                # replaced (and its tar deleted) since the pointer was read: take the newer
                # one on the next call; this one answers from the copy it has
                self._checked_at = None
                return
        self._etag = answer["ETag"]

    def _download(self, snapshot: str) -> None:
        body = self.s3.get_object(Bucket=self.bucket, Key=f"{self.prefix}snapshots/{snapshot}")
        target = self.root / f"snap-{snapshot.removesuffix('.tar')}"
        if target.exists():
            shutil.rmtree(target)
        with tarfile.open(fileobj=io.BytesIO(body["Body"].read()), mode="r") as tar:
            tar.extractall(target, filter="data")
        previous = self.local.root
        self.local = TantivySearchIndex(target)
        self._local_name = snapshot
        if previous != target and previous.name.startswith("snap-"):
            shutil.rmtree(previous, ignore_errors=True)

    def _publish(self) -> None:
        snapshot = f"{time.time_ns()}.tar"
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for entry in sorted(self.local.root.iterdir()):
                if entry.name != ".lock":
                    tar.add(entry, arcname=entry.name)
        self.s3.put_object(
            Bucket=self.bucket,
            Key=f"{self.prefix}snapshots/{snapshot}",
            Body=buffer.getvalue(),
        )
        written = self.s3.put_object(
            Bucket=self.bucket,
            Key=self.pointer_key,
            Body=json.dumps({"snapshot": snapshot}).encode(),
            ContentType="application/json",
        )
        self._etag = written["ETag"]
        self._local_name = snapshot
        self._checked_at = self.clock()
        if self._previous_snapshot is not None:
            self.s3.delete_object(
                Bucket=self.bucket, Key=f"{self.prefix}snapshots/{self._previous_snapshot}"
            )

    def _write(self, apply: Callable[[TantivySearchIndex], Any]) -> Any:
        self.refresh(force=True)
        previous = self._local_name
        result = apply(self.local)
        if result:
            self._previous_snapshot = previous
            self._publish()
        return result

    # -- the port ----------------------------------------------------------------------------

    def upsert(self, doc: ProductDoc) -> bool:
        return bool(self._write(lambda index: index.upsert(doc)))

    def remove(self, product_id: str, version: int) -> bool:
        return bool(self._write(lambda index: index.remove(product_id, version)))

    def upsert_order(self, doc: OrderDoc) -> bool:
        return bool(self._write(lambda index: index.upsert_order(doc)))

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        self.refresh(force=True)
        previous = self._local_name
        count = self.local.rebuild(docs)
        self._previous_snapshot = previous
        self._publish()
        return count

    def search(self, query: SearchQuery) -> SearchResults:
        self.refresh()
        return self.local.search(query)

    def suggest(self, prefix: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        self.refresh()
        return self.local.suggest(prefix, limit)

    def search_orders(self, text: str, limit: int = DEFAULT_LIMIT) -> list[OrderHit]:
        self.refresh()
        return self.local.search_orders(text, limit)


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if status is not None else None
