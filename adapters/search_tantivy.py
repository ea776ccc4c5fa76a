"""The embedded search engine: tantivy (Rust, Python bindings) with its index on disk.

Layout under the index directory (``SEARCH_INDEX_DIR``)::

    products.current          the name of the live product index directory (one line)
    products-<stamp>/         tantivy index directories (a rebuild writes a new one)
    orders.current, orders-<stamp>/
    .lock                     flock: one writer at a time (upserts, the rebuild's swap)

A rebuild writes a whole new directory and then replaces the pointer file with
``os.replace`` (atomic), so a search reads either the old index or the new one, never half
of one. Every product id has exactly one document: live, or a tombstone (``live`` false)
that keeps the version of its removal so a stale upsert cannot bring it back.

Text analysis: ``en`` (simple tokenizer, lowercase, ASCII folding, English stemmer) for
relevance (plurals: "headphones" finds "headphone"), ``plain`` (the same without the
stemmer) for typo tolerance (fuzzy terms) and prefixes. The user's text is cut into words
by domain.search.text and turned into Query objects here: no query parser ever sees it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy

from domain.search.ports import (
    FUZZY_MIN_LETTERS,
    MAX_LIMIT,
    MAX_SUGGESTIONS,
    MAX_WORD_CHARS,
    PRICE_BAND_EDGES,
    FacetCount,
    Facets,
    Highlight,
    OrderDoc,
    OrderHit,
    PriceBand,
    ProductDoc,
    SearchHit,
    SearchQuery,
    SearchResults,
    SearchSort,
)
from domain.search.text import decode_cursor, encode_cursor, ends_mid_word, fold, words

# Field boosts: name above brand above category above description.
BOOSTS = {"name": 4.0, "brand": 2.5, "category": 1.6, "description": 1.0}
FUZZY_WEIGHT = 0.4  # a typo-tolerant match counts less than the exact word
PREFIX_WEIGHT = 0.6
WRITER_HEAP = 15_000_000  # bytes: tantivy's floor per indexing thread
SNIPPET_CHARS = 160
NO_RATING = -1.0  # sorts after every real average, fails every min_rating


def _analyzer(stem: bool) -> Any:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_WORD_CHARS + 1))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


_EN = _analyzer(stem=True)
_PLAIN = _analyzer(stem=False)


def _product_schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("version", stored=True, indexed=True, fast=True)
    sb.add_boolean_field("live", stored=True, indexed=True, fast=True)
    sb.add_integer_field("written_at", stored=True, indexed=True, fast=True)  # µs, epoch
    for name in BOOSTS:
        sb.add_text_field(name, stored=True, tokenizer_name="en")
        sb.add_text_field(name + "_w", tokenizer_name="plain")
    sb.add_text_field("brand_raw", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("brand_key", tokenizer_name="raw")  # folded, for the filter
    sb.add_text_field("category_ids", stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("price", stored=True, indexed=True, fast=True)
    sb.add_text_field("currency", stored=True, tokenizer_name="raw")
    sb.add_boolean_field("in_stock", stored=True, indexed=True, fast=True)
    sb.add_float_field("rating", stored=True, indexed=True, fast=True)
    sb.add_integer_field("created", stored=True, indexed=True, fast=True)  # µs, epoch
    return sb.build()


def _order_schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("version", stored=True, indexed=True, fast=True)
    sb.add_boolean_field("live", stored=True, indexed=True, fast=True)
    sb.add_integer_field("written_at", stored=True, indexed=True, fast=True)
    sb.add_text_field("id_w", tokenizer_name="plain")
    sb.add_text_field("email", stored=True, tokenizer_name="raw")
    sb.add_text_field("email_w", tokenizer_name="plain")
    sb.add_text_field("customer_name", stored=True, tokenizer_name="plain")
    sb.add_text_field("status", stored=True, tokenizer_name="plain")
    sb.add_integer_field("total", stored=True)
    sb.add_text_field("currency", stored=True, tokenizer_name="raw")
    sb.add_integer_field("created", stored=True, indexed=True, fast=True)
    return sb.build()


def _micros(at: datetime) -> int:
    return int(at.timestamp() * 1_000_000)


def _from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, tz=UTC)


def _char_ranges(text: str, ranges: Iterable[Any]) -> tuple[tuple[int, int], ...]:
    """tantivy's highlight ranges are byte offsets in UTF-8; the port's are characters."""
    raw = text.encode()
    return tuple(
        (len(raw[: r.start].decode(errors="ignore")), len(raw[: r.end].decode(errors="ignore")))
        for r in ranges
    )


@dataclass
class _Store:
    """One kind of index (products or orders) under the root: the live directory named by
    the pointer file, opened lazily and reopened when the pointer changes."""

    root: Path
    kind: str
    schema: Any
    _index: Any = None
    _opened: str | None = None

    @property
    def pointer(self) -> Path:
        return self.root / f"{self.kind}.current"

    def _register(self, index: Any) -> Any:
        index.register_tokenizer("en", _EN)
        index.register_tokenizer("plain", _PLAIN)
        return index

    def _current_name(self) -> str | None:
        try:
            return self.pointer.read_text().strip() or None
        except FileNotFoundError:
            return None

    def new_directory(self) -> tuple[str, Any]:
        name = f"{self.kind}-{time.time_ns()}"
        path = self.root / name
        path.mkdir(parents=True)
        return name, self._register(tantivy.Index(self.schema, path=str(path), reuse=False))

    def switch_to(self, name: str, *, cleanup: bool = True) -> None:
        tmp = self.root / f".{self.kind}.current.{os.getpid()}"
        tmp.write_text(name + "\n")
        os.replace(tmp, self.pointer)
        if cleanup:
            self._cleanup(keep={name, self._opened or ""})

    def _create_first(self) -> str:
        name, _ = self.new_directory()
        self.switch_to(name, cleanup=False)  # a rebuild may be filling another directory
        return name

    def _cleanup(self, keep: set[str]) -> None:
        """Removes index directories other than the live one and the one this process
        had open (a reader elsewhere may still be on it; the next rebuild removes it)."""
        for entry in self.root.glob(f"{self.kind}-*"):
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)

    def index(self, *, holding_lock: bool = False) -> Any:
        """The live index, created empty on first use; reloaded to see the last commit."""
        name = self._current_name()
        if name is None:
            if holding_lock:
                name = self._create_first()
            else:
                with _locked(self.root):
                    name = self._current_name() or self._create_first()
        if name != self._opened:
            self._index = self._register(tantivy.Index.open(str(self.root / name)))
            self._opened = name
        else:
            self._index.reload()
        return self._index


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class TantivySearchIndex:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory)
        self.products = _Store(self.root, "products", _product_schema())
        self.orders = _Store(self.root, "orders", _order_schema())

    # -- writing -----------------------------------------------------------------------

    @staticmethod
    def _version_of(index: Any, schema: Any, key: str) -> int | None:
        searcher = index.searcher()
        hits = searcher.search(tantivy.Query.term_query(schema, "id", key), 1).hits
        if not hits:
            return None
        return int(searcher.doc(hits[0][1])["version"][0])

    def _write(self, store: _Store, key: str, version: int, document: Any) -> bool:
        with _locked(self.root):
            index = store.index(holding_lock=True)
            current = self._version_of(index, store.schema, key)
            if current is not None and current >= version:
                return False
            writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
            writer.delete_documents_by_term("id", key)
            writer.add_document(document)
            writer.commit()
            writer.wait_merging_threads()
        return True

    def upsert(self, doc: ProductDoc) -> bool:
        return self._write(self.products, doc.product_id, doc.version, _product_document(doc))

    def remove(self, product_id: str, version: int) -> bool:
        return self._write(self.products, product_id, version, _tombstone(product_id, version))

    def upsert_order(self, doc: OrderDoc) -> bool:
        return self._write(self.orders, doc.order_id, doc.version, _order_document(doc))

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        started = _micros(datetime.now(UTC))
        name, fresh = self.products.new_directory()
        writer = fresh.writer(heap_size=WRITER_HEAP * 3, num_threads=1)
        versions: dict[str, int] = {}
        for doc in docs:
            if versions.get(doc.product_id, -1) >= doc.version:
                continue
            if doc.product_id in versions:
                writer.delete_documents_by_term("id", doc.product_id)
            writer.add_document(_product_document(doc))
            versions[doc.product_id] = doc.version
        writer.commit()
        with _locked(self.root):
            # Writes the live index took since the rebuild began: kept when newer.
            live = self.products.index(holding_lock=True)
            searcher = live.searcher()
            recent = tantivy.Query.range_query(
                self.products.schema, "written_at", tantivy.FieldType.Integer, started, None
            )
            found = searcher.search(recent, max(searcher.num_docs, 1))
            for _, address in found.hits:
                stored = searcher.doc(address)
                key, version = stored["id"][0], int(stored["version"][0])
                if versions.get(key, -1) < version:
                    writer.delete_documents_by_term("id", key)
                    writer.add_document(_copy(stored))
                    versions[key] = version
            writer.commit()
            writer.wait_merging_threads()
            self.products.switch_to(name)
        return sum(1 for _ in versions)

    # -- reading -----------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        offset = decode_cursor(query)
        limit = max(1, min(query.limit, MAX_LIMIT))
        index = self.products.index()
        schema = self.products.schema
        searcher = index.searcher()
        text_query = _text_query(schema, query.text)
        matching = _and([text_query, *_filters(schema, query)])

        sort = query.sort
        if sort is SearchSort.RELEVANCE and text_query is None:
            sort = SearchSort.NEWEST
        field, order = {
            SearchSort.RELEVANCE: (None, tantivy.Order.Desc),
            SearchSort.PRICE_ASC: ("price", tantivy.Order.Asc),
            SearchSort.PRICE_DESC: ("price", tantivy.Order.Desc),
            SearchSort.NEWEST: ("created", tantivy.Order.Desc),
            SearchSort.RATING: ("rating", tantivy.Order.Desc),
        }[sort]
        found = searcher.search(
            matching, limit, count=True, order_by_field=field, offset=offset, order=order
        )
        snippets = (
            {
                name: tantivy.SnippetGenerator.create(searcher, text_query, schema, name)
                for name in ("name", "description")
            }
            if text_query is not None
            else {}
        )
        for generator in snippets.values():
            generator.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for key, address in found.hits:
            stored = searcher.doc(address)
            score = float(key) if field is None else 0.0
            hits.append(_hit(stored, score, snippets))
        total = int(found.count)
        more = offset + len(hits) < total
        return SearchResults(
            hits=tuple(hits),
            total=total,
            facets=_facets(searcher, matching),
            next_cursor=encode_cursor(query, offset + len(hits)) if more and hits else None,
        )

    def suggest(self, prefix: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        terms = words(prefix)
        limit = max(1, min(limit, MAX_SUGGESTIONS))
        if not terms:
            return []
        schema = self.products.schema
        clauses = []
        last = len(terms) - 1
        for position, term in enumerate(terms):
            if position == last and ends_mid_word(prefix):
                per_field = [
                    tantivy.Query.boost_query(
                        tantivy.Query.fuzzy_term_query(
                            schema, f + "_w", term, distance=0, prefix=True
                        ),
                        BOOSTS[f],
                    )
                    for f in ("name", "brand")
                ]
            else:
                per_field = [_word_query(schema, f, term) for f in ("name", "brand")]
            clauses.append(tantivy.Query.disjunction_max_query(per_field))
        matching = _and([*clauses, _live(schema)])
        assert matching is not None
        searcher = self.products.index().searcher()
        found = searcher.search(matching, limit * 4)
        seen: set[str] = set()
        out: list[str] = []
        for _, address in found.hits:
            name = searcher.doc(address)["name"][0]
            if fold(name) not in seen:
                seen.add(fold(name))
                out.append(name)
            if len(out) == limit:
                break
        return out

    def search_orders(self, text: str, limit: int = 20) -> list[OrderHit]:
        terms = words(text)
        if not terms:
            return []
        schema = self.orders.schema
        limit = max(1, min(limit, MAX_LIMIT))
        clauses = []
        whole = fold(text.strip())
        exact = [
            tantivy.Query.boost_query(tantivy.Query.term_query(schema, "id", text.strip()), 10.0),
            tantivy.Query.boost_query(tantivy.Query.term_query(schema, "email", whole), 8.0),
        ]
        for term in terms:
            options = [
                tantivy.Query.term_query(schema, "id_w", term),
                tantivy.Query.term_query(schema, "email_w", term),
                tantivy.Query.boost_query(
                    tantivy.Query.term_query(schema, "customer_name", term), 2.0
                ),
                tantivy.Query.term_query(schema, "status", term),
            ]
            if len(term) >= FUZZY_MIN_LETTERS:
                options.append(
                    tantivy.Query.boost_query(
                        tantivy.Query.fuzzy_term_query(schema, "customer_name", term, distance=1),
                        FUZZY_WEIGHT,
                    )
                )
            clauses.append(tantivy.Query.disjunction_max_query(options))
        by_words = _and(clauses)
        assert by_words is not None
        matching = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, q) for q in (*exact, by_words)]
        )
        matching = _and([matching, _live(schema)])
        searcher = self.orders.index().searcher()
        found = searcher.search(matching, limit)
        hits = []
        for score, address in found.hits:
            stored = searcher.doc(address)
            hits.append(
                OrderHit(
                    order_id=stored["id"][0],
                    score=float(score),
                    customer_email=stored["email"][0],
                    customer_name=stored["customer_name"][0],
                    status=stored["status"][0],
                    total=int(stored["total"][0]),
                    currency=stored["currency"][0],
                    created_at=_from_micros(int(stored["created"][0])),
                )
            )
        return hits


# -- documents -------------------------------------------------------------------------


def _product_document(doc: ProductDoc) -> Any:
    d = tantivy.Document()
    d.add_text("id", doc.product_id)
    d.add_integer("version", doc.version)
    d.add_boolean("live", True)
    d.add_integer("written_at", _micros(datetime.now(UTC)))
    attributes = " ".join(f"{k} {v}" for k, v in doc.attributes)
    texts = {
        "name": doc.name,
        "brand": doc.brand or "",
        "category": " ".join(doc.category_names),
        "description": f"{doc.description} {attributes}".strip(),
    }
    for name, value in texts.items():
        d.add_text(name, value)
        d.add_text(name + "_w", value)
    if doc.brand:
        d.add_text("brand_raw", doc.brand)
        d.add_text("brand_key", fold(doc.brand))
    for category_id in doc.category_ids:
        d.add_text("category_ids", category_id)
    d.add_integer("price", doc.price)
    d.add_text("currency", doc.currency)
    d.add_boolean("in_stock", doc.in_stock)
    d.add_float("rating", NO_RATING if doc.rating is None else float(doc.rating))
    d.add_integer("created", _micros(doc.created_at))
    return d


def _tombstone(key: str, version: int) -> Any:
    d = tantivy.Document()
    d.add_text("id", key)
    d.add_integer("version", version)
    d.add_boolean("live", False)
    d.add_integer("written_at", _micros(datetime.now(UTC)))
    return d


def _copy(stored: Any) -> Any:
    """A stored document as a new one (only stored fields survive: used for tombstones
    and for products, whose searchable text is rebuilt from the stored fields)."""
    data = stored.to_dict()
    if not data["live"][0]:
        return _tombstone(data["id"][0], int(data["version"][0]))
    return _product_document(
        ProductDoc(
            product_id=data["id"][0],
            version=int(data["version"][0]),
            name=data["name"][0],
            brand=data.get("brand_raw", [None])[0],
            category_ids=tuple(data.get("category_ids", [])),
            category_names=tuple(data.get("category", [])),
            description=data.get("description", [""])[0],
            price=int(data["price"][0]),
            currency=data["currency"][0],
            in_stock=bool(data["in_stock"][0]),
            rating=None if data["rating"][0] == NO_RATING else float(data["rating"][0]),
            created_at=_from_micros(int(data["created"][0])),
        )
    )


def _order_document(doc: OrderDoc) -> Any:
    d = tantivy.Document()
    d.add_text("id", doc.order_id)
    d.add_integer("version", doc.version)
    d.add_boolean("live", True)
    d.add_integer("written_at", _micros(datetime.now(UTC)))
    d.add_text("id_w", doc.order_id.replace("_", " "))
    d.add_text("email", fold(doc.customer_email))
    d.add_text("email_w", doc.customer_email)
    d.add_text("customer_name", doc.customer_name)
    d.add_text("status", doc.status)
    d.add_integer("total", doc.total)
    d.add_text("currency", doc.currency)
    d.add_integer("created", _micros(doc.created_at))
    return d


# -- queries ---------------------------------------------------------------------------


def _and(queries: list[Any]) -> Any:
    present = [q for q in queries if q is not None]
    if not present:
        return tantivy.Query.all_query()
    if len(present) == 1:
        return present[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in present])


def _live(schema: Any) -> Any:
    return tantivy.Query.const_score_query(tantivy.Query.term_query(schema, "live", True), 0.0)


def _word_query(schema: Any, field: str, term: str) -> Any:
    """One word against one field: the stemmed word, and (5+ letters) the word with a
    typo, weighted below it."""
    boost = BOOSTS[field]
    options = [
        tantivy.Query.boost_query(
            tantivy.Query.term_query(schema, field, _EN.analyze(term)[0]), boost
        )
    ]
    if len(term) >= FUZZY_MIN_LETTERS:
        distance = 2 if len(term) >= 8 else 1
        options.append(
            tantivy.Query.boost_query(
                tantivy.Query.fuzzy_term_query(schema, field + "_w", term, distance=distance),
                boost * FUZZY_WEIGHT,
            )
        )
    return tantivy.Query.disjunction_max_query(options)


def _text_query(schema: Any, text: str) -> Any | None:
    """Every word must match some field (each field scored by BM25 with its boost; the
    best field counts, the others a little); the last word still being typed also
    matches as a prefix."""
    terms = words(text)
    if not terms:
        return None
    clauses = []
    last = len(terms) - 1
    for position, term in enumerate(terms):
        per_field = [_word_query(schema, f, term) for f in BOOSTS]
        if position == last and ends_mid_word(text) and len(term) >= 2:
            per_field += [
                tantivy.Query.boost_query(
                    tantivy.Query.fuzzy_term_query(schema, f + "_w", term, distance=0, prefix=True),
                    BOOSTS[f] * PREFIX_WEIGHT,
                )
                for f in ("name", "brand")
            ]
        clauses.append(tantivy.Query.disjunction_max_query(per_field, tie_breaker=0.2))
    return _and(clauses)


def _const(query: Any) -> Any:
    return tantivy.Query.const_score_query(query, 0.0)


def _filters(schema: Any, query: SearchQuery) -> list[Any]:
    out = [_live(schema)]
    if query.category_id is not None:
        out.append(_const(tantivy.Query.term_query(schema, "category_ids", query.category_id)))
    if query.brand is not None:
        out.append(_const(tantivy.Query.term_query(schema, "brand_key", fold(query.brand))))
    if query.min_price is not None or query.max_price is not None:
        out.append(
            _const(
                tantivy.Query.range_query(
                    schema,
                    "price",
                    tantivy.FieldType.Integer,
                    query.min_price,
                    query.max_price,
                )
            )
        )
    if query.in_stock is not None:
        out.append(_const(tantivy.Query.term_query(schema, "in_stock", query.in_stock)))
    if query.min_rating is not None:
        out.append(
            _const(
                tantivy.Query.range_query(
                    schema, "rating", tantivy.FieldType.Float, float(query.min_rating), None
                )
            )
        )
    return out


def _facets(searcher: Any, matching: Any) -> Facets:
    ranges: list[dict[str, float]] = []
    for low, high in zip(PRICE_BAND_EDGES, (*PRICE_BAND_EDGES[1:], None), strict=True):
        band: dict[str, float] = {"from": low}
        if high is not None:
            band["to"] = high
        ranges.append(band)
    result = searcher.aggregate(
        matching,
        {
            "brands": {"terms": {"field": "brand_raw", "size": 20}},
            "categories": {"terms": {"field": "category_ids", "size": 200}},
            "prices": {"range": {"field": "price", "ranges": ranges}},
        },
    )

    def counts(name: str) -> tuple[FacetCount, ...]:
        buckets = result.get(name, {}).get("buckets", [])
        ordered = sorted(buckets, key=lambda b: (-int(b["doc_count"]), str(b["key"])))
        return tuple(FacetCount(str(b["key"]), int(b["doc_count"])) for b in ordered)

    bands = []
    by_from = {int(b.get("from", 0)): int(b["doc_count"]) for b in result["prices"]["buckets"]}
    for low, high in zip(PRICE_BAND_EDGES, (*PRICE_BAND_EDGES[1:], None), strict=True):
        bands.append(PriceBand(min=low, max=high, count=by_from.get(low, 0)))
    return Facets(
        brands=counts("brands"), categories=counts("categories"), price_bands=tuple(bands)
    )


def _hit(stored: Any, score: float, snippets: dict[str, Any]) -> SearchHit:
    highlights = []
    for name, generator in snippets.items():
        snippet = generator.snippet_from_doc(stored)
        marked = snippet.highlighted()
        if marked:
            fragment = snippet.fragment()
            highlights.append(Highlight(name, fragment, _char_ranges(fragment, marked)))
    rating = float(stored["rating"][0])
    brand = stored.get_first("brand_raw")
    return SearchHit(
        product_id=stored["id"][0],
        score=score,
        name=stored["name"][0],
        brand=brand,
        price=int(stored["price"][0]),
        currency=stored["currency"][0],
        rating=None if rating == NO_RATING else rating,
        in_stock=bool(stored["in_stock"][0]),
        highlights=tuple(highlights),
    )
