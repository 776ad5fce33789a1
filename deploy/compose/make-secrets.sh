#!/usr/bin/env bash
# Creates the secret files docker-compose.yml mounts (deploy/compose/secrets/, ignored by git).
# Existing files are kept, so re-running never changes a password the database already uses.
#   deploy/compose/make-secrets.sh && docker compose up --build
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$dir"
umask 077

random() { # 48 url-safe characters from the kernel's CSPRNG
	head -c 64 /dev/urandom | base64 | tr -d '\n+/=' | cut -c1-48
}

put() { # put NAME VALUE: writes the file unless it exists
	if [[ ! -s "$dir/$1" ]]; then
		printf '%s' "$2" > "$dir/$1"
		echo "created secrets/$1"
	fi
}

put postgres_password "$(random)"
put keel_owner_password "$(random)"
put keel_app_password "$(random)"
put database_url "postgres://keel_app:$(cat "$dir/keel_app_password")@postgres:5432/keel"
put database_migration_url "postgres://keel_owner:$(cat "$dir/keel_owner_password")@postgres:5432/keel"
put jwt_secret "$(random)"
put session_secret "$(random)"
put signed_url_secret "$(random)"
put metrics_token "$(random)"
put bootstrap_admin_password "$(random)"
put s3_access_key "keel$(random | cut -c1-16)"
put s3_secret_key "$(random)"
put grafana_admin_password "$(random)"
# Containers run as non-root users that must read the mounted files.
chmod 644 "$dir"/*
echo "secrets ready in $dir (platform admin password: secrets/bootstrap_admin_password)"
