"""Dovecot's POP3 server of the tests' own: its configuration, users, Maildirs and certificate
all under a temporary folder (never /etc/dovecot), on loopback, with STLS and POP3S."""
import os
import pathlib
import shutil
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DovecotLab:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.tls_port = free_port()
        self.process = None

    def start(self):
        f = self.folder
        for sub in ("run", "state", "mail", "home"):
            (f / sub).mkdir(exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=pop.example.test", "-addext", "subjectAltName=DNS:pop.example.test,IP:127.0.0.1",
                        "-keyout", str(f / "key.pem"), "-out", str(f / "cert.pem")], check=True, capture_output=True)
        (f / "users").write_text("carol:{PLAIN}secret:::::\n")
        # Mail is read and written as nobody (Dovecot never runs mail processes as root).
        os.chmod(f, 0o755)
        shutil.chown(f / "mail", "nobody", "nogroup")
        shutil.chown(f / "home", "nobody", "nogroup")
        (f / "dovecot.conf").write_text(f"""
protocols = pop3
listen = 127.0.0.1
base_dir = {f}/run
state_dir = {f}/state
log_path = {f}/dovecot.log
ssl = yes
ssl_cert = <{f}/cert.pem
ssl_key = <{f}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain
mail_location = maildir:{f}/mail/%u
pop3_uidl_format = %08Xu%08Xv
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {f}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={f}/home/%u
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service pop3-login {{
  chroot =
}}
""")
        self.process = subprocess.Popen(["dovecot", "-F", "-c", str(f / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"+OK"):
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Dovecot did not start: " + self.log())

    def deliver(self, user, text):
        """A message straight into the user's Maildir, as an MTA would leave it."""
        new = self.folder / "mail" / user / "new"
        for sub in ("", "new", "cur", "tmp"):
            folder = self.folder / "mail" / user / sub
            folder.mkdir(parents=True, exist_ok=True)
            shutil.chown(folder, "nobody", "nogroup")
        name = f"{int(time.time())}.{os.getpid()}_{len(list(new.iterdir()))}.test"
        (new / name).write_text(text)
        shutil.chown(new / name, "nobody", "nogroup")

    def messages(self, user):
        found = []
        for sub in ("new", "cur"):
            folder = self.folder / "mail" / user / sub
            if folder.exists():
                found += [p for p in folder.iterdir() if p.is_file()]
        return found

    def log(self):
        path = self.folder / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
