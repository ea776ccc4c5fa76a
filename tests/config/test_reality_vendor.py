"""The AR page's model-viewer is the pinned npm release, byte for byte (docs/reality.md).

``@google/model-viewer`` is an exact dev dependency (package.json, package-lock.json); its
single-file build is copied into handlers/reality/vendor/ because the Lambda package holds
the Python tree, never node_modules. These tests hold the copy, the pin and the version the
page's script URL carries together, so an upgrade cannot change one and not the others.
"""

from __future__ import annotations

import base64
import hashlib
import json

from handlers.reality.view_reality import ASSETS, MODEL_VIEWER_STYLE, MODEL_VIEWER_VERSION
from scripts.stack import ROOT

PACKAGE = "@google/model-viewer"


def test_the_pin_is_exact_and_the_lock_agrees() -> None:
    manifest = json.loads((ROOT / "package.json").read_text())
    assert manifest["devDependencies"][PACKAGE] == MODEL_VIEWER_VERSION
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == MODEL_VIEWER_VERSION


def test_the_vendored_build_is_the_installed_release_byte_for_byte() -> None:
    installed = ROOT / "node_modules" / PACKAGE
    assert json.loads((installed / "package.json").read_text())["version"] == MODEL_VIEWER_VERSION
    vendored = ASSETS["model-viewer.min.js"][0]
    assert vendored.read_bytes() == (installed / "dist" / "model-viewer.min.js").read_bytes()


def test_the_vendored_files_are_in_the_package() -> None:
    """serverless.yml packages handlers/**: the vendor folder is inside it."""
    for source, _, _ in ASSETS.values():
        assert source.is_relative_to(ROOT / "handlers")
        assert source.stat().st_size > 0


def test_the_policy_admits_model_viewers_one_style_element_by_its_hash() -> None:
    build = ASSETS["model-viewer.min.js"][0].read_text(encoding="utf-8")
    assert build.count("<style>") == build.count("</style>") == 1
    start = build.index("<style>") + len("<style>")
    text = build[start : build.index("</style>")]
    assert "${" not in text  # no interpolation: the element's text is the template's
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == MODEL_VIEWER_STYLE
