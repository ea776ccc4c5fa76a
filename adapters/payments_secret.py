"""The payments secret (``PAYMENTS_SECRET_ID``): Stripe's keys, or none (the test mode).

JSON ``{"secretKey": "sk_…" | "rk_…" | "", "webhookSecret": "whsec_…"}`` in Secrets
Manager (resources/secrets.yml), read through ``adapters/secrets.py``'s cache. An empty
``secretKey`` means the local test mode (adapters/local_payments.py); the webhook secret
is needed either way, because the test mode signs the events it sends to the webhook.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.secrets import get_json_secret
from adapters.settings import ConfigurationError

SECRET_KEY_PREFIXES = ("sk_", "rk_")  # a secret or a restricted key; never a publishable one


@dataclass(frozen=True, repr=False)
class PaymentsSecret:
    secret_key: str
    webhook_secret: str

    @property
    def stripe(self) -> bool:
        """Stripe when a secret key is set, else the local test mode."""
        return bool(self.secret_key)

    def __repr__(self) -> str:  # never the keys, whatever logs it
        return f"PaymentsSecret(stripe={self.stripe})"


def read_payments_secret(secret_id: str, max_age: float) -> PaymentsSecret:
    value = get_json_secret(secret_id, max_age)
    if not isinstance(value, dict):
        raise ConfigurationError(f"the secret {secret_id} is not a JSON object")
    secret_key, webhook_secret = value.get("secretKey", ""), value.get("webhookSecret")
    if not isinstance(secret_key, str) or (
        secret_key and not secret_key.startswith(SECRET_KEY_PREFIXES)
    ):
        raise ConfigurationError(
            f"the secret {secret_id}: secretKey must be empty or a Stripe secret key (sk_…, rk_…)"
        )
    if not isinstance(webhook_secret, str) or not webhook_secret:
        raise ConfigurationError(f"the secret {secret_id} has no webhookSecret")
    return PaymentsSecret(secret_key=secret_key, webhook_secret=webhook_secret)
