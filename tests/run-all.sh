#!/usr/bin/env bash
# The whole test suite, as the README says and .ci/run runs: the Rust tests, then the editor
# integrations end to end (tests/e2e/run.sh installs what they need).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release --locked
cargo test --locked
# The hostile cases too slow for a debug build (a 100 MB draft, 200,000 quotation marks on one
# line): a cost that grows faster than the draft shows here.
cargo test --release --locked --test hostile -- --ignored
COPYDESK_BIN="$PWD/target/release/copydesk" bash tests/e2e/run.sh
