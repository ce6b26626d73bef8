#!/usr/bin/env bash
# Creates Temporal's two databases (temporal, temporal_visibility) on a PostgreSQL server and applies
# the server's versioned schema with its SQL tool. The connection comes from the environment, as the
# tool reads it: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (never on a command line).
# Usage: temporal-schema.sh SERVER_DIR   (the directory build-temporal-server.sh printed)
set -euo pipefail

dir="${1:?usage: temporal-schema.sh SERVER_DIR}"
export SQL_PLUGIN=postgres12
: "${SQL_HOST:?set SQL_HOST}" "${SQL_PORT:?set SQL_PORT}" "${SQL_USER:?set SQL_USER}" "${SQL_PASSWORD:?set SQL_PASSWORD}"

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  schema="$dir/schema/postgresql/v12/${pair##*:}/versioned"
  "$dir/sql" --db "$db" create-database
  "$dir/sql" --db "$db" setup-schema -v 0.0
  "$dir/sql" --db "$db" update-schema -d "$schema"
done
