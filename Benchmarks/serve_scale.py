#!/usr/bin/env python3
"""How `smtpx serve` scales, under smtp-source keeping its connections (-d): messages per second
and the time from a message's end to its 250 (p50, p99, as the server logs it: "on disk N ms
after its end") as sessions grow (1, 10, 100, 1,000; 1 KiB) and as messages grow (1 KiB,
100 KiB, 10 MiB; 10 sessions); and the memory one idle connection costs (1,000 of them, each
past EHLO, on a fresh server). Every message is durable before its 250."""
import os
import pathlib
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import time

from benchlib import free_port, rss_kib, wait_port

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMTPX = os.environ.get("SMTPX_BIN", str(ROOT / ".build" / "release" / "smtpx"))
STORED = re.compile(rb"on disk ([0-9.]+) ms after its end")


class Server:
    def __init__(self, work):
        self.port = free_port()
        self.log = work / "log"
        self.maildir = work / "maildir"
        self.process = subprocess.Popen(
            [SMTPX, "serve", "--listen", f"127.0.0.1:{self.port}", "--maildir", str(self.maildir), "--log", str(self.log),
             "--no-tls", "--max-connections", "5000", "--max-connections-per-address", "5000",
             "--max-size", str(20 * 1024 * 1024), "--log-max-size", str(1 << 30)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, what="smtpx serve")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def idle_cost(server, connections):
    before = rss_kib(server.process.pid)
    opened = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.recv(4096)
        sock.sendall(b"EHLO idle.example\r\n")
        while not re.search(rb"(^|\n)250 ", sock.recv(4096)):
            pass
        opened.append(sock)
    time.sleep(1)
    after = rss_kib(server.process.pid)
    for sock in opened:
        sock.close()
    return (after - before) / connections


def row(server, sessions, size, messages):
    offset = server.log.stat().st_size if server.log.exists() else 0
    started = time.monotonic()
    subprocess.run(["smtp-source", "-d", "-s", str(sessions), "-m", str(messages), "-l", str(size),
                    "-f", "load@example.net", "-t", "alice@example.test", f"127.0.0.1:{server.port}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    time.sleep(0.1)  # the log's writer gathers for a few milliseconds
    with open(server.log, "rb") as log:
        log.seek(offset)
        waits = sorted(float(m.group(1)) for m in STORED.finditer(log.read()))
    if len(waits) != messages:
        raise SystemExit(f"{len(waits)} messages stored, not {messages}")
    for stored in (server.maildir / "alice" / "new").iterdir():
        stored.unlink()
    return messages / elapsed, waits[len(waits) // 2], waits[max(0, int(len(waits) * 0.99) - 1)]


def main():
    if not shutil.which("smtp-source"):
        raise SystemExit("smtp-source is missing: apt-get install postfix")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))
    work = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-scale-", dir=os.environ.get("SMTPX_BENCH_DIR")))
    try:
        server = Server(work)
        try:
            cost = idle_cost(server, 1000)
            print("smtpx serve under smtp-source -d (sessions keep their connections); every message durable before its 250")
            print(f"{'sessions':>9} {'message':>9} {'messages/s':>11} {'MiB/s':>7} {'end to 250 p50':>15} {'p99':>9}")
            for sessions, size, messages in [(1, 1024, 2000), (10, 1024, 5000), (100, 1024, 5000), (1000, 1024, 10000),
                                             (10, 100 * 1024, 1000), (10, 10 * 1024 * 1024, 30)]:
                rate, p50, p99 = row(server, sessions, size, messages)
                label = f"{size // 1024} KiB" if size < 1024 * 1024 else f"{size // (1024 * 1024)} MiB"
                print(f"{sessions:>9} {label:>9} {rate:>11.0f} {rate * size / 1048576:>7.1f} {p50:>12.1f} ms {p99:>6.1f} ms")
            print(f"memory per idle connection (1,000 open, past EHLO): {cost:.1f} KiB   (goal: 64 KiB or less)")
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
