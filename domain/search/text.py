"""The user's search text as words, and the opaque cursor: shared by both engines.

The text is never given to an engine's query parser: it is cut to plain lowercase words
here, and each adapter builds term/fuzzy/prefix queries from them through its API.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict

from domain.paging import UnknownCursor
from domain.search.ports import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MAX_WORD_CHARS,
    SearchQuery,
)

_WORD = re.compile(r"[a-z0-9]+")
# Small words a shopper adds that no product's text needs ("shoes for running"): dropped
# from the query (unless nothing else is left), never from the index.
STOPWORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)


def fold(text: str) -> str:
    """Lowercase, accents removed (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a search text: at most MAX_QUERY_TERMS, from its first
    MAX_QUERY_CHARS characters, each at most MAX_WORD_CHARS long (longer ones are
    dropped); anything but letters and digits separates words."""
    found = [w for w in _WORD.findall(fold(text[:MAX_QUERY_CHARS])) if len(w) <= MAX_WORD_CHARS]
    kept = [w for w in found if w not in STOPWORDS] or found
    return kept[:MAX_QUERY_TERMS]


def ends_mid_word(text: str) -> bool:
    """True when the text's last word is still being typed (no space after it), so it is
    matched as a prefix as well."""
    cut = text[:MAX_QUERY_CHARS]
    return bool(cut) and not cut[-1].isspace()


def _fingerprint(query: SearchQuery) -> str:
    fields = asdict(query)
    fields.pop("cursor")
    fields.pop("limit")
    raw = json.dumps(fields, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def encode_cursor(query: SearchQuery, offset: int) -> str | None:
    """The cursor to the page starting at ``offset``; None past MAX_DEPTH."""
    if offset >= MAX_DEPTH:
        return None
    raw = json.dumps({"o": offset, "q": _fingerprint(query)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(query: SearchQuery) -> int:
    """The offset ``query.cursor`` names (0 without one); ``UnknownCursor`` when it is not
    one we issued for this same query (other text, filters or sort)."""
    if query.cursor is None:
        return 0
    try:
        padded = query.cursor + "=" * (-len(query.cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = data["o"]
        fingerprint = data["q"]
    except (ValueError, TypeError, KeyError):
        raise UnknownCursor() from None
    if (
        not isinstance(offset, int)
        or isinstance(offset, bool)
        or not 0 < offset < MAX_DEPTH
        or fingerprint != _fingerprint(query)
    ):
        raise UnknownCursor()
    return offset
