"""Explanations that know the conversation, through the real binary: the seed tutorial typed as
printed against the practice server, in Chinese; the envelope beside the header after the final
"."; batch --explain carrying the same words; `smtpx explain` on ports and topics."""
import json
import os
import re
import subprocess

from conftest import SMTPX, run, wait_until

# The tutorial of the seed documents, line by line as it prints them, mistakes included: HELO
# with a mailbox name, MAIL FROM with a space and no angle brackets, RCPT TO the same, and the
# message typed after a DATA that the server refused.
TUTORIAL = ["HELO oleg", "MAIL FROM: you@x", "RCPT TO: somebody@domain.com", "DATA",
            "Subject : My first e-mail message.", "", "First line of a message.", "Second line.", ".", "QUIT"]

# For each line: the reply the practice server gives, and words of the explanation that name the
# real cause (the lint finding first where there is one, then the meaning in this context).
CAUSES = {
    "HELO oleg": (r"250 mx\.example\.test Hello oleg", ["服务器现在知道你的名字了", "没有扩展列表"]),
    "MAIL FROM: you@x": (r"501 5\.5\.4", ["「FROM:」后面不应有空格", "服务器读不懂MAILFROM"]),
    "RCPT TO: somebody@domain.com": (r"503 5\.5\.1 Need MAIL before RCPT", ["还没有发件人", "在MAIL之前发了RCPT"]),
    "DATA": (r"503 5\.5\.1 Need MAIL and RCPT", ["没有任何收件人被接受"]),
    "Subject : My first e-mail message.": (r"50\d", ["这看起来是邮件内容，但DATA被拒绝了"]),
    "": (r"50\d", ["DATA被拒绝了"]),
    "First line of a message.": (r"50\d", ["这看起来是邮件内容，但DATA被拒绝了"]),
    "Second line.": (r"50\d", ["这看起来是邮件内容，但DATA被拒绝了"]),
    ".": (r"50\d", ["这看起来是邮件内容，但DATA被拒绝了"]),
    # After 221 the server closes: the explainer turns to the end of the session.
    "QUIT": (r"221 2\.0\.0", ["服务器关闭了连接", "这是正常的"]),
}


def explainer_text(shown):
    """The right-hand pane of the wide layout, its lines joined without spaces (Chinese wraps
    anywhere), so a phrase is found wherever the pane broke it."""
    parts = []
    for line in shown.splitlines()[1:-3]:
        cells = line.split("│")
        if len(cells) >= 3:
            parts.append(cells[2].strip())
    return re.sub(r"\s+", "", "".join(parts))


def test_the_tutorial_typed_as_printed_is_explained_by_its_real_causes(smtpx, screen):
    s = screen("--lang", "zh")
    s.wait_for(r"欢迎使用 smtpx")
    for line in TUTORIAL:
        pattern, causes = CAUSES[line]
        s.line(line)
        # The explainer follows the newest reply: wait until it answers this very line.
        answered = "会话结束" if line == "QUIT" else "对" + line.replace(" ", "") + "的回答"
        shown = wait_until(lambda: (lambda c: c if answered in explainer_text(c) and re.search(pattern, c) else None)(
            s.capture()), timeout=10)
        assert shown, f"no explanation of the reply to {line!r}:\n{s.capture()}"
        text = explainer_text(s.settled(shown, re.compile(pattern)))
        for cause in causes:
            assert cause.replace(" ", "") in text, f"after {line!r} the explanation lacks {cause!r}:\n{shown}"
        assert "8位" not in text, "an 8-bit note about the practice server's own reply"


