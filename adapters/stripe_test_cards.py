"""Stripe's test payment methods (https://docs.stripe.com/testing): the brand and last four
digits of the card number each one stands for. One table for the local test mode's charges
(adapters/local_payments.py) and its card vault (adapters/local_cards.py)."""

from __future__ import annotations

# The card brands: they charge, and they attach as saved cards.
BRAND_CARDS: dict[str, tuple[str, str]] = {
    "pm_card_visa": ("visa", "4242"),
    "pm_card_visa_debit": ("visa", "5556"),
    "pm_card_mastercard": ("mastercard", "4444"),
    "pm_card_mastercard_debit": ("mastercard", "8210"),
    "pm_card_mastercard_prepaid": ("mastercard", "5100"),
    "pm_card_amex": ("amex", "8431"),
    "pm_card_discover": ("discover", "1117"),
    "pm_card_diners": ("diners", "0004"),
    "pm_card_jcb": ("jcb", "0505"),
    "pm_card_unionpay": ("unionpay", "0005"),
    "pm_card_us": ("visa", "4242"),
    "pm_card_gb": ("visa", "0000"),
    "pm_card_de": ("visa", "0016"),
    "pm_card_fr": ("visa", "0003"),
}

# Cards a charge names that decline or require 3-D Secure.
OTHER_CARDS: dict[str, tuple[str, str]] = {
    "pm_card_authenticationRequired": ("visa", "3184"),
    "pm_card_threeDSecure2Required": ("visa", "3220"),
    "pm_card_chargeDeclined": ("visa", "0002"),
    "pm_card_insufficientFunds": ("visa", "9995"),
    "pm_card_chargeDeclinedInsufficientFunds": ("visa", "9995"),
}
