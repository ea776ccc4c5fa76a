"""A page of a longer list, and the opaque cursor to the next one."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import NotFound


@dataclass
class Page[T]:
    items: list[T]
    next_cursor: str | None


class UnknownCursor(NotFound):
    """A cursor that is not a position in the list it was sent to (not one we issued for
    it, or tampered with). Like a page number past the end, the page it names does not
    exist: 404, so a client tells it from a request it got wrong (400/422)."""

    def __init__(self) -> None:
        super().__init__("no page of this list starts at this cursor", code="cursor_not_found")
