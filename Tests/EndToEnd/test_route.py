"""`smtpx route` against a real DNS of the tests' own (NSD behind a validating unbound), and
through the system resolver of a network namespace made here."""
import json
import re
import pathlib
import shutil
import subprocess
import sys
import uuid

import pytest

from conftest import HERE, SMTPX, run


def route(dns, *args, timeout=60):
    return run(["route", "--dns-server", dns.server, *args], timeout=timeout)


def test_the_seed_lesson_cname_chain_then_mx_by_preference(smtpx, dns):
    result = route(dns, "shuser@sh.route.test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    # The TTL counts down in the resolver's cache: any value up to the zone's 300 s.
    answers = [re.sub(r" \d+ ", " TTL ", line, count=1) for line in lines if line.startswith("= ")]
    assert answers[:3] == ["= sh.route.test. TTL CNAME hop1.route.test.  [insecure]",
                           "= hop1.route.test. TTL CNAME hop2.route.test.  [insecure]",
                           "= hop2.route.test. TTL CNAME mail.route.test.  [insecure]"]
    assert "? mail.route.test MX" in lines
    summary = lines[lines.index("Route for shuser@sh.route.test: deliverable"):]
    assert summary[3].split()[:4] == ["1.", "MX", "5", "mx1.route.test"] and "127.0.0.11" in summary[3]
    assert summary[4].split()[:4] == ["2.", "MX", "10", "mx2.route.test"]
    assert {summary[5].split()[3], summary[6].split()[3]} == {"mx3a.route.test", "mx3b.route.test"}
    assert "random among preference 20" in summary[5]
    assert any("Preference 20 is shared by" in line for line in lines)
    assert "    sh.route.test is an alias of hop1.route.test" in result.stdout


def test_in_chinese(smtpx, dns):
    result = route(dns, "--lang", "zh", "shuser@sh.route.test")
    assert result.returncode == 0
    assert "是 hop1.route.test 的别名" in result.stdout and "随机选择" in result.stdout
    assert "shuser@sh.route.test 的路由：deliverable" in result.stdout


@pytest.mark.parametrize("target, status, words", [
    ("nullmx.route.test", 1, ["MX 0 .", "Null MX: nullmx.route.test takes no mail (RFC 7505)", ": null-mx"]),
    ("plain.route.test", 0, ["has no MX record: its own address is used instead (the implicit MX", "127.0.0.20"]),
    ("aliasmx.route.test", 0, ["The MX names alias.route.test, which is an alias of real.route.test. RFC 2181"]),
    ("loop1.route.test", 1, ["The CNAME chain comes back to loop1.route.test: a loop"]),
    ("v6only.route.test", 0, ["AAAA ::1  [insecure]", "has no A record (NODATA)"]),
    ("literal.route.test", 1, ["The MX names 192.0.2.1, an address", ": no-address"]),
    ("nothere.route.test", 1, ["NXDOMAIN: nothere.route.test does not exist", ": no-such-domain"]),
    ("broken.route.test", 2, ["SERVFAIL for broken.route.test", "? broken.route.test CNAME +cd",
                              "Still SERVFAIL for broken.route.test with checking disabled", ": servfail"]),
    ("big.route.test", 0, ["did not fit in a UDP datagram (TC): asked again over TCP", "number-39.route.test"]),
    ("signed.test", 0, ["MX 10 mx.signed.test.  [secure]", "DNSSEC: secure"]),
    ("bogus.test", 2, ["? bogus.test MX +cd", "so DNSSEC validation failed", "DNSSEC: bogus"]),
])
def test_each_case(smtpx, dns, target, status, words):
    result = route(dns, target)
    assert result.returncode == status, result.stdout + result.stderr
    for word in words:
        assert word in result.stdout, f"{target}: {word!r} missing:\n{result.stdout}"


def test_a_resolver_that_never_answers_is_a_timeout(smtpx, dns):
    result = route(dns, "--dns-timeout", "1", "silent.route.test")
    assert result.returncode == 2
    assert "No answer about silent.route.test" in result.stdout and ": timeout" in result.stdout


def test_json_and_markdown(smtpx, dns):
    result = route(dns, "--format", "json", "shuser@sh.route.test")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["query"] == "shuser@sh.route.test" and report["result"] == "deliverable"
    assert report["dnssec"] == "insecure" and report["resolver"] == dns.server
    assert [m["preference"] for m in report["mx"]] == [5, 10, 20, 20]
    assert report["mx"][0] == {"preference": 5, "host": "mx1.route.test", "addresses": ["127.0.0.11"]}
    cname = next(s for s in report["steps"] if s.get("type") == "CNAME" and s["kind"] == "answer")
    assert set(cname) >= {"name", "type", "ttl", "data", "explanation"} and 0 < cname["ttl"] <= 300
    secure = json.loads(route(dns, "--format", "json", "signed.test").stdout)
    assert secure["dnssec"] == "secure"
    null = route(dns, "--format", "json", "nullmx.route.test")
    assert null.returncode == 1 and json.loads(null.stdout)["result"] == "null-mx"
    handout = route(dns, "--format", "markdown", "--lang", "zh", "plain.route.test")
    assert handout.stdout.startswith("# plain.route.test 的邮件路由") and "```" in handout.stdout


def test_bad_input_is_one_line_each(smtpx, dns):
    for target, words in [("user@", "is not an address"), ("a..b", "empty label"),
                          ("x" * 70 + ".test", "DNS allows 63"), ("ex ample.test", "cannot appear in a host name")]:
        result = route(dns, target)
        assert result.returncode == 64, target
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr
    bad = run(["route", "--dns-server", "not-an-address", "example.test"])
    assert bad.returncode == 64 and "is not a resolver address" in bad.stderr


def test_an_idn_is_asked_for_by_its_a_label(smtpx, dns):
    result = route(dns, "jörg@bücher.route.test")
    assert "? xn--bcher-kva.route.test CNAME" in result.stdout
    assert "bücher.route.test is asked for as xn--bcher-kva.route.test, its A-label (RFC 5891)." in result.stdout
    assert result.returncode == 1  # no such name in the test zone


@pytest.fixture
def namespace(tmp_path):
    """A network namespace whose /etc/resolv.conf names a test DNS inside it, on port 53."""
    if not shutil.which("ip"):
        pytest.fail("ip (iproute2) is missing")
    name = "smtpx-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    folder = pathlib.Path("/etc/netns") / name
    lab = None
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        folder.mkdir(parents=True)
        (folder / "resolv.conf").write_text("nameserver 127.0.0.1\n")
        sys.path.insert(0, str(HERE / "peers"))
        from dns_lab import DNSLab
        lab = DNSLab(tmp_path / "dns", netns=name, resolver_port=53).start()
        yield name
    finally:
        if lab:
            lab.stop()
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["ip", "netns", "del", name], check=False)


