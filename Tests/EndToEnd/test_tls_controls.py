"""The TLS and connection controls (--ca-file, --verify-name, --pin, --tls-min/--tls-max,
--ciphers, --client-cert, --sni, -4/-6, --source, --save-chain and /cert save) against Postfix
instances serving certificates of a test CA, and weak TLS warned about in batch mode and on the
screen."""
import pathlib
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import uuid

import pytest

from conftest import run, SMTPX

STARTTLS = "EHLO client.example.net\nSTARTTLS\nEHLO client.example.net\nQUIT\n"


def test_ca_file_and_verify_name_verify_a_private_ca(postfix_lab, tls_lab):
    good = postfix_lab("good")
    result = run(["--ca-file", str(tls_lab.root), "--verify-name", "mail.good.test", "127.0.0.1", str(good.port)],
                 input=STARTTLS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TLS established: TLSv1.3" in result.stdout and "certificate verified" in result.stdout
    assert "<~  250" in result.stdout
    # Without the CA the same chain is refused, and nothing more is sent.
    result = run(["--verify-name", "mail.good.test", "127.0.0.1", str(good.port)], input=STARTTLS)
    assert result.returncode == 2
    assert "TLS failed: the issuer (CN=smtpx test intermediate) is not in the trust store" in result.stdout
    assert result.stdout.count(" -> ") == 2
    # With the CA but the wrong name: the name is the problem.
    result = run(["--ca-file", str(tls_lab.root), "127.0.0.1", str(good.port)], input=STARTTLS)
    assert "TLS failed: the certificate is for mail.good.test, not 127.0.0.1" in result.stdout


def test_ca_only_trusts_nothing_else(postfix_lab, tls_lab, tmp_path):
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=another root", "-keyout", str(tmp_path / "k"), "-out", str(other)],
                   check=True, capture_output=True)
    good = postfix_lab("good")
    result = run(["--ca-file", str(other), "--ca-only", "--verify-name", "mail.good.test",
                  "127.0.0.1", str(good.port)], input=STARTTLS)
    assert result.returncode == 2
    assert "not in the trust store" in result.stdout


