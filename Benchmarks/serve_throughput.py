#!/usr/bin/env python3
"""Messages per second that smtp-source (10 sessions, 10,000 messages) gets through:
smtpx serve (every message fsync'd into a Maildir before its 250), aiosmtpd (a Python server
that keeps nothing) and Postfix's smtp-sink (a C sink that keeps nothing), in the same run."""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMTPX = os.environ.get("SMTPX_BIN", str(ROOT / ".build" / "release" / "smtpx"))
SESSIONS, MESSAGES = 10, int(os.environ.get("SMTPX_BENCH_MESSAGES", "10000"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def load(port):
    started = time.monotonic()
    subprocess.run(["smtp-source", "-s", str(SESSIONS), "-m", str(MESSAGES), "-f", "bench@example.net",
                    "-t", "alice@example.test", f"127.0.0.1:{port}"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return MESSAGES / (time.monotonic() - started)


def measure(name, command, port, check=None):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        rate = load(port)
        if check:
            check()
        print(f"{name:<40} {rate:8.0f} messages/s")
        return rate
    finally:
        process.terminate()
        process.wait(timeout=10)


def main():
    for tool in ("smtp-source", "smtp-sink"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install postfix")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "aiosmtpd"], check=True)
    print(f"smtp-source: {SESSIONS} sessions, {MESSAGES} messages, on loopback")
    work = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-bench-", dir=os.environ.get("SMTPX_BENCH_DIR")))
    try:
        port = free_port()
        maildir = work / "maildir"

        def stored():
            count = len(list((maildir / "alice" / "new").iterdir()))
            if count != MESSAGES:
                raise SystemExit(f"smtpx stored {count} messages, not {MESSAGES}")
        smtpx = measure("smtpx serve (fsync'd Maildir delivery)",
                        [SMTPX, "serve", "--listen", f"127.0.0.1:{port}", "--maildir", str(maildir),
                         "--log", str(work / "log"), "--no-tls"], port, stored)
        port = free_port()
        aiosmtpd = measure("aiosmtpd (Sink handler, keeps nothing)",
                           [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
                           port)
        port = free_port()
        sink = measure("smtp-sink (keeps nothing)", ["smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", "256"], port)
        print(f"smtpx / aiosmtpd: {smtpx / aiosmtpd:.2f}   smtpx / smtp-sink: {smtpx / sink:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
