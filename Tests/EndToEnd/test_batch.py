"""Batch mode through pipes, against the practice server and Postfix; replay in tmux."""
import json
import os
import re
import subprocess

from conftest import SMTPX

SESSION = """EHLO laptop
MAIL FROM:<learner@example.net>
RCPT TO:<alice@example.test>
DATA
Subject: batch

Hello from batch mode
.a dotted line
.
QUIT
"""


def batch(args, script, env=None, timeout=60):
    environment = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": os.environ.get("HOME", "/root")}
    environment.update(env or {})
    return subprocess.run([str(SMTPX), *args], input=script, capture_output=True, text=True, timeout=timeout,
                          env=environment, stdin=None)


def test_text_against_the_practice_server(smtpx, practice):
    server = practice()
    result = batch(["127.0.0.1", str(server.port)], SESSION)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"*** Trying 127.0.0.1:{server.port}…"
    assert " -> EHLO laptop" in lines
    assert " -> ..a dotted line" in lines
    assert any(line.startswith("<-  250 2.0.0 Ok: queued as") and "(+" in line for line in lines)
    [message] = server.messages("alice")
    assert "\n.a dotted line\n" in message.read_text()


def test_startup_trace_only_when_asked(smtpx, practice):
    server = practice()
    plain = batch(["127.0.0.1", str(server.port)], SESSION)
    assert "startup:" not in plain.stderr and "startup:" not in plain.stdout
    traced = batch(["127.0.0.1", str(server.port)], SESSION, env={"SMTPX_STARTUP_TIMES": "1"})
    assert traced.returncode == 0, traced.stderr
    # The transcript is untouched: the same lines (timings aside), no mark among them.
    assert "startup:" not in traced.stdout
    assert len(traced.stdout.splitlines()) == len(plain.stdout.splitlines())
    marks = [line[len("startup: "):].rpartition(" +") for line in traced.stderr.splitlines() if line.startswith("startup: ")]
    names = [name for name, _, _ in marks]
    assert names[:3] == ["main", "options parsed", "engine ready"]
    for step in ["connected", "first bytes", "closed", "done"]:
        assert step in names, names
    assert names[-1] == "exit"
    times = [float(ms) for _, _, ms in marks]
    assert times == sorted(times) and times[0] < 1


def test_jsonl_every_line_parses(smtpx, practice):
    server = practice()
    result = batch(["--format", "jsonl", "--explain", "127.0.0.1", str(server.port)], SESSION)
    assert result.returncode == 0
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert all({"time", "dir", "tls", "raw"} <= set(event) for event in events)
    replies = [event for event in events if event["dir"] == "recv"]
    assert all(isinstance(event["code"], int) for event in replies)
    queued = next(event for event in replies if "queued" in event["raw"])
    assert queued["enhanced"] == "2.0.0" and queued["latency_ms"] >= 0 and queued["answers"] == "."
    assert "explanation" in queued and queued["explanation"].startswith("250 2.0.0 — ")
    sent = [event["raw"] for event in events if event["dir"] == "send"]
    assert sent[:2] == ["EHLO laptop\r\n", "MAIL FROM:<learner@example.net>\r\n"]


def test_markdown_handout_in_both_languages(smtpx, practice):
    server = practice()
    english = batch(["--format", "markdown", "127.0.0.1", str(server.port)], SESSION)
    assert english.returncode == 0
    text = english.stdout
    assert text.startswith(f"# SMTP session with 127.0.0.1:{server.port}")
    assert "```text\nC: EHLO laptop\nS: 250-mx.example.test" in text
    assert "> **250 2.0.0 — Requested mail action okay, completed**" in text
    chinese = batch(["--format", "markdown", "--lang", "zh", "127.0.0.1", str(server.port)], SESSION)
    assert "的 SMTP 会话" in chinese.stdout and "请求的邮件操作完成" in chinese.stdout


def test_exit_status_follows_the_worst_reply(smtpx, practice):
    server = practice()
    assert batch(["127.0.0.1", str(server.port)], "EHLO x\nVRFY nobody\nQUIT\n").returncode == 5
    greylist = practice("--scenario", "greylist")
    assert batch(["127.0.0.1", str(greylist.port)],
                 "EHLO x\nMAIL FROM:<a@b.example>\nRCPT TO:<alice@example.test>\nQUIT\n").returncode == 4
    refused = batch(["127.0.0.1", "1"], "EHLO x\n")
    assert refused.returncode == 2
    assert "Connection refused" in refused.stdout


def test_refused_data_skips_the_body(smtpx, practice):
    server = practice()
    result = batch(["127.0.0.1", str(server.port)],
                   "EHLO x\nMAIL FROM:<a@b.example>\nRCPT TO:<nobody@example.test>\nDATA\nSubject: no\n\nbody\n.\nNOOP\nQUIT\n")
    assert result.returncode == 5
    assert " -> Subject: no" not in result.stdout
    assert " -> NOOP" in result.stdout and "<-  250 2.0.0 OK: nothing done" in result.stdout


