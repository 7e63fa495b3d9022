"""TLS and AUTH on both sides: the explorer against Postfix and the injection server; swaks and
smtplib against smtpx serve; recordings without secrets."""
import base64
import smtplib
import socket
import ssl
import subprocess

import pytest

from conftest import free_port, wait_until, port_open, run, SMTPX
from test_serve import swaks


def test_postfix_starttls_refused_without_insecure(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.line("STARTTLS")
    shown = s.wait_for(r"TLS failed: the certificate is self-signed")
    flat = " ".join(shown.split())
    assert "smtpx did not use this connection" in flat
    assert "the certificate is for mx.smtpx.test, not 127.0.0.1" in flat
    assert "CN=mx.smtpx.test" in flat
    s.line("NOOP")
    s.wait_for(r"Not connected")


def test_tls_to_a_plaintext_port_says_so(smtpx, postfix):
    result = run(["--tls", "127.0.0.1", str(postfix["port"])], input="EHLO client.example.net\n")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "TLS failed: the server did not answer in TLS (WRONG_VERSION_NUMBER)" in result.stdout
    assert "NIOSSL" not in result.stdout and "handshakeFailed" not in result.stdout
    assert "->" not in result.stdout, "nothing is sent when TLS was not made"


def test_postfix_starttls_with_insecure_shows_the_session(smtpx, postfix, screen):
    s = screen("--insecure", "127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.line("STARTTLS")
    shown = s.wait_for(r"TLS established: TLSv1\.[23], TLS_\w+;")
    flat = " ".join(shown.split())
    assert "TLSv1." in shown.splitlines()[0] and "(unverified)" in shown.splitlines()[0]
    assert "NOT verified" in flat
    assert "subject CN=mx.smtpx.test" in flat and "SHA-256" in flat
    assert "send EHLO again" in flat
    s.line("EHLO client.example.net")
    shown = s.wait_for(r"<~  250 CHUNKING")
    assert "What changed since STARTTLS" in shown and "- STARTTLS" in shown
    s.line("MAIL FROM:<tls@example.net>")
    s.wait_for(r"<~  250 2\.1\.0 Ok")


def test_postfix_implicit_tls(smtpx, postfix, screen):
    s = screen("--tls", "--insecure", "127.0.0.1", str(postfix["tls_port"]))
    shown = s.wait_for(r"<~  220 mx\.smtpx\.test")
    assert "TLS established" in shown
    s.line("EHLO client.example.net")
    s.wait_for(r"<~  250 CHUNKING")


def test_tls_with_no_host_uses_the_practice_servers_tls_listener(smtpx):
    result = run(["--tls"], input="EHLO laptop\n/auth plain alice\nQUIT\n", env={"SMTPX_SECRET": "wonderland"})
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "TLS established" in out and "certificate verified" in out
    assert "<~  220 mx.example.test" in out
    assert "<~  235 2.7.0" in out
    assert "STARTTLS" not in out, "an encrypted session offers no STARTTLS"
    assert "<-" not in out, "nothing in plaintext"


def test_tls_with_no_host_welcome_says_it_is_encrypted(smtpx, screen):
    s = screen("--tls")
    s.wait_for(r"TLS established")
    assert "encrypted from the first" in s.capture()
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_injected_plaintext_after_starttls_is_refused(smtpx, hostile, screen):
    server = hostile("inject")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"<-  220 inject\.example")
    s.line("EHLO me")
    s.wait_for(r"<-  250 STARTTLS")
    s.line("STARTTLS")
    shown = s.wait_for(r"arrived in plaintext after the 220 to STARTTLS")
    assert "250-INJECTED" not in "\n".join(line for line in shown.splitlines() if "<-" in line)
    s.wait_for(r"TLS failed")
    for _ in range(3):
        s.keys("C-p")
    shown = s.wait_for(r"Plaintext after STARTTLS refused")
    assert "CVE-2011-0411" in " ".join(shown.split())


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN", "CRAM-MD5"])
def test_swaks_starttls_and_auth(smtpx, practice, mechanism):
    server = practice()
    result = swaks(server.port, "--tls", "--auth", mechanism, "--auth-user", "alice", "--auth-password", "wonderland",
                   "--from", "alice@example.test", "--to", "friend@elsewhere.example")
    assert result.returncode == 0, result.stdout
    assert "<~  235 2.7.0 Authentication succeeded" in result.stdout
    assert "kept in the outbox, never sent on" in result.stdout
    assert len(list((server.maildir / ".outbox" / "new").iterdir())) == 1


def test_swaks_implicit_tls(smtpx, practice):
    tls_port = free_port()
    server = practice("--tls-listen", f"127.0.0.1:{tls_port}")
    assert wait_until(lambda: port_open(tls_port))
    result = swaks(tls_port, "--tlsc", "--auth", "PLAIN", "--auth-user", "bob", "--auth-password", "builder",
                   "--to", "alice@example.test", "--from", "bob@example.test")
    assert result.returncode == 0, result.stdout
    assert "<~  220 mx.example.test ESMTP" in result.stdout
    assert len(server.messages("alice")) == 1
    assert "with ESMTPSA id" in server.messages("alice")[0].read_text()


def test_wrong_password_and_auth_before_tls(smtpx, practice):
    server = practice()
    wrong = swaks(server.port, "--tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "nope",
                  "--to", "bob@example.test")
    assert "535 5.7.8 Authentication credentials invalid" in wrong.stdout
    # Before TLS only CRAM-MD5 is offered; LOGIN typed anyway gets 538 and why.
    plaintext = swaks(server.port, "--auth", "LOGIN", "--auth-user", "alice", "--auth-password", "wonderland",
                      "--to", "bob@example.test")
    assert "250 AUTH CRAM-MD5" in plaintext.stdout and "Auth not attempted" in plaintext.stderr
    typed = run(["127.0.0.1", str(server.port)], input="EHLO laptop\nAUTH LOGIN\nQUIT\n")
    assert "538 5.7.11 Encryption required for LOGIN" in typed.stdout


def test_smtplib_starttls_and_login(smtpx, practice):
    server = practice()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", server.port) as client:
        client.ehlo()
        client.user, client.password = "alice", "wonderland"
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            client.auth("PLAIN", client.auth_plain)
        assert refused.value.smtp_code == 538
        client.starttls(context=context)
        client.ehlo()
        with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
            client.login("alice", "not-the-password")
        assert wrong.value.smtp_code == 535
        assert client.login("alice", "wonderland")[0] == 235
        client.sendmail("alice@example.test", ["bob@example.test"], "Subject: after login\r\n\r\nhi\r\n")
    assert "with ESMTPSA" in server.messages("bob")[0].read_text()


def test_pipelined_bytes_behind_starttls_are_thrown_away(smtpx, practice):
    server = practice()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        raw.sendall(b"EHLO x\r\n")
        while reader.readline()[3:4] == b"-":
            pass
        raw.sendall(b"STARTTLS\r\nMAIL FROM:<evil@example.net>\r\n")
        assert reader.readline().startswith(b"220 2.0.0")
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with context.wrap_socket(raw, server_hostname="mx.example.test") as secure:
            secure.sendall(b"MAIL FROM:<a@b.example>\r\n")
            assert secure.recv(1000).startswith(b"503 5.5.1 Say hello first")
    assert "thrown away, RFC 3207" in server.log.read_text()


def test_recordings_and_save_hold_no_secret(smtpx, screen, tmp_path):
    record = tmp_path / "session.jsonl"
    saved = tmp_path / "saved.txt"
    s = screen("--record", str(record))
    s.wait_for(r"Welcome to smtpx")
    for line in ["EHLO laptop", "/starttls"]:
        s.line(line)
    s.wait_for(r"TLS established")
    s.line("EHLO laptop")
    s.wait_for(r"<~  250 AUTH")
    s.line("/auth plain alice")
    s.wait_for(r"password:")
    s.line("wonderland")
    s.wait_for(r"235 2\.7\.0 Authentication succeeded")
    s.line(f"/save {saved}")
    s.wait_for(r"Saved \d+ lines")
    secret = base64.b64encode(b"\0alice\0wonderland").decode()
    for path in (record, saved):
        text = path.read_text()
        assert "AUTH PLAIN ********" in text
        assert secret not in text and "wonderland" not in text, path
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_show_secrets_records_them(smtpx, screen, tmp_path):
    record = tmp_path / "session.txt"
    s = screen("--show-secrets", "--record", str(record))
    s.wait_for(r"Welcome to smtpx")
    s.line("EHLO laptop")
    s.line("/starttls")
    s.wait_for(r"TLS established")
    s.line("EHLO laptop")
    s.wait_for(r"<~  250 AUTH")
    s.line("/auth plain alice")
    s.line("wonderland")
    s.wait_for(r"235 2\.7\.0")
    assert base64.b64encode(b"\0alice\0wonderland").decode() in record.read_text()
