"""conflictmap settings: the one settings module, driven by environment variables.

Everything that varies between a laptop, CI and a newsroom's servers is read here through the
small typed helpers of conflictmap/environment.py, which fail loudly on a malformed value, with
an ImproperlyConfigured that names the variable, rather than guessing. No other module reads
the environment.
"""

import urllib.parse
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from conflictmap.environment import (
    env,
    envbool,
    envchoice,
    envdatabase,
    envfile,
    envfloat,
    envint,
    envlist,
    envredis,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def tile_origins(url: str) -> list[str]:
    """The origin a tile URL template loads from, for the Content-Security-Policy ({s} servers too)."""
    parts = urllib.parse.urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"] if parts.hostname else []


DEBUG = envbool("DEBUG", "false")
# SECRET_KEY signs sessions and password resets. A deployment sets it; a checkout has its own
# random one, which scripts/setup.sh writes to .local/secret-key (git- and docker-ignored). With
# neither, nothing starts (unless DEBUG is on, for a bare development key).
SECRET_KEY = env("SECRET_KEY", "") or envfile("SECRET_KEY", BASE_DIR / ".local" / "secret-key", DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# HTTPS=true, for a site served over TLS (usually by a proxy in front): redirects to https, HSTS
# for a year (for this host and its own subdomains; the preload directive does nothing until
# someone submits the domain), cookies sent over https only. Each can be set on its own too.
HTTPS = envbool("HTTPS", "false")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(HTTPS))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(HTTPS))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(HTTPS))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(HTTPS))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(HTTPS))
# Behind a proxy that terminates TLS and says so in X-Forwarded-Proto (and strips a client's own).
if envbool("TRUST_X_FORWARDED_PROTO", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SITE_NAME = env("SITE_NAME", "conflictmap")
# The first superuser's password (manage.py ensure_admin); empty: a random one, printed once.
ADMIN_PASSWORD = env("ADMIN_PASSWORD", "")

INSTALLED_APPS = [
    "conflictmap.http.apps.NewsroomAdminConfig",  # django.contrib.admin, two-factor when asked
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "leaflet",
    "conflictmap.http",
    "conflictmap.editorial",
    "conflictmap.atlas",
    "conflictmap.territory",
    "conflictmap.events",
    "conflictmap.web",
    "conflictmap.demo",
    "conflictmap.imports",
    "conflictmap.backups",
    "conflictmap.cards",
    "conflictmap.embeds",
    "conflictmap.exports",
    "corsheaders",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "conflictmap.http.control_characters.RefuseControlCharacters",
    "corsheaders.middleware.CorsMiddleware",  # before anything that may answer (CommonMiddleware's redirects)
    "conflictmap.http.compression.ApiGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "conflictmap.http.replica.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "conflictmap.http.language.LanguageFromQuery",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # whether this session was verified by a one-time code
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Admin logins: an account tried from one address is locked after LOGIN_FAILURE_LIMIT wrong
# passwords for LOGIN_LOCKOUT_MINUTES (django-axes), answered 429; the same account from another
# address is not, so nobody can lock the newsroom's editors out. A right password resets the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5", minimum=1)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", "30", minimum=1) / 60  # hours
AXES_RESET_ON_SUCCESS = True
# Two-factor login for staff (http/admin_site.py): a one-time code from a registered device.
STAFF_TWO_FACTOR = envbool("STAFF_TWO_FACTOR", "false")
OTP_TOTP_ISSUER = SITE_NAME
AXES_VERBOSE = False  # lockouts are still logged; not its banner at every start
# How many proxies of this site's own stand in front of it, each appending the address it was
# reached from to X-Forwarded-For: the client's address is then that header's entry the first
# proxy appended (what a client wrote there itself comes before it, and is ignored).
PROXY_COUNT = envint("PROXY_COUNT", "0")
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1 if PROXY_COUNT else None  # ipware counts those after the first
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]

# Overridden only by `make bench`, which adds its baseline views (bench/urls.py).
ROOT_URLCONF = env("ROOT_URLCONF", "conflictmap.urls")
WSGI_APPLICATION = "conflictmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGE_BIDI
            ],
        },
    },
]

