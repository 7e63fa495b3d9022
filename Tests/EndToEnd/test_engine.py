"""The conversation engine through every face: batch mode's defects gone, the explorer's queue,
waiting indicator and locale, replay of what the engine records. Real binary, real peers."""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import SMTPX, wait_until
from test_batch import SESSION, batch


def normalized(text, port):
    """A transcript without its timings and ports, to compare runs."""
    text = re.sub(r"  \(\+[0-9.]+ms(, last line \+[0-9.]+ms)?\)", "", text)
    text = re.sub(r"\(from [^)]*\)", "(from LOCAL)", text)
    return text.replace(str(port), "PORT")


# --- 1. typed STARTTLS and /starttls ------------------------------------------------------

@pytest.mark.parametrize("form", ["STARTTLS", "/starttls"])
def test_typed_and_slash_starttls_behave_the_same(smtpx, postfix, form):
    script = f"EHLO laptop\n{form}\nEHLO laptop\nMAIL FROM:<a@example.net>\nRSET\nQUIT\n"
    result = batch(["--insecure", "127.0.0.1", str(postfix["port"])], script)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert " -> STARTTLS" in lines
    assert any(line.startswith("*** TLS established: TLSv1.3") for line in lines), result.stdout
    # Nothing after STARTTLS is shown as sent in plaintext, and the EHLO after it went under TLS.
    after = lines[lines.index(" -> STARTTLS") + 1:]
    assert not any(line.startswith(" -> ") for line in after)
    assert " ~> EHLO laptop" in after and " ~> MAIL FROM:<a@example.net>" in after
    assert "TLS failed" not in result.stdout


# --- 2. BDAT n LAST ------------------------------------------------------------------------

def test_bdat_last_sends_its_chunk(smtpx, practice):
    server = practice()
    script = "EHLO laptop\nMAIL FROM:<a@example.net>\nRCPT TO:<alice@example.test>\nBDAT 19 LAST\nSubject: bdat\n\nhi\nQUIT\n"
    started = time.time()
    result = batch(["127.0.0.1", str(server.port)], script, timeout=20)
    assert time.time() - started < 10
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<-  250 2.0.0 Ok: queued as" in result.stdout
    [message] = server.messages("alice")
    assert "Subject: bdat" in message.read_text()


# --- 3. a 421 or a 554 banner, then a close: one answer every time -------------------------

@pytest.mark.parametrize("mode, status", [("closing", 4), ("banner", 5)])
def test_closing_servers_give_one_answer_in_50_runs(smtpx, hostile, mode, status):
    server = hostile(mode)
    script = "EHLO laptop\nMAIL FROM:<a@example.net>\nRCPT TO:<b@example.net>\nDATA\nSubject: x\n\nbody\n.\nQUIT\n"
    transcripts, statuses = set(), set()
    for _ in range(50):
        result = batch(["127.0.0.1", str(server.port)], script, timeout=20)
        transcripts.add(normalized(result.stdout, server.port))
        statuses.add(result.returncode)
        assert " -> DATA" not in result.stdout
    assert statuses == {status}, statuses
    assert len(transcripts) == 1, "\n---\n".join(sorted(transcripts))


# --- 4. the timeout is silence, any value from 0.1 s, and what arrived is kept ------------

def test_timeout_counts_silence_and_keeps_what_arrived(smtpx, hostile):
    server = hostile("slow")
    started = time.time()
    result = batch(["--timeout", "0.5", "127.0.0.1", str(server.port)], "EHLO laptop\nQUIT\n", timeout=20)
    elapsed = time.time() - started
    assert result.returncode == 3, result.stdout + result.stderr
    # Four lines 0.3 s apart came within 0.5 s of each other: all kept; then the half line.
    for n in range(4):
        assert f"<-  250-slow line {n}" in result.stdout
    assert "<-  250-half a li" in result.stdout
    assert "No reply to EHLO laptop for 0.5 s" in result.stdout
    assert "No reply" in result.stderr
    assert elapsed < 5
    quick = batch(["--timeout", "0.1", "127.0.0.1", str(server.port)], "EHLO laptop\n", timeout=20)
    assert quick.returncode == 3 and "for 0.1 s" in quick.stdout
    assert batch(["--timeout", "0.05", "127.0.0.1", str(server.port)], "QUIT\n").returncode == 64


# --- 5. secrets: never in the clear, never unasked; --require-tls -------------------------

