#!/usr/bin/env bash
# Restore a satupintu backup made by deploy/backup.sh. Usage:
#   DATABASE_URL=postgres://…/satupintu SATUPINTU_VAR_DIR=/var/lib/satupintu \
#     deploy/restore.sh satupintu-<time>.dump [satupintu-<time>-files.tar.gz]
# The target database must exist and be empty (createdb it first), unless
# SATUPINTU_RESTORE_OVERWRITE=1, which replaces what is there. Stop the web, worker and
# scheduler units first. The whole restore is one transaction: it happens entirely or not at all.
set -euo pipefail
dump=${1:?usage: restore.sh DUMP [FILES_TAR]}
files=${2:-}
: "${DATABASE_URL:?set DATABASE_URL}"
var_dir=${SATUPINTU_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}

tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
clean=()
if [[ "$tables" != "0" ]]; then
  if [[ "${SATUPINTU_RESTORE_OVERWRITE:-}" != "1" ]]; then
    echo "restore: the target database has $tables tables; set SATUPINTU_RESTORE_OVERWRITE=1 to replace them" >&2
    exit 2
  fi
  clean=(--clean --if-exists)
fi
pg_restore "${clean[@]}" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"

if [[ -n "$files" ]]; then
  mkdir -p "$var_dir"
  tar -C "$var_dir" -xzf "$files"
fi
echo "restore: database from $dump${files:+, files from $files} into $var_dir"
