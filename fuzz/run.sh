#!/bin/sh
# Runs one fuzz target for a bounded number of executions and a bounded time, at low priority,
# with the options the project uses (see docs/robustness.md).
# Usage: sh fuzz/run.sh TARGET [RUNS] [SECONDS] [LIBFUZZER OPTIONS...]
#   (defaults: 10000000 runs, 3600 s; e.g. -max_len=4096 keeps inputs short and runs fast)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=$1
runs=${2:-10000000}
secs=${3:-3600}
shift $(( $# < 3 ? $# : 3 ))
cd "$here"
[ -d "corpus/$target" ] || sh ./seed.sh
mkdir -p logs
# The machine's only toolchain is stable Rust; cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 unlocks. No AddressSanitizer (-s none): the code is safe Rust, and without
# it each run is about twice as fast. Debug assertions (overflow checks) stay on.
# -timeout: one input analysed for more than 5 s counts as a failure (a superlinear rule).
# COPYDESK_FUZZ_FLAGS adds cargo-fuzz options, e.g. --no-trace-compares: without comparison
# tracing a run is several times faster (ropey's and the scanners' byte loops were traced
# compare by compare), at the cost of coverage guided by compared values.
RUSTC_BOOTSTRAP=1 exec nice -n 15 cargo fuzz run -s none $COPYDESK_FUZZ_FLAGS "$target" "corpus/$target" -- \
    -runs="$runs" -max_total_time="$secs" -timeout=5 -print_final_stats=1 "$@" \
    2>&1 | tee "logs/$target-$(date +%Y%m%d-%H%M%S).log"
