"""What the benchmarks share: free ports, waiting for a listener, a process's resident memory."""
import pathlib
import socket
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20, what=None):
    """Returns once something accepts on 127.0.0.1:port; stops the benchmark after `timeout`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start" if what else f"nothing listens on {port}")


def rss_kib(pid):
    """VmRSS of the process, in KiB (0 once it is gone)."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
