"""smtpx probe against real peers: Postfix instances configured well and badly on purpose, a
DNSSEC-signed test zone with TLSA records, MTA-STS policies over HTTPS, and the practice server.
Verdicts are asserted from the JSON report, and Postfix's own log shows no probe sent DATA."""
import http.server
import json
import socket
import ssl
import subprocess
import sys
import threading

import pytest

from conftest import HERE, run

MX_PORT = 2541  # the "good" Postfix of postfix_lab


def probe(*args, timeout=180):
    result = run(["probe", "--format", "json", *args], timeout=timeout)
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == result.returncode
    return report, result


def verdicts(report):
    """{check id: verdict}; the first of each id (one server)."""
    found = {}
    for check in report["checks"]:
        found.setdefault(check["id"], check["verdict"])
    return found


def check(report, ident):
    return next(c for c in report["checks"] if c["id"] == ident)


def lab_args(tls_lab, name):
    return ["--ca-file", str(tls_lab.root), "--verify-name", name, "--helo", "probe.example.net"]


def test_a_well_configured_postfix_is_clean(postfix_lab, tls_lab):
    good = postfix_lab("good")
    report, result = probe(*lab_args(tls_lab, "mail.good.test"), f"127.0.0.1:{good.port}")
    got = verdicts(report)
    for ident in ["connection.connect", "connection.banner", "esmtp.ehlo", "esmtp.helo", "esmtp.pipelining", "esmtp.size",
                  "tls.starttls", "tls.version.1.0", "tls.version.1.1", "tls.version.1.2", "tls.version.1.3", "tls.cipher",
                  "tls.certificate", "tls.ehlo-after", "policy.null-sender", "relay", "timing.stages"]:
        assert got.get(ident) == "ok", (ident, got.get(ident), result.stdout)
    assert got["policy.mail-before-tls"] == "note"
    assert report["verdict"] in ("ok", "note") and result.returncode == 0, result.stdout
    relay = check(report, "relay")
    assert sum(1 for line in relay["evidence"] if line.startswith("> RCPT TO:")) == 6
    # Postfix's soft error limit makes it answer later errors a second late: a tarpit, said so.
    assert got["timing.tarpit"] == "note"


def test_an_open_relay_is_a_problem(postfix_lab, tls_lab):
    relay = postfix_lab("relay")
    report, result = probe(*lab_args(tls_lab, "relay.good.test"), "--checks", "relay,policy", f"127.0.0.1:{relay.port}")
    assert verdicts(report)["relay"] == "problem"
    assert result.returncode == 2
    detail = check(report, "relay")["detail"]
    for kind in ["plain", "percent-hack", "quoted"]:
        assert kind in detail
    assert "< 250 2.1.5 Ok" in check(report, "relay")["evidence"]


def test_starttls_required_before_mail(postfix_lab, tls_lab):
    first = postfix_lab("tlsfirst")
    report, result = probe(*lab_args(tls_lab, "tlsfirst.good.test"), f"127.0.0.1:{first.port}")
    got = verdicts(report)
    mail = check(report, "policy.mail-before-tls")
    assert any("530" in line for line in mail["evidence"])
    # The relay test ran inside TLS, where the real rules apply.
    assert got["relay"] == "ok"
    assert got["policy.null-sender"] == "ok"
    assert got["tls.certificate"] == "ok"


def test_an_expired_certificate_is_a_problem(postfix_lab, tls_lab):
    expired = postfix_lab("expired")
    report, result = probe(*lab_args(tls_lab, "expired.good.test"), "--checks", "tls", f"127.0.0.1:{expired.port}")
    certificate = check(report, "tls.certificate")
    assert certificate["verdict"] == "problem" and "expired" in certificate["detail"]
    assert result.returncode == 2


def test_tls_1_0_allowed_is_a_warning(postfix_lab, tls_lab):
    old = postfix_lab("oldtls")
    report, result = probe(*lab_args(tls_lab, "oldtls.good.test"), "--checks", "tls", f"127.0.0.1:{old.port}")
    got = verdicts(report)
    assert got["tls.version.1.0"] == "warning" and got["tls.version.1.1"] == "warning"
    assert got["tls.version.1.2"] == "ok" and got["tls.version.1.3"] == "ok"
    assert result.returncode == 1
    good = postfix_lab("good")
    report, _ = probe(*lab_args(tls_lab, "mail.good.test"), "--checks", "tls", f"127.0.0.1:{good.port}")
    assert verdicts(report)["tls.version.1.0"] == "ok"


