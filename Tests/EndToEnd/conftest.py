"""Shared helpers for the end-to-end tests: they drive the real smtpx binary, in tmux for the
screen and through pipes for batch mode, against real peers started here."""
import os
import pathlib
import re
import shutil
import shlex
import socket
import subprocess
import sys
import time
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
SMTPX = pathlib.Path(os.environ.get("SMTPX_BIN", ROOT / ".build" / "debug" / "smtpx"))
POSTFIX_PORT = int(os.environ.get("SMTPX_POSTFIX_PORT", "2526"))
POSTFIX_TLS_PORT = int(os.environ.get("SMTPX_POSTFIX_TLS_PORT", "2465"))
POSTFIX_STATE = pathlib.Path(os.environ.get("SMTPX_POSTFIX_STATE", "/tmp/smtpx-postfix"))


# The machine's own configuration, which no test may change: a contributor who runs the suite
# on a workstation keeps their MTA, their resolver and their POP3 server as they were.
WATCHED = [pathlib.Path(p) for p in ("/etc/postfix", "/etc/resolv.conf", "/etc/dovecot", "/etc/nsd", "/etc/unbound",
                                     "/etc/dnsmasq.conf", "/etc/dnsmasq.d")]


def configuration_snapshot():
    import hashlib
    seen = {}
    for root in WATCHED:
        files = [root] if root.is_file() else sorted(f for f in root.rglob("*") if f.is_file()) if root.exists() else []
        for file in files:
            try:
                seen[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
            except OSError:
                seen[str(file)] = "unreadable"
    return seen


def system_postfix_masters():
    """Postfix master processes that are not the tests' own (those run from their -c folder)."""
    masters = set()
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and command[0].endswith(b"/master") and b"smtpx" not in b" ".join(command):
            try:
                environment = (entry / "environ").read_bytes()
            except OSError:
                environment = b""
            if b"smtpx" not in environment:
                masters.add(int(entry.name))
    return masters


@pytest.fixture(scope="session", autouse=True)
def machine_configuration_untouched():
    before = configuration_snapshot()
    masters = system_postfix_masters()
    yield
    after = configuration_snapshot()
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert not changed, f"the test suite changed the machine's own configuration: {changed}"
    stopped = masters - system_postfix_masters()
    assert not stopped, f"the machine's own Postfix (pid {sorted(stopped)}) was stopped by the test suite"


@pytest.fixture(scope="session")
def smtpx():
    if not SMTPX.exists():
        pytest.fail(f"smtpx binary not found at {SMTPX}; run swift build first")
    return str(SMTPX)


def run(args, *, input=None, env=None, timeout=30):
    """Runs smtpx with `args`; returns the CompletedProcess (text mode)."""
    full_env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    if env:
        full_env.update(env)
    return subprocess.run([str(SMTPX)] + args, input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout)


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def practice_folder(pid):
    """The embedded practice server's Maildir of the explorer with this pid (the newest one: the
    folders are kept after the explorer ends, and a pid comes back after a while)."""
    folders = [p for p in pathlib.Path("/tmp").glob(f"smtpx-practice-*-{pid}") if p.is_dir()]
    assert folders, f"no practice folder for pid {pid}"
    return max(folders, key=lambda p: int(p.name.split("-")[2]))


def wait_until(predicate, timeout=10.0, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@pytest.fixture(scope="session")
def postfix():
    """Postfix on loopback, configured by peers/postfix.sh. A missing Postfix fails the test."""
    if not port_open(POSTFIX_PORT):
        result = subprocess.run([str(HERE / "peers" / "postfix.sh"), "start"], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail("could not start Postfix: " + result.stdout + result.stderr)
    assert port_open(POSTFIX_PORT), "Postfix is not listening"
    return {"port": POSTFIX_PORT, "tls_port": POSTFIX_TLS_PORT, "state": POSTFIX_STATE}


class Hostile:
    def __init__(self, mode):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, str(HERE / "peers" / "hostile_server.py"),
                                         "--port", str(self.port), "--mode", mode],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def hostile():
    servers = []

    def start(mode):
        server = Hostile(mode)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


class Screen:
    """smtpx running in a headless tmux session: keys in, captured screen out."""

    def __init__(self, args, width=132, height=40, env=None, redirect=None):
        self.name = "smtpx-" + uuid.uuid4().hex[:8]
        environment = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        command = f"{environment} {shlex.quote(str(SMTPX))} {' '.join(shlex.quote(a) for a in args)}"
        if redirect:
            command += f" > {shlex.quote(redirect)}"
        # After smtpx ends: its exit status and whether the terminal is back in cooked mode.
        script = (f"{command}; echo \"EXITED $?\"; "
                  "stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon\\|-\\?echo' | tr '\\n' ' '; echo; sleep 600")
        # The tmux server exits with its last session; a new session started at that moment
        # fails, so try again briefly.
        for attempt in range(10):
            started = subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                                      "sh", "-c", script], capture_output=True, text=True)
            if started.returncode == 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail("tmux new-session failed: " + started.stderr)
        subprocess.run(["tmux", "set-option", "-t", self.name, "status", "off"], check=True)

    def keys(self, *keys, literal=False):
        args = ["tmux", "send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        subprocess.run(args + list(keys), check=True)

    def line(self, text):
        """Types a line and presses Enter."""
        if text:
            self.keys(text, literal=True)
        self.keys("Enter")

    def capture(self):
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True, check=True).stdout

    def wait_for(self, pattern, timeout=10.0):
        """Waits until the screen matches `pattern` (a regex); returns the screen or fails."""
        regex = re.compile(pattern)
        screen = wait_until(lambda: (lambda s: s if regex.search(s) else None)(self.capture()), timeout)
        if not screen:
            pytest.fail(f"screen never showed {pattern!r}; it shows:\n{self.capture()}")
        return self.settled(screen, regex)

    def settled(self, screen, regex, within=1.0):
        """A capture can land while smtpx is still drawing a frame; waits for two alike in a row."""
        deadline = time.time() + within
        while time.time() < deadline:
            time.sleep(0.05)
            again = self.capture()
            if again == screen:
                return screen
            if regex.search(again):
                screen = again
        return screen

    def wait_exit(self, timeout=10.0):
        """Waits until smtpx has exited; returns (exit status, terminal back in cooked mode)."""
        shown = self.wait_for(r"EXITED \d+\s*\n\s*-?icanon -?echo", timeout)
        match = re.search(r"EXITED (\d+)\s*\n\s*(-?icanon) (-?echo)", shown)
        return int(match.group(1)), match.group(2) == "icanon" and match.group(3) == "echo"

    def resize(self, width, height):
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True)

    def pid(self):
        """The smtpx process (a child of the pane's shell)."""
        shell = int(subprocess.run(["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"],
                                   capture_output=True, text=True, check=True).stdout)
        for entry in pathlib.Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if ppid == shell and name == "smtpx":
                return int(entry.name)
        return None

    def rss_kib(self):
        pid = self.pid()
        if pid is None:
            return None
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return None

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def screen():
    screens = []

    def start(*args, width=132, height=40, env=None, redirect=None):
        s = Screen(list(args), width, height, env, redirect)
        screens.append(s)
        return s
    yield start
    for s in screens:
        s.close()