DATABASES = {"default": envdatabase("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/conflictmap")}
if env("DATABASE_REPLICA_URL", ""):  # public reads go there (conflictmap/http/replica.py)
    DATABASES["replica"] = {**envdatabase("DATABASE_REPLICA_URL", ""), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["conflictmap.http.replica.ReadReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# gis.W001: Debian 12's GDAL 3.6 cannot block file/network access from spatial references. We
# never hand user-supplied spatial references to GDAL (geometry is parsed by GEOS and shapely,
# always in EPSG:4326), so the warning would only train people to ignore warnings.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

REDIS_URL = envredis("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache and the broker may live in separate Redis instances (each defaults to REDIS_URL):
# the cache is bounded with maxmemory and an eviction policy, the broker's queues must never be.
CACHE_URL = envredis("CACHE_URL", REDIS_URL)
BROKER_URL = envredis("BROKER_URL", REDIS_URL)
CACHES = {
    "default": {
        # django-redis, for IGNORE_EXCEPTIONS: with Redis unreachable a cache read is a miss and a
        # write is skipped (logged), so the API answers from the database instead of failing.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "conflictmap"),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

CELERY_BROKER_URL = BROKER_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "conflictmap")
# Lost work is redone: a task is acknowledged once it has finished, and one whose worker
# process died (killed, out of memory) goes back to the queue instead of counting as done.
# Builds are idempotent and claimed (territory/build/claims.py), so a rerun is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a worker took but never acknowledged (the whole worker was killed) is given to
# another after this long: above the longest task (a full 8-year rebuild in one process, about
# 4 minutes), so a task still running is never handed out twice.
BROKER_VISIBILITY_TIMEOUT = envint("BROKER_VISIBILITY_TIMEOUT", "900", minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
# An editor's save must not wait long on an unreachable broker: the enqueue is given up after
# two quick tries (and logged); the sweep below enqueues the rebuild once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# Celery beat (scripts/run.sh beat) runs the sweep (territory/sweep.py): it enqueues a rebuild
# of every theatre whose layers lag its data with no live claim, and records the heartbeat.
LAYER_SWEEP_SECONDS = envint("LAYER_SWEEP_SECONDS", "30", minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-layers": {"task": "territory.sweep_layers", "schedule": LAYER_SWEEP_SECONDS},
}
# A theatre whose build failed this many times for the same data is not retried by the sweep
# (reported by /healthz and the admin) until its data changes again.
BUILD_MAX_ATTEMPTS = envint("BUILD_MAX_ATTEMPTS", "5", minimum=1)
# /healthz calls a theatre degraded when an edit has waited this long for its layers.
HEALTH_MAX_LAG_SECONDS = envint("HEALTH_MAX_LAG_SECONDS", "600", minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The reader's language: English, or Arabic (right to left). A page or API answer is in the one its
# `?lang=` names (the map's language switch, kept in shared links), else DEFAULT_LANGUAGE ("ar":
# Arabic first); not Accept-Language, so one link shows every reader the same page and caches
# need no Vary (conflictmap/http/language.py).
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LANGUAGE_CODE = envchoice("DEFAULT_LANGUAGE", "en", ("en", "ar"))
LOCALE_PATHS = [BASE_DIR / "conflictmap" / "locale"]
FORMAT_MODULE_PATH = ["conflictmap.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".local" / "static"
STATICFILES_DIRS = [
    ("frontend", BASE_DIR / "frontend"),
    # Natural Earth outlines for the offline vector basemap (see fixtures/README.md).
    ("basemap", BASE_DIR / "fixtures" / "geo"),
]
# Collected files are served (by nginx in front, by WhiteNoise behind it and in tests; WhiteNoise
# serves the sources only with DEBUG on): our scripts are minified as they are collected
# (http/static.py), and the tests run what readers do (tests/conftest.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "conflictmap.http.static.MinifiedStaticFilesStorage"},
}
# Files served at the site's root (/favicon.ico, which browsers and the admin ask for unprompted).
WHITENOISE_ROOT = BASE_DIR / "frontend" / "root"

FIXTURES_DIR = BASE_DIR / "fixtures"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "conflictmap.http.errors.api_exception_handler",
    # The API speaks JSON only: a client asking for geo+json or HTML still gets it, not a 406.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "conflictmap.http.errors.JsonOnlyNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "conflictmap API",
    "DESCRIPTION": "Read-only API of dated territorial control and events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "conflictmap.http.openapi.document_errors",
    ],
}

# The raster basemap. Empty disables it; the vector basemap drawn from fixtures always shows
# underneath, so a reader without access to the tile server still sees a complete map.
TILE_URL = env("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = env("TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
DEFAULT_THEATRE = env("DEFAULT_THEATRE", "syria")
# How long browsers and CDNs may cache a layer before revalidating with its ETag.
LAYER_MAX_AGE = envint("LAYER_MAX_AGE", "60")
# Each web process keeps hot layers in memory (territory/serve/layer_cache.py): at most this many
# bytes, and it re-reads which build is current at most every LAYER_CURRENT_TTL seconds.
LAYER_CACHE_BYTES = envint("LAYER_CACHE_MB", "128", minimum=1) * 2**20
# Three small queries per process four times a second at most: an edit reaches readers sooner.
LAYER_CURRENT_TTL = envfloat("LAYER_CURRENT_TTL", "0.25")
# A rebuild derives its dates in chunks of this many change dates, which Celery workers share.
BUILD_CHUNK_DATES = envint("BUILD_CHUNK_DATES", "250", minimum=1)
# After an edit whose stale region is at most this share of the theatre, later dates are
# spliced in the region (territory/build/splice.py); a larger edit re-derives them in chunks.
BUILD_SPLICE_MAX_SHARE = envfloat("BUILD_SPLICE_MAX_SHARE", "0.25", maximum=1.0)
# Spliced dates are shared among workers in chunks of this many change dates.
BUILD_SPLICE_CHUNK_DATES = envint("BUILD_SPLICE_CHUNK_DATES", "200", minimum=1)
# Imports (conflictmap/imports/): GeoJSON and KML files larger than IMPORT_MAX_MB are refused
# whole (they are parsed whole, about ten times their size in memory); ACLED CSV exports, read a
# row at a time, up to IMPORT_MAX_CSV_MB (250,000 ACLED rows are about 200 MB). Files of more
# features (or CSV rows) than IMPORT_MAX_FEATURES are refused; a shape of more vertices than
# IMPORT_MAX_VERTICES is rejected (its row), as too heavy for the build and the map.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", "20", minimum=1) * 2**20
IMPORT_MAX_CSV_BYTES = envint("IMPORT_MAX_CSV_MB", "300", minimum=1) * 2**20
IMPORT_MAX_FEATURES = envint("IMPORT_MAX_FEATURES", "250000", minimum=1)
IMPORT_MAX_VERTICES = envint("IMPORT_MAX_VERTICES", "200000", minimum=4)
# Downloads (conflictmap/exports/): GeoJSON and KML files are written in one go, about 1 KB of
# memory a feature, so a download of more features than this in them is refused (400) with the
# formats written in batches (csv, gpkg) named instead.
EXPORT_MAX_FEATURES = envint("EXPORT_MAX_FEATURES", "100000", minimum=1)
# Where a worker writes each theatre's full-history files for the web to serve (exports/stored.py):
# a folder both can reach (a shared volume in compose.yaml).
EXPORTS_DIR = Path(env("EXPORTS_DIR", str(BASE_DIR / ".local" / "exports")))
# They are written this long after a build is published, so that an editing session's builds
# share one write (about 4 minutes of a worker for an 8-year war). The wait and the write together
# stay under BROKER_VISIBILITY_TIMEOUT, or the waiting task would be handed out twice.
HISTORY_EXPORT_DELAY_SECONDS = envint("HISTORY_EXPORT_DELAY_SECONDS", "300", minimum=0)
# A worker building some data renews its claim every quarter of this; a claim not renewed
# for this long lapses (its worker is gone), and the next task or the sweep builds it.
BUILD_CLAIM_SECONDS = envint("BUILD_CLAIM_SECONDS", "60", minimum=1)
# API answers computed per request (event lists, timelines) are cached in Redis this long, and
# retired at once when the data they show changes (http/response_cache.py). 0 disables it.
RESPONSE_CACHE_SECONDS = envint("RESPONSE_CACHE_SECONDS", "300")
# Vector tiles are cut once per snapshot and kept in Redis this long (territory/serve/tiles.py).
TILE_CACHE_SECONDS = envint("TILE_CACHE_SECONDS", str(7 * 24 * 3600))
# Social images (cards) are drawn once per build and view, then kept in Redis this long
# (conflictmap/cards/images.py; keyed by build, so a rebuild never serves a replaced card).
CARD_CACHE_SECONDS = envint("CARD_CACHE_SECONDS", str(7 * 24 * 3600))

# A Content-Security-Policy on every page (django-csp): scripts only from this site or with the
# response's nonce (django-leaflet's map set-up in the admin takes it), no plugins, no framing (embeds will
# open it where a page is meant to be framed). Styles may be inline: Leaflet, Leaflet.draw and
# select2 position things with them. Images: this site, data/blob URLs, and the basemap's tiles.
# JSON answers and vector tiles execute nothing: they go without the header.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/", "/tiles/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *tile_origins(TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Embeds (conflictmap/embeds/): the origins allowed to frame /embed/ pages (CSP frame-ancestors;
# "*": any web page, as a newsroom's articles and their syndication partners need). Every other
# page refuses to be framed. The public API and oEmbed answer cross-origin reads (CORS, GET, no
# credentials), so a newsroom's own graphics can use the data; the admin never does.
# The address readers reach this site at (https://maps.example.org), for the embed codes the
# admin and oEmbed hand out; empty: the address each request came to.
PUBLIC_URL = env("PUBLIC_URL", "").rstrip("/")
EMBED_FRAME_ANCESTORS = envlist("EMBED_FRAME_ANCESTORS", "*")
CORS_URLS_REGEX = r"^/(api/v1/|api/schema/|oembed/|tiles/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

LEAFLET_CONFIG = {
    "NO_GLOBALS": True,
    "TILES": [("Basemap", TILE_URL, {"attribution": TILE_ATTRIBUTION})] if TILE_URL else [],
    "RESET_VIEW": False,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 14,
    "ATTRIBUTION_PREFIX": "Leaflet",
}

LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # pyogrio logs "Created N records" at INFO for every table a download writes (exports/formats.py).
    "loggers": {"pyogrio": {"level": "WARNING"}},
}
