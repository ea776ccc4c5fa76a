"""bcrypt password hashing (auth functions only: the import hygiene test holds this)."""

from __future__ import annotations

import bcrypt

_DECOY_SALT_AND_HASH = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"


class BcryptHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        # A well-formed hash at the same cost that no password matches: checked when
        # the email is unknown, so both answers cost one bcrypt (and no start-up hash).
        self._decoy = f"$2b${rounds:02d}${_DECOY_SALT_AND_HASH}".encode()

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(self.rounds)).decode()

    def verify(self, password: str, password_hash: str | None) -> bool:
        candidate = password.encode("utf-8")
        if len(candidate) > 72:  # bcrypt 5 refuses these; such a password never matches
            candidate = candidate[:72]
            bcrypt.checkpw(candidate, self._decoy)
            return False
        if password_hash is None:
            bcrypt.checkpw(candidate, self._decoy)
            return False
        return bcrypt.checkpw(candidate, password_hash.encode())
