"""Prefixed, time-sortable identifiers: ``usr_01JD…`` (a ULID after the prefix).

Sorting ids sorts by creation time (to the millisecond), which the single-table keys
rely on for "newest first" without a separate timestamp attribute.
"""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _ulid(now_ms: int | None = None) -> str:
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    return f"{prefix}_{_ulid()}"


def id_floor(prefix: str, moment_ms: int) -> str:
    """The smallest id of ``prefix`` made at ``moment_ms`` (epoch milliseconds): every id
    made then or later sorts at or after it (a key range over "created since")."""
    value = moment_ms << 80
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return f"{prefix}_{''.join(reversed(chars))}"