class Practice:
    """`smtpx serve` on a free loopback port, with its own Maildir and log."""

    def __init__(self, tmp_path, *args):
        self.port = free_port()
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.maildir = tmp_path / "maildir"
        self.log = tmp_path / "server.log"
        self.process = subprocess.Popen(
            [str(SMTPX), "serve", "--listen", f"127.0.0.1:{self.port}", "--maildir", str(self.maildir),
             "--log", str(self.log), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if not wait_until(lambda: port_open(self.port), timeout=15):
            self.process.kill()
            pytest.fail("smtpx serve did not start: " + self.process.stderr.read())
        # The probe of the port was a session: a test starts once the server has counted it
        # out (a limit of one connection would otherwise meet it).
        if not wait_until(lambda: "] disconnected" in self.log_text(), timeout=15):
            self.process.kill()
            pytest.fail("smtpx serve did not log the end of the port's probe: " + self.log_text())

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def messages(self, mailbox):
        folder = self.maildir / mailbox / "new"
        return sorted(folder.iterdir()) if folder.exists() else []

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def practice(tmp_path):
    servers = []

    def start(*args):
        server = Practice(tmp_path / f"s{len(servers)}", *args)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def dns(tmp_path_factory):
    """NSD and a validating unbound of the tests' own, on loopback (peers/dns_lab.py). A missing
    server fails the tests that need it."""
    sys.path.insert(0, str(HERE / "peers"))
    from dns_lab import DNSLab
    for tool in ("nsd", "unbound", "ldns-keygen", "ldns-signzone", "drill"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: ./scripts/test installs nsd, unbound and ldnsutils")
    lab = DNSLab(tmp_path_factory.mktemp("dns"))
    try:
        lab.start()
    except Exception as error:  # noqa: BLE001 - shown as the test's failure
        lab.stop()
        pytest.fail(f"the test DNS did not start: {error}")
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def tls_lab(tmp_path_factory):
    """A test CA (peers/tls_lab.py): root, intermediate, and server certificates it signs."""
    sys.path.insert(0, str(HERE / "peers"))
    from tls_lab import TLSLab
    if not shutil.which("openssl"):
        pytest.fail("openssl is missing: ./scripts/test installs it")
    return TLSLab(tmp_path_factory.mktemp("ca"))


class PostfixInstance:
    """One more Postfix of the tests' own (peers/postfix.sh with its own folder and ports)."""

    def __init__(self, folder, name, port, tls_port, cert=None, key=None, hostname=None, extra=""):
        self.state = pathlib.Path(folder)
        self.name = name
        self.port = port
        self.tls_port = tls_port
        self.log = self.state / "postfix.log"
        self.env = dict(os.environ, SMTPX_POSTFIX_STATE=str(self.state), SMTPX_POSTFIX_PORT=str(port),
                        SMTPX_POSTFIX_TLS_PORT=str(tls_port), SMTPX_POSTFIX_EXTRA=extra)
        if cert:
            self.env.update(SMTPX_POSTFIX_CERT=str(cert), SMTPX_POSTFIX_KEY=str(key))
        if hostname:
            self.env["SMTPX_POSTFIX_NAME"] = hostname
        result = subprocess.run([str(HERE / "peers" / "postfix.sh"), "start"], env=self.env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"could not start the {name} Postfix: {result.stdout}{result.stderr}")

    def log_text(self):
        return self.log.read_text() if self.log.exists() else ""

    def stop(self):
        subprocess.run([str(HERE / "peers" / "postfix.sh"), "stop"], env=self.env, capture_output=True)


@pytest.fixture(scope="session")
def postfix_lab(tmp_path_factory, tls_lab):
    """Starts extra Postfix instances on demand, each once per session:
    postfix_lab("good") and so on; see PROFILES."""
    if not shutil.which("postfix"):
        pytest.fail("postfix is missing: ./scripts/test installs it")
    started = {}
    old_tls = ("smtpd_tls_protocols = >=TLSv1\nsmtpd_tls_mandatory_protocols = >=TLSv1\n"
               "tls_medium_cipherlist = DEFAULT:@SECLEVEL=0\ntls_low_cipherlist = DEFAULT:@SECLEVEL=0\n")
    modern = "smtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n"
    profiles = {
        # name: (port, certificate name, expired?, chain?, main.cf lines)
        "good": (2541, "mail.good.test", False, True, modern + "message_size_limit = 36700160\n"),
        "relay": (2543, "relay.good.test", False, True,
                  "smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination\n"
                  "smtpd_recipient_restrictions = permit_mynetworks reject_unauth_destination\n"
                  "default_transport = discard\n" + modern),
        "tlsfirst": (2545, "tlsfirst.good.test", False, True,
                     modern + "smtpd_tls_security_level = encrypt\n"),
        "expired": (2547, "expired.good.test", True, True, modern),
        "oldtls": (2549, "oldtls.good.test", False, True, old_tls),
        "nochain": (2551, "nochain.good.test", False, False, modern),
    }

    def start(name):
        if name not in started:
            port, cert_name, expired, chain, extra = profiles[name]
            issued = tls_lab.server(cert_name, expired=expired)
            # Postfix's own users must reach the folder: pytest's temporary folders are private.
            folder = pathlib.Path(f"/tmp/smtpx-postfix-{name}")
            shutil.rmtree(folder, ignore_errors=True)
            (folder / "tls").mkdir(parents=True)
            served = folder / "tls" / ("chain.pem" if chain else "cert.pem")
            shutil.copy(issued.chain if chain else issued.cert, served)
            shutil.copy(issued.key, folder / "tls" / "key.pem")
            started[name] = PostfixInstance(folder, name, port, port + 1,
                                            cert=served, key=folder / "tls" / "key.pem",
                                            hostname=cert_name, extra=extra)
            started[name].certificate = issued
        return started[name]
    yield start
    for instance in started.values():
        instance.stop()
