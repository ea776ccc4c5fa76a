"""Notification templates (Jinja2): ``notifications/<name>.txt`` and ``<name>.html``.

Jinja2 is imported here only (``JinjaRenderer.environment``), which sendNotification's
wiring calls at its start; tests/config/test_import_hygiene.py holds every other function
to never loading it, and docs/notifications.md says what it costs.
HTML templates autoescape (``select_autoescape``); text templates do not (they are not
HTML), and an undefined name is an error (``StrictUndefined``), never an empty hole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

FOLDER = Path(__file__).resolve().parent / "notifications"


class JinjaRenderer:
    def __init__(self, folder: Path = FOLDER) -> None:
        self.folder = folder
        self._env: Environment | None = None

    def environment(self) -> Environment:
        if self._env is None:
            from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

            self._env = Environment(
                loader=FileSystemLoader(self.folder),
                autoescape=select_autoescape(enabled_extensions=("html",), default=False),
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
        return self._env

    def render(self, template: str, context: dict[str, Any]) -> tuple[str, str]:
        env = self.environment()
        text = env.get_template(f"{template}.txt").render(**context)
        html = env.get_template(f"{template}.html").render(**context)
        return text, html
