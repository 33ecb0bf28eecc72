#!/bin/sh
# Creates the namespace (if missing) and the search attributes the runs upsert. Safe to run again.
set -eu
NS="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health >/dev/null 2>&1; do echo "waiting for Temporal"; sleep 1; done
temporal operator namespace describe -n "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create -n "$NS" --retention "${TEMPORAL_RETENTION:-168h}"
for attr in OrchestraState=Keyword OrchestraComplexity=Keyword OrchestraPlan=Keyword OrchestraToolCalls=Int OrchestraTokens=Int; do
  temporal operator search-attribute create -n "$NS" --name "${attr%%=*}" --type "${attr#*=}" 2>/dev/null ||
    echo "search attribute ${attr%%=*} exists"
done
echo "namespace $NS ready"
