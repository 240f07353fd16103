#!/usr/bin/env bash
# The whole test suite, as the README says and .ci/run runs: the Rust tests, then the editor
# integrations end to end (tests/e2e/run.sh installs what they need).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release --locked
cargo test --locked
COPYDESK_BIN="$PWD/target/release/copydesk" bash tests/e2e/run.sh
