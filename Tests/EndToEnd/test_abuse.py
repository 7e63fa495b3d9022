"""The practice server and batch mode under abuse: in each attack a normal client still delivers,
memory stays bounded, and nothing half-written is left in the Maildir. Each test runs in well
under a minute."""
import json
import mailbox
import os
import pathlib
import resource
import smtplib
import socket
import subprocess
import threading
import time

import pytest

from conftest import SMTPX, wait_until


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def connect(port, source="127.0.0.1", timeout=10):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def deliver(port, subject="normal"):
    """A normal client: one message to alice."""
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
        client.sendmail("normal@example.net", ["alice@example.test"], f"Subject: {subject}\r\n\r\nhello\r\n")


def whole_messages(server, box="alice"):
    """Every file in new/ parses as a whole message; tmp/ is empty."""
    root = server.maildir / box
    assert not list((root / "tmp").iterdir()), "half-written files left in tmp/"
    return [message for message in mailbox.Maildir(str(root), create=False)]


def test_slowloris_does_not_lock_anyone_out(smtpx, practice):
    server = practice("--command-timeout", "3")
    attackers = [connect(server.port, "127.0.0.2") for _ in range(100)]
    for sock in attackers:
        sock.recv(1024)
    stop = time.time() + 6
    while time.time() < stop:
        for sock in attackers:
            try:
                sock.send(b"N")
            except OSError:
                pass
        if time.time() > stop - 5:
            deliver(server.port)
        time.sleep(1)
    # Each dribbler was cut 3 s after its first byte, whatever came after it.
    cut = 0
    for sock in attackers:
        try:
            data = sock.recv(4096)
            cut += b"421 4.4.2" in data or data == b""
        except OSError:
            cut += 1
        sock.close()
    assert cut == 100
    assert len(whole_messages(server)) >= 1


def test_connections_per_address(smtpx, practice):
    server = practice("--max-connections-per-address", "5")
    held = [connect(server.port, "127.0.0.3") for _ in range(5)]
    for sock in held:
        assert sock.recv(1024).startswith(b"220")
    extra = connect(server.port, "127.0.0.3")
    assert extra.recv(1024).startswith(b"421 4.3.2")
    other = connect(server.port, "127.0.0.1")
    assert other.recv(1024).startswith(b"220")
    for sock in held + [extra, other]:
        sock.close()


def test_a_thousand_idle_connections(smtpx, practice):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    server = practice("--max-connections", "1100", "--max-connections-per-address", "1100")
    time.sleep(0.5)
    before = rss_kib(server.process.pid)
    idle = [connect(server.port) for _ in range(1000)]
    for sock in idle:
        assert sock.recv(1024).startswith(b"220")
    during = rss_kib(server.process.pid)
    deliver(server.port)
    print(f"1,000 idle connections: RSS {before} KiB before, {during} KiB with them "
          f"({(during - before) / 1000:.1f} KiB a connection)")
    assert during - before < 200 * 1024
    for sock in idle:
        sock.close()
    assert len(whole_messages(server)) == 1


def test_a_flood_of_bad_commands(smtpx, practice):
    server = practice()
    socks = [connect(server.port) for _ in range(5)]
    for sock in socks:
        sock.recv(1024)
        sock.sendall(b"XYZZY plugh\r\n" * 10_000)
    for sock in socks:
        data = b""
        while b"421" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        assert b"421 4.7.0 Too many errors" in data
        sock.close()
    deliver(server.port)
    assert len(whole_messages(server)) == 1


def test_ten_thousand_recipients(smtpx, practice):
    server = practice()
    sock = connect(server.port)
    sock.recv(1024)
    lines = [b"EHLO x", b"MAIL FROM:<a@example.net>"] + [b"RCPT TO:<alice@example.test>"] * 10_000 + [b"QUIT"]
    sock.sendall(b"\r\n".join(lines) + b"\r\n")
    data = b""
    while not data.endswith(b"closing connection, goodbye\r\n"):
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    assert data.count(b"250 2.1.5") == 100 and data.count(b"452 4.5.3") == 9_900
    deliver(server.port)


def test_a_fifty_megabyte_command_line(smtpx, practice):
    server = practice()
    before = rss_kib(server.process.pid)
    sock = connect(server.port)
    sock.recv(1024)
    chunk = b"A" * (1 << 20)
    for _ in range(50):
        sock.sendall(chunk)
    peak = rss_kib(server.process.pid)
    sock.sendall(b"\r\nNOOP\r\n")
    data = b""
    while b"250 2.0.0 OK" not in data:
        data += sock.recv(4096)
    assert b"500 5.5.2 Line too long" in data
    assert peak - before < 32 * 1024, f"RSS grew from {before} to {peak} KiB"
    deliver(server.port)


def test_a_message_far_over_the_size_limit(smtpx, practice):
    server = practice("--max-size", "1048576")
    before = rss_kib(server.process.pid)
    sock = connect(server.port)
    sock.recv(1024)
    sock.sendall(b"EHLO x\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n")
    line = b"x" * 998 + b"\r\n"
    for _ in range(20):
        sock.sendall(line * 1024)
    sock.sendall(b".\r\nQUIT\r\n")
    data = b""
    while b"221" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    assert b"552 5.3.4 Message too big" in data
    assert rss_kib(server.process.pid) - before < 32 * 1024
    assert whole_messages(server) == []


