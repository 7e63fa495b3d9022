"""smtpx serve --class: the teacher's live view of five students at once — batch clients and
explorers, one in DATA, one failing AUTH, one that disconnects — and one followed live."""
import base64
import re
import socket
import time

from conftest import free_port, port_open, wait_until, run


def test_the_class_view_with_five_students(smtpx, screen, tmp_path):
    port = free_port()
    log = tmp_path / "class.log"
    teacher = screen("serve", "--class", "--listen", f"127.0.0.1:{port}", "--maildir", str(tmp_path / "mail"),
                     "--log", str(log), width=132, height=30)
    assert wait_until(lambda: port_open(port), timeout=15)
    teacher.wait_for(r"No student has connected yet")
    # 1: a batch client that delivers a message.
    run(["127.0.0.1", str(port)], input="EHLO one.lab\nMAIL FROM:<a@example.net>\nRCPT TO:<alice@example.test>\n"
                                        "DATA\nSubject: hi\n\nhello\n.\nQUIT\n")
    # 2: a batch client whose AUTH fails, inside TLS.
    wrong = base64.b64encode(b"\0alice\0not-it").decode()
    run(["--insecure", "127.0.0.1", str(port)], input=f"EHLO two.lab\nSTARTTLS\nEHLO two.lab\nAUTH PLAIN {wrong}\nQUIT\n")
    # 3: an explorer that stays in DATA.
    data = screen("127.0.0.1", str(port))
    data.wait_for(r"<-  220 ")
    for line in ["EHLO three.lab", "MAIL FROM:<c@example.net>", "RCPT TO:<bob@example.test>", "DATA"]:
        data.line(line)
    data.wait_for(r"<-  354 ")
    # 4: a client that says EHLO and drops the connection.
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.recv(200)
        raw.sendall(b"EHLO four.lab\r\n")
        time.sleep(0.3)
    # 5: an explorer that is only greeted.
    idle = screen("127.0.0.1", str(port))
    idle.wait_for(r"<-  220 ")
    idle.line("HELO five.lab")
    idle.wait_for(r"<-  250 ")
    shown = teacher.wait_for(r"five\.lab", timeout=10)
    rows = {name: next(line for line in shown.splitlines() if name in line)
            for name in ["one.lab", "two.lab", "three.lab", "four.lab", "five.lab"]}
    assert "left" in rows["one.lab"] and " 1 " in rows["one.lab"]
    assert "AUTH failed" in rows["two.lab"]
    assert "in DATA" in rows["three.lab"]
    assert "left" in rows["four.lab"]
    assert "greeted" in rows["five.lab"]
    # Five students, and the port check's connection before them.
    assert "2 connected, 6 sessions" in shown
    # Follow the student in DATA, then watch them finish live.
    students = [line for line in shown.splitlines() if re.match(r"│ #\d", line)]
    position = next(i for i, line in enumerate(students) if "three.lab" in line)
    teacher.keys(*(["Down"] * position), "Enter")
    shown = teacher.wait_for(r"following #\d+ live")
    assert "three.lab" in shown and "-> DATA" in shown and "354" in shown
    data.line("Subject: live")
    data.line("")
    data.line(".")
    shown = teacher.wait_for(r"queued as", timeout=10)
    assert "What it means here" in shown or "The answer to" in shown
    teacher.keys("Escape")
    shown = teacher.wait_for(r"\d+ connected, 6 sessions")
    assert "three.lab" in shown
    teacher.keys("q")
    assert teacher.wait_exit()[1], "the terminal is restored"
    # The log went on as always.
    text = log.read_text()
    assert "C: EHLO one.lab" in text and "authenticated as" not in text.split("two.lab")[1].split("disconnected")[0]
