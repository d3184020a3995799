#!/bin/sh
# Run once by the postgres image when it creates its database (/docker-entrypoint-initdb.d): a role the standby
# streams as, allowed to connect for replication. wal_level is `replica` by default.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$REPLICATION_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
