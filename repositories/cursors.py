"""The one cursor codec: an opaque page token is base64url (unpadded) JSON of strings.

Two kinds of cursor use it:

* a **start key** (``encode_cursor``/``decode_cursor``): the key DynamoDB returned as
  ``LastEvaluatedKey``, checked on the way back to be exactly a key of the query's index
  and partition;
* a **sort key to resume after** (``encode_after``/``decode_after``): the browse merges
  several partitions, so its cursor is the last sort key shown and the order it was in.

Anything not ours is ``UnknownCursor`` (a 404: no such page), never a malformed start key
sent to DynamoDB.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from domain.paging import UnknownCursor


def _encode(plain: Mapping[str, str]) -> str:
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad() -> UnknownCursor:
    return UnknownCursor()


def _decode(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        plain = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise _bad() from None
    if not isinstance(plain, dict):
        raise _bad()
    return plain


# -- start keys -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexKeys:
    """The key attributes a cursor of one query must consist of."""

    partition: str
    names: tuple[str, ...]


GSI1_KEYS = IndexKeys("GSI1PK", ("PK", "SK", "GSI1PK", "GSI1SK"))
GSI2_KEYS = IndexKeys("GSI2PK", ("PK", "SK", "GSI2PK", "GSI2SK"))
GSI3_KEYS = IndexKeys("GSI3PK", ("PK", "SK", "GSI3PK", "GSI3SK"))


def encode_cursor(last_key: Mapping[str, Any] | None) -> str | None:
    if not last_key:
        return None
    return _encode({name: last_key[name]["S"] for name in sorted(last_key)})


def decode_cursor(
    cursor: str | None, keys: IndexKeys, partition_value: str
) -> dict[str, Any] | None:
    """The start key of the next page, or ``UnknownCursor`` for anything not ours.

    A cursor is checked to be exactly a key of this query's index and partition, so a
    tampered one is a 404 and never reaches DynamoDB as a malformed start key.
    """
    if cursor is None:
        return None
    plain = _decode(cursor)
    if (
        set(plain) != set(keys.names)
        or not all(isinstance(v, str) and 0 < len(v) <= 1024 for v in plain.values())
        or plain[keys.partition] != partition_value
    ):
        raise _bad()
    return {name: {"S": value} for name, value in plain.items()}


def take_page(results: Any, limit: int) -> tuple[list[Any], str | None]:
    """Drain a pynamodb result iterator of at most ``limit`` items into a page."""
    items = list(_take(results, limit))
    return items, encode_cursor(results.last_evaluated_key)


def _take(results: Iterable[Any], limit: int) -> Iterator[Any]:
    for count, item in enumerate(results, start=1):
        yield item
        if count >= limit:
            return


# -- sort keys to resume after ----------------------------------------------------------


def encode_after(order: str, sort_key: str) -> str:
    return _encode({"s": order, "k": sort_key})


def decode_after(cursor: str | None, order: str, sort_key: re.Pattern[str]) -> str | None:
    """The sort key a cursor of this order resumes after; anything else is ``UnknownCursor``."""
    if cursor is None:
        return None
    plain = _decode(cursor)
    key = plain.get("k")
    if plain.get("s") != order or not isinstance(key, str) or not sort_key.match(key):
        raise _bad()
    return key
