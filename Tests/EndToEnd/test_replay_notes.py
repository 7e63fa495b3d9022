"""Replay for a teacher: a note on any step (n), kept beside the recording and shown above the
explanation, in the Markdown handout too; a session taken out of the practice server's log."""
import json
import re
import subprocess

from conftest import SMTPX, run
from test_batch import SESSION, batch


def test_a_note_on_a_step_is_kept_shown_and_in_the_handout(smtpx, practice, screen, tmp_path):
    server = practice()
    record = tmp_path / "lesson.jsonl"
    record.write_text(batch(["--format", "jsonl", "127.0.0.1", str(server.port)], SESSION).stdout)
    s = screen("replay", str(record))
    s.wait_for(r"step 1 of \d+")
    s.keys("Right")
    s.wait_for(r"step 2 of")
    s.keys("n")
    s.wait_for(r"Note on step 2")
    s.keys("EHLO lists what the server can do", literal=True)
    s.keys("Enter")
    shown = s.wait_for(r"EHLO lists what the server can do(?!▏)")
    assert "Note on step 2" in shown
    s.keys("Right")
    shown = s.wait_for(r"step 3 of")
    assert "Note on step 2" not in shown
    s.keys("q")
    assert s.wait_exit() == (0, True)
    notes = json.loads((tmp_path / "lesson.jsonl.notes.json").read_text())
    assert notes["notes"] == {"2": "EHLO lists what the server can do"}
    again = screen("replay", str(record))
    again.wait_for(r"step 1 of")
    again.keys("Right")
    again.wait_for(r"Note on step 2")
    # An empty note removes it.
    again.keys("n")
    again.wait_for(r"Enter keeps it")
    for _ in range(40):
        again.keys("BSpace")
    again.keys("Enter")
    again.keys("q")
    again.wait_exit()
    assert json.loads((tmp_path / "lesson.jsonl.notes.json").read_text())["notes"] == {}
    (tmp_path / "lesson.jsonl.notes.json").write_text(json.dumps({"recording": "lesson.jsonl", "notes": {"2": "Look at SIZE"}}))
    handout = run(["replay", str(record), "--handout"])
    assert handout.returncode == 0, handout.stderr
    text = handout.stdout
    assert text.startswith("# SMTP session with lesson.jsonl")
    note = text.index("📝 **Note:** Look at SIZE")
    assert text.index("C: EHLO laptop") < note < text.index("C: MAIL FROM")


def test_a_session_out_of_the_servers_log(smtpx, practice, screen, tmp_path):
    server = practice()
    batch(["127.0.0.1", str(server.port)], "EHLO first\nQUIT\n")
    batch(["127.0.0.1", str(server.port)], SESSION)
    server.stop()
    log = str(server.log)
    listed = run(["replay", log])
    assert listed.returncode == 64 and "--session ID (#1 127.0.0.1:" in listed.stderr
    # The fixture's port check is a session too: the lesson's session is the last one.
    last = max(int(n) for n in re.findall(r"#(\d+) 127\.0\.0\.1", listed.stderr))
    missing = run(["replay", log, "--session", "7"])
    assert missing.returncode == 64 and "has no session 7" in missing.stderr
    s = screen("replay", log, "--session", f"#{last}")
    s.wait_for(r"step 1 of \d+")
    s.keys("End")
    shown = s.wait_for(r"<-  221 ")
    assert f"replay server.log #{last}" in shown
    s.keys("Left")
    shown = s.wait_for(r"queued as")
    assert "(message text: " in shown
    handout = run(["replay", log, "--session", str(last), "--handout"])
    assert "C: MAIL FROM:<learner@example.net>" in handout.stdout and "C: EHLO first" not in handout.stdout
    recording = tmp_path / "one.jsonl"
    recording.write_text(batch(["--format", "jsonl"], "EHLO me\nQUIT\n").stdout)
    wrong = run(["replay", str(recording), "--session", "1"])
    assert wrong.returncode == 64 and "--session is for the practice server's log" in wrong.stderr


def test_presenter_mode_on_replay_and_the_explorer(smtpx, practice, screen, tmp_path):
    server = practice()
    record = tmp_path / "talk.jsonl"
    record.write_text(batch(["--format", "jsonl", "127.0.0.1", str(server.port)], SESSION).stdout)
    s = screen("replay", "--present", str(record), width=60, height=20)
    shown = s.wait_for(r"F3 stream · explanation · both")
    assert "step 1 of" in shown and "<-  220 mx.example.test" in shown
    s.keys("Right")
    shown = s.wait_for(r"├─ EHLO reply from mx\.example\.test")
    s.keys("F3")
    shown = s.wait_for(r"-> EHLO laptop")
    assert "EHLO reply from" not in shown, "the stream alone"
    s.keys("F3")
    shown = s.wait_for(r"├─ EHLO reply from")
    assert "-> EHLO laptop" not in shown, "the explanation alone"
    e = screen("--present", "127.0.0.1", str(server.port), width=100, height=30)
    shown = e.wait_for(r"<-  220 ")
    assert "F3 stream · explanation · both" in shown and "├─" in shown
