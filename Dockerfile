# conflictmap web and worker image. System packages and Python requirements come from the same
# scripts/setup.sh that `make run` and `make test` use; the database and Redis are other services
# (see compose.yaml), reached through DATABASE_URL and REDIS_URL.
FROM python:3.11-slim-bookworm

WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt ./
COPY scripts/setup.sh scripts/
RUN scripts/setup.sh --deps && rm -rf /var/lib/apt/lists/* /root/.cache

COPY . .
RUN DATABASE_URL=postgres://build@localhost/none .venv/bin/python manage.py collectstatic --no-input

ENV PORT=8000
EXPOSE 8000
# Set-up (database, postgis extension), migrations, demo and layers, then the web server.
CMD ["sh", "-c", "scripts/setup.sh && make prepare web"]