def test_the_system_resolver_from_resolv_conf(smtpx, namespace):
    result = subprocess.run(["ip", "netns", "exec", namespace, str(SMTPX), "route", "shuser@sh.route.test"],
                            capture_output=True, text=True, timeout=60, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("*** resolver 127.0.0.1:53\n")
    assert "Route for shuser@sh.route.test: deliverable" in result.stdout


@pytest.fixture
def accepting_mx(tmp_path):
    """The practice server on 127.0.0.4, where accept.route.test points; 127.0.0.3 (refuse.route.test)
    has nothing listening, so it refuses."""
    from conftest import free_port, port_open, wait_until
    port = free_port()
    process = subprocess.Popen([str(SMTPX), "serve", "--listen", f"127.0.0.4:{port}", "--maildir", str(tmp_path / "md"),
                                "--log", str(tmp_path / "log")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert wait_until(lambda: port_open(port, "127.0.0.4"), timeout=15), process.stderr.read() if process.poll() else ""
    assert not port_open(port, "127.0.0.3")
    yield {"port": port, "maildir": tmp_path / "md"}
    process.terminate()
    process.wait(timeout=10)


def test_mx_falls_back_to_the_next_exchanger_on_the_screen(smtpx, dns, accepting_mx, screen):
    port = accepting_mx["port"]
    s = screen("--mx", "fallback.route.test", str(port), "--dns-server", dns.server)
    shown = s.wait_for(r"220 mx\.example\.test ESMTP")
    assert f"MX 10 refuse.route.test [127.0.0.3]:{port} refused, trying the next" in shown
    assert f"Trying MX 20 accept.route.test [127.0.0.4]:{port}" in shown
    assert "Route for fallback.route.test: deliverable" in shown
    # The conversation goes on with the exchanger that answered.
    for line in ["EHLO laptop", "MAIL FROM:<you@example.net>", "RCPT TO:<alice@example.test>", "DATA", "Subject: via MX",
                 "", "Found by its MX.", "."]:
        s.line(line)
    s.wait_for(r"250 2\.0\.0 Ok: queued")
    [message] = list((accepting_mx["maildir"] / "alice" / "new").iterdir())
    assert "Found by its MX." in message.read_text()
    s.line("QUIT")
    s.wait_for(r"221 2\.0\.0")


def test_slash_route_shows_the_lookup_in_the_explainer(smtpx, dns, screen):
    s = screen("--dns-server", dns.server)
    s.wait_for(r"Welcome to smtpx")
    s.line("/route shuser@sh.route.test")
    shown = s.wait_for(r"The lookup")
    assert "Route for shuser@sh.route.test: deliverable" in shown
    assert "*** ? sh.route.test CNAME" in shown or "? sh.route.test CNAME" in shown
    s.line("/lang zh")
    s.line("/route nullmx.route.test")
    shown = s.wait_for(r"nullmx\.route\.test 的路由：null-mx")
    assert "空 MX" in shown


def test_mx_in_batch_mode(smtpx, dns, accepting_mx):
    port = accepting_mx["port"]
    result = run(["--mx", "fallback.route.test", str(port), "--dns-server", dns.server],
                 input="EHLO laptop\nQUIT\n", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"*** MX 10 refuse.route.test [127.0.0.3]:{port} refused, trying the next" in result.stdout
    assert "<-  221 2.0.0" in result.stdout
    null = run(["--mx", "nullmx.route.test", "--dns-server", dns.server], input="EHLO laptop\n", timeout=60)
    assert null.returncode == 2 and "No exchanger of nullmx.route.test has an address" in null.stdout
    bad = run(["--mx", "a..b", "--dns-server", dns.server], input="")
    assert bad.returncode == 64 and "empty label" in bad.stderr
