//! A sequence of LSP edits applied to a rope through the server's own edit path, against the
//! same edits applied to a `String` with the string-based line index: the texts stay equal after
//! every edit, and the final analysis converts to the same LSP ranges both ways; the incremental
//! engine (cutting finely) follows the edits and ends with the full analysis's result.
//! (Named `incremental_edits`: cargo reserves the name `incremental`.)
#![no_main]

use arbitrary::Arbitrary;
use copydesk_fuzz::Change;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Edit {
    full: bool,
    start: (u8, u8),
    end: (u8, u8),
    text: String,
}

#[derive(Debug, Arbitrary)]
struct Session {
    /// Options (see `copydesk_fuzz::options`) and, in bits 5–7, the position encoding.
    flags: u8,
    initial: String,
    edits: Vec<Edit>,
}

fuzz_target!(|s: Session| {
    if s.edits.len() > 64 {
        return;
    }
    let changes: Vec<Change> = s
        .edits
        .into_iter()
        .map(|e| Change {
            full: e.full,
            start: (e.start.0.into(), e.start.1.into()),
            end: (e.end.0.into(), e.end.1.into()),
            text: e.text,
        })
        .collect();
    copydesk_fuzz::check_edits(&s.initial, &changes, s.flags);
});
