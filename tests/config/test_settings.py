"""Configuration: what the code reads is what serverless.yml declares."""

from __future__ import annotations

import pytest

from adapters.settings import ConfigurationError, Settings, settings
from scripts.stack import function_environment


def test_every_setting_is_declared_in_serverless_yml(config: dict) -> None:
    declared = set(function_environment(config))
    read = set(Settings.model_fields)
    assert read <= declared, f"declare in provider.environment: {sorted(read - declared)}"


def test_the_declared_environment_validates(config: dict) -> None:
    parsed = Settings(**function_environment(config))
    assert parsed.TABLE_NAME == "bazaar-dev"
    assert parsed.BCRYPT_ROUNDS == 12  # the deployed default; tests lower it


def test_a_bad_environment_fails_fast_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BCRYPT_ROUNDS", "three")
    monkeypatch.delenv("TABLE_NAME")
    settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as raised:
            settings()
    finally:
        settings.cache_clear()
    message = str(raised.value)
    assert "BCRYPT_ROUNDS" in message
    assert "TABLE_NAME" in message