def test_auth_never_sends_a_secret_in_the_clear(smtpx, practice):
    # A server without TLS that offers PLAIN in the clear.
    server = practice("--no-tls")
    script = "EHLO laptop\n/auth plain alice\nMAIL FROM:<a@example.net>\nQUIT\n"
    refused = batch(["127.0.0.1", str(server.port)], script, env={"SMTPX_SECRET": "wonderland"})
    assert "250 AUTH PLAIN LOGIN CRAM-MD5" in refused.stdout
    assert refused.returncode == 1, refused.stdout
    assert " -> AUTH" not in refused.stdout and "not encrypted" in refused.stderr
    allowed = batch(["--allow-plaintext-auth", "127.0.0.1", str(server.port)], script, env={"SMTPX_SECRET": "wonderland"})
    assert " -> AUTH PLAIN ********" in allowed.stdout and "without encryption" in allowed.stdout
    assert "235 2.7.0" in allowed.stdout and "wonderland" not in allowed.stdout
    # One with TLS offers only CRAM-MD5 before it, so /auth plain is not sent at all.
    guarded = practice()
    before = batch(["--allow-plaintext-auth", "127.0.0.1", str(guarded.port)], script, env={"SMTPX_SECRET": "wonderland"})
    assert "250 AUTH CRAM-MD5" in before.stdout and " -> AUTH" not in before.stdout
    assert "does not offer that mechanism" in before.stderr


def test_auth_goes_only_to_a_server_that_offers_it(smtpx, postfix):
    script = "EHLO laptop\nSTARTTLS\nEHLO laptop\n/auth plain alice\nQUIT\n"
    result = batch(["--insecure", "--allow-plaintext-auth", "127.0.0.1", str(postfix["port"])], script,
                   env={"SMTPX_SECRET": "wonderland"})
    assert result.returncode == 1
    assert "AUTH" not in "".join(line for line in result.stdout.splitlines() if line.startswith(" ~> "))
    assert "does not offer AUTH" in result.stdout


def test_require_tls(smtpx, postfix, practice):
    script = "EHLO laptop\nMAIL FROM:<a@example.net>\nRSET\nQUIT\n"
    upgraded = batch(["--require-tls", "--insecure", "127.0.0.1", str(postfix["port"])], script)
    assert upgraded.returncode == 0, upgraded.stdout
    assert "--require-tls: STARTTLS before MAIL" in upgraded.stdout
    assert " ~> MAIL FROM:<a@example.net>" in upgraded.stdout and " -> MAIL" not in upgraded.stdout
    plain = practice("--no-tls")
    unmet = batch(["--require-tls", "127.0.0.1", str(plain.port)], script)
    assert unmet.returncode == 6, unmet.stdout
    assert " -> MAIL" not in unmet.stdout and "does not offer STARTTLS" in unmet.stderr
    # A certificate that does not verify is a TLS failure: the run stops with 6 too.
    failed = batch(["--require-tls", "127.0.0.1", str(postfix["port"])], script)
    assert failed.returncode == 6 and " -> MAIL" not in failed.stdout and " ~> MAIL" not in failed.stdout


# --- 6. certificate facts in every batch format --------------------------------------------

def test_certificate_facts_in_text_jsonl_and_handout(smtpx, postfix):
    script = "EHLO laptop\nSTARTTLS\nEHLO laptop\nQUIT\n"
    text = batch(["--insecure", "127.0.0.1", str(postfix["port"])], script).stdout
    for fact in ("certificate 0:", "subject: CN=mx.smtpx.test", "names: mx.smtpx.test", "days left", "key: RSA 2048",
                 "signature: sha256WithRSAEncryption", "SHA-256: "):
        assert fact in text, (fact, text)
    events = [json.loads(line) for line in batch(["--insecure", "--format", "jsonl", "127.0.0.1", str(postfix["port"])],
                                                 script).stdout.splitlines()]
    [tls] = [e["event"]["tls"] for e in events if e.get("event", {}).get("type") == "tls-established"]
    assert tls["version"].startswith("TLSv1.") and tls["cipher"] and tls["verified"] is False
    assert {"type": "self-signed"} in tls["problems"]
    leaf = tls["chain"][0]
    assert leaf["subject"] == "CN=mx.smtpx.test" and leaf["names"] == ["mx.smtpx.test"] and leaf["key"] == "RSA 2048"
    assert 0 < leaf["days_left"] <= 30 and len(leaf["sha256"]) == 95 and leaf["not_after"].endswith("Z")
    handout = batch(["--insecure", "--format", "markdown", "127.0.0.1", str(postfix["port"])], script).stdout
    assert "key: RSA 2048" in handout and "days left" in handout


# --- 8. the exit statuses, documented -------------------------------------------------------

