"""The embedded engine on AWS (adapters/search_snapshot.py): containers with disks of their
own share the index through S3 (moto). A writer publishes a whole snapshot and then the
pointer; a search container switches to it on its next check (a 304 while nothing
changed), and never answers from half an index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters import aws as aws_clients
from adapters.search_snapshot import SnapshotSearchIndex
from adapters.settings import settings
from domain.search.ports import ProductDoc, SearchQuery


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def doc(n: int, name: str, version: int = 1) -> ProductDoc:
    return ProductDoc(
        product_id=f"prd_{n}",
        version=version,
        name=name,
        brand="Acme",
        category_ids=("cat_a",),
        category_names=("Things",),
        description="",
        price=1000,
        currency="USD",
        in_stock=True,
        rating=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.fixture
def containers(aws: None, tmp_path: Path) -> tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock]:
    s3 = aws_clients.client("s3")
    bucket = settings().IMAGES_BUCKET
    clock = Clock()
    writer = SnapshotSearchIndex(s3, bucket, tmp_path / "indexer", clock=clock)
    reader = SnapshotSearchIndex(s3, bucket, tmp_path / "search", clock=clock, check_seconds=2)
    return writer, reader, clock


def names(index: SnapshotSearchIndex, text: str) -> list[str]:
    return [h.name for h in index.search(SearchQuery(text=text)).hits]


def test_a_write_reaches_another_container_on_its_next_check(
    containers: tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock],
) -> None:
    writer, reader, clock = containers
    assert names(reader, "lamp") == []  # nothing published yet
    assert writer.upsert(doc(1, "Desk Lamp"))
    assert names(reader, "lamp") == []  # checked under 2 s ago
    clock.now += 2
    assert names(reader, "lamp") == ["Desk Lamp"]
    assert writer.remove("prd_1", 2)
    clock.now += 2
    assert names(reader, "lamp") == []


def test_a_second_writer_container_starts_from_the_published_index(
    containers: tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock], tmp_path: Path
) -> None:
    writer, reader, clock = containers
    writer.upsert(doc(1, "Desk Lamp"))
    later = SnapshotSearchIndex(writer.s3, writer.bucket, tmp_path / "indexer-2", clock=clock)
    assert not later.upsert(doc(1, "Desk Lamp"))  # it holds version 1 already
    assert later.upsert(doc(2, "Floor Lamp"))
    clock.now += 2
    assert sorted(names(reader, "lamp")) == ["Desk Lamp", "Floor Lamp"]


def test_a_rebuild_is_published_whole_and_old_snapshots_are_removed(
    containers: tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock],
) -> None:
    writer, reader, clock = containers
    writer.upsert(doc(1, "Desk Lamp"))
    writer.upsert(doc(2, "Floor Lamp"))
    assert writer.rebuild([doc(3, "Wall Lamp"), doc(4, "Table Lamp")]) == 2
    clock.now += 2
    assert sorted(names(reader, "lamp")) == ["Table Lamp", "Wall Lamp"]
    listed = writer.s3.list_objects_v2(Bucket=writer.bucket, Prefix="search-index/snapshots/")
    assert len(listed["Contents"]) == 1  # the live one only


def test_an_unchanged_pointer_costs_a_304_and_no_download(
    containers: tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock],
) -> None:
    writer, reader, clock = containers
    writer.upsert(doc(1, "Desk Lamp"))
    clock.now += 2
    names(reader, "lamp")
    local = reader.local.root
    clock.now += 2
    assert names(reader, "lamp") == ["Desk Lamp"]
    assert reader.local.root == local  # not downloaded again


def test_a_snapshot_replaced_while_being_fetched_is_skipped_not_an_error(
    containers: tuple[SnapshotSearchIndex, SnapshotSearchIndex, Clock],
) -> None:
    writer, reader, clock = containers
    writer.upsert(doc(1, "Desk Lamp"))
    clock.now += 2
    assert names(reader, "lamp") == ["Desk Lamp"]
    writer.upsert(doc(2, "Floor Lamp"))
    # the pointer names a tar a newer write has already deleted
    pointer = writer.s3.get_object(Bucket=writer.bucket, Key=writer.pointer_key)["Body"].read()
    writer.upsert(doc(3, "Wall Lamp"))
    newest = writer.s3.get_object(Bucket=writer.bucket, Key=writer.pointer_key)["Body"].read()
    writer.s3.put_object(Bucket=writer.bucket, Key=writer.pointer_key, Body=pointer)
    clock.now += 2
    assert names(reader, "lamp") == ["Desk Lamp"]  # the copy it had
    writer.s3.put_object(Bucket=writer.bucket, Key=writer.pointer_key, Body=newest)
    assert sorted(names(reader, "lamp")) == ["Desk Lamp", "Floor Lamp", "Wall Lamp"]