@pytest.mark.parametrize("form", ["spki-hex", "spki-curl", "fingerprint"])
def test_a_pin_stands_for_the_identity(postfix_lab, form):
    good = postfix_lab("good")
    leaf = good.certificate
    pin = {"spki-hex": "sha256:" + leaf.spki_sha256(),
           "spki-curl": "sha256//" + __import__("base64").b64encode(bytes.fromhex(leaf.spki_sha256())).decode(),
           "fingerprint": ":".join(leaf.fingerprint()[i:i + 2] for i in range(0, 64, 2)).upper()}[form]
    result = run(["--pin", pin, "127.0.0.1", str(good.port)], input=STARTTLS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "certificate verified" in result.stdout


def test_a_wrong_pin_refuses_the_connection(postfix_lab):
    good = postfix_lab("good")
    wrong = "0" * 64
    result = run(["--pin", wrong, "127.0.0.1", str(good.port)], input=STARTTLS)
    assert result.returncode == 2
    assert f"TLS failed: no certificate of the chain has the pinned key {wrong}" in result.stdout
    assert result.stdout.count(" -> ") == 2, "nothing is sent over a connection whose key is not the pinned one"


def test_version_range_and_weak_tls_warning(postfix_lab):
    old = postfix_lab("oldtls")
    result = run(["--insecure", "--tls-max", "1.0", "127.0.0.1", str(old.port)], input=STARTTLS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TLS established: TLSv1.0" in result.stdout
    assert "*** Weak TLS: TLSv1.0 is deprecated (RFC 8996)" in result.stdout
    result = run(["--insecure", "--tls-min", "1.3", "127.0.0.1", str(old.port)], input=STARTTLS)
    assert "TLS established: TLSv1.3" in result.stdout and "Weak TLS" not in result.stdout
    good = postfix_lab("good")
    result = run(["--insecure", "--tls-max", "1.1", "127.0.0.1", str(good.port)], input=STARTTLS)
    assert result.returncode == 2
    assert "TLS failed: the server and smtpx have no TLS version in common" in result.stdout
    result = run(["--insecure", "--tls-max", "1.2", "--format", "jsonl", "127.0.0.1", str(good.port)], input=STARTTLS)
    assert '"version":"TLSv1.2"' in result.stdout.replace(" ", "")


def test_ciphers_choose_the_suite_and_cbc_sha1_is_warned(postfix_lab):
    good = postfix_lab("good")
    result = run(["--insecure", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA", "127.0.0.1", str(good.port)],
                 input=STARTTLS)
    assert "TLS established: TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" in result.stdout
    assert "Weak TLS: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA uses CBC with SHA-1" in result.stdout
    result = run(["--insecure", "--tls-max", "1.2", "--ciphers", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                  "127.0.0.1", str(good.port)], input=STARTTLS)
    assert "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" in result.stdout and "Weak TLS" not in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--ciphers", "NOPE"], "--ciphers: 'NOPE' is not a TLS 1.2 suite"),
    (["--ciphers", "TLS_AES_128_GCM_SHA256"], "TLS 1.3 suites are always offered"),
    (["--tls-min", "1.3", "--tls-max", "1.2"], "--tls-min 1.3 is above --tls-max 1.2"),
    (["--tls-max", "2.0"], "2.0"),
    (["--pin", "xyz"], "--pin 'xyz' is not a SHA-256"),
    (["--ca-file", "/nonexistent/ca.pem"], "--ca-file: cannot read /nonexistent/ca.pem"),
    (["--client-cert", "/etc/hostname"], "--client-cert and --client-key go together"),
    (["-4", "-6"], "-4 and -6 contradict each other"),
    (["--pin", "0" * 64, "--insecure"], "--pin and --insecure contradict each other"),
    (["--sni", "a.test", "--no-sni"], "--sni"),
    (["--source", "not-an-address"], "--source"),
])
def test_bad_controls_are_refused_before_anything_starts(smtpx, args, words):
    result = run(args + ["127.0.0.1", "9"], input="QUIT\n")
    assert result.returncode == 64, result.stdout + result.stderr
    assert words in result.stderr
    assert result.stdout == "" and "Trying" not in result.stderr


def test_save_chain_writes_pem_openssl_reads(postfix_lab, tls_lab, tmp_path):
    good = postfix_lab("good")
    saved = tmp_path / "chain.pem"
    result = run(["--insecure", "--save-chain", str(saved), "127.0.0.1", str(good.port)], input=STARTTLS)
    assert f"Saved the server's chain (2 certificates) to {saved}" in result.stdout
    text = saved.read_text()
    assert text.count("-----BEGIN CERTIFICATE-----") == 2
    verify = subprocess.run(["openssl", "verify", "-CAfile", str(tls_lab.root), "-untrusted", str(saved), str(saved)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    subject = subprocess.run(["openssl", "x509", "-noout", "-subject"], input=text, capture_output=True, text=True)
    assert "CN = mail.good.test" in subject.stdout


def test_cert_save_on_the_screen_and_weak_tls_shown(postfix_lab, screen, tmp_path):
    old = postfix_lab("oldtls")
    s = screen("--insecure", "--tls-max", "1.1", "127.0.0.1", str(old.port))
    s.wait_for(r"<-  220 ")
    s.line("EHLO client.example.net")
    s.wait_for(r"<-  250 ")
    s.line("/cert")
    s.wait_for(r"no TLS session: the server has sent no certificate")
    s.line("STARTTLS")
    shown = s.wait_for(r"Weak TLS: TLSv1\.1 is deprecated")
    assert "TLS established: TLSv1.1" in shown
    target = tmp_path / "screen-chain.pem"
    s.line(f"/cert save {target}")
    s.wait_for(r"Saved the server's chain \(2 certificates\)")
    assert target.read_text().count("BEGIN CERTIFICATE") == 2


LISTENER = """
import socket, sys, threading
def serve(family, host):
    s = socket.socket(family)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, 2525)); s.listen(8)
    while True:
        c, peer = s.accept()
        c.sendall(("220 seen " + peer[0] + "\\r\\n").encode()); c.recv(100); c.sendall(b"221 bye\\r\\n"); c.close()
threading.Thread(target=serve, args=(socket.AF_INET, "127.0.0.1"), daemon=True).start()
threading.Thread(target=serve, args=(socket.AF_INET6, "::1"), daemon=True).start()
print("ready", flush=True); sys.stdin.read()
"""


@pytest.fixture
def dual_stack(tmp_path):
    """A network namespace whose /etc/hosts gives dual.test both 127.0.0.1 and ::1, with a
    server on both that answers 220 with the client's address."""
    if not shutil.which("ip"):
        pytest.fail("ip (iproute2) is missing")
    name = "smtpx-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    folder = pathlib.Path("/etc/netns") / name
    server = None
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "-n", name, "addr", "add", "127.0.0.2/8", "dev", "lo"], check=False)
        folder.mkdir(parents=True)
        (folder / "hosts").write_text("127.0.0.1 dual.test\n::1 dual.test\n127.0.0.1 v4only.test\n")
        server = subprocess.Popen(["ip", "netns", "exec", name, sys.executable, "-c", LISTENER],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert server.stdout.readline().strip() == "ready"
        yield name
    finally:
        if server:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["ip", "netns", "del", name], check=False)


def in_namespace(name, *args):
    return subprocess.run(["ip", "netns", "exec", name, str(SMTPX), *args], input="QUIT\n", capture_output=True,
                          text=True, timeout=30, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})


