"""Model rules and identifiers: ids, refresh tokens, password policy, failure windows."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from domain import ids
from domain.accounts.model import (
    LoginFailures,
    RefreshToken,
    check_password_policy,
    normalise_email,
    same_hash,
    token_hash,
)
from domain.errors import RuleViolation
from tests.unit.fakes import T0

CROCKFORD_ID = re.compile(r"^usr_[0-9A-HJKMNP-TV-Z]{26}$")


def test_new_id_is_the_prefix_and_26_crockford_characters() -> None:
    made = ids.new_id("usr")
    assert CROCKFORD_ID.match(made), made


def test_ids_made_in_later_milliseconds_sort_after_earlier_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = SimpleNamespace(ms=1_740_830_400_000)
    # time.time() in seconds, half a millisecond in so float rounding cannot step back
    monkeypatch.setattr(ids, "time", SimpleNamespace(time=lambda: (clock.ms + 0.5) / 1000))
    made = []
    for _ in range(50):
        made.append(ids.new_id("ord"))
        clock.ms += 1
    assert sorted(made) == made
    assert len(set(made)) == len(made)


def test_the_id_begins_with_the_millisecond_it_was_made() -> None:
    ms = 1_740_830_400_123
    text = ids._ulid(ms)
    value = 0
    for char in text[:10]:
        value = value * 32 + ids._ALPHABET.index(char)
    assert value == ms


def test_a_refresh_token_round_trips_through_its_text() -> None:
    token = RefreshToken.new("usr_01ABC", "ses_01DEF")
    parsed = RefreshToken.parse(str(token))
    assert parsed == token
    assert str(token).count(".") == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "usr_1.ses_1",
        "usr_1.ses_1.secret.more",
        "usr_1..secret",
        "usr_1.ses_1.",
        "user_1.ses_1.secret",
        "usr_1.session_1.secret",
        "ses_1.usr_1.secret",
        "usr_1.ses_1." + "s" * 200,
    ],
)
def test_malformed_refresh_tokens_do_not_parse(text: str) -> None:
    assert RefreshToken.parse(text) is None


@pytest.mark.parametrize(
    "password",
    [
        "a" * 8,
        "é" * 8,  # 8 characters, 16 bytes
        "a" * 128,
        "é" * 128,  # 128 characters, 256 bytes: far past bcrypt's 72, every one counts
        "🙂" * 128,
    ],
)
def test_passwords_of_8_to_128_characters_are_accepted(password: str) -> None:
    assert check_password_policy(password) == password


@pytest.mark.parametrize(
    "password",
    [
        "",
        "a" * 7,
        "é" * 4,  # 8 bytes but 4 characters
        "a" * 129,
        "🙂" * 129,
    ],
)
def test_passwords_outside_8_to_128_characters_are_refused(password: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_password_policy(password)
    assert caught.value.code == "password_policy"


def test_emails_are_trimmed_and_lowercased() -> None:
    assert normalise_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"


def test_token_hash_is_the_sha256_hex_of_the_secret() -> None:
    assert token_hash("s3cret") == hashlib.sha256(b"s3cret").hexdigest()
    assert same_hash(token_hash("a"), token_hash("a"))
    assert not same_hash(token_hash("a"), token_hash("b"))


def test_failures_lock_only_at_the_limit_and_within_the_window() -> None:
    failures = LoginFailures(count=5, window_ends_at=T0 + timedelta(minutes=15))
    assert failures.locked(T0, max_failures=5)
    assert not failures.locked(T0, max_failures=6)
    assert not failures.locked(T0 + timedelta(minutes=15), max_failures=5)


def test_seconds_left_rounds_up_and_is_at_least_one() -> None:
    failures = LoginFailures(count=5, window_ends_at=T0 + timedelta(minutes=15))
    assert failures.seconds_left(T0) == 900
    assert failures.seconds_left(T0 + timedelta(minutes=15, milliseconds=-500)) == 1
    assert failures.seconds_left(T0 + timedelta(minutes=14, seconds=58, milliseconds=500)) == 2
    assert failures.seconds_left(T0 + timedelta(minutes=20)) == 1
