"""POP3: the practice server against real clients (poplib, curl, fetchmail, mutt), smtpx's client
against Dovecot's pop3d of the tests' own, and the whole journey on the screen."""
import json
import os
import pathlib
import poplib
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time

import pytest

from conftest import HERE, SMTPX, free_port, port_open, practice_folder, run, wait_until

SEND = ("EHLO laptop\nMAIL FROM:<you@example.net>\nRCPT TO:<alice@example.test>\nDATA\nSubject: {subject}\n\n"
        "Hello Alice.\n.a line with a dot\n.\nQUIT\n")


class POP3Practice:
    """`smtpx serve` with POP3 and POP3S on free loopback ports."""

    def __init__(self, folder, *args):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.args = args
        self.smtp, self.pop3, self.pop3s = free_port(), free_port(), free_port()
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [str(SMTPX), "serve", "--listen", f"127.0.0.1:{self.smtp}", "--pop3-listen", f"127.0.0.1:{self.pop3}",
             "--pop3s-listen", f"127.0.0.1:{self.pop3s}", "--maildir", str(self.folder / "md"),
             "--log", str(self.folder / "log"), *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if not wait_until(lambda: port_open(self.pop3) and port_open(self.smtp), timeout=15):
            self.process.kill()
            pytest.fail("smtpx serve did not start: " + self.process.stderr.read())

    def send(self, subject="hello"):
        result = run(["127.0.0.1", str(self.smtp)], input=SEND.format(subject=subject), timeout=30)
        assert result.returncode == 0, result.stdout

    def messages(self, user="alice"):
        found = []
        for sub in ("new", "cur"):
            folder = self.folder / "md" / user / sub
            if folder.exists():
                found += list(folder.iterdir())
        return found

    def log(self):
        return (self.folder / "log").read_text()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def pop3_practice(tmp_path):
    servers = []

    def start(*args):
        server = POP3Practice(tmp_path / f"p{len(servers)}", *args)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def insecure():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def test_poplib_user_pass_retr_top_uidl_dele(smtpx, pop3_practice):
    server = pop3_practice()
    server.send("first")
    server.send("second")
    client = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    assert client.getwelcome().startswith(b"+OK") and b"@mx.example.test>" in client.getwelcome()
    assert {"USER", "TOP", "UIDL", "STLS", "SASL"} <= set(client.capa())
    client.user("alice")
    assert client.pass_("wonderland").startswith(b"+OK alice's maildrop has 2 messages")
    count, size = client.stat()
    assert count == 2 and size == sum(int(line.split()[1]) for line in client.list()[1])
    _, lines, _ = client.retr(1)
    assert lines[0] == b"Return-Path: <you@example.net>" and b"Delivered-To: alice@example.test" in lines
    assert b".a line with a dot" in lines, "byte-stuffing is undone"
    _, top, _ = client.top(2, 0)
    assert b"Subject: second" in top and b"Hello Alice." not in top
    uids = [line.split()[1] for line in client.uidl()[1]]
    assert len(set(uids)) == 2
    client.dele(1)
    assert len(server.messages()) == 2, "DELE only marks"
    client.quit()
    assert len(server.messages()) == 1
    assert wait_until(lambda: "S: +OK Message follows (+" in server.log(), timeout=5)
    log = server.log()
    assert "C: PASS ********" in log and "wonderland" not in log
    assert "S: +OK Message follows (+" in log


def test_poplib_apop_stls_and_pop3s(smtpx, pop3_practice):
    server = pop3_practice()
    server.send()
    client = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    client.apop("alice", "wonderland")
    assert client.stat()[0] == 1
    client.quit()
    tls = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    tls.stls(context=insecure())
    tls.user("alice")
    tls.pass_("wonderland")
    assert tls.stat()[0] == 1
    tls.quit()
    secure = poplib.POP3_SSL("127.0.0.1", server.pop3s, context=insecure(), timeout=10)
    secure.user("alice")
    secure.pass_("wonderland")
    assert secure.stat()[0] == 1
    secure.quit()
    with pytest.raises(poplib.error_proto, match=r"\[AUTH\]"):
        bad = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
        bad.user("alice")
        bad.pass_("wrong")


def test_require_tls_refuses_passwords_in_the_clear(smtpx, pop3_practice):
    server = pop3_practice("--pop3-require-tls")
    client = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    assert "USER" not in client.capa()
    with pytest.raises(poplib.error_proto, match=r"only after STLS"):
        client.user("alice")
    client.stls(context=insecure())
    client.user("alice")
    assert client.pass_("wonderland").startswith(b"+OK")
    client.quit()


def test_two_sessions_of_one_user(smtpx, pop3_practice):
    server = pop3_practice()
    server.send()
    first = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    first.user("alice")
    first.pass_("wonderland")
    second = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    second.user("alice")
    with pytest.raises(poplib.error_proto, match=r"\[IN-USE\]"):
        second.pass_("wonderland")
    first.dele(1)
    first.quit()
    # The lock is gone with the first session.
    second.user("alice")
    assert second.pass_("wonderland").startswith(b"+OK alice's maildrop has 0 messages")
    second.quit()


def test_kill_9_loses_nothing_not_deleted_by_a_completed_quit(smtpx, pop3_practice):
    server = pop3_practice()
    for subject in ("one", "two", "three"):
        server.send(subject)
    client = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    client.user("alice")
    client.pass_("wonderland")
    client.dele(1)
    client.dele(2)
    server.kill()
    assert len(server.messages()) == 3, "marked deletions die with the session"
    server.start()
    client = poplib.POP3("127.0.0.1", server.pop3, timeout=10)
    client.user("alice")
    assert client.pass_("wonderland").startswith(b"+OK alice's maildrop has 3 messages"), "no stale lock after the crash"
    client.dele(1)
    client.quit()
    server.kill()
    assert len(server.messages()) == 2, "a completed QUIT's deletion is on disk"


def test_curl_pop3_and_pop3s(smtpx, pop3_practice):
    server = pop3_practice()
    server.send("for curl")
    listing = subprocess.run(["curl", "-s", "--user", "alice:wonderland", f"pop3://127.0.0.1:{server.pop3}/"],
                             capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0 and listing.stdout.startswith("1 "), listing.stderr
    message = subprocess.run(["curl", "-s", "-k", "--user", "alice:wonderland", f"pop3s://127.0.0.1:{server.pop3s}/1"],
                             capture_output=True, text=True, timeout=30)
    assert message.returncode == 0 and "Subject: for curl" in message.stdout, message.stderr
    starttls = subprocess.run(["curl", "-s", "-k", "--ssl-reqd", "--user", "alice:wonderland",
                               f"pop3://127.0.0.1:{server.pop3}/1"], capture_output=True, text=True, timeout=30)
    assert "Hello Alice." in starttls.stdout, starttls.stderr


def test_fetchmail_fetches_and_deletes(smtpx, pop3_practice, tmp_path):
    if not shutil.which("fetchmail"):
        pytest.fail("fetchmail is missing: ./scripts/test installs it")
    server = pop3_practice()
    server.send("for fetchmail")
    out = tmp_path / "fetched"
    rc = tmp_path / "fetchmailrc"
    rc.write_text(f"poll 127.0.0.1 with proto POP3 port {server.pop3}\n"
                  f"  user 'alice' there with password 'wonderland' is 'root' here\n"
                  f"  options sslproto '' mda \"cat >> {out}\"\n")
    rc.chmod(0o600)
    result = subprocess.run(["fetchmail", "--nodetach", "--nosyslog", "-f", str(rc)], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "HOME": str(tmp_path), "FETCHMAILHOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Subject: for fetchmail" in out.read_text()
    assert server.messages() == [], "fetchmail deletes what it fetched"


def test_mutt_reads_over_pop(smtpx, pop3_practice, tmp_path, screen):
    from conftest import Screen
    if not shutil.which("mutt"):
        pytest.fail("mutt is missing: ./scripts/test installs it")
    server = pop3_practice()
    server.send("read by mutt")
    (tmp_path / "Mail").mkdir()
    rc = tmp_path / "muttrc"
    rc.write_text(f"set pop_pass='wonderland'\nset ssl_starttls=no\nset ssl_force_tls=no\nset pop_delete=no\n"
                  f"set header_cache=''\nset certificate_file='{tmp_path}/certs'\nset mbox_type=mbox\n")
    name = "mutt-" + os.urandom(4).hex()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "132", "-y", "30", "env", f"HOME={tmp_path}", "TERM=xterm",
                    "mutt", "-n", "-F", str(rc), "-f", f"pop://alice@127.0.0.1:{server.pop3}/"], check=True)
    try:
        shown = wait_until(lambda: (lambda s: s if "read by mutt" in s else None)(
            subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout), timeout=20)
        assert shown, subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


@pytest.fixture
def dovecot():
    import tempfile
    sys.path.insert(0, str(HERE / "peers"))
    from dovecot_lab import DovecotLab
    if not shutil.which("dovecot"):
        pytest.fail("dovecot is missing: ./scripts/test installs dovecot-pop3d")
    # Dovecot's auth process is not root: its folder must be reachable, unlike pytest's own.
    folder = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-dovecot-"))
    folder.chmod(0o755)
    lab = DovecotLab(folder)
    try:
        lab.start()
    except Exception as error:  # noqa: BLE001
        lab.stop()
        pytest.fail(f"Dovecot did not start: {error}")
    yield lab
    lab.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_smtpx_fetches_from_dovecot_with_stls(smtpx, dovecot):
    dovecot.deliver("carol", "Return-Path: <bob@example.org>\nSubject: from dovecot\n\nbody\n.dotted\n")
    script = "CAPA\nSTLS\nCAPA\nUSER carol\nPASS secret\nSTAT\nRETR 1\nDELE 1\nQUIT\n"
    result = run(["--pop3", "--insecure", "--explain", "127.0.0.1", str(dovecot.port)], input=script, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "<-  +OK Dovecot" in out and "*** TLS established: TLSv1.3" in out
    assert " ~> PASS ********" in out and "secret" not in out
    assert "<~  ..dotted" in out, "the wire shows the stuffed line"
    assert "Return-Path: <bob@example.org>: Added by the last SMTP server from the envelope" in out
    assert dovecot.messages("carol") == []
    # Chinese, and JSON Lines that mark the protocol.
    dovecot.deliver("carol", "Subject: again\n\nx\n")
    jsonl = run(["--pop3", "--insecure", "--format", "jsonl", "--lang", "zh", "127.0.0.1", str(dovecot.port)],
                input="STLS\nUSER carol\nPASS nope\nQUIT\n", timeout=60)
    events = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert all(event.get("protocol") == "pop3" for event in events)
    assert any(event["dir"] == "recv" and event["raw"].startswith("-ERR [AUTH]") for event in events)
    assert jsonl.returncode == 5


def test_the_journey_send_then_fetch_on_one_screen(smtpx, screen):
    s = screen()
    s.wait_for(r"Welcome to smtpx")
    for line in ["EHLO laptop", "MAIL FROM:<you@example.net>", "RCPT TO:<alice@example.test>", "DATA",
                 "Subject: the journey", "", "Sent with SMTP, fetched with POP3.", "."]:
        s.line(line)
    s.wait_for(r"250 2\.0\.0 Ok: queued")
    pid = s.pid()
    folder = practice_folder(pid)
    assert len(list((folder / "alice" / "new").iterdir())) == 1
    s.line("QUIT")
    s.wait_for(r"221 2\.0\.0")
    s.line("/pop3")
    s.wait_for(r"\+OK smtpx practice POP3 server ready")
    shown = s.wait_for(r"POP3 · AUTHORIZATION")
    s.line("USER alice")
    s.wait_for(r"may now give PASS")
    s.line("PASS wonderland")
    shown = s.wait_for(r"TRANSACTION")
    assert "PASS ********" in shown and "wonderland" not in shown
    s.line("LIST")
    s.wait_for(r"\+OK 1 message")
    s.line("RETR 1")
    shown = s.wait_for(r"the envelope made visible")
    assert "Return-Path: <you@example.net>" in shown
    assert "MAIL FROM:<you@example.net>" in shown and "SMTP session above" in shown.replace("\n", " ").replace("│", " ") \
        or "SMTP session" in shown
    s.line("DELE 1")
    s.wait_for(r"marked for deletion")
    assert len(list((folder / "alice" / "new").iterdir())) == 1, "DELE only marks"
    s.line("QUIT")
    s.wait_for(r"signing off \(0 messages left\)")
    assert wait_until(lambda: not list((folder / "alice" / "new").iterdir()) and not list((folder / "alice" / "cur").iterdir()))


def test_pop3_in_chinese_on_the_screen_and_explain(smtpx, screen):
    s = screen("--pop3", "--lang", "zh")
    s.wait_for(r"\+OK smtpx practice POP3 server ready")
    s.keys("STAT", literal=True)
    shown = s.wait_for(r"需要先登录")
    s.keys("C-u")
    s.line("USER alice")
    s.line("PASS wonderland")
    s.line("STAT")
    shown = s.wait_for(r"共 0 封邮件")
    explained = run(["explain", "--pop3", "--lang", "zh", "RETR"])
    assert explained.returncode == 0 and "取回一封邮件" in explained.stdout
    code = run(["explain", "-ERR [IN-USE] locked"])
    assert code.returncode == 0 and "Maildrop in use" in code.stdout


def test_a_pop3_record_replays(smtpx, pop3_practice, tmp_path, screen):
    server = pop3_practice()
    server.send("replayed")
    record = tmp_path / "pop3.jsonl"
    result = run(["--pop3", "--record", str(record), "127.0.0.1", str(server.pop3)],
                 input="USER alice\nPASS wonderland\nRETR 1\nQUIT\n", timeout=60)
    assert result.returncode == 0
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert all(line.get("protocol") == "pop3" for line in lines)
    s = screen("replay", str(record))
    shown = s.wait_for(r"step 1 of 5")
    assert shown.count("Connected to") == 1
    for step in range(2, 5):
        s.keys("Right")
        s.wait_for(rf"step {step} of 5")
    shown = s.wait_for(r"RETR 1")
    assert "Return-Path: <you@example.net>" in shown
    s.keys("End")
    shown = s.wait_for(r"signing off")
    assert "PASS ********" in shown


def test_plaintext_behind_stls_is_thrown_away(smtpx, pop3_practice):
    """The STARTTLS injection (RFC 2595 §4): lines sent in the same packet as STLS must not run."""
    server = pop3_practice()
    with socket.create_connection(("127.0.0.1", server.pop3), timeout=5) as raw:
        raw.recv(512)
        raw.sendall(b"STLS\r\nUSER alice\r\nCAPA\r\n")
        time.sleep(0.5)
        answer = raw.recv(4096)
        assert answer == b"+OK Begin TLS negotiation\r\n", answer
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with context.wrap_socket(raw, server_hostname="mx.example.test") as tls:
            tls.sendall(b"CAPA\r\n")
            capa = b""
            while not capa.endswith(b"\r\n.\r\n"):
                capa += tls.recv(4096)
            assert capa.startswith(b"+OK") and b"STLS" not in capa
    assert wait_until(lambda: "sent after STLS in plaintext: thrown away" in server.log(), timeout=5), server.log()
    assert "C: USER alice" not in server.log()
