"""The rules of what an email address and a password may be."""

from __future__ import annotations

import re

from domain.errors import RuleViolation

PASSWORD_MIN_BYTES = 8
PASSWORD_MAX_BYTES = 72  # bcrypt's limit: longer passwords would be silently truncated
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalise_email(email: str) -> str:
    """Email identity is case-insensitive: the lowercased form is the key."""
    return email.strip().lower()


def check_email(email: str) -> str:
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValueError("not a valid email address")
    return email


def check_password_policy(password: str) -> str:
    size = len(password.encode("utf-8"))
    if size < PASSWORD_MIN_BYTES or size > PASSWORD_MAX_BYTES:
        raise RuleViolation(
            f"a password is {PASSWORD_MIN_BYTES} to {PASSWORD_MAX_BYTES} bytes long",
            code="password_policy",
        )
    return password