def test_envelope_view_shows_a_blind_copy_and_a_forged_from(smtpx, screen):
    s = screen()
    s.wait_for(r"Welcome to smtpx")
    for line in ["EHLO laptop", "MAIL FROM:<you@example.net>", "RCPT TO:<alice@example.test>",
                 "RCPT TO:<bob@example.test>", "DATA", "From: Your Bank <security@bank.example>",
                 "To: alice@example.test", "Subject: please confirm", "", "Hello.", "."]:
        s.line(line)
    shown = s.wait_for(r"250 2\.0\.0 Ok: queued")
    shown = s.wait_for(r"Envelope and headers")
    text = explainer_text(shown)
    assert "RCPTTO<bob@example.test>" in text and "blindcopy(Bcc)" in text, shown
    assert "RCPTTO<alice@example.test>" in text and "alsoinTo:" in text
    assert "MAILFROM<you@example.net>" in text and "From:YourBank<security@bank.example>" in text
    # The forged From: is explained further down the pane: scroll it into view.
    for _ in range(3):
        s.keys("PageDown")
    shown = s.wait_for(r"DMARC")
    text = explainer_text(shown)
    assert "isnottheenvelopesender" in text and "SPF" in text and "DKIM" in text


def batch(args, script):
    environment = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": os.environ.get("HOME", "/root")}
    return subprocess.run([str(SMTPX), *args], input=script, capture_output=True, text=True, timeout=60,
                          env=environment)


def test_batch_explain_carries_the_same_words(smtpx):
    result = batch(["--lang", "zh", "--explain"], "\n".join(TUTORIAL) + "\n")
    out = re.sub(r"\s+", "", result.stdout)
    for line in ["HELO oleg", "MAIL FROM: you@x", "RCPT TO: somebody@domain.com", "DATA"]:
        for cause in CAUSES[line][1]:
            assert cause.replace(" ", "") in out, f"batch lacks {cause!r} for {line!r}:\n{result.stdout}"
    assert "再见：服务器关闭连接" in out
    assert "8 位" not in result.stdout
    # The envelope view, in JSON Lines, after the accepted message.
    script = ("EHLO laptop\nMAIL FROM:<you@example.net>\nRCPT TO:<alice@example.test>\nRCPT TO:<bob@example.test>\n"
              "DATA\nFrom: Your Bank <security@bank.example>\nTo: alice@example.test\nSubject: x\n\nHello.\n.\nQUIT\n")
    result = batch(["--format", "jsonl", "--explain"], script)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    queued = next(e for e in events if e["dir"] == "recv" and "queued" in e["raw"])
    notes = " ".join(queued["notes"])
    assert "RCPT TO <bob@example.test>: only in the envelope: a blind copy" in notes
    assert "is not the envelope sender" in notes


def test_smtpputf8_mail_gets_no_8bit_note_and_the_server_stays_ascii(smtpx):
    script = ("EHLO laptop\nMAIL FROM:<jörg@exämple.net> SMTPUTF8\nRCPT TO:<alice@example.test>\n"
              "VRFY jörg\nQUIT\n")
    result = batch(["--explain"], script)
    assert "8-bit" not in result.stdout, result.stdout
    plain = batch(["--explain"], "EHLO laptop\nVRFY jörg\nQUIT\n")
    # The name comes back in the reply: without SMTPUTF8 its ö is a "?".
    reply = next(line for line in plain.stdout.splitlines() if line.startswith("<-  550"))
    assert "j?rg" in reply and reply.isascii(), reply
    assert "8-bit" not in plain.stdout


def test_explain_ports_and_topics(smtpx):
    for thing, words in [("587", "STARTTLS"), ("465", "Implicit TLS"), ("25", "MX"), ("2525", "practice server"),
                         ("110", "POP3"), ("995", "pop3s"), ("MX", "preference"), ("envelope", "RCPT TO"),
                         ("BCC", "RCPT TO"), ("dot-stuffing", "lone"), ("greylisting", "450")]:
        result = run(["explain", thing])
        assert result.returncode == 0, thing
        assert words in result.stdout, f"{thing}: {result.stdout}"
    both = run(["explain", "110"])
    assert "As a reply code" in both.stdout and "1yz" in both.stdout
    relay = run(["explain", "open", "relay"])
    assert relay.returncode == 0 and "open relay" in relay.stdout
    chinese = run(["explain", "--lang", "zh", "MX"])
    assert chinese.returncode == 0 and "优先级" in chinese.stdout
    assert run(["explain", "99999"]).returncode == 1
