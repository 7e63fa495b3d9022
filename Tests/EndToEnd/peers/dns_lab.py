"""A DNS of the tests' own: NSD serves the test zones on loopback, unbound resolves and
validates in front of it. Everything lives in a temporary folder; nothing of the machine's own
DNS configuration is read or written.

Zones:
  route.test   unsigned: a CNAME chain of three hops (sh → hop1 → hop2 → mail) to a host with MX
               of preference 5, 10 and two of 20; a null MX; a name with only an A record; an MX
               that names an alias; a CNAME loop; an AAAA-only exchanger; an MX that names an
               address; forty exchangers (their answer does not fit in 1232 octets of UDP); a
               domain whose best MX refuses connections.
  signed.test  signed, its key trusted by unbound: answers are secure.
  bogus.test   signed, then changed: validation fails (SERVFAIL, an answer with CD set).
  broken.route.test  a zone NSD serves without its file: SERVFAIL.
  silent.route.test  delegated to a server that reads questions and never answers.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time

ROUTE_ZONE = """$ORIGIN route.test.
$TTL 300
@       SOA  ns.route.test. hostmaster.route.test. 1 3600 900 604800 300
@       NS   ns
ns      A    127.0.0.1
sh      CNAME hop1
hop1    CNAME hop2
hop2    CNAME mail
mail    MX   10 mx2
mail    MX   5 mx1
mail    MX   20 mx3a
mail    MX   20 mx3b
mx1     A    127.0.0.11
mx2     A    127.0.0.12
mx3a    A    127.0.0.13
mx3b    A    127.0.0.14
nullmx  MX   0 .
plain   A    127.0.0.20
aliasmx MX   10 alias
alias   CNAME real
real    A    127.0.0.21
loop1   CNAME loop2
loop2   CNAME loop1
v6only  MX   10 v6host
v6host  AAAA ::1
literal MX   10 192.0.2.1.
fallback MX  10 refuse
fallback MX  20 accept
refuse  A    127.0.0.3
accept  A    127.0.0.4
"""

SIGNED_ZONE = """$ORIGIN {name}.
$TTL 300
@       SOA  ns.{name}. hostmaster.{name}. 1 3600 900 604800 300
@       NS   ns
ns      A    127.0.0.1
@       MX   10 mx
mx      A    {address}
"""


def free_port(kind=socket.SOCK_DGRAM):
    """A port free for both UDP and TCP on 127.0.0.1."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                    tcp.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue


class Blackhole:
    """Reads DNS questions over UDP and TCP and never answers."""

    def __init__(self, host="127.0.0.1"):
        self.port = free_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((host, self.port))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((host, self.port))
        self.tcp.listen(16)
        self.held = []
        self.running = True
        threading.Thread(target=self.swallow_udp, daemon=True).start()
        threading.Thread(target=self.swallow_tcp, daemon=True).start()

    def swallow_udp(self):
        while self.running:
            try:
                self.udp.recvfrom(4096)
            except OSError:
                return

    def swallow_tcp(self):
        while self.running:
            try:
                connection, _ = self.tcp.accept()
                self.held.append(connection)
            except OSError:
                return

    def stop(self):
        self.running = False
        for s in [self.udp, self.tcp] + self.held:
            s.close()


