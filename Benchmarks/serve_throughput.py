#!/usr/bin/env python3
"""Messages per second that smtp-source gets through with 10 and with 100 sessions, in one run:
smtpx serve (every message durable in a Maildir before its 250), Postfix accepting into its own
queue (durable too; an instance of our own, `postfix -c DIR`, that defers every delivery so only
the acceptance is measured), aiosmtpd (a Python server that keeps nothing) and Postfix's
smtp-sink (a C sink that keeps nothing). Prints each rate and smtpx's ratios to them."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import free_port, wait_port

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMTPX = os.environ.get("SMTPX_BIN", str(ROOT / ".build" / "release" / "smtpx"))
POSTFIX_PEER = ROOT / "Tests" / "EndToEnd" / "peers" / "postfix.sh"
MESSAGES = int(os.environ.get("SMTPX_BENCH_MESSAGES", "10000"))
SESSIONS = [int(n) for n in os.environ.get("SMTPX_BENCH_SESSIONS", "10,100").split(",")]


def load(port, sessions, recipient):
    started = time.monotonic()
    subprocess.run(["smtp-source", "-s", str(sessions), "-m", str(MESSAGES), "-f", "bench@example.net",
                    "-t", recipient, f"127.0.0.1:{port}"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return MESSAGES / (time.monotonic() - started)


class Server:
    """A process that listens on `port` until stopped."""

    def __init__(self, command, port):
        self.port = port
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(port)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Postfix:
    """Postfix from its own configuration folder, queueing what it accepts and delivering nothing."""

    def __init__(self, folder, port):
        self.port = port
        self.env = dict(os.environ, SMTPX_POSTFIX_STATE=str(folder), SMTPX_POSTFIX_PORT=str(port),
                        SMTPX_POSTFIX_TLS_PORT=str(free_port()),
                        SMTPX_POSTFIX_EXTRA="\n".join([
                            "defer_transports = virtual",
                            "smtpd_client_connection_count_limit = 0",
                            "smtpd_client_connection_rate_limit = 0",
                            "smtpd_client_message_rate_limit = 0",
                            "default_process_limit = 250",
                            "in_flow_delay = 0s"]))
        subprocess.run([str(POSTFIX_PEER), "start"], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def queued(self):
        folder = pathlib.Path(self.env["SMTPX_POSTFIX_STATE"]) / "queue"
        return sum(len(files) for part in ("incoming", "active", "deferred")
                   for _, _, files in os.walk(folder / part))

    def stop(self):
        subprocess.run([str(POSTFIX_PEER), "stop"], env=self.env, stdout=subprocess.DEVNULL)


def through_batches(sessions, per_session, write, commit):
    """From `sessions` threads, each message written by `write(k, i)` (which returns its item),
    then committed in batches: a thread that finds no batch being committed commits every item
    waiting, with `commit(items)`, until none waits; the others wait for their batch. Messages
    a second."""
    import threading
    lock, waiting, leading = threading.Lock(), [], [False]

    def join(item, done):
        with lock:
            waiting.append((item, done))
            if leading[0]:
                return
            leading[0] = True
        while True:
            with lock:
                batch = waiting[:]
                waiting.clear()
                if not batch:
                    leading[0] = False
                    return
            commit([item for item, _ in batch])
            for _, finished in batch:
                finished.set()

    def session(k):
        for i in range(per_session):
            done = threading.Event()
            join(write(k, i), done)
            done.wait()
    threads = [threading.Thread(target=session, args=(k,)) for k in range(sessions)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sessions * per_session / (time.monotonic() - started)


def write_message(folder, k, i, durable):
    """One 600-byte message in tmp/, fsync'd when `durable`; where it goes in new/."""
    tmp = folder / "tmp" / f"{k}.{i}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, b"x" * 600)
    if durable:
        os.fsync(fd)
    os.close(fd)
    return tmp, folder / "new" / f"{k}.{i}"


def disk_fsync(folder, sessions, per_session):
    """Durable steps with no SMTP, a file fsync per message: each message written and fsync'd
    in tmp/, then renamed into new/ in batches that share the fsync of new/. What this disk
    allows a server without a log (smtpx's way for large messages)."""
    os.makedirs(folder / "tmp")
    os.makedirs(folder / "new")

    def commit(batch):
        for tmp, new in batch:
            os.rename(tmp, new)
        directory = os.open(folder / "new", os.O_RDONLY)
        os.fsync(directory)
        os.close(directory)
    return through_batches(sessions, per_session, lambda k, i: write_message(folder, k, i, True), commit)


