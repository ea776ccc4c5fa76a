"""Accounts over real HTTP: API Gateway emulation, the Lambda authorizer, the functions
in their own Python processes, the embedded AWS, and the stream/SQS plumbing."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from tests.support.http_api import HttpApi


def new_email() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}@example.com"


def test_register_login_me_refresh_logout(http: HttpApi) -> None:
    email = new_email()
    registered = http.post(
        "/auth/register",
        json={"email": email, "password": "e2e-password", "firstName": "Eve", "lastName": "Two"},
    )
    assert registered.status == 201, registered.text
    assert registered.body["role"] == "customer"

    login = http.post("/auth/login", json={"email": email.upper(), "password": "e2e-password"})
    assert login.status == 200, login.text
    tokens = login.body
    assert tokens["tokenType"] == "Bearer"
    assert tokens["expiresIn"] == 900

    me = http.get("/me", token=tokens["accessToken"])
    assert me.status == 200, me.text
    assert me.body["email"] == email
    assert me.body["userId"] == registered.body["userId"]

    refreshed = http.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert refreshed.status == 200, refreshed.text
    assert refreshed.body["refreshToken"] != tokens["refreshToken"]

    logout = http.post(
        "/auth/logout",
        json={"refreshToken": refreshed.body["refreshToken"]},
        token=refreshed.body["accessToken"],
    )
    assert logout.status == 204, logout.text

    after = http.post("/auth/refresh", json={"refreshToken": refreshed.body["refreshToken"]})
    assert after.status == 401
    assert after.header("content-type") == "application/problem+json"
    assert after.body["code"] == "invalid_refresh_token"


def test_bad_tokens_and_bad_bodies_are_problem_documents(http: HttpApi) -> None:
    missing = http.get("/me")
    assert missing.status == 401
    assert missing.body["code"] == "token_missing"
    assert missing.header("content-type") == "application/problem+json"

    tampered = http.get("/me", token="eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
    assert tampered.status == 401
    assert tampered.body["code"] == "token_invalid"

    malformed = http.post(
        "/auth/register", body="{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status == 400
    assert malformed.body["code"] == "malformed_json"

    extra = http.post(
        "/auth/register",
        json={
            "email": new_email(),
            "password": "e2e-password",
            "firstName": "A",
            "lastName": "B",
            "role": "admin",
        },
    )
    assert extra.status == 422
    assert {"loc": ["body", "role"], "type": "extra_forbidden"}.items() <= extra.body["errors"][
        0
    ].items()


def test_welcome_email_arrives_through_the_stream_and_queues(http: HttpApi, outbox: Any) -> None:
    email = new_email()
    response = http.post(
        "/auth/register",
        json={"email": email, "password": "e2e-password", "firstName": "Wes", "lastName": "Lee"},
    )
    assert response.status == 201

    emails = outbox(until=lambda sent: any(email in m["to"] for m in sent))
    welcome = [m for m in emails if email in m["to"]]
    assert [m["subject"] for m in welcome] == ["Welcome to Bazaar"]


def test_password_reset_by_the_emailed_link(http: HttpApi, outbox: Any) -> None:
    email = new_email()
    http.post(
        "/auth/register",
        json={"email": email, "password": "old-password", "firstName": "Rae", "lastName": "Set"},
    )
    assert http.post("/auth/password/forgot", json={"email": email}).status == 202

    def has_link(sent: list[dict[str, Any]]) -> bool:
        return any(email in m["to"] and "reset" in m["subject"].lower() for m in sent)

    (mail,) = [
        m for m in outbox(until=has_link) if email in m["to"] and "reset" in m["subject"].lower()
    ]
    token = re.search(r"token=([\w-]+)", mail["text"]).group(1)  # type: ignore[union-attr]

    assert (
        http.post(
            "/auth/password/reset", json={"token": token, "newPassword": "new-password"}
        ).status
        == 204
    )
    assert http.post("/auth/login", json={"email": email, "password": "old-password"}).status == 401
    assert http.post("/auth/login", json={"email": email, "password": "new-password"}).status == 200


def test_openapi_document_and_swagger_ui_are_served(http: HttpApi) -> None:
    spec = http.get("/openapi.json")
    assert spec.status == 200
    assert spec.body["openapi"] == "3.1.0"
    assert "/auth/login" in spec.body["paths"]
    ui = http.get("/docs")
    assert ui.status == 200
    assert "swagger-ui" in ui.text


def test_swagger_ui_files_come_from_the_api_gzipped(http: HttpApi) -> None:
    """Through serverless offline as through API Gateway: the base64 body is decoded and
    the gzip encoding reaches the client (which inflates it)."""
    import aws_lambda_powertools

    shipped = Path(aws_lambda_powertools.__file__).parent / "event_handler/openapi/swagger_ui"
    bundle = http.session.get(f"{http.base_url}/docs/swagger-ui-bundle.js", timeout=30)
    assert bundle.status_code == 200
    assert bundle.headers["content-encoding"] == "gzip"
    assert bundle.headers["content-type"] == "text/javascript; charset=utf-8"
    assert bundle.content == (shipped / "swagger-ui-bundle.min.js").read_bytes()
    for sneaky in ("/docs/../handlers/ops/docs.py", "/docs/..%2Fhandlers%2Fops%2Fdocs.py"):
        assert http.get(sneaky).status == 404, sneaky
