# loket: the Onderwijsloket Midden-Nederland service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LOKET_DATA_DIR=/data

RUN groupadd --system loket && useradd --system --gid loket --home-dir /app --shell /usr/sbin/nologin loket

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY matching ./matching
COPY loket ./loket
COPY knowledge ./knowledge
RUN pip install . && mkdir -p /data && chown loket:loket /data

USER loket
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"

# Migrations first, then the web service (loket serve also migrates, which is harmless when up to date).
CMD ["sh", "-c", "loket db upgrade && loket serve --host 0.0.0.0 --port 8000"]
