#!/usr/bin/env python3
"""One whole transaction (connect, EHLO, MAIL, RCPT, DATA, QUIT) as one process: smtpx in batch
mode against swaks, the same server (smtpx serve, plaintext), runs interleaved; medians."""
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

from benchlib import free_port, wait_port

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMTPX = os.environ.get("SMTPX_BIN", str(ROOT / ".build" / "release" / "smtpx"))
RUNS = int(os.environ.get("SMTPX_BENCH_RUNS", "30"))
SCRIPT = "EHLO bench\nMAIL FROM:<bench@example.net>\nRCPT TO:<alice@example.test>\nDATA\nSubject: bench\n\nbody\n.\nQUIT\n"


def timed(command, marks=None, **kwargs):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stdout}{result.stderr}")
    if marks is not None:
        # "startup: WHAT +MS", milliseconds since main began (SMTPX_STARTUP_TIMES).
        for line in result.stderr.splitlines():
            if line.startswith("startup: "):
                what, _, ms = line[len("startup: "):].rpartition(" +")
                marks.setdefault(what, []).append(float(ms))
        marks.setdefault("(whole process)", []).append(elapsed * 1000)
    return elapsed


def breakdown(marks):
    """Where the median smtpx run spent its time, step by step."""
    median = {what: statistics.median(values) for what, values in marks.items()}
    total = median.pop("(whole process)")
    inside = median.get("exit", total)
    print("  smtpx start-up breakdown (medians; ms since the step before):")
    print(f"    {'process start to main (loader, runtime)':44} {total - inside:7.2f}")
    previous = 0.0
    for what, at in sorted(median.items(), key=lambda item: item[1]):
        if what == "main":
            continue
        print(f"    {what:44} {at - previous:7.2f}   (at {at:.2f})")
        previous = at


def main():
    if not shutil.which("swaks"):
        raise SystemExit("swaks is missing: apt-get install swaks")
    work = pathlib.Path(tempfile.mkdtemp(prefix="smtpx-bench-"))
    port = free_port()
    server = subprocess.Popen([SMTPX, "serve", "--listen", f"127.0.0.1:{port}", "--maildir", str(work / "m"),
                               "--log", str(work / "log"), "--no-tls"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, what="smtpx serve")
        smtpx_times, swaks_times, marks = [], [], {}
        traced = dict(os.environ, SMTPX_STARTUP_TIMES="1")
        for _ in range(RUNS):
            smtpx_times.append(timed([SMTPX, "127.0.0.1", str(port)], marks=marks, input=SCRIPT, env=traced))
            swaks_times.append(timed(["swaks", "--server", f"127.0.0.1:{port}", "--from", "bench@example.net",
                                      "--to", "alice@example.test", "--header", "Subject: bench", "--body", "body"]))
        smtpx_median, swaks_median = statistics.median(smtpx_times), statistics.median(swaks_times)
        print(f"one transaction as one process, {RUNS} runs each, against smtpx serve on loopback:")
        print(f"  smtpx batch  median {smtpx_median * 1000:7.1f} ms  (best {min(smtpx_times) * 1000:.1f} ms)")
        print(f"  swaks        median {swaks_median * 1000:7.1f} ms  (best {min(swaks_times) * 1000:.1f} ms)")
        print(f"  smtpx / swaks: {smtpx_median / swaks_median:.2f} (goal <= 0.25)")
        breakdown(marks)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
