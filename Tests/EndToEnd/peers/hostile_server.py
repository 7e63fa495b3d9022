#!/usr/bin/env python3
"""A misbehaving SMTP server for the end-to-end tests.

  hostile_server.py --port N --mode MODE

Modes:
  escapes   greets with terminal escape sequences, NUL, DEL, bidi overrides and bad UTF-8
  garbage   answers every line with random bytes and lines that have no code
  endless   greets, then sends one line that never ends (until the client goes)
  flood     greets, then sends replies as fast as the client reads, until it goes
  close     greets, then closes the connection in the middle of a multi-line reply
  inject    an ordinary server that answers STARTTLS with 220 and a plaintext reply behind it
"""
import argparse
import os
import socket
import threading


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
        elif mode == "close":
            conn.sendall(b"220 hello\r\n")
            conn.makefile("rb").readline()
            conn.sendall(b"250-half a reply\r\n250-and then")
            conn.shutdown(socket.SHUT_RDWR)
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
                        choices=["escapes", "garbage", "endless", "flood", "close", "inject"])
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
