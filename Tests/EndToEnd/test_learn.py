"""smtpx learn: every lesson completed in tmux by a script that types like a learner, one wrong
move included, in English and in Chinese; grading a recording with --check; the list and the
progress kept per user; a teacher's lesson file, and one with a language missing."""
import json
import re
import time

import pytest

from conftest import run

# (lesson, what the learner types). "WAIT n" pauses; "SECRET x" answers the password prompt.
LEARNERS = {
    1: ["HELO", "HELO laptop.example.net", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "DATA",
        "Subject: hello", "", "Hi Alice!", ".", "QUIT"],
    2: ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT CC:<bob@example.test>", "RCPT TO:<alice@example.test>",
        "RCPT TO:<bob@example.test>", "DATA", "To: alice@example.test", "Subject: bcc", "", "Bob is a blind copy.", "."],
    3: ["EHLO laptop", "DATA", "NOOP", "MAIL FROM:<me@example.net>", "RCPT TO:<bob@example.test>", "DATA", "hi", ".",
        "MAIL FROM:<me@example.net>", "RCPT TO:<nobody@example.test>"],
    4: ["EHLO laptop", "VRFY alice", "EXPN nobody", "EXPN team", "HELP", "MAIL FROM:<me@example.net>", "RSET", "NOOP"],
    5: ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<nobody@example.test>", "RCPT TO:<bob@example.test>", "DATA",
        ".hidden", "."],
    6: ["EHLO laptop", "MAIL FROM:<me@example.net> SIZE=abc", "MAIL FROM:<me@example.net> SIZE=2000", "RSET",
        "MAIL FROM:<me@example.net> SIZE=999999999"],
    7: ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<bob@example.test>", "RCPT TO:<friend@example.org>",
        "RCPT TO:<alice@example.test>"],
    8: ["EHLO laptop", "/auth plain alice", "STARTTLS", "EHLO laptop", "/auth plain alice", "SECRET wonderland"],
    9: ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "RCPT TO:<alice@example.test>",
        "WAIT 6", "RSET", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>"],
    10: ["/route", "/route mail.route.test", "/route shuser@sh.route.test"],
    11: ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "DATA", "Subject: to fetch", "",
         "hi", ".", "/pop3", "USER alice", "PASS wrong", "USER alice", "PASS wonderland", "LIST", "RETR 1", "QUIT"],
}
STEPS = {1: 6, 2: 3, 3: 4, 4: 5, 5: 3, 6: 3, 7: 3, 8: 4, 9: 2, 10: 2, 11: 5}
# The wrong move after which the lesson's own words are awaited: (line, English, Chinese).
MISTAKE = {
    1: ("HELO", "HELO needs a name after it", "HELO 后面要跟一个名字"),
    2: ("RCPT CC:<bob@example.test>", "There is no RCPT CC or BCC", "没有 RCPT CC 或 BCC"),
    7: ("RCPT TO:<bob@example.test>", "That address is local here", "这个地址在这里是本地的"),
    11: ("PASS wrong", "Wrong password or user", "用户或密码错误"),
}


def follow(screen, lesson, language, home, extra=()):
    s = screen("learn", str(lesson), "--lang", language, *extra, env={"HOME": str(home)})
    s.wait_for(r"<-  220 " if lesson != 10 else r"(Lesson|第) 10")
    progress = "Progress" if language == "en" else "进度"
    for line in LEARNERS[lesson]:
        if line.startswith("WAIT "):
            time.sleep(float(line.split()[1]))
            continue
        if line.startswith("SECRET "):
            s.wait_for(r"(Type the password|输入.*密码)", timeout=10)
            s.line(line.split(" ", 1)[1])
            continue
        s.line(line)
        time.sleep(0.2)
        mistake = MISTAKE.get(lesson)
        if mistake and line == mistake[0]:
            s.wait_for(mistake[1] if language == "en" else mistake[2])
    shown = s.wait_for(progress + r"\s+" + "✓" * STEPS[lesson] + r"(?!✓)", timeout=20)
    assert "▸" not in shown.split(progress)[1].split("\n")[0]
    state = json.loads((home / ".local/state/smtpx/lessons.json").read_text())
    assert state["done"][str(lesson)] == list(range(STEPS[lesson]))
    return s


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("lesson", [1, 2, 3, 4, 5, 6, 7, 8, 9, 11])
def test_each_lesson_completed_like_a_learner(smtpx, screen, tmp_path, lesson, language):
    follow(screen, lesson, language, tmp_path)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_routing_lesson_with_a_test_dns(smtpx, screen, tmp_path, dns, language):
    follow(screen, 10, language, tmp_path, extra=["--dns-server", dns.server])


