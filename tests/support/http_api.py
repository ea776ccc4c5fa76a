"""The same client interface as tests/support/lambda_api.py, over real HTTP."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.lambda_api import ApiResponse, ApiVerbs


class HttpApi(ApiVerbs):
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        body: str | bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        response = self.session.request(
            method,
            self.base_url + url,
            json=json_body,
            data=body,
            headers=sent,
            timeout=30,
        )
        return ApiResponse(
            status=response.status_code,
            headers=dict(response.headers),
            text=response.text,
            function="http",
        )
