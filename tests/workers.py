"""Real Celery worker processes for the pipeline and fault tests, on this run's own queue and
the test database: started, stopped, killed."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from conflictmap.celery import app as celery_app
from tests.conftest import TEST_QUEUE

ROOT = Path(__file__).resolve().parent.parent


def start_worker(name: str, *options: str, **extra_env: str) -> subprocess.Popen:
    """A `celery worker` process (solo pool unless `options` say otherwise) on this run's queue,
    connected to the test database; returns once it answers a ping."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_QUEUE": TEST_QUEUE,
        "EXPORTS_DIR": str(settings.EXPORTS_DIR),
        "HISTORY_EXPORT_DELAY_SECONDS": "0",  # written as soon as a build is published
        **extra_env,
    }
    pool = [] if "--pool" in options else ["--pool", "solo"]
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "conflictmap", "worker", *pool, *options,
         "-Q", f"{TEST_QUEUE},{TEST_QUEUE}-chunks", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "--hostname", f"{name}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    wait_for(
        lambda: celery_app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=0.5),
        f"worker {name} to answer a ping",
    )
    return process


def stop(process: subprocess.Popen) -> str:
    """Stop the worker (if it still runs) and return all it printed."""
    if process.poll() is None:
        process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def children(pid: int) -> list[int]:
    """The ids of a process's child processes (a prefork worker's pool)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_all(process: subprocess.Popen) -> None:
    """SIGKILL a worker and its pool at once, as an out-of-memory killer or a lost machine would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
