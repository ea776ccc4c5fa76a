"""The search engine on AWS: Amazon OpenSearch Service, through opensearch-py.

Requests are signed with SigV4 from the function's own credentials (``AWSV4SignerAuth``
over botocore's credential chain; no password anywhere). The mapping and analyzers are
versioned in the repository (adapters/search_mapping.json, ``version``); each kind lives in
a concrete index ``<prefix>-<kind>-<stamp>`` reached through the alias ``<prefix>-<kind>``,
and a rebuild fills a new concrete index and moves the alias in one ``_aliases`` call.

Order-safety is OpenSearch's own external versioning: a document is written with
``version_type=external`` and the product version, and the cluster refuses (409) anything
not newer, a removal's tombstone (``live`` false) included.

The user's text is cut into words by domain.search.text; each word goes into a
``match``/``fuzzy``/``prefix`` clause of one field as a value, never into a
``query_string``: no query syntax from users reaches the cluster.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from opensearchpy import (
    AWSV4SignerAuth,
    ConflictError,
    NotFoundError,
    OpenSearch,
    RequestsHttpConnection,
    helpers,
)

from domain.search.ports import (
    DEFAULT_LIMIT,
    FUZZY_MIN_LETTERS,
    MAX_LIMIT,
    MAX_SUGGESTIONS,
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

MAPPING_FILE = Path(__file__).with_name("search_mapping.json")
BOOSTS = {"name": 4.0, "brand": 2.5, "category": 1.6, "description": 1.0}
FUZZY_WEIGHT = 0.4
PREFIX_WEIGHT = 0.6
NO_RATING = -1.0
MARK_START, MARK_END = "\x02", "\x03"  # highlight tags no product text contains
SNIPPET_CHARS = 160


@cache
def mapping() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(MAPPING_FILE.read_text())
    return loaded


def client_for(url: str, region: str, service: str = "es") -> OpenSearch:
    """A client for ``url``; with a ``region`` every request is SigV4-signed with the
    function's credentials (botocore's chain: the Lambda role's keys)."""
    auth = None
    if region:
        import botocore.session

        credentials = botocore.session.get_session().get_credentials()
        auth = AWSV4SignerAuth(credentials, region, service)
    return OpenSearch(
        hosts=[url],
        http_auth=auth,
        use_ssl=url.startswith("https://"),
        verify_certs=url.startswith("https://"),
        connection_class=RequestsHttpConnection,
        timeout=5,
    )


def _micros(at: datetime) -> int:
    return int(at.timestamp() * 1_000_000)


def _now() -> int:
    return _micros(datetime.now(UTC))


