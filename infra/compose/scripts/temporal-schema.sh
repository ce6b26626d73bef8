#!/bin/sh
# Creates (first run) or upgrades (later runs, newer images) Temporal's two Postgres databases.
# Runs in temporalio/admin-tools; every step is idempotent.
set -eu
: "${TEMPORAL_DB_HOST:?}" "${TEMPORAL_DB_USER:?}" "${SQL_PASSWORD:?}"
PORT="${TEMPORAL_DB_PORT:-5432}"
SCHEMA=/etc/temporal/schema/postgresql/v12

until nc -z "$TEMPORAL_DB_HOST" "$PORT"; do
  echo "waiting for $TEMPORAL_DB_HOST:$PORT"
  sleep 2
done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$SCHEMA/temporal/versioned" ;;
    *) dir="$SCHEMA/visibility/versioned" ;;
  esac
  tool() { temporal-sql-tool --plugin postgres12 --ep "$TEMPORAL_DB_HOST" -p "$PORT" -u "$TEMPORAL_DB_USER" --db "$db" "$@"; }
  tool create || echo "database $db exists"
  # setup-schema -v 0.0 only creates the version table when it is missing; update-schema does the rest.
  tool setup-schema -v 0.0 || echo "schema of $db already set up"
  tool update-schema -d "$dir"
done
echo "Temporal schema ready"
