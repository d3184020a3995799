#!/bin/sh
# The `postgres-replica` service: a hot standby of `postgres`, copied once by pg_basebackup (with a replication slot,
# so the primary keeps the log the standby has not received yet), then streaming and replaying for ever.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}" -q; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}" -U replicator -D "$PGDATA" \
    --write-recovery-conf --wal-method=stream --create-slot --slot=replica --no-password --progress
fi
exec postgres -D "$PGDATA" -c hot_standby=on "$@"
