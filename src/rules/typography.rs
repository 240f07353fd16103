//! Small facts about characters that several typography rules share.

use crate::config::{NBSP, NNBSP};

/// How far masking checks read around an edit within its line, in bytes.
pub const AROUND: usize = 256;

/// A space that does not break: what French typography wants inside guillemets and before
/// high punctuation.
pub fn is_no_break_space(c: char) -> bool {
    c == NBSP || c == NNBSP || c == '\u{2007}'
}

/// Spaces a keyboard types: these break lines and so are wrong where a no-break space belongs.
pub fn is_ordinary_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Whether `edits` may change what masking hides: only through the words they touch (up to
/// the spaces around them) or what they write, when either holds a character that starts
/// something masking hides, or by breaking or joining lines. A few byte scans.
pub fn may_change_masking(text: &str, markdown: bool, edits: &[crate::finding::Edit]) -> bool {
    // What masking looks for: URLs (`://`, `www.`), e-mail addresses, and in Markdown tags,
    // comments, code, links, entities, tables. Within a line, an edit can only change masking
    // through the words it touches (up to the spaces around it) or what it writes; an edit
    // that joins lines is always read again (a tag may open anywhere on the first).
    let triggers: &[u8] = if markdown { b":w@<>`[]()&|" } else { b":w@" };
    let hit = |b: &u8| triggers.contains(&b.to_ascii_lowercase());
    let bytes = text.as_bytes();
    edits.iter().any(|e| {
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
    })
}

/// Whether applying `edits` (in order, disjoint) leaves what masking hides around them as it
/// was: the text around them (their lines, at most 256 bytes before the first and after the
/// last, and the other lines of their paragraph up to 1 KB away) is masked before and after, and
/// must match outside the edits, and nothing an edit writes may end up masked. A fix that
/// changes them changes how the draft reads (found by the `analyze` fuzzer: a URL takes in a `’`
/// glued to it; `<!` and a new `“>` make an HTML declaration; two joined lines make a tag; a
/// link opened on the line before takes a joined line as its target). Edits that cannot change
/// masking (`may_change_masking`) are not masked at all (most fixes: a few byte scans).
pub fn keeps_masking(text: &str, markdown: bool, edits: &[crate::finding::Edit]) -> bool {
    let (Some(first), Some(last)) = (edits.first(), edits.last()) else {
        return true;
    };
    if !may_change_masking(text, markdown, edits) {
        return true;
    }
    let bytes = text.as_bytes();
    let mut from = first.range.start.saturating_sub(AROUND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[from..first.range.start])
        .map_or(from, |i| from + i + 1);
    let start = paragraph_lines_before(bytes, start, LINES_AROUND);
    let mut to = (last.range.end + AROUND).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let end = memchr::memchr2(b'\n', b'\r', &bytes[last.range.end..to])
        .map_or(to, |i| last.range.end + i);
    let end = paragraph_lines_after(bytes, end, LINES_AROUND);
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

/// How far `keeps_masking` reads into the lines of a paragraph around the edits' own lines: a
/// Markdown construct open on an earlier line (a link whose target follows on the next line)
/// reads differently once an edit joins or changes the lines after it.
const LINES_AROUND: usize = 1024;

/// The start of the earliest line before the line starting at `start` that is in its paragraph
/// (no blank line between) and starts at most `limit` bytes before it.
fn paragraph_lines_before(bytes: &[u8], start: usize, limit: usize) -> usize {
    if start > 0 && !matches!(bytes[start - 1], b'\n' | b'\r') {
        return start; // not a line's start (a long line cut short)
    }
    let floor = start.saturating_sub(limit);
    let mut at = start;
    while at > floor {
        // The line before `at`: from after the previous break to the break that ends it.
        let end = at - 1 - usize::from(at >= 2 && bytes[at - 2] == b'\r' && bytes[at - 1] == b'\n');
        let begin = memchr::memrchr2(b'\n', b'\r', &bytes[..end]).map_or(0, |i| i + 1);
        if begin < floor || bytes[begin..end].iter().all(u8::is_ascii_whitespace) {
            break;
        }
        at = begin;
    }
    at
}

/// The end of the last line after the line ending at `end` that is in its paragraph and ends at
/// most `limit` bytes after it.
fn paragraph_lines_after(bytes: &[u8], end: usize, limit: usize) -> usize {
    if !matches!(bytes.get(end), Some(b'\n' | b'\r')) {
        return end; // the text's end, or a long line cut short
    }
    let ceiling = (end + limit).min(bytes.len());
    let mut at = end;
    while at < ceiling {
        let begin = at + 1 + usize::from(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n'));
        let stop = memchr::memchr2(b'\n', b'\r', &bytes[begin.min(bytes.len())..])
            .map_or(bytes.len(), |i| begin + i);
        if stop > ceiling || begin >= stop || bytes[begin..stop].iter().all(u8::is_ascii_whitespace)
        {
            break;
        }
        at = stop;
    }
    at
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Edit;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string(),
        }
    }

    #[test]
    fn paragraph_lines_stop_at_blank_lines_and_the_limit() {
        let text = b"one\n\ntwo\r\nthree\nfour\n \nfive";
        // "four" starts at 16: back over "three" and "two", not past the blank line.
        assert_eq!(paragraph_lines_before(text, 16, 1024), 5);
        assert_eq!(paragraph_lines_before(text, 16, 8), 10);
        // Not a line's start: left as it is.
        assert_eq!(paragraph_lines_before(text, 17, 1024), 17);
        // "two" ends at 8: on over "three" and "four", not past the line of one space.
        assert_eq!(paragraph_lines_after(text, 8, 1024), 20);
        assert_eq!(paragraph_lines_after(text, 8, 8), 15);
        assert_eq!(paragraph_lines_after(text, text.len(), 1024), text.len());
    }

    #[test]
    fn a_link_opened_on_the_line_before_counts() {
        // Joining `«` and `»` makes `« »")` the target of the link opened on the line before.
        let text = "](\n«\n»\")\"";
        let join = edit(5..6, "\u{a0}");
        assert!(!keeps_masking(text, true, std::slice::from_ref(&join)));
        // Past a blank line the link cannot reach.
        let text = "](\n\n«\n»\")\"";
        assert!(keeps_masking(text, true, &[edit(6..7, "\u{a0}")]));
        // Not Markdown: nothing of the kind is masked.
        assert!(keeps_masking("](\n«\n»\")\"", false, &[join]));
    }
}
