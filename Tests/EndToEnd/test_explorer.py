"""The explorer screen, driven in tmux against real Postfix and against a hostile server."""
import json
import os
import pathlib
import signal
import subprocess
import time
import uuid

from conftest import practice_folder, run, wait_until


def maildir_messages(state, user):
    folder = pathlib.Path(state) / "mail" / "smtpx.test" / user / "new"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_whole_transaction_with_postfix(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 mx\.smtpx\.test ESMTP Postfix")
    s.line("EHLO client.example.net")
    shown = s.wait_for(r"<-  250 CHUNKING")
    assert "250-SIZE 10240000" in shown
    assert "EHLO reply from mx.smtpx.test" in shown
    assert "9.8 MiB" in shown

    s.line("MAIL FROM:<learner@example.net>")
    s.wait_for(r"<-  250 2\.1\.0 Ok")
    s.line("RCPT TO:<alice@smtpx.test>")
    shown = s.wait_for(r"<-  250 2\.1\.5 Ok")
    assert "1 rcpt" in shown.splitlines()[0]

    subject = "smtpx e2e " + uuid.uuid4().hex[:8]
    before = len(maildir_messages(postfix["state"], "alice"))
    s.line("DATA")
    shown = s.wait_for(r"<-  354 End data")
    assert "msg>" in shown
    for line in [f"Subject: {subject}", "From: learner@example.net", "", "Hello Alice,", ".a line starting with a dot"]:
        s.line(line)
    s.line(".")
    shown = s.wait_for(r"<-  250 2\.0\.0 Ok: queued as")
    assert " -> ..a line starting with a dot" in shown

    s.line("QUIT")
    shown = s.wait_for(r"<-  221 2\.0\.0 Bye")
    s.wait_for(r"\*\*\* Connection closed")

    messages = wait_until(lambda: [m for m in maildir_messages(postfix["state"], "alice")
                                   if subject in m.read_text(errors="replace")], timeout=10)
    assert messages, "the message did not reach alice's Maildir"
    assert "\n.a line starting with a dot" in messages[0].read_text()
    assert len(maildir_messages(postfix["state"], "alice")) == before + 1


def test_rejected_recipient_is_explained(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.line("MAIL FROM:<learner@example.net>")
    s.line("RCPT TO:<nobody@smtpx.test>")
    shown = s.wait_for(r"550 5\.1\.1 — Bad destination mailbox address")
    assert "Check the spelling of the part before the @" in " ".join(shown.split())


def test_lint_warns_while_typing_but_sends(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.keys("RCPT TO:<alice@smtpx.test>", literal=True)
    shown = s.wait_for(r"No sender yet")
    assert "503" in shown
    s.keys("Enter")
    s.wait_for(r"<-  503 5\.5\.1")


def test_resize_redraws_in_the_narrow_layout(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    s.resize(80, 24)
    shown = s.wait_for(r"(?s)├─ EHLO reply from mx\.smtpx\.test.*└─ F1 help.*┘")
    lines = shown.rstrip("\n").splitlines()
    assert len(lines[0]) == 80 and lines[0].startswith("┌")
    assert lines[-1].startswith("└")
    s.resize(132, 40)
    shown = s.wait_for(r"(?s)┬.*└─ F1 help.*┘")
    assert "│ EHLO reply from mx.smtpx.test" in shown


def test_ctrl_c_restores_the_terminal(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_sigterm_restores_the_terminal(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    os.kill(s.pid(), signal.SIGTERM)
    assert s.wait_exit() == (143, True)


def test_slash_quit_and_help(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]), width=100, height=30)
    s.wait_for(r"<-  220 ")
    s.keys("F1")
    shown = s.wait_for(r"keys and commands")
    assert "Ctrl-P, Shift-↑" in shown
    s.keys("NPage")
    s.wait_for(r"/connect \[--tls\] HOST \[PORT\]")
    s.keys("Escape")
    s.line("/quit")
    assert s.wait_exit() == (0, True)


def test_chinese_screen(smtpx, postfix, screen):
    s = screen("--lang", "zh", "127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    shown = s.wait_for(r"来自 mx\.smtpx\.test 的 EHLO 回复")
    assert "明文" in shown.splitlines()[0]
    assert "F1 帮助" in shown.splitlines()[-1]
    for line in shown.splitlines():
        assert line.startswith(("┌", "│", "├", "└")), line
        assert line.endswith(("┐", "│", "┤", "┘")), line


def test_ipv6(smtpx, postfix, screen):
    s = screen("::1", str(postfix["port"]))
    shown = s.wait_for(r"<-  220 mx\.smtpx\.test")
    assert "Connected to [::1]" in shown


def test_refused_then_connect_again(smtpx, postfix, screen):
    s = screen("127.0.0.1", "1")
    shown = s.wait_for(r"Connection refused by 127\.0\.0\.1:1")
    assert "nothing listens on port" in shown
    s.line(f"/connect 127.0.0.1 {postfix['port']}")
    s.wait_for(r"<-  220 mx\.smtpx\.test")


def test_unknown_host(smtpx, screen):
    s = screen("no-such-host.invalid", "25")
    s.wait_for(r"Unknown host no-such-host\.invalid", timeout=20)


def test_record_is_written_as_it_happens(smtpx, postfix, screen, tmp_path):
    record = tmp_path / "session.jsonl"
    s = screen("--record", str(record), "127.0.0.1", str(postfix["port"]))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 CHUNKING")
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert [entry["dir"] for entry in lines[:2]] == ["local", "local"]
    greeting = next(entry for entry in lines if entry["dir"] == "recv")
    assert greeting["code"] == 220 and greeting["raw"].endswith("\r\n")
    assert any(entry["dir"] == "send" and entry["raw"] == "EHLO client.example.net\r\n" for entry in lines)
    assert lines[-1]["raw"] == "250 CHUNKING\r\n" and lines[-1]["answers"] == "EHLO client.example.net"


def test_unknown_terminal_is_one_line_error(smtpx, postfix, screen):
    s = screen("127.0.0.1", str(postfix["port"]), env={"TERM": "no-such-terminal"})
    assert s.wait_exit() == (1, True)
    assert 'unknown terminal type "no-such-terminal"' in s.capture()


def test_output_not_a_terminal_is_a_one_line_error(smtpx, postfix, screen, tmp_path):
    s = screen("127.0.0.1", str(postfix["port"]), env={}, redirect=str(tmp_path / "out.txt"))
    assert s.wait_exit() == (1, True)
    assert "the explorer needs a terminal on standard input and output" in s.capture()
    assert "\x1b" not in (tmp_path / "out.txt").read_text()


def test_no_terminal_on_input_means_batch(smtpx, postfix):
    result = subprocess.run([smtpx, "127.0.0.1", str(postfix["port"])], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 0
    assert "<-  221 2.0.0 Bye" in result.stdout and "\x1b" not in result.stdout


def test_bad_arguments_are_reported_before_the_screen(smtpx):
    for args, message in [(["127.0.0.1", "99999"], "PORT must be between 1 and 65535"),
                          (["--timeout", "0", "127.0.0.1"], "--timeout"),
                          (["--scrollback", "5", "x"], "--scrollback"),
                          (["--lang", "fr", "x"], "fr"),
                          (["--record", "/no/such/dir/file.jsonl", "127.0.0.1"], "--record")]:
        result = run(args)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "\x1b" not in result.stdout + result.stderr


# --- a server that misbehaves -----------------------------------------------------------


def test_escape_sequences_are_shown_escaped(smtpx, hostile, screen):
    server = hostile("escapes")
    s = screen("127.0.0.1", str(server.port))
    shown = s.wait_for(r"bad utf-8")
    assert "\\x1b[2J\\x1b[H\\x1b]0;owned\\x07" in shown
    assert "NUL\\x00 DEL\\x7f BEL\\x07" in shown
    assert "\\u202eevil" in shown
    assert "\\xff\\xfe\\xc0\\xaf" in shown
    assert shown.splitlines()[0].startswith("┌─ 127.0.0.1")
    s.line("NOOP")
    s.wait_for(r"\\x1b\[31mred\\x1b\[0m ok")


def test_garbage_does_not_break_the_session(smtpx, hostile, screen):
    server = hostile("garbage")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"220 garbage ahead")
    s.line("EHLO me")
    shown = s.wait_for(r"HTTP/1\.1 400 Bad Request")
    assert "<-?" in shown
    s.line("NOOP")
    s.wait_for(r"(?s)NOOP.*250 ok")


def test_endless_line_keeps_memory_bounded(smtpx, hostile, screen):
    server = hostile("endless")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"<-  220 AAAA")
    time.sleep(3)
    rss = s.rss_kib()
    assert rss is not None and rss < 200 * 1024, f"RSS {rss} KiB"
    s.keys("typing still works", literal=True)
    s.wait_for(r"> typing still works")
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_flood_keeps_keys_responsive_and_memory_bounded(smtpx, hostile, screen):
    server = hostile("flood")
    s = screen("--scrollback", "20000", "127.0.0.1", str(server.port))
    s.wait_for(r"250-flood line")
    time.sleep(2)
    started = time.time()
    s.keys("still responsive", literal=True)
    s.wait_for(r"> still responsive", timeout=5)
    assert time.time() - started < 5
    rss = s.rss_kib()
    assert rss is not None and rss < 300 * 1024, f"RSS {rss} KiB"
    time.sleep(2)
    rss_later = s.rss_kib()
    assert rss_later < 300 * 1024, f"RSS grew to {rss_later} KiB"
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_server_closing_mid_reply(smtpx, hostile, screen):
    server = hostile("close")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"220 hello")
    s.line("EHLO me")
    shown = s.wait_for(r"Connection closed by the server")
    assert "250-and then" in shown


def test_embedded_practice_server_first_mail(smtpx, screen):
    """`smtpx` with no arguments: follow the welcome and send a first mail to alice."""
    s = screen()
    shown = s.wait_for(r"Welcome to smtpx")
    assert "practice server 127.0.0.1:" in shown.splitlines()[0]
    assert "EHLO laptop" in shown and "RCPT TO:<alice@example.test>" in shown
    for line in ["EHLO laptop", "MAIL FROM:<you@example.net>", "RCPT TO:<alice@example.test>", "DATA",
                 "Subject: hello", "", "Hi Alice!", "."]:
        s.line(line)
    s.wait_for(r"250 2\.0\.0 Ok: queued as \w+, safely on disk")
    pid = s.pid()
    [message] = list((practice_folder(pid) / "alice" / "new").iterdir())
    text = message.read_text()
    assert "Subject: hello" in text and "Hi Alice!" in text
    s.line("QUIT")
    s.wait_for(r"221 2\.0\.0")
    s.keys("C-c")
    assert s.wait_exit() == (0, True)


def test_embedded_practice_server_in_chinese_with_a_scenario(smtpx, screen):
    s = screen("--lang", "zh", "--scenario", "greylist")
    shown = s.wait_for(r"欢迎使用 smtpx")
    assert "练习服务器" in shown.splitlines()[0]
    assert "greylist" in shown
    for line in ["EHLO laptop", "MAIL FROM:<you@example.net>", "RCPT TO:<alice@example.test>"]:
        s.line(line)
    s.wait_for(r"450 4\.7\.1 Greylisted")