def test_a_refused_line_is_said_in_the_lessons_terms(smtpx, screen, tmp_path):
    s = screen("learn", "3", env={"HOME": str(tmp_path)})
    s.wait_for(r"<-  220 ")
    s.line("EHLO laptop")
    s.line("RCPT TO:<alice@example.test>")
    shown = s.wait_for(r"Not quite")
    assert "the server refused that line (503)" in " ".join(shown.split())
    s.line("/hint")
    s.wait_for(r"Hint\s+EHLO laptop")


def test_list_and_progress(smtpx, tmp_path, practice):
    env = {"HOME": str(tmp_path)}
    listed = run(["learn", "--list", "--format", "json"], env=env)
    lessons = json.loads(listed.stdout)
    assert [lesson["id"] for lesson in lessons] == list(range(1, 12))
    assert lessons[0]["title"] == {"en": "The first mail", "zh": "第一封邮件"}
    assert all(lesson["done"] == 0 for lesson in lessons)
    state = tmp_path / ".local/state/smtpx"
    state.mkdir(parents=True)
    (state / "lessons.json").write_text('{"done": {"1": [0, 1, 2, 3, 4, 5], "4": [0]}}')
    text = run(["learn"], env=env).stdout
    assert "✓  1  The first mail  (6/6)" in text and "…  4" in text and "(1/5)" in text


def test_check_grades_a_recording(smtpx, tmp_path):
    whole = tmp_path / "whole.jsonl"
    run(["--record", str(whole)], input="\n".join(LEARNERS[1]) + "\n")
    graded = run(["learn", "1", "--check", str(whole)])
    assert graded.returncode == 0, graded.stdout
    assert graded.stdout.count("[done]") == 6 and "Every step is done." in graded.stdout
    skipped = tmp_path / "skipped.txt"
    run(["--record", str(skipped)], input="HELO laptop\nMAIL FROM:<me@example.net>\nRCPT TO:<alice@example.test>\nQUIT\n")
    graded = run(["learn", "1", "--check", str(skipped), "--lang", "zh"])
    assert graded.returncode == 1
    assert "[missing] 4. 开始写信" in graded.stdout and "[missing] 5." in graded.stdout
    assert "还有 3 步没有完成" in graded.stdout


LESSON = {
    "id": 42, "title": {"en": "Say NOOP", "zh": "说 NOOP"}, "goal": {"en": "Send NOOP.", "zh": "发送 NOOP。"},
    "summary": {"en": "Done.", "zh": "完成。"},
    "steps": [{"title": {"en": "NOOP", "zh": "NOOP"}, "explain": {"en": "Type NOOP.", "zh": "输入 NOOP。"},
               "hint": {"en": "NOOP", "zh": "NOOP"}, "done": {"reply": {"verb": "NOOP", "code": "2xx"}}}],
}


def test_a_teachers_lesson_file(smtpx, screen, tmp_path):
    path = tmp_path / "noop.json"
    path.write_text(json.dumps(LESSON))
    s = screen("learn", "--file", str(path), env={"HOME": str(tmp_path)})
    s.wait_for(r"Lesson 42 · Say NOOP")
    s.line("NOOP")
    s.wait_for(r"Progress\s+✓(?!✓)")
    broken = dict(LESSON, goal={"en": "Send NOOP.", "zh": ""})
    path.write_text(json.dumps(broken))
    result = run(["learn", "--file", str(path)])
    assert result.returncode == 64 and "goal: no Chinese" in result.stderr
    path.write_text("{}")
    result = run(["learn", "--file", str(path)])
    assert result.returncode == 64 and "missing \"id\"" in result.stderr
    assert run(["learn", "99"]).returncode == 64


def test_quiz_scores_answers_in_both_languages(smtpx):
    key = run(["quiz", "--seed", "11", "--count", "6", "--key"])
    answers = re.findall(r"→ ([abcd]) — ", key.stdout)
    assert len(answers) == 6
    right = run(["quiz", "--seed", "11", "--count", "6"], input="\n".join(answers) + "\n")
    assert "Score: 6 of 6." in right.stdout and right.returncode == 0
    wrong = ["b" if a == "a" else "a" for a in answers]
    zh = run(["quiz", "--seed", "11", "--count", "6", "--lang", "zh"], input="x\n" + "\n".join(wrong) + "\n")
    assert "得分：6 题中答对 0 题。" in zh.stdout and zh.returncode == 1
    assert "请输入 a、b、c 或 d" in zh.stdout and "不对：答案是" in zh.stdout
    # Input that ends early still gets a score.
    short = run(["quiz", "--seed", "11", "--count", "6"], input=answers[0] + "\n")
    assert "Score: 1 of 1." in short.stdout
    assert run(["quiz", "--count", "0"]).returncode == 64
