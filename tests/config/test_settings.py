"""Configuration: what the code reads is what serverless.yml declares."""

from __future__ import annotations

import pytest

from adapters.settings import ConfigurationError, Settings, settings
from scripts.stack import function_environment


def test_every_setting_is_declared_in_serverless_yml(config: dict) -> None:
    declared = set(function_environment(config))
    read = set(Settings.names())
    assert read <= declared, f"declare in provider.environment: {sorted(read - declared)}"


def test_the_declared_environment_validates(config: dict) -> None:
    parsed = Settings.parse(function_environment(config))
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


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("BCRYPT_ROUNDS", "3", "must be at least 4"),
        ("BCRYPT_ROUNDS", "17", "must be at most 16"),
        ("BCRYPT_ROUNDS", "12.5", "not a whole number"),
        ("PAYMENT_WINDOW_MINUTES", "0", "must be greater than 0"),
        ("CART_HOLD_MINUTES", "soon", "not a number"),
        ("STORE_CURRENCY", "usd", "does not match"),
        ("TABLE_NAME", "", "must not be empty"),
        ("PAYMENTS_REQUIRE_STRIPE", "maybe", "not a boolean"),
    ],
)
def test_each_rule_of_a_setting_is_checked(config: dict, name: str, raw: str, says: str) -> None:
    environment = {**function_environment(config), name: raw}
    with pytest.raises(ConfigurationError, match=f"{name}: {says}"):
        Settings.parse(environment)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("Off", False)])
def test_settings_are_converted_to_their_kind(config: dict, raw: str, value: bool) -> None:
    environment = {**function_environment(config), "PAYMENTS_REQUIRE_STRIPE": raw}
    environment["CART_HOLD_MINUTES"] = "0.05"
    parsed = Settings.parse(environment)
    assert parsed.PAYMENTS_REQUIRE_STRIPE is value
    assert parsed.CART_HOLD_MINUTES == 0.05


def test_an_absent_optional_setting_takes_its_default_and_parsed_settings_are_read_only(
    config: dict,
) -> None:
    environment = {**function_environment(config)}
    environment.pop("SHOP_NAME", None)
    parsed = Settings.parse(environment)
    assert parsed.SHOP_NAME == "Bazaar"
    with pytest.raises(AttributeError, match="read-only"):
        parsed.SHOP_NAME = "Other"
    with pytest.raises(AttributeError, match="read-only"):
        del parsed.SHOP_NAME
    assert parsed.SHOP_NAME == "Bazaar"
    assert "SHOP_NAME" in repr(parsed)
    assert "Bazaar" not in repr(parsed)  # names only: values may be sensitive
