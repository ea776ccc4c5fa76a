"""Sign-up, sign-in, sessions and passwords, end to end through the API."""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import (
    PASSWORD,
    jwt_claims,
    login,
    make_admin,
    problem,
    register,
    register_and_login,
    reset_token_of,
    sent_emails,
    unique_email,
)

NEW_PASSWORD = "battery staple 2"


def _login(api: Any, email: str, password: str) -> Any:
    return api.post("/auth/login", json={"email": email, "password": password})


def _refresh(api: Any, token: str) -> Any:
    return api.post("/auth/refresh", json={"refreshToken": token})


def test_register_login_me_refresh_logout(api: Any) -> None:
    created = register(api, "Grace.Hopper@Shop.Example", first_name="Grace", last_name="Hopper")
    assert created["email"] == "grace.hopper@shop.example"
    assert created["role"] == "customer"
    assert created["userId"].startswith("usr_")
    assert "password" not in created
    assert "passwordHash" not in created

    signed_in = api.post(
        "/auth/login", json={"email": "GRACE.hopper@shop.example", "password": PASSWORD}
    )
    assert signed_in.status == 200, signed_in.text
    tokens = signed_in.body
    assert tokens["tokenType"] == "Bearer"
    assert tokens["expiresIn"] == 900
    assert tokens["userId"] == created["userId"]
    assert tokens["role"] == "customer"
    claims = jwt_claims(tokens["accessToken"])
    assert claims["sub"] == created["userId"]
    assert claims["role"] == "customer"
    assert claims["sid"].startswith("ses_")

    me = api.get("/me", token=tokens["accessToken"])
    assert me.status == 200, me.text
    assert me.body["userId"] == created["userId"]
    assert me.body["firstName"] == "Grace"

    rotated = _refresh(api, tokens["refreshToken"])
    assert rotated.status == 200, rotated.text
    assert rotated.body["refreshToken"] != tokens["refreshToken"]
    assert jwt_claims(rotated.body["accessToken"])["sid"] == claims["sid"]
    assert api.get("/me", token=rotated.body["accessToken"]).status == 200

    out = api.post(
        "/auth/logout",
        json={"refreshToken": rotated.body["refreshToken"]},
        token=rotated.body["accessToken"],
    )
    assert out.status == 204, out.text
    assert out.text == ""
    problem(_refresh(api, rotated.body["refreshToken"]), 401, "invalid_refresh_token")


def test_logout_needs_a_token_and_ignores_someone_elses_session(api: Any) -> None:
    mine = register_and_login(api)
    theirs = register_and_login(api)
    problem(api.post("/auth/logout", json={"refreshToken": mine.refresh}), 401, "token_missing")
    # Presenting another user's refresh token does not end their session.
    done = api.post("/auth/logout", json={"refreshToken": theirs.refresh}, token=mine.access)
    assert done.status == 204
    assert _refresh(api, theirs.refresh).status == 200
    assert _refresh(api, mine.refresh).status == 200


def test_duplicate_email_is_refused_regardless_of_case(api: Any) -> None:
    register(api, "Ada@Shop.example")
    again = api.post(
        "/auth/register",
        json={
            "email": "ada@SHOP.EXAMPLE",
            "password": "another pass 3",
            "firstName": "Other",
            "lastName": "Person",
        },
    )
    problem(again, 409, "email_taken")
    # The first account is untouched: its password still works, the second one does not.
    assert _login(api, "ada@shop.example", PASSWORD).status == 200
    problem(_login(api, "ada@shop.example", "another pass 3"), 401, "invalid_credentials")


def test_wrong_password_and_unknown_email_are_indistinguishable(api: Any) -> None:
    known = unique_email()
    register(api, known)
    wrong = _login(api, known, "not the password")
    unknown = _login(api, unique_email("nobody"), "not the password")
    wrong_body = problem(wrong, 401, "invalid_credentials")
    unknown_body = problem(unknown, 401, "invalid_credentials")
    wrong_body.pop("instance", None)
    unknown_body.pop("instance", None)
    assert wrong_body == unknown_body
    assert {k.lower() for k in wrong.headers} == {k.lower() for k in unknown.headers}


