"""GET /healthz: what a load balancer, an uptime check or an engineer on call needs to know.

200 while the site can serve readers (its database answers), 503 when it cannot. The body says
more: Redis (the cache, the broker), whether a worker ran the sweep recently (territory/sweep.py),
and per theatre how far its layers lag its data, whether it is being built, and its failures.
`status` is "ok", "degraded" (readers are served, something needs a look) or "down".
"""

import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection
from kombu import Connection
from redis.exceptions import RedisError

from conflictmap.territory.build.claims import newer_build_under_way
from conflictmap.territory.models import LayerState
from conflictmap.territory.sweep import last_heartbeat


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "error": str(error).strip()}
    return {"ok": True}


def cache() -> dict:
    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True}


def broker() -> dict:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as error:  # kombu wraps each transport's own errors differently
        return {"ok": False, "error": str(error)}
    return {"ok": True}


def worker() -> dict:
    seen = last_heartbeat()
    if seen is None:
        return {"ok": False, "error": "No worker has run the sweep yet (is Celery beat running?)."}
    age = time.time() - seen
    return {"ok": age < 3 * settings.LAYER_SWEEP_SECONDS, "last_sweep_seconds_ago": round(age, 1)}


def layers() -> list[dict]:
    now = timezone.now()
    found = []
    for state in LayerState.objects.select_related("theatre").order_by("theatre__slug"):
        lag = (now - state.dirty_at).total_seconds() if state.dirty_at else 0.0
        failing = state.failed_version == state.version and state.failures >= settings.BUILD_MAX_ATTEMPTS
        found.append({
            "theatre": state.theatre.slug,
            "ok": lag <= settings.HEALTH_MAX_LAG_SECONDS and not failing,
            "versions_behind": state.version - state.built_version,
            "oldest_unbuilt_edit_seconds_ago": round(lag, 1),
            "building": newer_build_under_way(state),
            "failures": state.failures if state.failed_version == state.version else 0,
            "last_failure": state.last_failure or None,
            "last_failure_at": state.last_failure_at.isoformat() if state.last_failure_at else None,
        })  # fmt: skip
    return found


@never_cache
def healthz(request):
    report = {"database": database(), "cache": cache(), "broker": broker()}
    if report["database"]["ok"]:
        report["worker"] = worker()
        report["layers"] = layers()
    healthy = all(part["ok"] for part in report.values() if isinstance(part, dict))
    healthy = healthy and all(theatre["ok"] for theatre in report.get("layers", []))
    status = "down" if not report["database"]["ok"] else "ok" if healthy else "degraded"
    return JsonResponse({"status": status, **report}, status=503 if status == "down" else 200)
