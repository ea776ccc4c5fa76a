"""`make dev` as people stop it: SIGTERM and SIGHUP stop everything it started, exactly
as Ctrl-C does, and a port already taken fails the start at once, naming the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from scripts.local import free_port

ROOT = Path(__file__).resolve().parents[2]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _make_dev(aws_port: int, http_port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "LOCAL_AWS_PORT": str(aws_port),
        "OFFLINE_HTTP_PORT": str(http_port),
        "BCRYPT_ROUNDS": "4",
    }
    return subprocess.Popen(
        ["make", "--no-print-directory", "dev"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )


def _read_until(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            seen.append(line)
            if marker in line:
                return "".join(seen)
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.1)
    raise AssertionError(f"no {marker!r} from make dev:\n{''.join(seen)[-3000:]}")


def _free_within(ports: tuple[int, ...], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_listening(port) for port in ports):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def ports() -> tuple[int, int]:
    return free_port(), free_port()


def test_sigterm_stops_the_whole_stack_like_ctrl_c(ports: tuple[int, int]) -> None:
    aws_port, http_port = ports
    proc = _make_dev(aws_port, http_port)
    try:
        _read_until(proc, "Bazaar is running", timeout=240)
        assert _listening(aws_port)
        assert _listening(http_port)
        proc.send_signal(signal.SIGTERM)  # to make alone: it passes it on to scripts/dev.py
        assert _free_within(ports, 10), "a port is still held 10 s after SIGTERM"
        proc.wait(10)
    finally:
        proc.kill()


def test_sighup_while_starting_leaves_nothing_behind(ports: tuple[int, int]) -> None:
    aws_port, http_port = ports
    proc = _make_dev(aws_port, http_port)
    try:
        _read_until(proc, "starting the embedded AWS", timeout=60)
        deadline = time.monotonic() + 60
        while not _listening(aws_port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _listening(aws_port)
        os.killpg(proc.pid, signal.SIGHUP)  # a closed terminal hangs up its process group
        assert _free_within(ports, 10), "a port is still held 10 s after SIGHUP"
        assert "Bazaar is running" not in (_read_until(proc, "stopped.", timeout=10))
    finally:
        proc.kill()


@pytest.mark.parametrize("taken", ["LOCAL_AWS_PORT", "OFFLINE_HTTP_PORT"])
def test_a_port_in_use_fails_fast_naming_it(ports: tuple[int, int], taken: str) -> None:
    aws_port, http_port = ports
    held = aws_port if taken == "LOCAL_AWS_PORT" else http_port
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", held))
        holder.listen()
        started = time.monotonic()
        proc = _make_dev(aws_port, http_port)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode != 0, output
    assert time.monotonic() - started < 30, "should fail before starting anything"
    assert f"port {held} is already in use" in output
    assert f"PID {os.getpid()}" in output  # the program holding it, where Linux tells
    assert taken in output
    assert "Bazaar is running" not in output
    assert not _listening(aws_port if held == http_port else http_port)
