"""Reset-email bombing over real HTTP (issue 13): 20 reset requests for one address in a
few seconds send it at most ``RESET_EMAILS_PER_ADDRESS`` emails (3, the default the e2e
stack keeps), and every request is answered the same 202."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.support.http_api import HttpApi

LIMIT = 3  # serverless.yml's default RESET_EMAILS_PER_ADDRESS


def test_twenty_reset_requests_for_one_address_send_at_most_the_limit(
    http: HttpApi, outbox: Any
) -> None:
    email = f"e2e-bombed-{uuid.uuid4().hex[:10]}@example.com"
    registered = http.post(
        "/auth/register",
        json={"email": email, "password": "e2e-password", "firstName": "Bo", "lastName": "Mb"},
    )
    assert registered.status == 201, registered.text

    answers = [http.post("/auth/password/forgot", json={"email": email}) for _ in range(20)]
    assert {(a.status, a.text) for a in answers} == {(answers[0].status, answers[0].text)}
    assert answers[0].status == 202

    def resets(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in sent if email in m["to"] and "reset" in m["subject"].lower()]

    outbox(until=lambda sent: len(resets(sent)) >= LIMIT)
    time.sleep(1)  # sent synchronously by the function; a moment for any straggler
    assert len(resets(outbox())) == LIMIT