def test_bdat_with_a_huge_size_and_a_close_mid_chunk(smtpx, practice):
    server = practice()
    sock = connect(server.port)
    sock.recv(1024)
    sock.sendall(b"EHLO x\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.test>\r\nBDAT 100000000 LAST\r\n")
    sock.sendall(b"y" * (1 << 20))
    sock.close()
    # A chunk shorter than it said: the rest is read as commands.
    short = connect(server.port)
    short.recv(1024)
    short.sendall(b"EHLO x\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.test>\r\nBDAT 4 LAST\r\nabcdNOOP\r\nQUIT\r\n")
    data = b""
    while b"221" not in data:
        chunk = short.recv(65536)
        if not chunk:
            break
        data += chunk
    short.close()
    deliver(server.port)
    messages = whole_messages(server)
    assert [m["Subject"] for m in messages if m["Subject"]] == ["normal"]


def test_a_client_that_never_reads(smtpx, practice):
    server = practice()
    before = rss_kib(server.process.pid)
    sock = connect(server.port)
    sock.recv(1024)
    sock.setblocking(False)
    payload = b"EHLO x\r\nMAIL FROM:<a@example.net>\r\n" + b"RCPT TO:<alice@example.test>\r\n" * 4000
    sent = 0
    started = time.time()
    middle = None
    while time.time() - started < 12:
        try:
            sent += sock.send(payload)
        except BlockingIOError:
            time.sleep(0.05)
        if middle is None and time.time() - started > 6:
            middle = rss_kib(server.process.pid)
    late = rss_kib(server.process.pid)
    deliver(server.port)
    sock.close()
    print(f"never-reading client: {sent >> 20} MiB written; RSS {before} KiB before, {middle} KiB at 6 s, {late} KiB at 12 s")
    # Reading stopped: memory grows no more in the second half, and stays small.
    assert late - middle < 2 * 1024
    assert late - before < 16 * 1024

def test_the_log_is_capped_and_repeats_are_counted(smtpx, practice):
    server = practice("--max-junk-commands", "1000000")
    sock = connect(server.port)
    sock.recv(1024)
    for _ in range(20):
        sock.sendall(b"HELP\r\n" * 5000)
        sock.recv(1 << 20)
    sock.sendall(b"QUIT\r\n")
    time.sleep(0.5)
    sock.close()
    # The count is written when the session ends (the fixture's probe of the port ends first).
    assert wait_until(lambda: "more lines repeating the lines above" in server.log.read_text(), timeout=10)
    text = server.log.read_text()
    assert len(text) < 64 * 1024, len(text)


def test_guessing_passwords_across_connections_is_stopped(smtpx, practice):
    server = practice("--no-tls")
    codes = []
    for _ in range(5):
        try:
            with smtplib.SMTP("127.0.0.1", server.port, timeout=20) as client:
                client.ehlo("x")
                client.user, client.password = "alice", "guess"
                for _ in range(3):
                    try:
                        client.auth("PLAIN", client.auth_plain)
                    except smtplib.SMTPAuthenticationError as error:
                        codes.append(error.smtp_code)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPException):
            codes.append(421)
    assert codes[:9] == [535] * 9 and 421 in codes
    with smtplib.SMTP("127.0.0.1", server.port, timeout=20) as client:
        client.ehlo("x")
        with pytest.raises((smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected, smtplib.SMTPException)):
            client.login("alice", "wonderland")


@pytest.fixture(params=["256k", "1536k"], ids=["no-room-for-a-commit-log", "with-the-commit-log"])
def small_disk(request, tmp_path):
    """A small filesystem of the test's own: 256 KiB leaves no room for the store's 1 MiB commit
    log (each file is fsync'd instead), 1.5 MiB holds it and fills up beside it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={request.param}", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    assert result.returncode == 0, "cannot mount a tmpfs (the tests run as root): " + result.stderr
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def check_commit_log(disk):
    """The store keeps its commit log where there is room for it, and makes none where there is not."""
    size = os.statvfs(disk).f_blocks * os.statvfs(disk).f_frsize
    assert (disk / "maildir" / ".commitlog").exists() == (size > 1024 * 1024), size


def fill(disk, leave):
    """Fills the disk, then frees about `leave` bytes (whole pages)."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as file:
        try:
            while True:
                file.write(b"f" * 4096)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))


