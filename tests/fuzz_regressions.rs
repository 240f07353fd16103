//! Every input that made a fuzz target fail, replayed in the normal test suite with the fuzz
//! targets' own checks (the file is shared with `fuzz/`, see docs/robustness.md).
//!
//! - `tests/fuzz-regressions/analyze/*`: raw inputs of the `analyze` target (first byte: options).
//! - the edit sessions and positions below: minimised inputs of `incremental_edits` and
//!   `positions`, written out by hand from the fuzzer's report.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod invariants;

use std::path::Path;

#[test]
fn analyze_crash_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/analyze");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("the regression folder") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let Some((&flags, rest)) = data.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let (config, markdown) = invariants::options(flags);
        // Every option byte, not only the one that failed: a fix for one mode must hold in all.
        invariants::check(&text, &config, markdown, true);
        for flags in 0..24u8 {
            let (config, markdown) = invariants::options(flags);
            invariants::check(&text, &config, markdown, true);
        }
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}