def disk_log(folder, sessions, per_session):
    """Durable steps with no SMTP, smtpx's way for small messages: each message written to tmp/
    without an fsync; batches appended to a log filled with zeros beforehand, one fdatasync,
    then the renames; a syncfs and a fresh log every second or when the 16 MiB log fills. What
    this disk allows a server with a commit log."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    os.makedirs(folder / "tmp")
    os.makedirs(folder / "new")
    capacity = 16 << 20
    log = os.open(folder / "log", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(log, b"\0" * capacity)
    os.fsync(log)
    root = os.open(folder, os.O_RDONLY)
    state = {"offset": 0, "since": time.monotonic()}

    def commit(batch):
        records = b"".join(new.name.encode() + b"x" * 600 for _, new in batch)
        if state["offset"] + len(records) > capacity or time.monotonic() - state["since"] > 1:
            libc.syncfs(root)
            state["offset"], state["since"] = 0, time.monotonic()
        os.pwrite(log, records, state["offset"])
        state["offset"] += len(records)
        os.fdatasync(log)
        for tmp, new in batch:
            os.rename(tmp, new)
    try:
        return through_batches(sessions, per_session, lambda k, i: write_message(folder, k, i, False), commit)
    finally:
        os.close(log)
        os.close(root)


def serve(maildir, log, sessions):
    """smtp-source's rate against smtpx serve storing into `maildir`; checks every message is there."""
    port = free_port()
    server = Server([SMTPX, "serve", "--listen", f"127.0.0.1:{port}", "--maildir", str(maildir),
                     "--log", str(log), "--no-tls", "--max-connections", "2000",
                     "--max-connections-per-address", "2000"], port)
    try:
        rate = load(port, sessions, "alice@example.test")
    finally:
        server.stop()
    count = len(list((maildir / "alice" / "new").iterdir()))
    if count != MESSAGES:
        raise SystemExit(f"smtpx stored {count} messages, not {MESSAGES}")
    return rate


def main():
    for tool in ("smtp-source", "smtp-sink", "postfix"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install postfix")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "aiosmtpd"], check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-bench-", dir=os.environ.get("SMTPX_BENCH_DIR")))
    work.chmod(0o755)  # Postfix's own users reach its queue through it
    filesystem = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--target", str(work)],
                                capture_output=True, text=True).stdout.strip() or "?"
    print(f"smtp-source: {MESSAGES} messages of one recipient, sessions {' and '.join(map(str, SESSIONS))}, on loopback;"
          f" files in {work.parent} ({filesystem})")
    print(f"{'':<44}" + "".join(f"{f'{n} sessions':>14}" for n in SESSIONS))
    rates = {}
    try:
        for sessions in SESSIONS:
            rates[("smtpx", sessions)] = serve(work / f"maildir-{sessions}", work / f"log-{sessions}", sessions)
            memory = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-bench-", dir="/dev/shm"))
            try:
                rates[("tmpfs", sessions)] = serve(memory / "maildir", memory / "log", sessions)
            finally:
                shutil.rmtree(memory, ignore_errors=True)
            rates[("disk-log", sessions)] = disk_log(work / f"disk-log-{sessions}", sessions, max(50, 10000 // sessions))
            rates[("disk", sessions)] = disk_fsync(work / f"disk-{sessions}", sessions, max(20, 3000 // sessions))
            postfix = Postfix(work / f"postfix-{sessions}", free_port())
            try:
                rates[("postfix", sessions)] = load(postfix.port, sessions, "alice@smtpx.test")
                if postfix.queued() < MESSAGES:
                    raise SystemExit(f"Postfix queued {postfix.queued()} messages, not {MESSAGES}")
            finally:
                postfix.stop()
            port = free_port()
            server = Server([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"], port)
            try:
                rates[("aiosmtpd", sessions)] = load(port, sessions, "alice@example.test")
            finally:
                server.stop()
            port = free_port()
            server = Server(["smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", str(max(256, 2 * sessions))], port)
            try:
                rates[("sink", sessions)] = load(port, sessions, "alice@example.test")
            finally:
                server.stop()
        names = [("smtpx", "smtpx serve (durable Maildir, commit log)"),
                 ("tmpfs", "smtpx serve, Maildir in memory (no disk)"),
                 ("disk-log", "the disk alone: log, fdatasync, rename"),
                 ("disk", "the disk alone: fsync, rename, shared fsync"),
                 ("postfix", "Postfix into its own queue (durable)"),
                 ("aiosmtpd", "aiosmtpd (Sink handler, keeps nothing)"),
                 ("sink", "smtp-sink (keeps nothing)")]
        for key, name in names:
            print(f"{name:<44}" + "".join(f"{rates[(key, n)]:>10.0f} m/s" for n in SESSIONS))
        for key, name in names[1:]:
            print(f"{'smtpx / ' + key:<44}" + "".join(f"{rates[('smtpx', n)] / rates[(key, n)]:>14.2f}" for n in SESSIONS))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