def test_address_family_and_source_address(dual_stack):
    result = in_namespace(dual_stack, "-6", "dual.test", "2525")
    assert "<-  220 seen ::1" in result.stdout, result.stdout + result.stderr
    result = in_namespace(dual_stack, "-4", "dual.test", "2525")
    assert "<-  220 seen 127.0.0.1" in result.stdout, result.stdout + result.stderr
    result = in_namespace(dual_stack, "--source", "127.0.0.2", "127.0.0.1", "2525")
    assert "<-  220 seen 127.0.0.2" in result.stdout and "(from 127.0.0.2:" in result.stdout, result.stdout
    result = in_namespace(dual_stack, "-6", "v4only.test", "2525")
    assert result.returncode == 2
    assert "v4only.test has no IPv6 address" in result.stdout, result.stdout


class ClientCertServer:
    """Implicit TLS that requires a client certificate of the test CA and answers 220 with the
    subject it saw, so the test sees what smtpx presented."""

    def __init__(self, tls_lab):
        server = tls_lab.server("ccert.good.test")
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(server.chain, server.key)
        self.context.load_verify_locations(tls_lab.root)
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(4)
        self.port = self.socket.getsockname()[1]
        self.seen = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                raw, _ = self.socket.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(raw, server_side=True) as conn:
                    subject = dict(x[0] for x in conn.getpeercert()["subject"])["commonName"]
                    self.seen.append(subject)
                    conn.sendall(f"220 ccert.good.test hello {subject}\r\n".encode())
                    conn.recv(100)
                    conn.sendall(b"221 bye\r\n")
            except (ssl.SSLError, OSError) as error:
                self.seen.append(f"refused: {error}")

    def close(self):
        self.socket.close()


def test_client_certificate_is_presented(tls_lab):
    server = ClientCertServer(tls_lab)
    client = tls_lab.server("client.example.net")
    try:
        result = run(["--tls", "--ca-file", str(tls_lab.root), "--verify-name", "ccert.good.test",
                      "--client-cert", str(client.chain), "--client-key", str(client.key),
                      "127.0.0.1", str(server.port)], input="QUIT\n")
        assert "<~  220 ccert.good.test hello client.example.net" in result.stdout, result.stdout + result.stderr
        assert server.seen[-1] == "client.example.net"
        result = run(["--tls", "--ca-file", str(tls_lab.root), "--verify-name", "ccert.good.test",
                      "127.0.0.1", str(server.port)], input="QUIT\n")
        assert "220 ccert" not in result.stdout
        assert "the server did not accept smtpx's client certificate, or its absence" in result.stdout
    finally:
        server.close()


def test_sni_is_sent_as_asked(tls_lab):
    """A TLS server that records the name each client sent."""
    names = []
    server_cert = tls_lab.server("sni.good.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_cert.chain, server_cert.key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def serve():
        while True:
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    conn.sendall(b"220 sni.good.test\r\n")
                    conn.recv(100)
            except (ssl.SSLError, OSError):
                pass
    threading.Thread(target=serve, daemon=True).start()
    try:
        run(["--tls", "--insecure", "--sni", "asked.example", "127.0.0.1", str(port)], input="QUIT\n")
        run(["--tls", "--insecure", "--no-sni", "localhost", str(port)], input="QUIT\n")
        run(["--tls", "--insecure", "localhost", str(port)], input="QUIT\n")
        assert names == ["asked.example", None, "localhost"]
    finally:
        listener.close()


def test_students_trust_the_class_server(practice, tmp_path):
    """smtpx serve prints its certificate's fingerprint and key pin and writes the certificate
    with --tls-cert-out; a student's --pin or --ca-file then verifies it."""
    out = tmp_path / "class.pem"
    server = practice("--tls-cert-out", str(out))
    banner = wait_for_banner(server)
    pin = re.search(r"smtpx --pin (sha256//\S+) HOST PORT", banner).group(1)
    assert re.search(r"certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}", banner)
    assert out.read_text().startswith("-----BEGIN CERTIFICATE-----")
    for trust in (["--pin", pin], ["--ca-file", str(out)]):
        result = run(trust + ["127.0.0.1", str(server.port)], input=STARTTLS)
        assert "TLS established" in result.stdout and "certificate verified" in result.stdout, (trust, result.stdout)
        assert result.returncode == 0
    untrusted = run(["127.0.0.1", str(server.port)], input=STARTTLS)
    assert "TLS failed: the certificate is self-signed" in untrusted.stdout


def wait_for_banner(server):
    """The start-up summary smtpx serve writes on standard error, up to the trust lines."""
    lines = []

    def read():
        for line in server.process.stderr:
            lines.append(line)
            if "written to" in line:
                return
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    return "".join(lines)