def test_exit_statuses_are_in_the_help(smtpx):
    help_text = subprocess.run([smtpx, "--help"], capture_output=True, text=True).stdout
    for line in ("0  every reply was 2xx or 3xx", "3  --timeout", "6  --require-tls", "64 a bad argument"):
        assert line in help_text, help_text


# --- 9. a pasted block waits for each reply, and the queue shows -------------------------

def test_paste_in_the_explorer_waits_for_each_reply(smtpx, practice, screen):
    server = practice("--scenario", "slow")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"<-  220 ")
    block = "EHLO laptop\nMAIL FROM:<me@example.net>\nRCPT TO:<alice@example.test>\nDATA\nSubject: pasted\n\nhi\n.\nQUIT\n"
    subprocess.run(["tmux", "load-buffer", "-b", "paste", "-"], input=block, text=True, check=True)
    subprocess.run(["tmux", "paste-buffer", "-b", "paste", "-t", s.name], check=True)
    shown = s.wait_for(r"queued")
    assert "…  MAIL FROM:<me@example.net>" in shown
    s.wait_for(r"<-  221 ", timeout=30)
    [message] = server.messages("alice")
    body = message.read_text()
    assert "Subject: pasted" in body and "QUIT" not in body


# --- 10. a LANG whose locale is missing still gets borders and Chinese -------------------

def test_missing_locale_falls_back_to_utf8(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]), env={"LANG": "zh_CN.UTF-8"})
    shown = s.wait_for(r"<-  220 ")
    first = shown.splitlines()[0]
    assert first.startswith("┌") and "明文" in first, shown


# --- 11. a reply awaited for long is said, with the seconds --------------------------------

def test_waiting_indicator_counts_seconds(smtpx, practice, screen):
    server = practice("--scenario", "slow")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"<-  220 ", timeout=15)
    s.line("NOOP")
    shown = s.wait_for(r"waiting 1 s")
    assert "Waiting for the reply to NOOP" in shown
    s.wait_for(r"<-  250 ")


# --- 12. replay: TLS and AUTH in the title, its own keys, the 354 explained --------------

def test_replay_shows_tls_auth_its_keys_and_the_354(smtpx, practice, screen, tmp_path):
    server = practice()
    script = "EHLO laptop\nSTARTTLS\nEHLO laptop\n/auth plain alice\nMAIL FROM:<alice@example.test>\n" \
             "RCPT TO:<bob@example.test>\nDATA\nSubject: r\n\nhi\n.\nQUIT\n"
    recorded = batch(["--format", "jsonl", "--insecure", "127.0.0.1", str(server.port)], script,
                     env={"SMTPX_SECRET": "wonderland"})
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    record = tmp_path / "tls.jsonl"
    record.write_text(recorded.stdout)
    s = screen("replay", str(record), width=132, height=40)
    s.wait_for(r"step 1 of")
    # The greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, then DATA: step 8.
    for _ in range(7):
        s.keys("Right")
    shown = s.wait_for(r"step 8 of")
    assert "354 — Start mail input" in shown and "You are typing" not in shown
    status = shown.splitlines()[0]
    assert "TLSv1.3" in status and "auth alice" in status and "plaintext" not in status
    s.keys("F1")
    helped = s.wait_for(r"keys and commands")
    assert "the next exchange" in helped and "complete a verb" not in helped
    s.keys("Escape")
    s.keys("q")
    assert s.wait_exit() == (0, True)


def test_replay_of_a_handout_and_of_a_server_log(smtpx, practice, screen, tmp_path):
    server = practice()
    handout = tmp_path / "handout.md"
    handout.write_text(batch(["--format", "markdown", "127.0.0.1", str(server.port)], SESSION).stdout)
    s = screen("replay", str(handout))
    shown = s.wait_for(r"step 1 of")
    assert "<-  220 mx.example.test" in shown
    s.keys("q")
    server.stop()
    log = subprocess.run([smtpx, "replay", str(server.log)], capture_output=True, text=True)
    assert log.returncode == 64 and "server's log" in log.stderr


# --- 13. /connect --tls ----------------------------------------------------------------------

def test_connect_takes_tls_and_refuses_what_it_does_not_know(smtpx, postfix, screen):
    s = screen("--insecure", "127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line(f"/connect 127.0.0.1 {postfix['tls_port']} tls")
    s.wait_for(r"Usage: /connect \[--tls\] HOST \[PORT\]")
    s.line(f"/connect --tls 127.0.0.1 {postfix['tls_port']}")
    shown = s.wait_for(r"<~  220 ")
    assert "TLS established" in shown
