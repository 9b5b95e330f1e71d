# badgeapp: the production image (see the README's "Deploying" section).
# Build: docker build -t badgeapp .    Run: docker run -p 8000:8000 badgeapp
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# an unprivileged user owns nothing but the instance folder (SQLite, generated secret key)
RUN groupadd --system --gid 10001 badgeapp \
    && useradd --system --uid 10001 --gid badgeapp --home-dir /app --shell /usr/sbin/nologin badgeapp

COPY pyproject.toml README.md NOTICE ./
COPY badgeapp ./badgeapp
COPY migrations ./migrations
# editable install: the migrations stay beside the package, where `badgeapp db upgrade` looks
RUN pip install -e ".[redis,postgres]"

COPY gunicorn.conf.py wsgi.py ./
COPY plugins ./plugins
RUN mkdir -p /app/instance && chown badgeapp:badgeapp /app/instance

ENV PORT=8000 \
    BADGEAPP_INSTANCE_PATH=/app/instance \
    BADGEAPP_PLUGINS_DIR=/app/plugins

USER 10001:10001
EXPOSE 8000
VOLUME ["/app/instance"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
