"""`smtpx explain` through the real binary, as a user or a script runs it."""
import json
import unicodedata

from conftest import run

GMAIL = """550-5.7.26 Unauthenticated email from example.net is not accepted due to
550-5.7.26 domain's DMARC policy. Please contact the administrator of
550-5.7.26 example.net domain if this was a legitimate mail. To learn about
550-5.7.26 the DMARC initiative, go to
550 5.7.26  https://support.google.com/mail/?p=DmarcRejection a1-2 - gsmtp
"""


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def test_unknown_user(smtpx):
    result = run(["explain", "550", "5.1.1"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("550 5.1.1 — Bad destination mailbox address\n")
    assert "Permanent negative completion" in result.stdout
    assert "Check the spelling of the part before the @" in result.stdout


def test_chinese(smtpx):
    result = run(["explain", "--lang", "zh", "454", "4.7.0"])
    assert result.returncode == 0, result.stderr
    assert "暂时性认证失败，或 TLS 暂不可用" in result.stdout
    assert "持续性暂时失败" in result.stdout


def test_language_from_environment(smtpx):
    result = run(["explain", "250"], env={"LANG": "zh_CN.UTF-8"})
    assert "请求的邮件操作完成" in result.stdout


def test_size_parameter(smtpx):
    result = run(["explain", "SIZE 35882577"])
    assert result.returncode == 0
    assert "messages up to 34.2 MiB (35882577 octets)" in result.stdout


def test_pasted_gmail_reply_on_stdin(smtpx):
    result = run(["explain", "-"], input=GMAIL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("550 5.7.26 — Multiple authentication checks failed")
    assert "domain's DMARC policy" in " ".join(result.stdout.split())


def test_pasted_gmail_reply_as_argument(smtpx):
    result = run(["explain", GMAIL])
    assert result.returncode == 0
    assert "Multiple authentication checks failed" in result.stdout


def test_unknown_things_are_decomposed_with_status_1(smtpx):
    result = run(["explain", "299"])
    assert result.returncode == 1
    assert "2yz" in result.stdout and "Positive completion" in result.stdout
    result = run(["explain", "5.1.99"])
    assert result.returncode == 1
    assert "Addressing status" in result.stdout


def test_json(smtpx):
    result = run(["explain", "--json", "PIPELINING", "STARTTLS"])
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert [entry["kind"] for entry in data] == ["keyword", "verb"]
    assert all(entry["recognized"] for entry in data)


def test_wraps_to_the_width(smtpx):
    for lang in ("en", "zh"):
        result = run(["explain", "--lang", lang, "--width", "40", "550", "5.7.1"])
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert len(lines) > 10
        assert all(width(line) <= 40 for line in lines), [l for l in lines if width(l) > 40]


def test_columns_from_environment(smtpx):
    result = run(["explain", "550"], env={"COLUMNS": "50"})
    assert all(width(line) <= 50 for line in result.stdout.splitlines())


def test_no_escape_codes_when_piped(smtpx):
    result = run(["explain", "550 bad \x1b[2J text"])
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J" in result.stdout


def test_bad_argument_is_reported(smtpx):
    result = run(["explain", "--width", "5", "550"])
    assert result.returncode != 0
    assert "--width must be at least 20" in result.stderr
    assert result.stdout == ""
    result = run(["explain", "--lang", "fr", "550"])
    assert result.returncode != 0
    assert "fr" in result.stderr