def test_a_chain_without_its_intermediate(postfix_lab, tls_lab):
    bare = postfix_lab("nochain")
    report, result = probe(*lab_args(tls_lab, "nochain.good.test"), "--checks", "tls", f"127.0.0.1:{bare.port}")
    chain = check(report, "tls.chain")
    assert chain["verdict"] == "problem" and "intermediate" in chain["detail"]
    assert result.returncode == 2


def test_the_practice_server_is_clean_but_for_its_certificate(smtpx):
    report, result = probe()
    problems = [c for c in report["checks"] if c["verdict"] in ("warning", "problem")]
    assert [c["id"] for c in problems] == ["tls.certificate"], json.dumps(problems, indent=1)
    assert "self-signed" in problems[0]["detail"]
    assert result.returncode == 1
    assert report["target"].startswith("practice server 127.0.0.1:")


def test_text_and_markdown_and_chinese(smtpx):
    result = run(["probe", "--checks", "relay,esmtp"], timeout=120)
    assert "== Relaying" in result.stdout and "[  ok ] Not an open relay" in result.stdout
    assert "Verdict: ok" in result.stdout or "Verdict: note" in result.stdout
    result = run(["probe", "--checks", "relay", "--format", "markdown", "--lang", "zh"], timeout=120)
    assert result.stdout.startswith("# smtpx probe: ")
    assert "| ✅ 正常 | 不是开放中继 |" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--checks", "tls,nope"], "--checks: 'nope' is not a group"),
    (["--port", "0"], "--port must be between 1 and 65535"),
    (["--helo", "two words"], "--helo 'two words' is not a host name"),
    (["127.0.0.1:99999"], "the port is not a number from 1 to 65535"),
    (["-6", "127.0.0.1:25"], "is an IPv4 address, but -6 was given"),
    (["bad..domain"], "bad..domain"),
])
def test_bad_arguments_are_refused_first(smtpx, args, words):
    result = run(["probe", *args])
    assert result.returncode == 64, result.stdout + result.stderr
    assert words in result.stderr


def test_nothing_to_connect_to_is_status_3(smtpx):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report, result = probe("--timeout", "3", f"127.0.0.1:{port}")
    assert result.returncode == 3
    assert verdicts(report)["connection.connect"] == "problem"


# --- DNS: DANE and MTA-STS -----------------------------------------------------------------

POLICIES = {
    "mta-sts.good.test": "version: STSv1\nmode: enforce\nmx: mail.good.test\nmax_age: 604800\n",
    "mta-sts.testing.good.test": "version: STSv1\nmode: testing\nmx: *.good.test\nmax_age: 86400\n",
    "mta-sts.excl.good.test": "version: STSv1\nmode: enforce\nmx: mx.other.example\nmax_age: 604800\n",
}


class PolicyServer:
    """HTTPS on 127.0.0.60:443 answering /.well-known/mta-sts.txt by Host header, and on
    127.0.0.61:443 a listener that accepts and never answers."""

    def __init__(self, tls_lab):
        leaf = tls_lab.server("mta-sts.good.test", names=list(POLICIES))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(leaf.chain, leaf.key)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                host = (self.headers.get("Host") or "").split(":")[0]
                body = POLICIES.get(host)
                if self.path != "/.well-known/mta-sts.txt" or body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                self.server.requests.append(self.headers.get("Host"))

        self.http = http.server.ThreadingHTTPServer(("127.0.0.60", 443), Handler)
        self.http.requests = []
        self.http.socket = context.wrap_socket(self.http.socket, server_side=True)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.silent = socket.socket()
        self.silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.silent.bind(("127.0.0.61", 443))
        self.silent.listen(8)
        self.held = []
        threading.Thread(target=self.hold, daemon=True).start()

    def hold(self):
        while True:
            try:
                self.held.append(self.silent.accept()[0])
            except OSError:
                return

    def stop(self):
        self.http.shutdown()
        self.http.server_close()
        self.silent.close()
        for held in self.held:
            held.close()


def good_zone(spki):
    return f"""$ORIGIN good.test.
$TTL 300
@        SOA  ns.good.test. hostmaster.good.test. 1 3600 900 604800 300
@        NS   ns
ns       A    127.0.0.1
@        MX   10 mail
mail     A    127.0.0.1
_{MX_PORT}._tcp.mail TLSA 3 1 1 {spki}
_mta-sts TXT  "v=STSv1; id=20261201"
mta-sts  A    127.0.0.60
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@good.test"
mismatch MX   10 mx.mismatch
mx.mismatch A 127.0.0.1
_{MX_PORT}._tcp.mx.mismatch TLSA 3 1 1 {"ab" * 32}
testing  MX   10 mail
_mta-sts.testing TXT "v=STSv1; id=1"
mta-sts.testing A 127.0.0.60
excl     MX   10 mail
_mta-sts.excl TXT "v=STSv1; id=1"
mta-sts.excl A 127.0.0.60
silent   MX   10 mail
_mta-sts.silent TXT "v=STSv1; id=1"
mta-sts.silent A 127.0.0.61
"""


