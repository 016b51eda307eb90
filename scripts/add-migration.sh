#!/usr/bin/env bash
# Adds a migration with the same name for both providers: ./scripts/add-migration.sh Name
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: add-migration.sh Name}
dotnet tool restore >/dev/null
for provider in Postgres Sqlite; do
  dotnet ef migrations add "$name" \
    --project src/Infrastructure --startup-project src/Infrastructure \
    --context "${provider}OneInboxDbContext" --output-dir "Persistence/Migrations/$provider"
done