def test_a_full_disk_never_gets_a_250(smtpx, tmp_path, small_disk):
    from conftest import Practice
    server = Practice(tmp_path / "full", "--maildir", str(small_disk / "maildir"))
    server.maildir = small_disk / "maildir"
    try:
        results = []
        body = "x" * 30_000
        for n in range(20):
            try:
                with smtplib.SMTP("127.0.0.1", server.port, timeout=20) as client:
                    client.sendmail("a@example.net", ["team@example.test"], f"Subject: {n}\r\n\r\n{body}\r\n")
                results.append(250)
            except smtplib.SMTPDataError as error:
                results.append(error.smtp_code)
        assert 452 in results, results
        accepted = results.count(250)
        alice = whole_messages(server, "alice")
        bob = whole_messages(server, "bob")
        # Every 250 is a whole copy for both list members; no refused message left a copy.
        assert len(alice) == accepted and len(bob) == accepted, (results, len(alice), len(bob))
        assert all(m.get_payload().strip() == body for m in alice + bob)
        check_commit_log(small_disk)
    finally:
        server.stop()


def test_a_disk_that_fills_while_batches_commit(smtpx, tmp_path, small_disk):
    """Twelve clients at once, so messages share commit batches while the disk fills: every 250
    is a whole copy for both list members, a refused message leaves no copy, tmp/ ends empty."""
    from conftest import Practice
    server = Practice(tmp_path / "full", "--maildir", str(small_disk / "maildir"))
    server.maildir = small_disk / "maildir"
    results, lock = [], threading.Lock()

    def client(k):
        for n in range(4):
            body = f"client {k} message {n} " + "y" * 9_000
            try:
                with smtplib.SMTP("127.0.0.1", server.port, timeout=20) as session:
                    session.sendmail("a@example.net", ["team@example.test"], f"Subject: {k}-{n}\r\n\r\n{body}\r\n")
                code = 250
            except smtplib.SMTPDataError as error:
                code = error.smtp_code
            with lock:
                results.append((code, body))
    try:
        threads = [threading.Thread(target=client, args=(k,)) for k in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = [code for code, _ in results]
        assert 452 in codes and 250 in codes, codes
        assert set(codes) <= {250, 452}, codes
        accepted = sorted(body for code, body in results if code == 250)
        for box in ("alice", "bob"):
            kept = sorted(m.get_payload().strip() for m in whole_messages(server, box))
            assert kept == accepted, f"{box}: {len(kept)} kept, {len(accepted)} acknowledged"
        check_commit_log(small_disk)
    finally:
        server.stop()


def test_batch_mode_stays_bounded_under_a_flood(smtpx, hostile):
    server = hostile("flood")
    process = subprocess.Popen([smtpx, "--timeout", "1", "127.0.0.1", str(server.port)], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    process.stdin.write(b"EHLO x\nQUIT\n")
    process.stdin.close()
    peak = 0
    started = time.time()
    while process.poll() is None and time.time() - started < 45:
        peak = max(peak, rss_kib(process.pid))
        time.sleep(0.2)
    assert process.poll() == 3, "batch mode did not give up on an endless reply"
    assert b"went on for" in process.stderr.read()
    assert peak < 200 * 1024, f"peak RSS {peak} KiB"
    assert time.time() - started < 40


def test_record_on_a_full_disk_is_reported_and_keeps_whole_lines(smtpx, practice, small_disk):
    server = practice("--max-junk-commands", "100000")
    record = small_disk / "session.jsonl"
    fill(small_disk, leave=8192)
    script = "EHLO laptop\n" + "NOOP\n" * 300 + "QUIT\n"
    result = subprocess.run([smtpx, "--record", str(record), "127.0.0.1", str(server.port)], input=script,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--record stopped" in result.stderr
    assert "Recording to" in result.stdout
    text = record.read_text()
    assert text.endswith("\n")
    for line in text.splitlines():
        json.loads(line)


def test_record_on_a_full_disk_in_the_explorer(smtpx, practice, screen, small_disk):
    server = practice("--max-junk-commands", "100000")
    fill(small_disk, leave=8192)
    s = screen("--record", str(small_disk / "r.txt"), "127.0.0.1", str(server.port))
    s.wait_for(r"<-  220 ")
    for _ in range(250):
        s.line("NOOP")
    shown = s.wait_for(r"--record stopped", timeout=20)
    assert shown.splitlines()[0].startswith("┌─ ⚠ --record stopped ·")
    text = (small_disk / "r.txt").read_text()
    assert text.endswith("\n") and all(line.startswith((" -> ", "<-  ", "*** ")) for line in text.splitlines())



def test_a_large_message_streams_to_disk(smtpx, practice):
    server = practice("--max-size", str(30 << 20))
    before = rss_kib(server.process.pid)
    line = b"0123456789" * 7 + b"abcdef\r\n"
    body = line * (10 * (1 << 20) // len(line))
    peak = [before]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(server.process.pid))
            time.sleep(0.02)
    watcher = threading.Thread(target=watch)
    watcher.start()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=60) as client:
        client.sendmail("a@example.net", ["team@example.test"], b"Subject: big\r\n\r\n" + body)
    done.set()
    watcher.join()
    print(f"10 MB message: RSS {before} KiB before, {peak[0]} KiB at most")
    assert peak[0] - before < 24 * 1024
    for box in ("alice", "bob"):
        [message] = whole_messages(server, box)
        assert message.get_payload().encode() == body.replace(b"\r\n", b"\n")
    assert not list((server.maildir / ".spool").iterdir())
