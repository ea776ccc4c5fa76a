"""Password hashing (auth functions only: the import hygiene test holds this).

bcrypt reads at most 72 bytes of a password, and bcrypt 5 refuses longer ones, while a
password policy is stated in characters (what a person types and what JSON Schema's
``maxLength`` counts). So, as passlib's ``bcrypt_sha256`` does, the password is first
reduced to a fixed 44 bytes: ``base64(HMAC-SHA256(key=bcrypt salt, message=password))``,
then bcrypt-hashed with that same salt. Every character counts, whatever its length in
UTF-8; keying the HMAC with the per-hash salt means a leaked unsalted SHA-256 list cannot
be tested against these hashes ("password shucking"). Stored as ``$bcrypt-sha256$`` +
the bcrypt hash. A plain ``$2b$`` hash (written before this scheme) still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import bcrypt

PREFIX = "$bcrypt-sha256$"
_SALT_LENGTH = 29  # "$2b$" + cost + "$" + 22 characters of salt
_DECOY_SALT_AND_HASH = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"


def _reduced(password: str, salt: bytes) -> bytes:
    digest = hmac.new(salt, password.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return base64.b64encode(digest.digest())


class BcryptHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        # A well-formed hash at the same cost that no password matches: checked when
        # the email is unknown, so both answers cost one bcrypt (and no start-up hash).
        self._decoy = f"{PREFIX}$2b${rounds:02d}${_DECOY_SALT_AND_HASH}"

    def hash(self, password: str) -> str:
        salt = bcrypt.gensalt(self.rounds)
        return PREFIX + bcrypt.hashpw(_reduced(password, salt), salt).decode()

    def verify(self, password: str, password_hash: str | None) -> bool:
        stored = password_hash or self._decoy
        if stored.startswith(PREFIX):
            hashed = stored[len(PREFIX) :].encode()
            matches = bcrypt.checkpw(_reduced(password, hashed[:_SALT_LENGTH]), hashed)
            return matches and password_hash is not None
        # A plain bcrypt hash: the password's first 72 bytes were hashed; a longer one
        # was refused when it was set, so it cannot be this password.
        candidate = password.encode("utf-8", "surrogatepass")
        if len(candidate) > 72:
            bcrypt.checkpw(candidate[:72], stored.encode())  # the same work either way
            return False
        return bcrypt.checkpw(candidate, stored.encode())