def plain_zone(spki):
    return f"""$ORIGIN plain.test.
$TTL 300
@        SOA  ns.plain.test. hostmaster.plain.test. 1 3600 900 604800 300
@        NS   ns
ns       A    127.0.0.1
@        MX   10 mx
mx       A    127.0.0.1
_{MX_PORT}._tcp.mx TLSA 3 1 1 {spki}
"""


@pytest.fixture(scope="module")
def probe_dns(tmp_path_factory, postfix_lab, tls_lab):
    sys.path.insert(0, str(HERE / "peers"))
    from dns_lab import DNSLab
    good = postfix_lab("good")
    spki = good.certificate.spki_sha256()
    lab = DNSLab(tmp_path_factory.mktemp("probe-dns"),
                 zones=[("good.test", good_zone(spki), True), ("plain.test", plain_zone(spki), False)])
    try:
        lab.start()
    except Exception as error:  # noqa: BLE001 - shown as the test's failure
        lab.stop()
        pytest.fail(f"the test DNS did not start: {error}")
    policies = PolicyServer(tls_lab)
    yield lab, policies
    policies.stop()
    lab.stop()


def domain_probe(probe_dns, tls_lab, domain, *extra):
    lab, _ = probe_dns
    return probe("--dns-server", lab.server, "--port", str(MX_PORT), "--ca-file", str(tls_lab.root),
                 "--helo", "probe.example.net", *extra, domain)


def test_dane_matches_in_a_signed_zone(probe_dns, tls_lab):
    report, result = domain_probe(probe_dns, tls_lab, "good.test")
    assert report["mode"] == "domain" and report["route"] == ["MX 10 mail.good.test [127.0.0.1]"]
    got = verdicts(report)
    dane = check(report, "dane")
    assert dane["verdict"] == "ok", dane
    assert "DANE-EE SPKI SHA2-256" in dane["detail"] and "secure" in dane["evidence"][0]
    assert got["mta-sts"] == "ok" and got["tls-rpt"] == "ok"
    assert got["tls.certificate"] == "ok"
    assert got["connection.fcrdns"] == "ok"  # 127.0.0.1 is localhost, and back


def test_dane_mismatch_is_a_problem(probe_dns, tls_lab):
    report, result = domain_probe(probe_dns, tls_lab, "mismatch.good.test", "--checks", "dane")
    dane = check(report, "dane")
    assert dane["verdict"] == "problem" and "none matches" in dane["detail"]
    assert result.returncode == 2


def test_tlsa_in_an_unsigned_zone_is_a_warning(probe_dns, tls_lab):
    report, result = domain_probe(probe_dns, tls_lab, "plain.test", "--checks", "dane")
    dane = check(report, "dane")
    assert dane["verdict"] == "warning" and "not signed" in dane["detail"]
    assert "insecure" in dane["evidence"][0]


def test_mta_sts_testing_excluding_and_silent(probe_dns, tls_lab):
    report, _ = domain_probe(probe_dns, tls_lab, "testing.good.test", "--checks", "mta-sts")
    assert check(report, "mta-sts")["verdict"] == "note" and "testing" in check(report, "mta-sts")["detail"]
    assert check(report, "tls-rpt")["verdict"] == "note"
    report, result = domain_probe(probe_dns, tls_lab, "excl.good.test", "--checks", "mta-sts")
    sts = check(report, "mta-sts")
    assert sts["verdict"] == "problem" and "mail.good.test" in sts["detail"]
    assert result.returncode == 2
    report, result = domain_probe(probe_dns, tls_lab, "silent.good.test", "--checks", "mta-sts", "--timeout", "3")
    sts = check(report, "mta-sts")
    assert sts["verdict"] == "problem" and "cannot be fetched" in sts["detail"]
    _, policies = probe_dns
    assert "mta-sts.testing.good.test" in policies.http.requests


def test_no_probe_ever_sent_data(postfix_lab, probe_dns, tls_lab):
    """Runs last in this file: every instance's log, every session's command counts."""
    seen = 0
    for name in ["good", "relay", "tlsfirst", "expired", "oldtls", "nochain"]:
        for line in postfix_lab(name).log_text().splitlines():
            if "disconnect from" in line:
                seen += 1
                assert " data=" not in line and " bdat=" not in line, line
    assert seen >= 20
