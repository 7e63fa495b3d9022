"""A hostile server or client must never reach the terminal: every output path of the real
binary, fed every payload, prints nothing a terminal would act on."""
import json
import socket
import subprocess
import unicodedata

import pytest

from conftest import Screen, run

# The display policy's invisible scalars (VisibleText.isInvisible), checked independently.
INVISIBLE = [(0x80, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5),
             (0x180B, 0x180F), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
             (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0xFFFE, 0xFFFF), (0xE0000, 0xE0FFF)]


def terminal_safe(data: bytes, context: str):
    """Fails unless `data` is UTF-8 with no control byte but LF and no invisible scalar."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        pytest.fail(f"{context}: output is not UTF-8 at byte {error.start}: {data[max(0, error.start - 20):error.start + 20]!r}")
    for index, char in enumerate(text):
        value = ord(char)
        bad = (value < 0x20 and char != "\n") or value == 0x7F or any(lo <= value <= hi for lo, hi in INVISIBLE)
        if bad:
            pytest.fail(f"{context}: U+{value:04X} ({unicodedata.name(char, '?')}) reached the output at "
                        f"{index}: {text[max(0, index - 30):index + 30]!r}")
    return text


SCRIPT = "EHLO laptop\nAUTH PLAIN\n*\nMAIL FROM:<a@b.example>\nRCPT TO:<x@evil.example>\nNOOP\nQUIT\n"
FORMATS = [["--format", "text"], ["--format", "text", "--explain"], ["--format", "jsonl"],
           ["--format", "jsonl", "--explain"], ["--format", "markdown"], ["--format", "markdown", "--lang", "zh"],
           ["--format", "text", "--explain", "--lang", "zh"]]


@pytest.mark.parametrize("options", FORMATS, ids=lambda o: " ".join(o))
def test_batch_output_never_carries_a_payload(smtpx, hostile, options):
    server = hostile("payloads")
    result = subprocess.run([smtpx, *options, "127.0.0.1", str(server.port)], input=SCRIPT.encode(),
                            capture_output=True, timeout=30, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    out = terminal_safe(result.stdout, "stdout")
    terminal_safe(result.stderr, "stderr")
    # The payload is still there to see, escaped: the EHLO name, a mechanism, the SIZE text.
    assert ("\\u001b]0;owned" if "jsonl" in options else "\\x1b]0;owned") in out, out[:2000]
    assert "evil.example" in out
    if "jsonl" in options:
        for line in out.splitlines():
            record = json.loads(line)
            if record.get("code") == 250 and "evil.example" in record.get("raw", ""):
                # JSON keeps the exact text: the reader gets the escape byte back.
                assert "\x1b]0;owned\x07" in record["raw"]


def read_reply(reader):
    lines = []
    while True:
        line = reader.readline()
        lines.append(line)
        if line[3:4] != b"-":
            return b"".join(lines)


def test_explain_of_a_pasted_hostile_reply(smtpx, hostile):
    server = hostile("payloads")
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        reader = connection.makefile("rb")
        greeting = read_reply(reader)
        connection.sendall(b"EHLO x\r\n")
        ehlo = read_reply(reader)
    for options in (["explain", "-"], ["explain", "--json", "-"], ["explain", "--lang", "zh", "-"]):
        result = subprocess.run([smtpx, *options], input=ehlo, capture_output=True, timeout=30,
                                env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
        out = terminal_safe(result.stdout, " ".join(options))
        assert "evil.example" in out
        if "--json" in options:
            json.loads(out)
    result = subprocess.run([smtpx, "explain", "-"], input=greeting + ehlo, capture_output=True, timeout=30,
                            env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    terminal_safe(result.stdout, "explain of greeting and EHLO")


def test_explain_arguments_with_payloads(smtpx):
    for thing in ("SIZE \x1b[2J\x1b]52;c;aGk=\x07", "AUTH PLAIN \u202eLOGIN", "550 5.1.1 \x1b]0;t\x07 no",
                  "MAIL FROM:<\u2066a@b>"):
        result = subprocess.run([smtpx, "explain", thing], capture_output=True, timeout=30,
                                env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
        terminal_safe(result.stdout, f"explain {thing!r}")


def test_explorer_shows_payloads_escaped_and_keeps_its_title(smtpx, hostile, screen):
    server = hostile("payloads")
    s = screen("127.0.0.1", str(server.port))
    s.wait_for(r"greeting")
    title = subprocess.run(["tmux", "display", "-p", "-t", s.name, "#{pane_title}"], capture_output=True,
                           text=True).stdout.strip()
    s.line("EHLO laptop")
    shown = s.wait_for(r"EHLO reply from")
    assert "\\x1b]0;owned" in shown
    assert "\\u202e" in shown and "\\u200b" in shown and "\\u{e0041}" in shown
    after = subprocess.run(["tmux", "display", "-p", "-t", s.name, "#{pane_title}"], capture_output=True,
                           text=True).stdout.strip()
    assert after == title and "owned" not in after
    assert "owned" not in subprocess.run(["tmux", "show-buffer"], capture_output=True, text=True).stdout


def test_practice_server_log_escapes_what_clients_send(smtpx, practice):
    server = practice()
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        reader = connection.makefile("rb")
        reader.readline()
        connection.sendall(b"HELO \xe2\x80\xae\x1b]0;owned\x07x\r\nVRFY \xc2\x9b2J\r\nQUIT\r\n")
        while reader.readline():
            pass
    server.stop()
    log = server.log.read_bytes()
    text = terminal_safe(log, "server log")
    assert "\\x1b]0;owned" in text and "\\u202e" in text
