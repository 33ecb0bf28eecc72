#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to date. Safe to run again:
# on an existing database, create/setup fail harmlessly and update-schema applies only what is new.
set -eu
DB_ARGS="--plugin postgres12 --ep ${POSTGRES_SEEDS:-postgresql} -u ${POSTGRES_USER:-temporal} -p ${DB_PORT:-5432}"
SCHEMA=/etc/temporal/schema/postgresql/v12
until nc -z -w 5 "${POSTGRES_SEEDS:-postgresql}" "${DB_PORT:-5432}"; do echo "waiting for PostgreSQL"; sleep 1; done
for db in temporal temporal_visibility; do
  dir=temporal; [ "$db" = temporal_visibility ] && dir=visibility
  # shellcheck disable=SC2086
  temporal-sql-tool $DB_ARGS --db "$db" create 2>/dev/null || echo "database $db exists"
  # shellcheck disable=SC2086
  temporal-sql-tool $DB_ARGS --db "$db" setup-schema -v 0.0 2>/dev/null || echo "schema of $db exists"
  # shellcheck disable=SC2086
  temporal-sql-tool $DB_ARGS --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
echo "PostgreSQL schemas ready"
