#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback for the tests and print the URL they use.
# Run as root: the server itself runs as the postgres user (pg_ctlcluster).
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
read -r version cluster _ < <(pg_lsclusters --no-header | head -n 1)
pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || pg_ctlcluster "$version" "$cluster" status >/dev/null
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='trainkit'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE trainkit LOGIN PASSWORD 'trainkit' CREATEDB\""
# CREATEROLE: the integrity tests make a learner and a trainer role of their own and act as them.
su postgres -c "psql -q -p $port -c \"ALTER ROLE trainkit CREATEROLE\"" >/dev/null
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='trainkit_test'\" | grep -q 1 || createdb -p $port -O trainkit trainkit_test"
echo "postgresql+psycopg://trainkit:trainkit@127.0.0.1:$port/trainkit_test"
