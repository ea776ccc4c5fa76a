"""The notifications queue gets exactly the events sendNotification sends for, and the
only module of the application that loads Jinja2 is the template adapter."""

from __future__ import annotations

from pathlib import Path

from domain.notifications import PLANS
from scripts.stack import resolved_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_subscription_filters_on_the_events_that_send_something() -> None:
    resources = resolved_config("dev")["resources"]["Resources"]
    subscription = resources["NotificationsSubscription"]["Properties"]
    assert subscription["RawMessageDelivery"] is True
    assert sorted(subscription["FilterPolicy"]["eventType"]) == sorted(PLANS)


def test_only_the_template_adapter_imports_jinja2() -> None:
    importing = sorted(
        str(path.relative_to(ROOT))
        for folder in ("adapters", "domain", "events", "handlers", "repositories")
        for path in (ROOT / folder).rglob("*.py")
        if "jinja2" in path.read_text(encoding="utf-8")
    )
    assert importing == ["adapters/templates/__init__.py"]
