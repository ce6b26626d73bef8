#!/usr/bin/env bash
# Builds the Temporal server and its SQL tool at a pinned version into a cache directory keyed by
# that version, and copies the PostgreSQL schema next to them, so that later runs need neither the
# Go toolchain's network access nor its module cache. A second run finds the binaries and returns.
# Prints the cache directory on stdout.
set -euo pipefail

version="${TEMPORAL_SERVER_VERSION:-1.29.1}"
cache="${PHASESWEEP_CACHE:-$HOME/.cache/phasesweep}"
dir="$cache/temporal-server-$version"

if [[ -x "$dir/server" && -x "$dir/sql" && -d "$dir/schema/postgresql/v12" ]]; then
  echo "$dir"
  exit 0
fi

go="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
if [[ ! -x "$go" ]]; then
  echo "build-temporal-server: Go is needed to build the Temporal server $version (set GO or put go on PATH)" >&2
  exit 1
fi

mkdir -p "$dir"
echo "build-temporal-server: building Temporal server $version into $dir (about 10 min from nothing)" >&2
GOBIN="$dir" "$go" install "go.temporal.io/server/cmd/server@v$version" "go.temporal.io/server/cmd/tools/sql@v$version" >&2

module="$("$go" env GOMODCACHE)/go.temporal.io/server@v$version"
rm -rf "$dir/schema"
mkdir -p "$dir/schema"
cp -r "$module/schema/postgresql" "$dir/schema/"
chmod -R u+w "$dir/schema"
echo "$dir"
