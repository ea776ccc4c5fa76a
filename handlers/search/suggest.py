"""GET /search/suggest: up to 10 completions for a search box (one call per keystroke)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from domain.search.ports import MAX_SUGGESTIONS
from domain.search.queries import suggest
from handlers.search.schemas import SearchText, SuggestionsOut
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import QueryInt

app = HttpApp(roles=PUBLIC)
Count = Annotated[QueryInt, Field(ge=1, le=MAX_SUGGESTIONS)]


@app.get("/search/suggest", summary="Complete a search", **documented(200, SuggestionsOut))
def suggestions(
    q: Annotated[SearchText, Query(description="What was typed so far")] = "",
    limit: Annotated[Count, Query()] = MAX_SUGGESTIONS,
) -> Response[SuggestionsOut]:
    found = suggest(q, index=wiring.search_index(), limit=limit)  # the engine on first call
    return reply(SuggestionsOut(suggestions=found))


lambda_handler = handler_for(app)