def test_pipeline_sends_groups(smtpx, practice):
    server = practice()
    result = batch(["--pipeline", "127.0.0.1", str(server.port)],
                   "EHLO x\nMAIL FROM:<a@b.example>\nRCPT TO:<alice@example.test>\nRCPT TO:<bob@example.test>\nDATA\n"
                   "Subject: p\n\nbody\n.\nQUIT\n")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    data_sent = lines.index(" -> DATA")
    mail_answered = next(i for i, line in enumerate(lines) if line.startswith("<-  250 2.1.0"))
    assert data_sent < mail_answered, "MAIL, RCPT, RCPT and DATA go out as one group before the replies"
    assert len(server.messages("alice")) == 1 and len(server.messages("bob")) == 1


def test_postfix_with_starttls(smtpx, postfix):
    script = "EHLO client.example.net\n/starttls\nEHLO client.example.net\nMAIL FROM:<b@example.net>\n" \
             "RCPT TO:<bob@smtpx.test>\nDATA\nSubject: batch over tls\n\nhi\n.\nQUIT\n"
    result = batch(["--insecure", "127.0.0.1", str(postfix["port"])], script)
    assert result.returncode == 0, result.stdout
    assert "*** TLS established: TLSv1." in result.stdout
    assert " ~> MAIL FROM:<b@example.net>" in result.stdout
    strict = batch(["127.0.0.1", str(postfix["port"])], script)
    assert strict.returncode == 2
    assert "TLS failed: the certificate is self-signed" in strict.stdout


def test_auth_secret_comes_from_the_environment(smtpx):
    script = "EHLO laptop\n/starttls\nEHLO laptop\n/auth plain alice\nMAIL FROM:<alice@example.test>\n" \
             "RCPT TO:<friend@elsewhere.example>\nQUIT\n"
    result = batch([], script, env={"SMTPX_SECRET": "wonderland"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<~  235 2.7.0 Authentication succeeded" in result.stdout
    assert " ~> AUTH PLAIN ********" in result.stdout and "wonderland" not in result.stdout
    assert "kept in the outbox" in result.stdout
    missing = subprocess.run(["setsid", str(SMTPX)], input=script, capture_output=True, text=True, timeout=60,
                             env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8"})
    assert missing.returncode == 1
    assert "set SMTPX_SECRET" in missing.stderr


def test_script_file_and_no_host(smtpx, tmp_path):
    script = tmp_path / "handout.smtp"
    script.write_text("# a comment\nEHLO laptop\n\nVRFY alice\nQUIT\n")
    result = subprocess.run([str(SMTPX), "--script", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    assert "<-  250 2.1.5 Alice <alice@example.test>" in result.stdout
    assert "# a comment" not in result.stdout


def test_replay_steps_through_a_recorded_session(smtpx, practice, screen, tmp_path):
    server = practice()
    record = tmp_path / "session.jsonl"
    record.write_text(batch(["--format", "jsonl", "127.0.0.1", str(server.port)], SESSION).stdout)
    s = screen("replay", str(record), width=132, height=40)
    shown = s.wait_for(r"step 1 of \d+")
    assert "<-  220 mx.example.test" in shown and "EHLO laptop" not in shown
    s.keys("Right")
    shown = s.wait_for(r"step 2 of")
    assert " -> EHLO laptop" in shown and "EHLO reply from mx.example.test" in shown
    s.keys("End")
    shown = s.wait_for(r"<-  221 2\.0\.0")
    assert "The answer to QUIT" in shown
    total = int(re.search(r"step (\d+) of (\d+)", shown).group(2))
    s.keys("Left")
    shown = s.wait_for(rf"step {total - 1} of {total}")
    assert "queued as" in shown
    assert "<-  221" not in shown
    s.keys("C-p", "C-p")
    s.wait_for(r"You sent")
    s.keys("q")
    assert s.wait_exit() == (0, True)


def test_replay_of_a_record_file(smtpx, postfix, screen, tmp_path):
    record = tmp_path / "record.txt"
    s = screen("--record", str(record), "127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.keys("C-c")
    s.wait_exit()
    r = screen("replay", str(record))
    r.wait_for(r"step 1 of 2")
    r.keys("Right")
    r.wait_for(r"EHLO reply from mx\.smtpx\.test")


def test_replay_of_nothing_is_an_error(smtpx, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n")
    result = subprocess.run([str(SMTPX), "replay", str(empty)], capture_output=True, text=True, timeout=20)
    assert result.returncode != 0 and "holds no transcript lines" in result.stderr


def test_files_that_cannot_be_used_are_named_before_anything_runs(smtpx, tmp_path):
    missing = tmp_path / "missing"
    for args in (["replay", str(missing / "session.jsonl")], ["--record", str(missing / "session.txt")]):
        result = subprocess.run([str(SMTPX), *args], input="QUIT\n", capture_output=True, text=True, timeout=20)
        assert result.returncode == 64, args
        assert result.stdout == "", "nothing was run"
        first = result.stderr.splitlines()[0]
        assert first.startswith("Error: ") and str(missing) in first, result.stderr
        assert "Usage: smtpx <subcommand>" not in result.stderr, "the root's usage is not this command's"


def test_record_in_batch_mode(smtpx, practice, tmp_path):
    server = practice()
    record = tmp_path / "batch.jsonl"
    result = batch(["--record", str(record), "127.0.0.1", str(server.port)], SESSION)
    assert result.returncode == 0
    events = [json.loads(line) for line in record.read_text().splitlines()]
    assert any(event["dir"] == "send" and event["raw"] == "QUIT\r\n" for event in events)
