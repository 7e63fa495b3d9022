"""Shared helpers for the end-to-end tests: they drive the real smtpx binary."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SMTPX = pathlib.Path(os.environ.get("SMTPX_BIN", ROOT / ".build" / "debug" / "smtpx"))


@pytest.fixture(scope="session")
def smtpx():
    if not SMTPX.exists():
        pytest.fail(f"smtpx binary not found at {SMTPX}; run swift build first")
    return str(SMTPX)


def run(args, *, input=None, env=None, timeout=30):
    """Runs smtpx with `args`; returns the CompletedProcess (text mode)."""
    full_env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    if env:
        full_env.update(env)
    return subprocess.run([str(SMTPX)] + args, input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout)
