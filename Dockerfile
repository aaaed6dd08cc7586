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
RUN DATABASE_URL=postgres://build@localhost/none SECRET_KEY=only-to-collect-static-files \
    sh -c ".venv/bin/python manage.py collectstatic --no-input && make messages"

ENV PORT=8000
EXPOSE 8000
# Set-up (database, postgis extension) and migrations, then the web server. The demo data and
# its accounts only when asked for (LOAD_DEMO=true, as compose.yaml does for a local try-out).
ENV LOAD_DEMO=false
CMD ["sh", "-c", "scripts/setup.sh && make migrate && if [ \"$LOAD_DEMO\" = true ]; then make demo; fi && make web"]
