"""The rules of what an email address and a password may be."""

from __future__ import annotations

import re

from domain.errors import RuleViolation

# In characters (code points), as a person counts them and as JSON Schema's minLength and
# maxLength do. Every character counts: the hasher does not truncate (adapters/passwords).
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254
# The same pattern is the schema's (handlers/shared/schema.py), so the documented contract
# and the check cannot differ.
# No "@", white space or control character in a part. Spelled out, not "\s" alone, so that
# Python and the ECMA-262 regexes JSON Schema tools use agree on every character.
_PART = r"[^@\s\x00-\x1f\x7f-\x9f\ufeff]"
EMAIL_PATTERN = rf"^{_PART}{{1,64}}@{_PART}+\.{_PART}{{2,}}$"
_EMAIL = re.compile(EMAIL_PATTERN)


def normalise_email(email: str) -> str:
    """Email identity is case-insensitive: the lowercased form is the key."""
    return email.strip().lower()


def check_email(email: str) -> str:
    if len(email) > EMAIL_MAX_LENGTH or not _EMAIL.match(email):
        raise ValueError("not a valid email address")
    return email


def check_password_policy(password: str) -> str:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise RuleViolation(
            f"a password is {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters long",
            code="password_policy",
        )
    return password
