"""POST /auth/register: create a customer account."""

from __future__ import annotations

from domain.accounts.services import Registration, register
from handlers.auth.schemas import RegisteredUser, RegisterRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply
from handlers.shared.limits import limit_client

app = HttpApp(roles=PUBLIC)
accounts, hasher, limits = wiring.accounts(), wiring.hasher(), wiring.rate_limits()


@app.post(
    "/auth/register",
    summary="Register a customer account",
    **documented(201, RegisteredUser, 409, 429),
)
def register_account(body: RegisterRequest) -> Response[RegisteredUser]:
    limit_client(limits.register, app.current_event.raw_event)
    form = Registration(
        email=body.email,
        password=body.password,
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
    )
    user = register(form, accounts=accounts, hasher=hasher)
    return reply(RegisteredUser.of(user), 201)


lambda_handler = handler_for(app)
