# The production image: front-end assets are built from npm here, never fetched at run time;
# Python packages are installed from the lock files, each at the version and hash they name.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor.mjs scripts/vendor.mjs
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango (and fonts) for WeasyPrint, which makes the precedent digest's PDF.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
# LOCK=app-semantic (--build-arg, or LOCK in .env under compose) adds closeness in meaning:
# the model and the CPU build of torch, from TORCH_SOURCE (PyTorch's CPU index, or an
# air-gapped mirror's). Without it, similarity works from words and facts.
ARG LOCK=app
ARG TORCH_SOURCE="--extra-index-url https://download.pytorch.org/whl/cpu"
COPY requirements/ requirements/
RUN if [ "${LOCK}" = app-semantic ]; then \
      pip install --no-cache-dir --require-hashes --no-deps ${TORCH_SOURCE} -r requirements/torch-cpu.lock; \
    fi \
 && pip install --no-cache-dir --require-hashes -r requirements/${LOCK}.lock
COPY . .
RUN pip install --no-cache-dir --no-deps .
COPY --from=assets /app/static/vendor static/vendor
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xyz ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0 \
 && useradd --system --no-create-home casebook \
 && install -d -o casebook /var/lib/casebook/search-index /var/lib/casebook/audit /var/lib/casebook/beat
USER casebook
EXPOSE 8000
# Exec form: gunicorn is process 1 and gets the SIGTERM of a stop, finishing what is in flight.
CMD ["gunicorn", "-c", "config/gunicorn.py"]
