#!/usr/bin/env bash
# Writes the secrets docker-compose.yml reads, as files only the owner can read: random keys
# and passwords, and the e-mail URL (console:// until you put your SMTP server's there).
# Never overwrites one that is there: the audit key above all must outlive every deploy.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
mkdir -p secrets
random() { python3 -c "import secrets; print(secrets.token_urlsafe($1))"; }
write() { [ -s "secrets/$1" ] || { printf '%s' "$2" > "secrets/$1"; echo "wrote secrets/$1"; }; }
write secret_key "$(random 64)"
write audit_key "$(random 48)"
write postgres_password "$(random 24)"
write database_url "postgres://casebook:$(cat secrets/postgres_password)@postgres:5432/casebook"
write email_url "console://"
write metrics_token "$(random 32)"
[ -f .env ] || { printf 'ALLOWED_HOSTS=localhost,127.0.0.1\nSITE_URL=http://localhost:8000\nSECURE_SSL_REDIRECT=false\n' > .env; echo "wrote .env"; }
