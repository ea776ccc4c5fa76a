"""The password hasher (adapters/passwords.py), with real bcrypt at the lowest cost."""

from __future__ import annotations

import bcrypt
import pytest

from adapters.passwords import PREFIX, BcryptHasher

HASHER = BcryptHasher(rounds=4)


def test_a_hash_is_marked_salted_and_verifies_only_its_password() -> None:
    first, second = HASHER.hash("correct horse"), HASHER.hash("correct horse")
    assert first.startswith(PREFIX + "$2b$04$")
    assert first != second  # a fresh salt each time
    assert HASHER.verify("correct horse", first)
    assert not HASHER.verify("correct horsE", first)


@pytest.mark.parametrize("tail", ["a", "é", "🙂"])
def test_every_character_counts_even_past_bcrypts_72_bytes(tail: str) -> None:
    stem = "é" * 40  # 80 bytes: bcrypt alone would read only the first 72
    stored = HASHER.hash(stem + tail)
    assert HASHER.verify(stem + tail, stored)
    assert not HASHER.verify(stem, stored)
    assert not HASHER.verify(stem + tail + tail, stored)


def test_a_plain_bcrypt_hash_from_before_the_scheme_still_verifies() -> None:
    legacy = bcrypt.hashpw(b"old password 1", bcrypt.gensalt(4)).decode()
    assert HASHER.verify("old password 1", legacy)
    assert not HASHER.verify("old password 2", legacy)
    assert not HASHER.verify("o" * 100, legacy)  # longer than bcrypt takes: never a match


def test_no_hash_never_verifies() -> None:
    assert not HASHER.verify("anything at all", None)


def test_an_unpaired_surrogate_is_hashed_not_crashed_on() -> None:
    odd = "pass\ud800word"  # what json.loads makes of "\\ud800"
    stored = HASHER.hash(odd)
    assert HASHER.verify(odd, stored)
    assert not HASHER.verify("password", stored)
