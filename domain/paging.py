"""A page of a longer list, and the opaque cursor to the next one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Page[T]:
    items: list[T]
    next_cursor: str | None
