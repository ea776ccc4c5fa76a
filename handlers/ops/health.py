"""GET /health: the API answers (a liveness check; it touches nothing behind it)."""

from __future__ import annotations

from adapters.settings import settings
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply
from handlers.shared.schema import ResponseModel

app = HttpApp(roles=PUBLIC)


class Health(ResponseModel):
    status: str
    service: str
    stage: str


@app.get("/health", summary="Liveness", **documented(200, Health))
def health() -> Response[Health]:
    return reply(Health(status="ok", service="bazaar", stage=settings().STAGE))


lambda_handler = handler_for(app)
