#!/usr/bin/env bash
# Back up satupintu: the database (pg_dump custom format) and the files under SATUPINTU_VAR_DIR
# (uploads and issued permits in media/, signing keys in signing/). Usage:
#   DATABASE_URL=postgres://… SATUPINTU_VAR_DIR=/var/lib/satupintu deploy/backup.sh /var/backups/satupintu
# Writes satupintu-<UTC time>.dump and satupintu-<UTC time>-files.tar.gz, prints both paths, and
# deletes sets older than SATUPINTU_BACKUP_KEEP_DAYS (default 14). Copy them off the machine too:
# the files hold the office's signing key (keep them as secret as the database).
set -euo pipefail
dest=${1:?usage: backup.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
var_dir=${SATUPINTU_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}
keep_days=${SATUPINTU_BACKUP_KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
umask 077

dump="$dest/satupintu-$stamp.dump"
# One consistent snapshot of the whole database, compressed; restorable table by table.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"

files="$dest/satupintu-$stamp-files.tar.gz"
parts=()
for part in media signing; do
  [[ -d "$var_dir/$part" ]] && parts+=("$part")
done
tar -C "$var_dir" -czf "$files.partial" --files-from /dev/null "${parts[@]}"
mv "$files.partial" "$files"

# A backup that cannot be read is no backup: list the dump's contents once.
pg_restore --list "$dump" >/dev/null

find "$dest" -maxdepth 1 -name 'satupintu-*' -mtime "+$keep_days" -delete
echo "$dump"
echo "$files"
