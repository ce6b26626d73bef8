#!/bin/sh
# Registers the namespace the workers use, once the server answers. Runs in temporalio/admin-tools.
set -eu
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_RETENTION:-720h}"

tries=0
until temporal operator cluster health --address "$ADDRESS"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Temporal at $ADDRESS is not healthy after $tries tries" >&2
    exit 1
  fi
  sleep 2
done
temporal operator namespace describe --address "$ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --address "$ADDRESS" -n "$NAMESPACE" --retention "$RETENTION"
echo "namespace $NAMESPACE ready"
