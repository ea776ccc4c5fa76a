"""`make invoke` (scripts/invoke.py) before it runs anything: which event file it takes,
and what it says when the function, the event or the running stack is missing."""

from __future__ import annotations

import pytest

from scripts import invoke
from scripts.local import free_port
from scripts.stack import ROOT

SAMPLES = ROOT / "events" / "samples"


def test_an_event_is_a_sample_name_a_file_or_the_functions_own_sample() -> None:
    poison = SAMPLES / "sendNotification-poison.json"
    assert invoke.event_file("sendNotification", "sendNotification-poison") == poison
    assert invoke.event_file("sendNotification", "sendNotification-poison.json") == poison
    assert invoke.event_file("x", "events/samples/sendNotification-poison.json") == poison
    assert invoke.event_file("x", str(poison)) == poison
    assert invoke.event_file("listCategories", None) == SAMPLES / "listCategories.json"


def test_a_missing_event_names_the_samples() -> None:
    with pytest.raises(LookupError, match="samples: authorizer, health"):
        invoke.event_file("listCategories", "no-such-event")
    with pytest.raises(LookupError, match="getMe has no sample of its own"):
        invoke.event_file("getMe", None)


def test_without_a_running_stack_it_says_start_make_dev(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOCAL_AWS_PORT", str(free_port()))  # nothing listens there

    assert invoke.main(["listCategories"]) == 1
    assert "start make dev first" in capsys.readouterr().err


def test_an_unknown_function_is_named_with_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert invoke.main(["noSuchFunction", "health"]) == 1
    err = capsys.readouterr().err
    assert "no function 'noSuchFunction'" in err
    assert "listCategories" in err


def test_make_dev_and_make_invoke_give_functions_the_same_environment() -> None:
    port = free_port()
    env = invoke.invoke_env(port)
    assert env["AWS_ENDPOINT_URL"] == f"http://127.0.0.1:{port}"
    assert env["AWS_ACCESS_KEY_ID"] == "local"
    assert env["PATH"].startswith(f"{env['VIRTUAL_ENV']}/bin")  # the project's Python first
    assert env["TABLE_NAME"] == "bazaar-dev"
    assert env["IMAGES_BASE_URL"].startswith(f"http://127.0.0.1:{port}/")