class OpenSearchIndex:
    def __init__(self, client: OpenSearch, prefix: str, *, refresh: bool = False) -> None:
        """``refresh``: make every write visible before returning (tests; the indexer on
        AWS leaves it to the index's 1 s refresh)."""
        self.client = client
        self.prefix = prefix
        self.refresh = refresh
        self._ready: set[str] = set()

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    # -- indexes -------------------------------------------------------------------------

    def _create(self, kind: str) -> str:
        name = f"{self.alias(kind)}-v{mapping()['version']}-{time.time_ns()}"
        body = {"settings": mapping()["settings"], "mappings": mapping()[kind]}
        self.client.indices.create(index=name, body=body)
        return name

    def _ensure(self, kind: str) -> None:
        """The alias exists (checked once per container and kind)."""
        if kind in self._ready:
            return
        if not self.client.indices.exists_alias(name=self.alias(kind)):
            name = self._create(kind)
            self.client.indices.put_alias(index=name, name=self.alias(kind))
        self._ready.add(kind)

    def delete_all(self) -> None:
        """Every index of this prefix (the contract tests' clean-up)."""
        self.client.indices.delete(index=f"{self.prefix}-*", ignore_unavailable=True)

    # -- writing -------------------------------------------------------------------------

    def _put(self, kind: str, key: str, version: int, body: dict[str, Any]) -> bool:
        self._ensure(kind)
        try:
            self.client.index(
                index=self.alias(kind),
                id=key,
                body=body,
                version=version,
                version_type="external",
                refresh="true" if self.refresh else "false",
            )
        except ConflictError:
            return False
        return True

    def upsert(self, doc: ProductDoc) -> bool:
        return self._put("products", doc.product_id, doc.version, product_body(doc))

    def remove(self, product_id: str, version: int) -> bool:
        return self._put("products", product_id, version, tombstone_body(product_id, version))

    def upsert_order(self, doc: OrderDoc) -> bool:
        return self._put("orders", doc.order_id, doc.version, order_body(doc))

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        started = _now()
        self._ensure("products")
        alias = self.alias("products")
        fresh = self._create("products")
        helpers.bulk(self.client, _actions(fresh, docs), raise_on_error=False, refresh="true")
        # Writes the live index took since the rebuild began, kept when newer.
        recent = helpers.scan(
            self.client,
            index=alias,
            query={"query": {"range": {"written_at": {"gte": started}}}},
            version=True,
        )
        carried = (
            {
                "_index": fresh,
                "_id": hit["_id"],
                "_version": hit["_version"],
                "_version_type": "external",
                "_source": hit["_source"],
            }
            for hit in recent
        )
        helpers.bulk(self.client, carried, raise_on_error=False, refresh="true")
        old = list(self.client.indices.get_alias(name=alias))
        actions: list[dict[str, Any]] = [{"add": {"index": fresh, "alias": alias}}]
        actions += [{"remove": {"index": name, "alias": alias}} for name in old]
        self.client.indices.update_aliases(body={"actions": actions})
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        count = self.client.count(index=fresh, body={"query": _live()})
        return int(count["count"])

    # -- reading -------------------------------------------------------------------------

    def _search(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            found: dict[str, Any] = self.client.search(index=self.alias(kind), body=body)
        except NotFoundError:  # nothing indexed yet
            return {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}
        return found

    def search(self, query: SearchQuery) -> SearchResults:
        offset = decode_cursor(query)
        limit = max(1, min(query.limit, MAX_LIMIT))
        body = search_body(query, offset, limit)
        found = self._search("products", body)
        scored = body["sort"][0] == "_score"
        hits = tuple(_hit(h, scored=scored) for h in found["hits"]["hits"])
        total = int(found["hits"]["total"]["value"])
        more = offset + len(hits) < total
        return SearchResults(
            hits=hits,
            total=total,
            facets=_facets(found.get("aggregations", {})),
            next_cursor=encode_cursor(query, offset + len(hits)) if more and hits else None,
        )

    def suggest(self, prefix: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        body = suggest_body(prefix, max(1, min(limit, MAX_SUGGESTIONS)))
        if body is None:
            return []
        found = self._search("products", body)
        seen: set[str] = set()
        out: list[str] = []
        for hit in found["hits"]["hits"]:
            name = hit["_source"]["name"]
            if fold(name) not in seen:
                seen.add(fold(name))
                out.append(name)
            if len(out) == limit:
                break
        return out

    def search_orders(self, text: str, limit: int = DEFAULT_LIMIT) -> list[OrderHit]:
        body = orders_body(text, max(1, min(limit, MAX_LIMIT)))
        if body is None:
            return []
        found = self._search("orders", body)
        return [
            OrderHit(
                order_id=s["id"],
                score=float(h["_score"] or 0.0),
                customer_email=s["email_w"],
                customer_name=s["customer_name"],
                status=s["status"],
                total=int(s["total"]),
                currency=s["currency"],
                created_at=datetime.fromtimestamp(s["created"] / 1_000_000, tz=UTC),
            )
            for h in found["hits"]["hits"]
            for s in (h["_source"],)
        ]


# -- documents -------------------------------------------------------------------------------


def product_body(doc: ProductDoc) -> dict[str, Any]:
    attributes = " ".join(f"{k} {v}" for k, v in doc.attributes)
    body: dict[str, Any] = {
        "id": doc.product_id,
        "version": doc.version,
        "live": True,
        "written_at": _now(),
        "name": doc.name,
        "brand": doc.brand or "",
        "category": " ".join(doc.category_names),
        "description": f"{doc.description} {attributes}".strip(),
        "category_ids": list(doc.category_ids),
        "price": doc.price,
        "currency": doc.currency,
        "in_stock": doc.in_stock,
        "rating": NO_RATING if doc.rating is None else float(doc.rating),
        "created": _micros(doc.created_at),
    }
    if doc.brand:
        body["brand_raw"] = doc.brand
        body["brand_key"] = fold(doc.brand)
    return body


def tombstone_body(key: str, version: int) -> dict[str, Any]:
    return {"id": key, "version": version, "live": False, "written_at": _now()}


def order_body(doc: OrderDoc) -> dict[str, Any]:
    return {
        "id": doc.order_id,
        "version": doc.version,
        "live": True,
        "written_at": _now(),
        "id_w": doc.order_id.replace("_", " "),
        "email": fold(doc.customer_email),
        "email_w": doc.customer_email,
        "customer_name": doc.customer_name,
        "status": doc.status,
        "total": doc.total,
        "currency": doc.currency,
        "created": _micros(doc.created_at),
    }


def _actions(index: str, docs: Iterable[ProductDoc]) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {
            "_index": index,
            "_id": doc.product_id,
            "_version": doc.version,
            "_version_type": "external",
            "_source": product_body(doc),
        }


# -- queries ---------------------------------------------------------------------------------


def _live() -> dict[str, Any]:
    return {"term": {"live": True}}


def _word(field: str, term: str) -> list[dict[str, Any]]:
    boost = BOOSTS[field]
    clauses: list[dict[str, Any]] = [{"match": {field: {"query": term, "boost": boost}}}]
    if len(term) >= FUZZY_MIN_LETTERS:
        clauses.append(
            {
                "fuzzy": {
                    f"{field}.w": {
                        "value": term,
                        "fuzziness": 2 if len(term) >= 8 else 1,
                        "prefix_length": 0,
                        "boost": boost * FUZZY_WEIGHT,
                    }
                }
            }
        )
    return clauses


def _prefix(field: str, term: str) -> dict[str, Any]:
    return {"prefix": {f"{field}.w": {"value": term, "boost": BOOSTS[field] * PREFIX_WEIGHT}}}


def text_clauses(text: str, fields: Iterable[str] = tuple(BOOSTS)) -> list[dict[str, Any]]:
    """One ``dis_max`` per word, all required: the word (stemmed by the field's analyzer),
    with a typo for 5+ letters, and the last word still being typed as a prefix."""
    terms = words(text)
    names = list(fields)
    out = []
    for position, term in enumerate(terms):
        options = [c for f in names for c in _word(f, term)]
        if position == len(terms) - 1 and ends_mid_word(text) and len(term) >= 2:
            options += [_prefix(f, term) for f in ("name", "brand")]
        out.append({"dis_max": {"queries": options, "tie_breaker": 0.2}})
    return out


def _filters(query: SearchQuery) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [_live()]
    if query.category_id is not None:
        out.append({"term": {"category_ids": query.category_id}})
    if query.brand is not None:
        out.append({"term": {"brand_key": fold(query.brand)}})
    if query.min_price is not None or query.max_price is not None:
        bounds = {}
        if query.min_price is not None:
            bounds["gte"] = query.min_price
        if query.max_price is not None:
            bounds["lte"] = query.max_price
        out.append({"range": {"price": bounds}})
    if query.in_stock is not None:
        out.append({"term": {"in_stock": query.in_stock}})
    if query.min_rating is not None:
        out.append({"range": {"rating": {"gte": float(query.min_rating)}}})
    return out


def _bands() -> list[dict[str, int]]:
    out = []
    for low, high in zip(PRICE_BAND_EDGES, (*PRICE_BAND_EDGES[1:], None), strict=True):
        band = {"from": low}
        if high is not None:
            band["to"] = high
        out.append(band)
    return out


def search_body(query: SearchQuery, offset: int, limit: int) -> dict[str, Any]:
    must = text_clauses(query.text)
    sort = query.sort
    if sort is SearchSort.RELEVANCE and not must:
        sort = SearchSort.NEWEST
    order: list[Any] = [
        {
            SearchSort.RELEVANCE: "_score",
            SearchSort.PRICE_ASC: {"price": "asc"},
            SearchSort.PRICE_DESC: {"price": "desc"},
            SearchSort.NEWEST: {"created": "desc"},
            SearchSort.RATING: {"rating": "desc"},
        }[sort],
        {"id": "asc"},  # ties in a fixed order, so pages neither repeat nor skip
    ]
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": _filters(query)}},
        "from": offset,
        "size": limit,
        "sort": order,
        "track_total_hits": True,
        "aggs": {
            "brands": {"terms": {"field": "brand_raw", "size": 20}},
            "categories": {"terms": {"field": "category_ids", "size": 200}},
            "prices": {"range": {"field": "price", "ranges": _bands()}},
        },
    }
    if must:
        body["highlight"] = {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "fields": {
                "name": {"number_of_fragments": 0},
                "description": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
            },
        }
    return body


def suggest_body(prefix: str, limit: int) -> dict[str, Any] | None:
    terms = words(prefix)
    if not terms:
        return None
    clauses = []
    for position, term in enumerate(terms):
        if position == len(terms) - 1 and ends_mid_word(prefix):
            options = [_prefix(f, term) for f in ("name", "brand")]
        else:
            options = [c for f in ("name", "brand") for c in _word(f, term)]
        clauses.append({"dis_max": {"queries": options}})
    return {
        "query": {"bool": {"must": clauses, "filter": [_live()]}},
        "size": limit * 4,
        "_source": ["name"],
    }


def orders_body(text: str, limit: int) -> dict[str, Any] | None:
    terms = words(text)
    if not terms:
        return None
    per_word = []
    for term in terms:
        options: list[dict[str, Any]] = [
            {"match": {"id_w": term}},
            {"match": {"email_w": term}},
            {"match": {"customer_name": {"query": term, "boost": 2.0}}},
            {"match": {"status": term}},
        ]
        if len(term) >= FUZZY_MIN_LETTERS:
            options.append(
                {"fuzzy": {"customer_name": {"value": term, "fuzziness": 1, "boost": FUZZY_WEIGHT}}}
            )
        per_word.append({"dis_max": {"queries": options}})
    whole = text.strip()
    return {
        "query": {
            "bool": {
                "should": [
                    {"term": {"id": {"value": whole, "boost": 10.0}}},
                    {"term": {"email": {"value": fold(whole), "boost": 8.0}}},
                    {"bool": {"must": per_word}},
                ],
                "minimum_should_match": 1,
                "filter": [_live()],
            }
        },
        "size": limit,
    }


# -- answers ---------------------------------------------------------------------------------


def _marked(fragment: str) -> Highlight | None:
    text, ranges, start = [], [], 0
    position = 0
    for char in fragment:
        if char == MARK_START:
            start = position
        elif char == MARK_END:
            ranges.append((start, position))
        else:
            text.append(char)
            position += 1
    return Highlight("", "".join(text), tuple(ranges)) if ranges else None


def _hit(hit: dict[str, Any], *, scored: bool) -> SearchHit:
    source = hit["_source"]
    highlights = []
    for field in ("name", "description"):
        for fragment in hit.get("highlight", {}).get(field, [])[:1]:
            marked = _marked(fragment)
            if marked is not None:
                highlights.append(Highlight(field, marked.text, marked.ranges))
    rating = float(source["rating"])
    return SearchHit(
        product_id=source["id"],
        score=float(hit.get("_score") or 0.0) if scored else 0.0,
        name=source["name"],
        brand=source.get("brand_raw"),
        price=int(source["price"]),
        currency=source["currency"],
        rating=None if rating == NO_RATING else rating,
        in_stock=bool(source["in_stock"]),
        highlights=tuple(highlights),
    )


def _facets(aggregations: dict[str, Any]) -> Facets:
    def counts(name: str) -> tuple[FacetCount, ...]:
        buckets = aggregations.get(name, {}).get("buckets", [])
        ordered = sorted(buckets, key=lambda b: (-int(b["doc_count"]), str(b["key"])))
        return tuple(FacetCount(str(b["key"]), int(b["doc_count"])) for b in ordered)

    by_from = {
        int(b.get("from", 0)): int(b["doc_count"])
        for b in aggregations.get("prices", {}).get("buckets", [])
    }
    bands = tuple(
        PriceBand(min=low, max=high, count=by_from.get(low, 0))
        for low, high in zip(PRICE_BAND_EDGES, (*PRICE_BAND_EDGES[1:], None), strict=True)
    )
    return Facets(brands=counts("brands"), categories=counts("categories"), price_bands=bands)
