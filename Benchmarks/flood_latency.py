#!/usr/bin/env python3
"""The explorer's screen under a flood: a server sends multi-line replies as fast as loopback
allows; a pseudo-terminal of 132x40 types a key every 40 ms and times how long each takes to
appear in what smtpx writes to the terminal. Prints p50/p99 of those times beside the time the
same harness measures for a key with no flood (the anchor), the frames written per second, and
the peak resident memory, for lines of 48 and of 5,000 bytes."""
import fcntl
import os
import pathlib
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

from benchlib import free_port, rss_kib, wait_port

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMTPX = os.environ.get("SMTPX_BIN", str(ROOT / ".build" / "release" / "smtpx"))
HOSTILE = ROOT / "Tests" / "EndToEnd" / "peers" / "hostile_server.py"
KEYS = int(os.environ.get("SMTPX_FLOOD_KEYS", "200"))
KEY = b"`"  # a key no pane of the screen draws by itself


class Explorer:
    """smtpx on a pseudo-terminal of its own, its output read as it comes."""

    def __init__(self, *args):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.execv(SMTPX, [SMTPX, *args])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 132, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        self.pid, self.fd = pid, fd
        self.peak = 0
        self.writes = 0

    def read(self, timeout):
        """What arrived within `timeout` seconds (b"" when nothing did)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            return b""
        self.writes += 1
        return data

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.01)
            self.peak = max(self.peak, rss_kib(self.pid))

    def wait_for(self, needle, timeout=20):
        seen = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            seen = (seen + self.read(0.05))[-65536:]
            if needle in seen:
                return True
        return False

    def key_latency(self):
        """Types the key, returns the seconds until it is drawn; then erases it."""
        os.write(self.fd, KEY)
        started = time.monotonic()
        while time.monotonic() - started < 5:
            if KEY in self.read(0.5):
                latency = time.monotonic() - started
                break
        else:
            latency = 5.0
        os.write(self.fd, b"\x7f")
        self.peak = max(self.peak, rss_kib(self.pid))
        return latency

    def stop(self):
        os.write(self.fd, b"\x03")
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def run(label, mode):
    port = free_port()
    server = subprocess.Popen([sys.executable, str(HOSTILE), "--port", str(port), "--mode", mode],
                              stdout=subprocess.DEVNULL) if mode else None
    try:
        if server:
            wait_port(port, timeout=10, what="the flood peer")
            explorer = Explorer("127.0.0.1", str(port))
            assert explorer.wait_for(b"flood"), "the flood did not reach the screen"
        else:
            explorer = Explorer()
            assert explorer.wait_for(b"smtpx"), "the explorer did not start"
        explorer.drain(2)
        writes_before, started = explorer.writes, time.monotonic()
        samples = []
        for _ in range(KEYS):
            samples.append(explorer.key_latency())
            explorer.drain(0.04)
        elapsed = time.monotonic() - started
        frames = (explorer.writes - writes_before) / elapsed
        explorer.drain(2)
        samples.sort()
        p50, p99 = statistics.median(samples) * 1000, samples[int(len(samples) * 0.99) - 1] * 1000
        print(f"{label:<40} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  reads of the terminal {frames:5.0f}/s"
              f"  peak RSS {explorer.peak / 1024:6.0f} MiB")
        explorer.stop()
        return p50, p99
    finally:
        if server:
            server.terminate()
            server.wait()


def main():
    print(f"a key typed every 40 ms, {KEYS} times, on a 132x40 pseudo-terminal")
    quiet = run("no flood (the practice server, idle)", None)
    flood = run("flood of 48-byte reply lines", "flood")
    run("flood of 5,000-byte reply lines", "longflood")
    print(f"flood p99 / idle p99: {flood[1] / quiet[1]:.1f}   (goal: p99 under 16 ms)")


if __name__ == "__main__":
    main()
