"""The real processes a benchmark runs against: the site (nginx and gunicorn), a Celery worker, wrk."""

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.getenv("BENCH_PORT", "8899"))

# wrk prints its summary as text; this hook prints the figures we need as one JSON line.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@contextlib.contextmanager
def site(workers: int = 2):
    """The app as `make run` serves it (scripts/run.sh: nginx in front of gunicorn's sync
    workers), with the bench baseline URLs; yields (the site's URL, gunicorn's own URL)."""
    run = ROOT / "scripts" / "run.sh"
    app = {**env(), "ROOT_URLCONF": "bench.urls", "WEB_WORKERS": str(workers), "HOST": "127.0.0.1"}
    with tempfile.TemporaryDirectory() as prefix:
        started = [
            subprocess.Popen([run, "web"], cwd=ROOT, env={**app, "PORT": str(PORT + 1), "PROXY_COUNT": "1"}),
            subprocess.Popen([run, "proxy"], cwd=ROOT, env={**app, "PORT": str(PORT), "NGINX_PREFIX": prefix,
                                                            "UPSTREAM": f"127.0.0.1:{PORT + 1}"}),
        ]  # fmt: skip
        base, direct = f"http://127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT + 1}"
        try:
            wait_until(lambda: fetch(f"{direct}/api/v1/factions/")[0] == 200, "gunicorn to answer")
            wait_until(lambda: fetch(f"{base}/api/v1/factions/")[0] == 200, "the site to answer")
            yield base, direct
        finally:
            for process in started:
                process.terminate()
                process.wait(timeout=30)


@contextlib.contextmanager
def celery_worker(queue: str):
    """A Celery worker process, yielded once it is ready: a long-running worker, as in
    production, not one still importing the app when the first task arrives."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "conflictmap", "worker", "--pool", "solo",
         "-Q", f"{queue},{queue}-chunks", "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env={**env(), "CELERY_QUEUE": queue}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    ready = threading.Event()

    def watch():  # and keep reading, so the worker never blocks on a full pipe
        for line in process.stderr:
            if " ready." in line:
                ready.set()
            if "INFO/" not in line:  # warnings and errors still reach the terminal
                sys.stderr.write(line)

    threading.Thread(target=watch, daemon=True).start()
    try:
        if not ready.wait(timeout=120):
            raise TimeoutError("The Celery worker did not report ready within 120 s")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except OSError:
        return 0, b"", {}


def wait_until(condition, what: str, timeout: float = 60, interval: float = 0.05) -> float:
    """Seconds until `condition()` held; raises after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout} s waiting for {what}")


# With `paths`: each wrk thread asks for them in turn from its own starting point.
WRK_PATHS = """
paths = {%s}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("first", threads * 7919) end
function init(args) n = first end
function request() n = n + 1; return wrk.format("GET", paths[n %% #paths + 1]) end
"""


def wrk(
    url: str, seconds: int, connections: int = 16, paths: list[str] | None = None, *, patient: bool = False
) -> dict:
    """Requests/s and latency percentiles (ms) from wrk against `url`, or against each of
    `paths` (of url's server) in turn. Errors raise, unless `patient`: then a request may take
    up to 30 s and the errors are counted in the result."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if paths:
            script.write(WRK_PATHS % ", ".join(json.dumps(path) for path in paths))
        script.write(WRK_REPORT)
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "-s", script.name,
         *(["--timeout", "30s"] if patient else []), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    figures = json.loads(out.strip().splitlines()[-1])
    if figures["errors"] and not patient:
        raise RuntimeError(f"wrk saw {figures['errors']} errors against {url}")
    return {
        "requests": figures["requests"],
        "errors": figures["errors"],
        "rps": figures["requests"] / figures["seconds"],
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
    }


def timed_command(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of a manage.py command run in its own process.

    The peak is the process's VmHWM, read while it runs: getrusage's figure for children counts
    the parent's memory too, as a child started with vfork shares it until it execs."""
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env(),
                                   stdout=subprocess.DEVNULL, stderr=errors)  # fmt: skip
        peak_kb = 0
        while process.poll() is None:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            time.sleep(0.05)
        seconds = time.monotonic() - started
        if process.returncode:
            errors.seek(0)
            raise subprocess.CalledProcessError(process.returncode, args, stderr=errors.read())
    return seconds, peak_kb / 1024


def hit_rounds(hit_url: str, bare_url: str, seconds: int, rounds: int, paths: list[str] | None = None) -> dict:
    """Alternating wrk runs of a layer hit (or of `paths` of hit_url's server in turn) and of
    the bare-Django view: the median of each round's ratio (the two runs of a round share the
    machine's state of the moment), and the median hit run's figures."""
    wrk(hit_url, 1, paths=paths)  # warm every worker
    wrk(bare_url, 1)
    pairs = [(wrk(hit_url, seconds, paths=paths), wrk(bare_url, seconds)) for _ in range(rounds)]
    hit = sorted((hit for hit, _ in pairs), key=lambda run: run["rps"])[len(pairs) // 2]
    bare = sorted((bare for _, bare in pairs), key=lambda run: run["rps"])[len(pairs) // 2]
    return {"ratio": statistics.median(hit["rps"] / bare["rps"] for hit, bare in pairs), "hit": hit, "bare": bare}
