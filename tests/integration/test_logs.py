"""Nothing secret reaches the logs: not passwords, not tokens, not email addresses."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.integration.helpers import register_and_login
from tests.support.lambda_api import LambdaApi

PASSWORD = "a secret passphrase 9"


@contextmanager
def bazaar_logs() -> Iterator[io.StringIO]:
    """What the functions' logger writes (its handlers pointed at a buffer meanwhile)."""
    import handlers.shared.http

    stream = io.StringIO()
    handlers = [
        h for h in logging.getLogger("bazaar").handlers if isinstance(h, logging.StreamHandler)
    ]
    assert handlers
    previous = [h.setStream(stream) for h in handlers]
    try:
        yield stream
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)


def test_sign_in_refresh_and_a_crash_log_no_secrets(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = "private.person@example.com"
    import handlers.me.get_me as get_me

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    with bazaar_logs() as stream:
        account = register_and_login(api, email, PASSWORD)
        api.post("/auth/login", json={"email": email, "password": PASSWORD + "x"})
        refreshed = api.post("/auth/refresh", json={"refreshToken": account.refresh}).body
        monkeypatch.setattr(get_me, "profile", crash)
        assert api.get("/me", token=refreshed["accessToken"]).status == 500
    text = stream.getvalue()
    assert "unhandled error in a route" in text  # the crash was logged, with its trace
    assert "boom" in text
    for secret in (
        PASSWORD,
        email,
        account.access,
        account.refresh,
        refreshed["accessToken"],
        refreshed["refreshToken"],
    ):
        assert secret not in text
