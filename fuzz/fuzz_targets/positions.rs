//! Position conversion in UTF-8, UTF-16 and UTF-32: offsets round-trip through (line, column),
//! and the string-based `LineIndex` (command line) agrees with the rope conversions (server),
//! for offsets and for arbitrary, untrusted positions.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    /// Offsets to convert (modulo the text's length + 1) when the text is long; a short text
    /// has all its offsets checked. A bounded number keeps each run fast.
    offsets: Vec<u16>,
    /// Untrusted positions, as a client might send them.
    positions: Vec<(u32, u32)>,
}

fuzz_target!(|input: Input| {
    let offsets: Vec<usize> = input.offsets.iter().take(64).map(|&o| o.into()).collect();
    let positions: Vec<(u32, u32)> = input.positions.into_iter().take(64).collect();
    copydesk_fuzz::check_positions(&input.text, &offsets, &positions);
});
