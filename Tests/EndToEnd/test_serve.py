"""`smtpx serve` against real clients: swaks, Python's smtplib, curl, Postfix's smtp-source."""
import mailbox
import os
import re
import signal
import smtplib
import socket
import subprocess
import time

import pytest

from conftest import wait_until


def swaks(port, *args, timeout=60):
    return subprocess.run(["swaks", "--server", f"127.0.0.1:{port}", "--hide-informational", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_swaks_transaction(smtpx, practice):
    server = practice()
    result = swaks(server.port, "--to", "alice@example.test", "--from", "learner@example.net",
                   "--header", "Subject: swaks test", "--body", "Hello from swaks\n.leading dot")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<-  250 2.0.0 Ok: queued as" in result.stdout
    files = server.messages("alice")
    assert len(files) == 1
    message = mailbox.Maildir(str(server.maildir / "alice"), create=False)
    [parsed] = list(message)
    assert parsed["Subject"] == "swaks test"
    assert parsed["Return-Path"] == "<learner@example.net>"
    assert "by mx.example.test (smtpx practice server) with ESMTP id" in parsed["Received"]
    assert parsed.get_payload().splitlines()[:2] == ["Hello from swaks", ".leading dot"]


def test_swaks_pipeline(smtpx, practice):
    server = practice()
    result = swaks(server.port, "--pipeline", "--to", "team@example.test", "--from", "learner@example.net")
    assert result.returncode == 0, result.stdout
    assert "250 2.1.5 List <team@example.test> OK" in result.stdout
    assert len(server.messages("alice")) == 1 and len(server.messages("bob")) == 1


def test_relaying_is_refused(smtpx, practice):
    server = practice()
    result = swaks(server.port, "--to", "someone@gmail.example", "--from", "learner@example.net")
    assert "554 5.7.1 Relay access denied" in result.stdout
    with smtplib.SMTP("127.0.0.1", server.port) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("a@b.example", ["x@elsewhere.example"], "Subject: x\r\n\r\nbody\r\n")
        assert refused.value.recipients["x@elsewhere.example"][0] == 554
    assert not (server.maildir / ".outbox" / "new").exists() or not list((server.maildir / ".outbox" / "new").iterdir())


def test_smtplib(smtpx, practice):
    server = practice()
    with smtplib.SMTP("127.0.0.1", server.port, local_hostname="learner.example") as client:
        code, text = client.ehlo()
        assert code == 250 and b"SMTPUTF8" in text
        assert client.verify("alice") == (250, b"2.1.5 Alice <alice@example.test>")
        assert client.verify("nobody")[0] == 550
        code, text = client.expn("team")
        assert code == 250 and b"Bob <bob@example.test>" in text
        assert client.expn("nobody")[0] == 550
        text = client.help()
        assert b"HELO EHLO MAIL RCPT DATA" in text
        assert client.noop()[0] == 250
        assert client.rset()[0] == 250
        refused = client.sendmail("learner@example.net", ["alice@example.test", "nobody@example.test"],
                                  "Subject: smtplib\r\n\r\nhi\r\n")
        assert refused == {"nobody@example.test": (550, b"5.1.1 Mailbox <nobody@example.test> unknown: no such user here (try alice or bob)")}
        client.sendmail("jörg@example.net", ["bob@example.test"], "Subject: utf8\r\n\r\nüber\r\n".encode(),
                        mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    assert len(server.messages("alice")) == 1
    [utf8] = server.messages("bob")
    text = utf8.read_bytes().decode()
    assert "Return-Path: <jörg@example.net>" in text and "with UTF8SMTP id" in text and "über" in text


def test_curl(smtpx, practice, tmp_path):
    server = practice()
    body = tmp_path / "mail.txt"
    body.write_text("From: curl@example.net\r\nSubject: from curl\r\n\r\nHello from curl\r\n")
    result = subprocess.run(["curl", "-sS", f"smtp://127.0.0.1:{server.port}", "--mail-from", "curl@example.net",
                             "--mail-rcpt", "bob@example.test", "--upload-file", str(body)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    [message] = server.messages("bob")
    assert "Subject: from curl" in message.read_text()


def test_smtp_source_load(smtpx, practice):
    server = practice()
    result = subprocess.run(["smtp-source", "-s", "10", "-m", "200", "-f", "load@example.net", "-t", "alice@example.test",
                             f"127.0.0.1:{server.port}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(server.messages("alice")) == 200
    assert not list((server.maildir / "alice" / "tmp").iterdir())


def test_teacher_log(smtpx, practice):
    server = practice()
    swaks(server.port, "--to", "alice@example.test", "--from", "learner@example.net")
    # The log is written by a thread of its own within milliseconds, not before each reply: the
    # lines are waited for (the fixture's own probe of the port is a session of the log too).
    stored = r"stored \w+ \(\d+ octets\) in 1 mailbox\(es\), on disk [0-9.]+ ms after its end"

    def complete():
        log = server.log.read_text()
        return ("C: EHLO" in log and "S: 250 2.0.0 Ok: queued as" in log and "connected" in log
                and re.search(stored, log) and "S: 221" in log)
    assert wait_until(complete, timeout=5), server.log.read_text()


def dialog(port, lines, read_timeout=5):
    """Sends lines one by one; returns every reply line the server sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        reader = sock.makefile("rb")
        replies = []

        def read_reply():
            while True:
                try:
                    line = reader.readline()
                except ConnectionResetError:
                    return False
                if not line:
                    return False
                replies.append(line.decode(errors="replace").rstrip("\r\n"))
                if len(line) < 4 or line[3:4] != b"-":
                    return True
        if not read_reply():
            return replies
        for line in lines:
            try:
                sock.sendall(line if isinstance(line, bytes) else (line + "\r\n").encode())
                if not read_reply():
                    break
            except (ConnectionResetError, BrokenPipeError):
                break
        return replies


@pytest.mark.parametrize("scenario,lines,expected", [
    ("busy", [], "421 4.3.2"),
    ("mailbox-full", ["EHLO x", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"], "552 5.2.2"),
    ("greylist", ["EHLO x", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"], "450 4.7.1"),
    ("size-limit", ["EHLO x", "MAIL FROM:<a@b.example> SIZE=20000"], "552 5.3.4"),
    ("auth-required", ["EHLO x", "MAIL FROM:<a@b.example>"], "530 5.7.0"),
    ("tls-required", ["EHLO x", "MAIL FROM:<a@b.example>"], "530 5.7.0"),
])
def test_scenarios(smtpx, practice, scenario, lines, expected):
    server = practice("--scenario", scenario)
    replies = dialog(server.port, lines)
    assert any(reply.startswith(expected) for reply in replies), replies


def test_greylist_retry_goes_through(smtpx, practice):
    server = practice("--scenario", "greylist", "--greylist-delay", "1")
    first = swaks(server.port, "--to", "alice@example.test", "--from", "a@b.example")
    assert "450 4.7.1 Greylisted" in first.stdout
    time.sleep(1.2)
    second = swaks(server.port, "--to", "alice@example.test", "--from", "a@b.example")
    assert "250 2.0.0 Ok" in second.stdout
    assert len(server.messages("alice")) == 1


def test_slow_and_tarpit_delay_replies(smtpx, practice):
    slow = practice("--scenario", "slow")
    started = time.time()
    dialog(slow.port, ["NOOP"])
    assert time.time() - started >= 2.5
    tarpit = practice("--scenario", "tarpit")
    started = time.time()
    dialog(tarpit.port, ["EHLO x", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "RCPT TO:<bob@example.test>"])
    assert time.time() - started >= 1.4


def test_disconnect_after_data_delivers_nothing(smtpx, practice):
    server = practice("--scenario", "disconnect-after-data")
    replies = dialog(server.port, ["EHLO x", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "DATA",
                                   b"Subject: lost\r\n\r\nbody\r\n.\r\n"])
    assert replies[-1].startswith("354")
    assert server.messages("alice") == []


def test_limits(smtpx, practice):
    server = practice("--max-recipients", "2", "--max-errors", "3")
    replies = dialog(server.port, ["EHLO x", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>",
                                   "RCPT TO:<bob@example.test>", "RCPT TO:<alice@example.test>"])
    assert replies[-1].startswith("452 4.5.3")
    replies = dialog(server.port, ["NOOP " + "x" * 600, "XYZZY", "XYZZY", "NOOP"])
    assert replies[1].startswith("500 5.5.2 Line too long")
    assert replies[-1].startswith("421 4.7.0 Too many errors")


def test_connection_limit_and_timeout(smtpx, practice):
    server = practice("--max-connections", "1", "--command-timeout", "1")
    with socket.create_connection(("127.0.0.1", server.port)) as first:
        assert first.makefile("rb").readline().startswith(b"220")
        second = dialog(server.port, [])
        assert second[0].startswith("421 4.3.2"), second
        first.settimeout(5)
        rest = first.makefile("rb").readline()
        assert rest.startswith(b"421 4.4.2"), rest


def test_garbage_nul_and_a_vanishing_client(smtpx, practice):
    server = practice()
    replies = dialog(server.port, [b"\x00\x00\xff\xfe\r\n", b"\x1b[2J\r\n", "EHLO ok"])
    assert replies[1].startswith("500") and replies[2].startswith("500") and replies[3].startswith("250")
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.makefile("rb").readline()
        sock.sendall(b"EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\nSubject: half\r\n\r\nhalf a mess")
        time.sleep(0.5)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"\x41" * 2_000_000)
        time.sleep(0.5)
    result = swaks(server.port, "--to", "bob@example.test", "--from", "a@b.example")
    assert "250 2.0.0 Ok" in result.stdout
    assert server.messages("alice") == []
    assert not list((server.maildir / "alice" / "tmp").iterdir())


def test_bad_arguments_are_reported(smtpx, tmp_path):
    for args, message in [(["--listen", "nowhere"], "--listen takes ADDRESS:PORT"),
                          (["--scenario", "nope"], "Unknown scenario 'nope'"),
                          (["--list", "team"], "--list takes NAME=member"),
                          (["--tls-cert", "x.pem"], "--tls-cert and --tls-key go together")]:
        result = subprocess.run([smtpx, "serve", *args], capture_output=True, text=True, timeout=20)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)


def test_a_maildir_that_cannot_be_made_is_said_in_words(smtpx, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run([smtpx, "serve", "--listen", "127.0.0.1:0", "--maildir", str(blocker / "maildir")],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert f"cannot make the Maildir {blocker / 'maildir'}: Not a directory" in result.stderr, result.stderr
    assert "NSCocoaErrorDomain" not in result.stderr


def test_port_in_use_is_reported(smtpx, practice, tmp_path):
    server = practice()
    result = subprocess.run([smtpx, "serve", "--listen", f"127.0.0.1:{server.port}", "--maildir", str(tmp_path / "m")],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert "smtpx serve:" in result.stderr and "in use" in result.stderr.lower()


@pytest.mark.parametrize("sessions", [10, 100])
def test_kill_9_loses_no_acknowledged_message(smtpx, practice, sessions):
    """kill -9 during an smtp-source load whose messages share commit batches: every 250'd
    message is whole in new/, nothing half-written is."""
    server = practice()
    load = subprocess.Popen(["smtp-source", "-s", str(sessions), "-m", "100000", "-l", "2048", "-f", "load@example.net",
                             "-t", "alice@example.test", f"127.0.0.1:{server.port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    acknowledged = []
    with smtplib.SMTP("127.0.0.1", server.port) as client:
        deadline = time.time() + 3
        n = 0
        try:
            while time.time() < deadline:
                n += 1
                marker = f"crash-test-{n:06d}"
                client.sendmail("probe@example.net", ["bob@example.test"], f"Subject: {marker}\r\n\r\n{marker}\r\n" + "x" * 2000 + "\r\n")
                acknowledged.append(marker)
                if n == 20:
                    server.process.send_signal(signal.SIGKILL)
        except (smtplib.SMTPException, OSError):
            pass
    load.kill()
    load.wait()
    server.process.wait()
    assert len(acknowledged) >= 20
    stored = {path.read_text().split("Subject: ")[1].split("\n")[0]: path.read_text() for path in server.messages("bob")}
    for marker in acknowledged:
        assert marker in stored, f"{marker} was acknowledged but is not in the Maildir"
        assert stored[marker].rstrip("\n").endswith("x" * 2000), f"{marker} is not whole"
    for path in server.messages("alice"):
        # smtp-source messages: headers, then the body of 2048 octets in lines.
        text = path.read_text()
        assert text.endswith("\n") and "Received: from" in text, f"{path.name} is not whole"
    assert len(server.messages("alice")) > 0, "the load delivered nothing before the kill"
