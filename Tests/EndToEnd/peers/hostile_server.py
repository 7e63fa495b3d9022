#!/usr/bin/env python3
"""A misbehaving SMTP server for the end-to-end tests.

  hostile_server.py --port N --mode MODE

Modes:
  escapes   greets with terminal escape sequences, NUL, DEL, bidi overrides and bad UTF-8
  garbage   answers every line with random bytes and lines that have no code
  endless   greets, then sends one line that never ends (until the client goes)
  flood     greets, then sends replies as fast as the client reads, until it goes
  longflood the same with lines of 5,000 bytes
  close     greets, then closes the connection in the middle of a multi-line reply
  inject    an ordinary server that answers STARTTLS with 220 and a plaintext reply behind it
  payloads  terminal attacks in every text a server controls: the greeting, the EHLO domain,
            keywords and parameters (AUTH mechanism names, SIZE), reply texts, a 334 challenge
  closing   an ordinary server that answers RCPT with 421 and closes at once
  banner    greets with 554 and closes at once
  slow      answers EHLO with a reply whose lines come 0.3 s apart, then half a line and silence
"""
import argparse
import base64
import os
import socket
import threading
import time


# Every way a text can take over or mislead a terminal: clear, title, clipboard (OSC 52),
# DCS, an 8-bit CSI (as UTF-8 C1 and as a raw byte), BEL, NUL, backspace, DEL, bidi override
# and isolate, zero-width space, word joiner, soft hyphen, interlinear annotation, a tag
# character, a Hangul filler.
PAYLOAD = (b"\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;b3duZWQ=\x07\x1bP+q\x1b\\\xc2\x9b31m\x9b\x07\x00\x08\x7f"
           b"\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8b\xe2\x81\xa0\xc2\xad\xef\xbf\xb9\xf3\xa0\x81\x81\xe1\x85\x9f")


def payloads(conn):
    conn.sendall(b"220 " + PAYLOAD + b" greeting\r\n")
    for line in conn.makefile("rb"):
        verb = line.strip().split(b" ")[0].upper()
        if verb in (b"EHLO", b"HELO"):
            conn.sendall(b"250-" + PAYLOAD + b"evil.example " + PAYLOAD + b" hello\r\n"
                         b"250-AUTH PLAIN " + PAYLOAD + b"MECH\r\n"
                         b"250-SIZE " + PAYLOAD + b"\r\n"
                         b"250-X" + PAYLOAD + b"KEYWORD param\r\n"
                         b"250 PIPELINING\r\n")
        elif verb == b"AUTH":
            conn.sendall(b"334 " + base64.b64encode(PAYLOAD) + b"\r\n")
        elif verb == b"RCPT":
            conn.sendall(b"550 5.1.1 " + PAYLOAD + b" no such user\r\n")
        elif verb == b"QUIT":
            conn.sendall(b"221 2.0.0 " + PAYLOAD + b"\r\n")
            return
        else:
            conn.sendall(b"250 2.0.0 " + PAYLOAD + b" ok\r\n")


def ordinary(conn, on_line):
    conn.sendall(b"220 ordinary.example ESMTP\r\n")
    for line in conn.makefile("rb"):
        if on_line(line.strip()):
            return


def closing_line(conn, line):
    verb = line.split(b" ")[0].upper()
    if verb == b"RCPT":
        conn.sendall(b"421 4.3.2 ordinary.example going down\r\n")
        conn.shutdown(socket.SHUT_RDWR)
        return True
    conn.sendall(b"250 ok\r\n")
    return False


def slow(conn):
    conn.sendall(b"220 slow.example ESMTP\r\n")
    reader = conn.makefile("rb")
    reader.readline()
    for n in range(4):
        conn.sendall(b"250-slow line %d\r\n" % n)
        time.sleep(0.3)
    conn.sendall(b"250-half a li")
    time.sleep(30)


def handle(conn, mode):
    try:
        if mode == "escapes":
            conn.sendall(b"220-\x1b[2J\x1b[H\x1b]0;owned\x07 clear screen and title\r\n"
                         b"220-NUL\x00 DEL\x7f BEL\x07 bidi \xe2\x80\xaeevil\xe2\x80\xac C1 \xc2\x9b31m\r\n"
                         b"220 bad utf-8 \xff\xfe\xc0\xaf end\r\n")
            for line in conn.makefile("rb"):
                conn.sendall(b"250 \x1b[31mred\x1b[0m ok\r\n")
        elif mode == "garbage":
            conn.sendall(b"220 garbage ahead\r\n")
            for line in conn.makefile("rb"):
                conn.sendall(os.urandom(200) + b"\r\nHTTP/1.1 400 Bad Request\r\n\x00\x00\x00\n250 ok\r\n")
        elif mode == "endless":
            conn.sendall(b"220 ")
            chunk = b"A" * 65536
            while True:
                conn.sendall(chunk)
        elif mode == "flood":
            conn.sendall(b"220 flood ahead\r\n")
            chunk = b"".join(b"250-flood line %06d padding padding padding\r\n" % n for n in range(2000))
            while True:
                conn.sendall(chunk)
        elif mode == "longflood":
            conn.sendall(b"220 flood ahead\r\n")
            chunk = b"".join(b"250-long line %06d " % n + b"p" * 4978 + b"\r\n" for n in range(100))
            while True:
                conn.sendall(chunk)
        elif mode == "close":
            conn.sendall(b"220 hello\r\n")
            conn.makefile("rb").readline()
            conn.sendall(b"250-half a reply\r\n250-and then")
            conn.shutdown(socket.SHUT_RDWR)
        elif mode == "payloads":
            payloads(conn)
        elif mode == "closing":
            ordinary(conn, lambda line: closing_line(conn, line))
        elif mode == "banner":
            conn.sendall(b"554 5.7.1 banner.example does not want your mail\r\n")
            conn.shutdown(socket.SHUT_RDWR)
        elif mode == "slow":
            slow(conn)
        elif mode == "inject":
            conn.sendall(b"220 inject.example ESMTP\r\n")
            reader = conn.makefile("rb")
            for line in reader:
                verb = line.strip().upper()
                if verb.startswith(b"EHLO"):
                    conn.sendall(b"250-inject.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                elif verb == b"STARTTLS":
                    conn.sendall(b"220 2.0.0 Ready to start TLS\r\n250-INJECTED\r\n250 AUTH PLAIN\r\n")
                    conn.recv(4096)
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", required=True,
                        choices=["escapes", "garbage", "endless", "flood", "longflood", "close", "inject", "payloads", "closing", "banner",
                                 "slow"])
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(8)
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn, args.mode), daemon=True).start()


if __name__ == "__main__":
    main()
