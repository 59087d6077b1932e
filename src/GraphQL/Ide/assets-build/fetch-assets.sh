#!/usr/bin/env bash
# Refreshes the GraphiQL page's browser assets in ../wwwroot from the npm registry, at the exact versions of
# package-lock.json (npm ci checks every tarball against its integrity hash), then records their SHA-256 in
# ../wwwroot/SHA256SUMS. The files are committed: building or running the silo needs neither node nor the network.
#   bash src/GraphQL/Ide/assets-build/fetch-assets.sh           # fetch, copy, record
#   bash src/GraphQL/Ide/assets-build/fetch-assets.sh --verify  # only check wwwroot against SHA256SUMS
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../wwwroot"
if [ "${1:-}" = "--verify" ]; then
  cd "$out" && sha256sum --check --strict SHA256SUMS
  exit
fi
command -v npm >/dev/null || { echo "npm is needed to refresh the assets (apt-get install npm)" >&2; exit 1; }
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund
mkdir -p "$out"
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css "$out/"
cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js "$out/"
cp node_modules/graphiql/LICENSE "$out/LICENSE.graphiql"
cp node_modules/react/LICENSE "$out/LICENSE.react"
cp node_modules/react-dom/LICENSE "$out/LICENSE.react-dom"
# The bundle ends with a source-map comment for a file we do not ship.
sed -i '/^\/\/# sourceMappingURL=/d' "$out/graphiql.min.js"
cd "$out"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js \
  LICENSE.graphiql LICENSE.react LICENSE.react-dom > SHA256SUMS
echo "GraphiQL assets refreshed in $out"
