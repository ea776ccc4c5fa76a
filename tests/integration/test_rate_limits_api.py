"""Abuse limits through the handlers: a client past its limit gets a 429 problem with
Retry-After; a reset refused for its address answers exactly like a sent one and sends
nothing; refusals are logged as metrics without the address; the client address is the
CloudFront viewer's only when the request carries our origin secret."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from adapters.settings import settings
from tests.integration.helpers import PASSWORD, register, sent_emails, unique_email
from tests.integration.test_logs import bazaar_logs
from tests.support.lambda_api import LambdaApi


def _problem_429(response: object) -> None:
    assert response.status == 429, response.text  # type: ignore[attr-defined]
    retry_after = response.header("Retry-After")  # type: ignore[attr-defined]
    assert retry_after is not None
    assert 1 <= int(retry_after) <= settings().RATE_LIMIT_WINDOW_SECONDS
    assert response.header("Content-Type") == "application/problem+json"  # type: ignore[attr-defined]
    body = response.body  # type: ignore[attr-defined]
    assert body["code"] == "rate_limited"
    assert body["status"] == 429
    assert body["type"] == "urn:bazaar:problem:rate_limited"


def test_sign_ins_past_the_client_limit_are_429_with_retry_after(api: LambdaApi) -> None:
    email = unique_email()
    register(api, email)
    for n in range(settings().LOGIN_RATE_LIMIT):  # spraying: a different email each time
        wrong = {"email": unique_email("sprayed"), "password": "not the password"}
        assert api.post("/auth/login", json=wrong).status == 401, n
    with bazaar_logs() as logs:
        response = api.post("/auth/login", json={"email": email, "password": PASSWORD})
    _problem_429(response)
    line = next(json.loads(x) for x in logs.getvalue().splitlines() if "RateLimited" in x)
    assert line["scope"] == "login"
    assert line["RateLimited"] == 1
    assert line["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [
        {"Name": "RateLimited", "Unit": "Count"}
    ]


def test_registrations_past_the_client_limit_are_429(api: LambdaApi) -> None:
    for _ in range(settings().REGISTER_RATE_LIMIT):
        register(api)
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"}
    _problem_429(api.post("/auth/register", json=body))


def test_reset_requests_past_the_client_limit_are_429(api: LambdaApi) -> None:
    for _ in range(settings().FORGOT_PASSWORD_RATE_LIMIT):
        assert api.post("/auth/password/forgot", json={"email": unique_email()}).status == 202
    _problem_429(api.post("/auth/password/forgot", json={"email": unique_email()}))


def test_a_refused_reset_answers_exactly_like_a_sent_one_and_sends_nothing(
    api: LambdaApi,
) -> None:
    email = "Private.Person@Example.com"
    register(api, email)
    limit = settings().RESET_EMAILS_PER_ADDRESS
    accepted = [api.post("/auth/password/forgot", json={"email": email}) for _ in range(limit)]
    assert len(sent_emails()) == limit
    with bazaar_logs() as logs:
        refused = api.post("/auth/password/forgot", json={"email": email.lower()})
    assert len(sent_emails()) == limit  # nothing more sent
    for one in accepted:
        assert (refused.status, refused.headers, refused.text) == (
            one.status,
            one.headers,
            one.text,
        )
    assert refused.status == 202
    text = logs.getvalue()
    assert "private.person" not in text.lower()  # the address is not logged in clear
    line = next(json.loads(x) for x in text.splitlines() if "ResetEmailRefused" in x)
    assert line["scope"] == "reset-email"
    assert len(line["emailSha256"]) == 12


@pytest.mark.parametrize(
    ("secret", "headers", "expected"),
    [
        ("", {"cloudfront-viewer-address": "198.51.100.7:4321"}, "203.0.113.9"),
        ("s3cret", {"cloudfront-viewer-address": "198.51.100.7:4321"}, "203.0.113.9"),
        (
            "s3cret",
            {"CloudFront-Viewer-Address": "198.51.100.7:4321", "X-Origin-Verify": "guess"},
            "203.0.113.9",
        ),
        (
            "s3cret",
            {"CloudFront-Viewer-Address": "198.51.100.7:4321", "X-Origin-Verify": "s3cret"},
            "198.51.100.7",
        ),
        (
            "s3cret",
            {"cloudfront-viewer-address": "2001:db8::1:4321", "x-origin-verify": "s3cret"},
            "2001:db8::1",
        ),
    ],
)
def test_the_client_address_is_the_viewer_only_through_our_distribution(
    monkeypatch: pytest.MonkeyPatch, secret: str, headers: dict[str, str], expected: str
) -> None:
    from handlers.shared import limits

    monkeypatch.setattr(limits, "settings", lambda: SimpleNamespace(EDGE_ORIGIN_SECRET=secret))
    event = {"headers": headers, "requestContext": {"http": {"sourceIp": "203.0.113.9"}}}
    assert limits.client_address(event) == expected
