"""A small local HTTP stand-in for OpenSearch that checks what the client sends.

Not a search engine: it answers the few endpoints adapters/search_opensearch.py calls,
and refuses (400, with the reason) any request body that the real cluster would refuse or
that breaks our rules: an index created with anything but the repository's mapping, a
document with a field the mapping does not declare (the mapping is ``dynamic: strict``), a
query clause outside the ones the adapter may build (no ``query_string``: user text never
reaches the query language), a field a query names that the mapping does not have. It keeps
external versions as the cluster does (409 when not newer) and records every request with
its headers, so a test can check the SigV4 signature too. A search answers the live
documents it holds (the query is checked, not run) or ``next_search`` when a test sets it.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from adapters.search_opensearch import mapping

ALLOWED_CLAUSES = {
    "bool",
    "dis_max",
    "match",
    "fuzzy",
    "prefix",
    "term",
    "range",
    "match_all",
}
BOOL_KEYS = {"must", "filter", "should", "must_not", "minimum_should_match"}


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class _Index:
    kind: str
    docs: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


class BadRequest(Exception):
    pass


def _fields(kind: str) -> set[str]:
    names = set()
    for name, spec in mapping()[kind]["properties"].items():
        names.add(name)
        names.update(f"{name}.{sub}" for sub in spec.get("fields", {}))
    return names


def check_query(clause: Any, kind: str) -> None:
    """Every clause one the adapter may build, on fields the mapping declares."""
    if not isinstance(clause, dict) or len(clause) != 1:
        raise BadRequest(f"a query clause is an object of one key: {clause!r}")
    [(name, spec)] = clause.items()
    if name not in ALLOWED_CLAUSES:
        raise BadRequest(f"query clause {name!r} is not one the adapter may send")
    if name == "bool":
        if set(spec) - BOOL_KEYS:
            raise BadRequest(f"bool keys {set(spec) - BOOL_KEYS}")
        for key in ("must", "filter", "should", "must_not"):
            for sub in spec.get(key, []):
                check_query(sub, kind)
    elif name == "dis_max":
        if not spec["queries"]:
            raise BadRequest("dis_max without queries")
        for sub in spec["queries"]:
            check_query(sub, kind)
    elif name != "match_all":
        [(target, _)] = spec.items()
        if target not in _fields(kind):
            raise BadRequest(f"{name} on {target!r}, a field the {kind} mapping lacks")
        if name == "match":
            value = spec[target]["query"] if isinstance(spec[target], dict) else spec[target]
            if not re.fullmatch(r"[a-z0-9]+", str(value)):
                raise BadRequest(f"match takes one folded word, got {value!r}")


def check_document(body: dict[str, Any], kind: str) -> None:
    declared = mapping()[kind]["properties"]
    unknown = set(body) - set(declared)
    if unknown:
        raise BadRequest(f"strict mapping: fields {sorted(unknown)} are not declared")
    types = {"long": int, "float": float, "boolean": bool, "keyword": (str, list), "text": str}
    for name, value in body.items():
        expected = types[declared[name]["type"]]
        if not isinstance(value, expected):  # type: ignore[arg-type]
            raise BadRequest(f"{name}: {value!r} is not a {declared[name]['type']}")


class OpenSearchStandIn:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.indexes: dict[str, _Index] = {}
        self.aliases: dict[str, str] = {}
        self.next_search: dict[str, Any] | None = None
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                standin._handle(self)

            def do_PUT(self) -> None:
                standin._handle(self)

            def do_POST(self) -> None:
                standin._handle(self)

            def do_DELETE(self) -> None:
                standin._handle(self)

            def do_HEAD(self) -> None:
                standin._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    # -- the server's side ---------------------------------------------------------------

    def _resolve(self, name: str) -> _Index | None:
        return self.indexes.get(self.aliases.get(name, name))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: Any = None
        if raw:
            text = raw.decode()
            body = (
                [json.loads(line) for line in text.splitlines() if line.strip()]
                if parts.path.endswith("_bulk")
                else json.loads(text)
            )
        recorded = Recorded(
            handler.command,
            parts.path,
            parse_qs(parts.query),
            {k.lower(): v for k, v in handler.headers.items()},
            body,
        )
        with self._lock:
            self.requests.append(recorded)
            try:
                status, answer = self._route(recorded)
            except BadRequest as exc:
                status, answer = 400, {"error": {"type": "standin_refused", "reason": str(exc)}}
        payload = b"" if handler.command == "HEAD" else json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _route(self, r: Recorded) -> tuple[int, Any]:
        segments = [s for s in r.path.split("/") if s]
        if segments == ["_bulk"]:
            return self._bulk(r)
        if segments == ["_aliases"] and r.method == "POST":
            return self._move_aliases(r)
        if segments[:2] == ["_search", "scroll"]:
            if r.method == "DELETE":
                return 200, {"succeeded": True}
            shards = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
            empty = {"total": {"value": 0}, "hits": []}
            return 200, {"_scroll_id": "done", "_shards": shards, "hits": empty}
        if r.method == "GET" and segments[0] == "_alias":
            named: dict[str, Any] = {
                i: {"aliases": {a: {}}} for a, i in self.aliases.items() if a == segments[1]
            }
            return (200 if named else 404), named
        if r.method == "DELETE" and len(segments) == 1:
            self.indexes.pop(segments[0], None)
            for alias in [a for a, i in self.aliases.items() if i == segments[0]]:
                del self.aliases[alias]
            return 200, {"acknowledged": True}
        if len(segments) == 2 and segments[1] == "_count":
            index = self._resolve(segments[0])
            if index is None:
                return 404, {"error": {"type": "index_not_found_exception"}}
            if r.body != {"query": {"term": {"live": True}}}:
                raise BadRequest("the stand-in counts live documents only")
            return 200, {"count": sum(1 for _, d in index.docs.values() if d.get("live"))}
        if r.method == "HEAD" and segments[0] == "_alias":
            return (200 if segments[1] in self.aliases else 404), {}
        if r.method == "PUT" and len(segments) == 1:
            kind = "products" if "-products-" in segments[0] else "orders"
            expected = {"settings": mapping()["settings"], "mappings": mapping()[kind]}
            if r.body != expected:
                raise BadRequest("an index is created with the repository's mapping only")
            self.indexes[segments[0]] = _Index(kind)
            return 200, {"acknowledged": True, "index": segments[0]}
        if r.method == "PUT" and len(segments) == 3 and segments[1] == "_alias":
            self.aliases[segments[2]] = segments[0]
            return 200, {"acknowledged": True}
        if r.method in ("PUT", "POST") and len(segments) == 3 and segments[1] == "_doc":
            return self._put_doc(r, segments[0], segments[2])
        if r.method in ("POST", "GET") and len(segments) == 2 and segments[1] == "_search":
            return self._search(r, segments[0])
        raise BadRequest(f"the stand-in does not answer {r.method} {r.path}")

    def _put_doc(self, r: Recorded, name: str, key: str) -> tuple[int, Any]:
        index = self._resolve(name)
        if index is None:
            return 404, {"error": {"type": "index_not_found_exception"}}
        if r.params.get("version_type") != ["external"] or "version" not in r.params:
            raise BadRequest("documents are written with external versions only")
        version = int(r.params["version"][0])
        held = index.docs.get(key)
        if self._store(index, key, version, r.body) == 409:
            assert held is not None
            return 409, {
                "error": {
                    "type": "version_conflict_engine_exception",
                    "reason": f"[{key}]: version conflict, current version [{held[0]}] is "
                    f"higher or equal to the one provided [{version}]",
                },
                "status": 409,
            }
        return 201, {"_id": key, "_version": version, "result": "created"}

    def _store(self, index: _Index, key: str, version: int, body: dict[str, Any]) -> int:
        check_document(body, index.kind)
        held = index.docs.get(key)
        if held is not None and held[0] >= version:
            return 409
        index.docs[key] = (version, body)
        return 201

    def _bulk(self, r: Recorded) -> tuple[int, Any]:
        items = []
        lines = list(r.body)
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            [(verb, meta)] = action.items()
            if verb != "index" or meta.get("version_type") != "external":
                raise BadRequest("bulk writes are index actions with external versions")
            index = self.indexes.get(meta["_index"])
            if index is None:
                raise BadRequest(f"bulk into {meta['_index']!r}, an index never created")
            status = self._store(index, meta["_id"], int(meta["version"]), source)
            items.append({"index": {"_id": meta["_id"], "status": status}})
        errors = any(i["index"]["status"] >= 300 for i in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _move_aliases(self, r: Recorded) -> tuple[int, Any]:
        for action in r.body["actions"]:
            [(verb, spec)] = action.items()
            if verb == "add":
                if spec["index"] not in self.indexes:
                    raise BadRequest(f"alias to {spec['index']!r}, an index never created")
                self.aliases[spec["alias"]] = spec["index"]
            elif verb != "remove":
                raise BadRequest(f"alias action {verb!r}")
        return 200, {"acknowledged": True}

    def _search(self, r: Recorded, name: str) -> tuple[int, Any]:
        index = self._resolve(name)
        if index is None:
            return 404, {"error": {"type": "index_not_found_exception"}}
        body = r.body or {}
        check_query(body["query"], index.kind)
        if "scroll" in r.params:  # helpers.scan: the rebuild's carry-over of recent writes
            since = body["query"]["range"]["written_at"]["gte"]
            recent = [
                {"_id": k, "_version": v, "_source": d}
                for k, (v, d) in index.docs.items()
                if d["written_at"] >= since
            ]
            shards = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
            found = {"total": {"value": len(recent)}, "hits": recent}
            return 200, {"_scroll_id": "done", "_shards": shards, "hits": found}
        for sort in body.get("sort", []):
            target = sort if isinstance(sort, str) else next(iter(sort))
            if target != "_score" and target not in _fields(index.kind):
                raise BadRequest(f"sort on {target!r}, a field the mapping lacks")
        for agg in body.get("aggs", {}).values():
            [(_, spec)] = agg.items()
            if spec["field"] not in _fields(index.kind):
                raise BadRequest(f"aggregation on {spec['field']!r}")
        if self.next_search is not None:
            answer, self.next_search = self.next_search, None
            return 200, answer
        live = [(k, d) for k, (_, d) in index.docs.items() if d.get("live")]
        hits = [{"_id": k, "_score": 1.0, "_source": d} for k, d in live]
        start = int(body.get("from", 0))
        page = hits[start : start + int(body.get("size", 10))]
        return 200, {"hits": {"total": {"value": len(hits)}, "hits": page}, "aggregations": {}}
