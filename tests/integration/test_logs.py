"""Nothing secret reaches the logs: not passwords, not tokens, not email addresses."""

from __future__ import annotations

import pytest

from tests.integration.helpers import register_and_login
from tests.support.lambda_api import LambdaApi

PASSWORD = "a secret passphrase 9"


def test_sign_in_refresh_and_a_crash_log_no_secrets(
    api: LambdaApi, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    email = "private.person@example.com"
    account = register_and_login(api, email, PASSWORD)
    api.post("/auth/login", json={"email": email, "password": PASSWORD + "x"})
    refreshed = api.post("/auth/refresh", json={"refreshToken": account.refresh}).body
    import handlers.me.get_me as get_me

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(get_me, "profile", crash)
    assert api.get("/me", token=refreshed["accessToken"]).status == 500

    logged = capsys.readouterr()
    text = logged.out + logged.err
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
