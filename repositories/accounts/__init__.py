"""Accounts in the single table: ``items`` (the items and their mapping) and
``repository`` (``DynamoAccounts``). Nothing is imported here."""