def _assert_locked_after_five(api: Any, email: str, password: str) -> None:
    for _ in range(5):
        answer = _login(api, email, "not the password")
        problem(answer, 401, "invalid_credentials")
    locked = _login(api, email, "not the password")
    problem(locked, 429, "login_locked")
    retry_after = locked.header("Retry-After")
    assert retry_after is not None
    assert retry_after.isdigit(), retry_after
    assert 0 < int(retry_after) <= 900
    # While locked even the right password is refused, with the same answer.
    problem(_login(api, email, password), 429, "login_locked")


def test_five_failures_lock_the_email(api: Any) -> None:
    email = unique_email()
    register(api, email)
    _assert_locked_after_five(api, email, PASSWORD)
    # Other emails are not affected.
    other = register_and_login(api)
    assert other.access


def test_unknown_email_locks_out_the_same_way(api: Any) -> None:
    _assert_locked_after_five(api, unique_email("ghost"), PASSWORD)


def test_the_lock_counts_the_email_case_insensitively(api: Any) -> None:
    email = unique_email()
    register(api, email)
    for variant in (email.upper(), email, email.title(), email.upper(), email):
        problem(_login(api, variant, "not the password"), 401, "invalid_credentials")
    problem(_login(api, email, PASSWORD), 429, "login_locked")


def test_a_success_clears_earlier_failures(api: Any) -> None:
    email = unique_email()
    register(api, email)
    for _ in range(4):
        problem(_login(api, email, "not the password"), 401, "invalid_credentials")
    assert _login(api, email, PASSWORD).status == 200
    for _ in range(4):
        problem(_login(api, email, "not the password"), 401, "invalid_credentials")
    assert _login(api, email, PASSWORD).status == 200


def test_disabled_user_can_neither_sign_in_nor_refresh(api: Any) -> None:
    admin = make_admin(api)
    user = register_and_login(api)
    disabled = api.patch(
        f"/admin/users/{user.user_id}", json={"status": "disabled"}, token=admin.access
    )
    assert disabled.status == 200, disabled.text
    assert disabled.body["status"] == "disabled"

    problem(_login(api, user.email, PASSWORD), 403, "account_disabled")
    problem(_refresh(api, user.refresh), 401, "session_revoked")
    # A wrong password still answers as any wrong password (nothing about the status).
    problem(_login(api, user.email, "not the password"), 401, "invalid_credentials")

    enabled = api.patch(
        f"/admin/users/{user.user_id}", json={"status": "active"}, token=admin.access
    )
    assert enabled.status == 200
    assert _login(api, user.email, PASSWORD).status == 200
    # The session refused while disabled stays gone.
    assert _refresh(api, user.refresh).status == 401


def test_reusing_a_refresh_token_revokes_the_session(api: Any) -> None:
    user = register_and_login(api)
    first = _refresh(api, user.refresh)
    assert first.status == 200
    problem(_refresh(api, user.refresh), 401, "refresh_token_reused")
    # The thief and the owner are both out: the rotated token is dead too.
    problem(_refresh(api, first.body["refreshToken"]), 401, "invalid_refresh_token")


def test_refresh_refuses_forged_tokens(api: Any) -> None:
    user = register_and_login(api)
    user_id, session_id, secret = user.refresh.split(".")
    other = register_and_login(api)
    forged = [
        "garbage",
        f"{user_id}.{session_id}",
        f"{other.user_id}.{session_id}.{secret}",
        f"{user_id}.ses_01AAAAAAAAAAAAAAAAAAAAAAAA.{secret}",
    ]
    for token in forged:
        problem(_refresh(api, token), 401, "invalid_refresh_token")
    # None of these touched the real session.
    assert _refresh(api, user.refresh).status == 200


