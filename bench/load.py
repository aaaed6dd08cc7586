"""A server that holds (issue 13): what idle half-sent requests and two hundred concurrent
clients do to the site as it is deployed (nginx in front of gunicorn, bench/processes.site)."""

import socket
import time
import urllib.parse
import urllib.request

from bench import processes

IDLE = 50  # idle clients holding half a request each


def half_sent(url: str) -> socket.socket:
    parts = urllib.parse.urlsplit(url)
    client = socket.create_connection((parts.hostname, parts.port))
    client.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n")  # and nothing more
    return client


def slowest_answer_s(url: str, count: int = 20, timeout: float = 5) -> float | None:
    """The slowest of `count` requests one after another, in seconds; None if one got no answer."""
    slowest = 0.0
    for _ in range(count):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                response.read()
        except OSError:
            return None
        slowest = max(slowest, time.perf_counter() - started)
    return slowest


def slow_clients(base: str, direct: str, path: str) -> dict:
    """With IDLE sockets each holding half a request open against the site, how slow ordinary
    requests get; and, for comparison, whether gunicorn alone answers with three of them."""
    idle = [half_sent(base) for _ in range(IDLE)]
    try:
        through_proxy = slowest_answer_s(base + path)
    finally:
        for client in idle:
            client.close()
    idle = [half_sent(direct) for _ in range(3)]
    try:
        straight = slowest_answer_s(direct + path, count=1)
    finally:
        for client in idle:
            client.close()
    return {"slow_clients_slowest_s": through_proxy, "slow_clients_gunicorn_alone_s": straight}


def many_clients(base: str, seconds: int, paths: list[str], clients: int = 200) -> dict:
    """`clients` connections for `seconds` against `paths` in turn: requests, errors, latency."""
    run = processes.wrk(base, seconds, connections=clients, paths=paths, patient=True)
    return {"many_clients": clients, "many_clients_seconds": seconds, "many_clients_requests": run["requests"],
            "many_clients_errors": run["errors"], "many_clients_p99_ms": run["p99_ms"]}  # fmt: skip