class DNSLab:
    def __init__(self, folder, netns=None, resolver_port=None, zones=()):
        """`zones`: more zones to serve, as (name, text, signed) triples; a signed one is
        trusted by unbound, an unsigned one is declared insecure."""
        self.zones = list(zones)
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.netns = netns
        self.nsd_port = free_port()
        self.resolver_port = resolver_port or free_port()
        self.dead_port = free_port()
        self.processes = []
        self.blackhole = None

    def prefix(self):
        return ["ip", "netns", "exec", self.netns] if self.netns else []

    def run(self, args, **kwargs):
        return subprocess.run(self.prefix() + args, check=True, capture_output=True, text=True, **kwargs)

    def sign(self, name, zone, tamper=None):
        """Signs `zone` with a fresh key; returns the DS record that trusts it."""
        plain = self.folder / f"{name}.zone"
        plain.write_text(zone)
        keys = self.folder / "keys"
        keys.mkdir(exist_ok=True)
        base = subprocess.run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", name], cwd=keys, check=True,
                              capture_output=True, text=True).stdout.strip()
        subprocess.run(["ldns-signzone", "-n", "-f", str(self.folder / f"{name}.signed"), str(plain),
                        str(keys / base)], check=True, capture_output=True, text=True)
        signed = self.folder / f"{name}.signed"
        if tamper:
            old, new = tamper
            text = signed.read_text()
            assert old in text, f"{old!r} not in the signed {name}"
            signed.write_text(text.replace(old, new, 1))
        ds = (keys / f"{base}.ds").read_text().split()
        return f"{name}. DS {' '.join(ds[-4:])}"

    def start(self):
        (self.folder / "route.test.zone").write_text(ROUTE_ZONE)
        big = "\n".join(f"big MX 10 a-rather-long-exchanger-name-for-the-test-number-{i:02}\n"
                        f"a-rather-long-exchanger-name-for-the-test-number-{i:02} A 127.0.0.50" for i in range(40))
        (self.folder / "route.test.zone").write_text(ROUTE_ZONE + big + "\n")
        anchors = [self.sign("signed.test", SIGNED_ZONE.format(name="signed.test", address="127.0.0.30")),
                   self.sign("bogus.test", SIGNED_ZONE.format(name="bogus.test", address="127.0.0.31"),
                             tamper=("IN\tMX\t10 mx.bogus.test.", "IN\tMX\t20 mx.bogus.test."))]
        extra_nsd, extra_stubs, insecure = "", "", ""
        for name, text, signed in self.zones:
            if signed:
                anchors.append(self.sign(name, text))
                zonefile = f"{name}.signed"
            else:
                (self.folder / f"{name}.zone").write_text(text)
                zonefile = f"{name}.zone"
                insecure += f'    domain-insecure: "{name}"\n'
            extra_nsd += f'zone:\n    name: "{name}"\n    zonefile: "{zonefile}"\n'
            extra_stubs += f'stub-zone:\n    name: "{name}"\n    stub-addr: 127.0.0.1@{self.nsd_port}\n'

        nsd = self.folder / "nsd.conf"
        nsd.write_text(f"""server:
    ip-address: 127.0.0.1@{self.nsd_port}
    port: {self.nsd_port}
    zonesdir: "{self.folder}"
    database: ""
    zonelistfile: "{self.folder}/zone.list"
    xfrdfile: "{self.folder}/xfrd.state"
    pidfile: "{self.folder}/nsd.pid"
    logfile: "{self.folder}/nsd.log"
    username: ""
    chroot: ""
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: "route.test"
    zonefile: "route.test.zone"
zone:
    name: "signed.test"
    zonefile: "signed.test.signed"
zone:
    name: "bogus.test"
    zonefile: "bogus.test.signed"
# A zone NSD is told to serve but has no file for: it answers SERVFAIL.
zone:
    name: "broken.route.test"
    zonefile: "broken.route.test.missing"
""" + extra_nsd)
        self.blackhole = Blackhole() if not self.netns else None
        silent = f"127.0.0.1@{self.blackhole.port}" if self.blackhole else f"127.0.0.1@{self.dead_port}"
        unbound = self.folder / "unbound.conf"
        trust = "\n".join(f'    trust-anchor: "{anchor}"' for anchor in anchors)
        unbound.write_text(f"""server:
    interface: 127.0.0.1@{self.resolver_port}
    port: {self.resolver_port}
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "{self.folder}"
    pidfile: "{self.folder}/unbound.pid"
    use-syslog: no
    logfile: "{self.folder}/unbound.log"
    verbosity: 1
    do-ip6: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "validator iterator"
{trust}
    domain-insecure: "route.test"
{insecure}    # "test." is special-use (RFC 6761): unbound answers it itself unless told not to.
    local-zone: "test." nodefault
    val-log-level: 2
    edns-buffer-size: 1232
    max-udp-size: 1232
    infra-host-ttl: 10
stub-zone:
    name: "route.test"
    stub-addr: 127.0.0.1@{self.nsd_port}
stub-zone:
    name: "signed.test"
    stub-addr: 127.0.0.1@{self.nsd_port}
stub-zone:
    name: "bogus.test"
    stub-addr: 127.0.0.1@{self.nsd_port}
stub-zone:
    name: "broken.route.test"
    stub-addr: 127.0.0.1@{self.nsd_port}
stub-zone:
    name: "silent.route.test"
    stub-addr: {silent}
""" + extra_stubs)
        self.run(["nsd-checkconf", str(nsd)])
        self.run(["unbound-checkconf", str(unbound)])
        self.processes.append(subprocess.Popen(self.prefix() + ["nsd", "-d", "-c", str(nsd)],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.processes.append(subprocess.Popen(self.prefix() + ["unbound", "-d", "-c", str(unbound)],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.time() + 15
        while time.time() < deadline:
            answer = subprocess.run(self.prefix() + ["drill", "-p", str(self.resolver_port), "@127.0.0.1",
                                                     "mx1.route.test", "A"], capture_output=True, text=True)
            if "127.0.0.11" in answer.stdout:
                return self
            time.sleep(0.2)
        raise RuntimeError("the test DNS did not come up:\n" + self.logs())

    def logs(self):
        return "\n".join(p.read_text() for p in self.folder.glob("*.log") if p.exists())

    @property
    def server(self):
        return f"127.0.0.1:{self.resolver_port}"

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.blackhole:
            self.blackhole.stop()


if __name__ == "__main__":
    import sys
    import tempfile
    lab = DNSLab(tempfile.mkdtemp(prefix="smtpx-dns-")).start()
    print(lab.server, flush=True)
    try:
        sys.stdin.read()
    finally:
        lab.stop()