def test_forgot_password_reset_flow(api: Any) -> None:
    email = unique_email()
    register(api, email)
    earlier = login(api, email)
    before = len(sent_emails())

    known = api.post("/auth/password/forgot", json={"email": email.upper()})
    unknown = api.post("/auth/password/forgot", json={"email": unique_email("nobody")})
    assert known.status == unknown.status == 202
    assert known.body == unknown.body
    assert known.header("content-type") == unknown.header("content-type")

    mails = sent_emails()[before:]
    assert len(mails) == 1
    (mail,) = mails
    assert mail.destinations["ToAddresses"] == [email]
    assert "reset" in mail.subject.lower()
    token = reset_token_of(mail)

    done = api.post("/auth/password/reset", json={"token": token, "newPassword": NEW_PASSWORD})
    assert done.status == 204, done.text
    again = api.post("/auth/password/reset", json={"token": token, "newPassword": "third pass 33"})
    problem(again, 400, "invalid_reset_token")

    problem(_login(api, email, PASSWORD), 401, "invalid_credentials")
    assert _login(api, email, NEW_PASSWORD).status == 200
    # Every session opened before the reset has ended.
    problem(_refresh(api, earlier.refresh), 401, "session_revoked")


def test_reset_refuses_an_unknown_token_and_a_weak_password(api: Any) -> None:
    email = unique_email()
    register(api, email)
    api.post("/auth/password/forgot", json={"email": email})
    token = reset_token_of(sent_emails()[-1])
    problem(
        api.post("/auth/password/reset", json={"token": "x" * 43, "newPassword": NEW_PASSWORD}),
        400,
        "invalid_reset_token",
    )
    weak = api.post("/auth/password/reset", json={"token": token, "newPassword": "short"})
    problem(weak, 422, "validation_failed")
    # The refused attempts did not use the token up.
    ok = api.post("/auth/password/reset", json={"token": token, "newPassword": NEW_PASSWORD})
    assert ok.status == 204


def test_forgot_password_for_a_disabled_account_sends_nothing(api: Any) -> None:
    admin = make_admin(api)
    user = register_and_login(api)
    api.patch(f"/admin/users/{user.user_id}", json={"status": "disabled"}, token=admin.access)
    before = len(sent_emails())
    answer = api.post("/auth/password/forgot", json={"email": user.email})
    assert answer.status == 202
    assert len(sent_emails()) == before


def test_change_password(api: Any) -> None:
    email = unique_email()
    register(api, email)
    mine = login(api, email)
    other = login(api, email)

    wrong = api.post(
        "/me/password",
        json={"currentPassword": "not the password", "newPassword": NEW_PASSWORD},
        token=mine.access,
    )
    problem(wrong, 403, "wrong_password")
    assert _login(api, email, PASSWORD).status == 200  # nothing changed

    changed = api.post(
        "/me/password",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        token=mine.access,
    )
    assert changed.status == 204, changed.text

    problem(_refresh(api, other.refresh), 401, "session_revoked")
    kept = _refresh(api, mine.refresh)
    assert kept.status == 200, kept.text
    assert _refresh(api, kept.body["refreshToken"]).status == 200

    problem(_login(api, email, PASSWORD), 401, "invalid_credentials")
    assert _login(api, email, NEW_PASSWORD).status == 200


def test_change_password_after_signing_out_still_works(api: Any) -> None:
    email = unique_email()
    register(api, email)
    mine = login(api, email)
    out = api.post("/auth/logout", json={"refreshToken": mine.refresh}, token=mine.access)
    assert out.status == 204
    # The access token outlives its session until it expires; the change must not fail.
    changed = api.post(
        "/me/password",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        token=mine.access,
    )
    assert changed.status == 204, changed.text
    assert _login(api, email, NEW_PASSWORD).status == 200
