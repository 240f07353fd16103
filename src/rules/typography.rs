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

/// Whether applying `edits` (in order, disjoint) leaves what masking hides around them as it
/// was: the text around them (their lines, at most 256 bytes before the first and after the
/// last) is masked before and after, and must match outside the edits, and nothing an edit
/// writes may end up masked. A fix that changes them changes how the draft reads (found by the
/// `analyze` fuzzer: a URL takes in a `’` glued to it; `<!` and a new `“>` make an HTML
/// declaration; two joined lines make a tag). Text without any character that starts
/// something masking hides is not masked at all (most fixes: a few byte scans).
pub fn keeps_masking(text: &str, markdown: bool, edits: &[crate::finding::Edit]) -> bool {
    const AROUND: usize = 256;
    let (Some(first), Some(last)) = (edits.first(), edits.last()) else {
        return true;
    };
    // What masking looks for: URLs (`://`, `www.`), e-mail addresses, and in Markdown tags,
    // comments, code, links, entities, tables. Within a line, an edit can only change masking
    // through the words it touches (up to the spaces around it) or what it writes; an edit
    // that joins lines is always read again (a tag may open anywhere on the first).
    let triggers: &[u8] = if markdown { b":w@<>`[]()&|" } else { b":w@" };
    let hit = |b: &u8| triggers.contains(&b.to_ascii_lowercase());
    let bytes = text.as_bytes();
    let touched = edits.iter().any(|e| {
        let word = |b: &&u8| !b.is_ascii_whitespace();
        e.replacement.as_bytes().iter().any(hit)
            || bytes[e.range.clone()]
                .iter()
                .any(|b| hit(b) || *b == b'\n' || *b == b'\r')
            || bytes[..e.range.start]
                .iter()
                .rev()
                .take(AROUND)
                .take_while(word)
                .any(hit)
            || bytes[e.range.end..]
                .iter()
                .take(AROUND)
                .take_while(word)
                .any(hit)
    });
    if !touched {
        return true;
    }
    let mut from = first.range.start.saturating_sub(AROUND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[from..first.range.start])
        .map_or(from, |i| from + i + 1);
    let mut to = (last.range.end + AROUND).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let end = memchr::memchr2(b'\n', b'\r', &bytes[last.range.end..to])
        .map_or(to, |i| last.range.end + i);
    if end - start > 64 * AROUND {
        return false;
    }
    let after = with_edits(text, start..end, edits);
    let was = crate::prose::mask::mask(&text[start..end], markdown).text;
    let now = crate::prose::mask::mask(&after, markdown).text;
    let (was, now) = (was.as_bytes(), now.as_bytes());
    let (mut w, mut n) = (0, 0);
    for e in edits {
        let same = e.range.start - start - w;
        if was[w..w + same] != now[n..n + same] {
            return false;
        }
        let written = e.replacement.len();
        if now[n + same..n + same + written] != *e.replacement.as_bytes() {
            return false;
        }
        w += same + e.range.len();
        n += same + written;
    }
    was[w..] == now[n..]
}

/// `text[range]` with the `edits` that fall inside it applied (in order, disjoint).
pub fn with_edits(
    text: &str,
    range: std::ops::Range<usize>,
    edits: &[crate::finding::Edit],
) -> String {
    let mut out = String::with_capacity(range.len() + 16);
    let mut at = range.start;
    for e in edits
        .iter()
        .filter(|e| e.range.start >= range.start && e.range.end <= range.end)
    {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..range.end]);
    out
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
