//! Small facts about characters that several typography rules share.

use crate::config::{NBSP, NNBSP};

/// A space that does not break: what French typography wants inside guillemets and before
/// high punctuation.
pub fn is_no_break_space(c: char) -> bool {
    c == NBSP || c == NNBSP || c == '\u{2007}'
}

/// Spaces a keyboard types: these break lines and so are wrong where a no-break space belongs.
pub fn is_ordinary_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// How the space next to a mark is wrong, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    None,
    Ordinary,
    Tab,
    LineBreak,
}

impl Gap {
    pub fn describe(self, fr: bool) -> &'static str {
        match (self, fr) {
            (Gap::None, true) => "aucune espace",
            (Gap::Ordinary, true) => "une espace ordinaire",
            (Gap::Tab, true) => "une tabulation",
            (Gap::LineBreak, true) => "un saut de ligne",
            (Gap::None, false) => "no space",
            (Gap::Ordinary, false) => "an ordinary space",
            (Gap::Tab, false) => "a tab",
            (Gap::LineBreak, false) => "a line break",
        }
    }
}

/// The run of spaces and tabs that ends at byte `end` of `text`.
pub fn space_run_before(text: &str, end: usize) -> usize {
    let n = text[..end]
        .bytes()
        .rev()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count();
    end - n
}

/// The run of spaces and tabs that starts at byte `start` of `text`.
pub fn space_run_after(text: &str, start: usize) -> usize {
    start
        + text[start..]
            .bytes()
            .take_while(|&b| b == b' ' || b == b'\t')
            .count()
}

/// The run of whitespace (line breaks included) that starts at `start`.
pub fn whitespace_run_after(text: &str, start: usize) -> usize {
    start
        + text[start..]
            .bytes()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
}

/// The run of whitespace (line breaks included) that ends at `end`.
pub fn whitespace_run_before(text: &str, end: usize) -> usize {
    end - text[..end]
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_whitespace())
        .count()
}
