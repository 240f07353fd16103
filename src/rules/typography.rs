//! Small facts about characters that several typography rules share.

use crate::config::{NBSP, NNBSP};
use crate::finding::Edit;

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

/// The bytes that may start something masking hides, as tables: this test runs on every byte
/// near every fix that fix-all combines.
const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}
/// In plain text masking hides URLs (`://`, `www.`) and e-mail addresses (`@`) only: a URL's
/// `:` comes with its `//`, so a `:` alone (before which every colon fix writes its space)
/// cannot start one, and the `/` stands for both.
static PLAIN_TRIGGERS: [bool; 256] = byte_table(b"/wW@");
/// Markdown keeps the `:` of a table's rule line (`| :--- |`) and a reference definition (`]:`).
static MARKDOWN_TRIGGERS: [bool; 256] = byte_table(b":wW@<>`[]()&|");

/// Whether `edits` may change what masking hides: only through the words they touch (up to
/// the spaces around them) or what they write, when either holds a character that starts
/// something masking hides, or by breaking or joining lines. A few byte scans.
pub fn may_change_masking(text: &str, markdown: bool, edits: &[Edit]) -> bool {
    // What masking looks for: URLs (`://`, `www.`), e-mail addresses, and in Markdown tags,
    // comments, code, links, entities, tables. Within a line, an edit can only change masking
    // through the words it touches (up to the spaces around it) or what it writes; an edit
    // that joins lines is always read again (a tag may open anywhere on the first).
    let triggers = if markdown {
        &MARKDOWN_TRIGGERS
    } else {
        &PLAIN_TRIGGERS
    };
    let hit = |b: &u8| triggers[usize::from(*b)];
    let bytes = text.as_bytes();
    // The word on one side of an edit holds a trigger, or is too long to tell (a URL may start
    // further back: found by the property tests).
    let side = |word: &mut dyn Iterator<Item = &u8>| {
        for (n, b) in word.enumerate() {
            if b.is_ascii_whitespace() {
                return false;
            }
            if hit(b) || n == AROUND {
                return true;
            }
        }
        false
    };
    edits.iter().any(|e| {
        e.replacement.as_bytes().iter().any(hit)
            || bytes[e.range.clone()]
                .iter()
                .any(|b| hit(b) || *b == b'\n' || *b == b'\r')
            || side(&mut bytes[..e.range.start].iter().rev())
            || side(&mut bytes[e.range.end..].iter())
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
pub fn keeps_masking(text: &str, markdown: bool, edits: &[Edit]) -> bool {
    keeps_masking_in(text, markdown, edits, None)
}

/// The masking of the last window [`keeps_masking_in`] read in one draft, for the next fix:
/// the fixes of one line (in Markdown, of one paragraph) read the same window, and masking it
/// as it is was half of each check. Its owner answers for the draft being the same. It also
/// lends [`keeps_teaser_lines`] one buffer for the lines it edits.
#[derive(Debug, Default)]
pub struct WindowMasks {
    last: std::cell::RefCell<Option<(std::ops::Range<usize>, bool, String)>>,
    /// A line as a fix would leave it, for [`keeps_teaser_lines`] (kept for its memory).
    line: std::cell::RefCell<String>,
    /// The start of the last line [`keeps_teaser_lines`] read, and how many of its bytes
    /// settle it as no teaser ([`crate::teasers::settled_no_teaser`]), if they do: the fixes of
    /// one line ask in turn.
    settled: std::cell::Cell<Option<(usize, Option<usize>)>>,
}

impl WindowMasks {
    fn take(&self, window: &std::ops::Range<usize>, markdown: bool) -> Option<String> {
        let mut last = self.last.borrow_mut();
        match &*last {
            Some((w, md, _)) if w == window && *md == markdown => last.take().map(|(_, _, m)| m),
            _ => None,
        }
    }

    fn keep(&self, window: std::ops::Range<usize>, markdown: bool, masked: String) {
        *self.last.borrow_mut() = Some((window, markdown, masked));
    }
}

/// [`keeps_masking`], with the masking of the window as it is taken from and left in `masks`
/// (which must have been used with `text` only).
pub fn keeps_masking_in(
    text: &str,
    markdown: bool,
    edits: &[Edit],
    masks: Option<&WindowMasks>,
) -> bool {
    let (Some(first), Some(last)) = (edits.first(), edits.last()) else {
        return true;
    };
    if !may_change_masking(text, markdown, edits) {
        return true;
    }
    let bytes = text.as_bytes();
    if markdown && joins_next_to_a_long_line(bytes, edits) {
        return false;
    }
    let mut from = first.range.start.saturating_sub(AROUND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[from..first.range.start])
        .map_or(from, |i| from + i + 1);
    // In Markdown, a line cut short is read from its start when that is at most 1 KB away: a
    // tag opened further back than 256 bytes can take a joined line in (found by the `analyze`
    // fuzzer: `<o‘s…` 255 bytes before `«⏎»">"`, joined, made one tag up to the `>`).
    // Stricter than the line walk: a line that starts right at the floor is not taken.
    let start = if markdown && start > 0 && !matches!(bytes[start - 1], b'\n' | b'\r') {
        let floor = start.saturating_sub(LINE_MOST);
        line_start_from(bytes, floor, start)
            .filter(|&s| s > floor || floor == 0)
            .unwrap_or(start)
    } else {
        start
    };
    let start = if markdown {
        match from_the_margin(bytes, paragraph_lines_before(bytes, start, LINES_AROUND)) {
            Some(start) => start,
            None => return false,
        }
    } else {
        start
    };
    // What masking hides in plain text (URLs, addresses) holds no space: the words the edits
    // touch are read whole (found by the property tests: a URL that started 300 bytes before
    // the `»` it ran up to took in the `’` written in its place). A word longer than 1 KB is
    // not read, and gets no fix.
    let word_start = bytes[..first.range.start]
        .iter()
        .rev()
        .take(LINE_MOST)
        .position(u8::is_ascii_whitespace)
        .map(|i| first.range.start - i)
        .or((first.range.start <= LINE_MOST).then_some(0));
    let word_end = bytes[last.range.end..]
        .iter()
        .take(LINE_MOST)
        .position(u8::is_ascii_whitespace)
        .map(|i| last.range.end + i)
        .or((bytes.len() - last.range.end <= LINE_MOST).then_some(bytes.len()));
    let (Some(word_start), Some(word_end)) = (word_start, word_end) else {
        return false;
    };
    let start = start.min(word_start);
    let mut to = (last.range.end + AROUND).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let end = memchr::memchr2(b'\n', b'\r', &bytes[last.range.end..to])
        .map_or(to, |i| last.range.end + i);
    let end = if markdown && end < bytes.len() && !matches!(bytes[end], b'\n' | b'\r') {
        // Likewise, a line that ends right at the ceiling is not taken.
        let ceiling = (end + LINE_MOST).min(bytes.len());
        line_end_until(bytes, end, ceiling)
            .filter(|&e| e < ceiling || ceiling == bytes.len())
            .unwrap_or(end)
    } else {
        end
    };
    let end = if markdown {
        paragraph_lines_after(bytes, end, LINES_AROUND)
    } else {
        end
    }
    .max(word_end);
    // A code span runs from a run of backticks to the next run of as many in its paragraph,
    // however far: one that opens before the window and closes in or after it (or opens in it
    // and closes after it) reads otherwise in the window alone, and an edit may pair or part
    // runs beyond it (found by the `analyze` fuzzer: a backtick more than eight lines back
    // paired with one the window held). With runs on both sides, the window grows to the whole
    // paragraph, up to 4 KB each way; a paragraph longer than that gets no fix.
    let (start, end) = if markdown {
        let Some(read) = code_span_reach(text, edits, start..end) else {
            return false;
        };
        if read.start < start {
            // A paragraph's first line, read as the draft reads it (indented code or not).
            let Some(from) = from_the_margin(bytes, read.start) else {
                return false;
            };
            (from, read.end)
        } else {
            (start, read.end)
        }
    } else {
        (start, end)
    };
    if end - start > 64 * AROUND {
        return false;
    }
    // A tag runs from a `<` to the first `>` with no `<` or line break between, however far:
    // an edit that takes out a `<` or `>` can make or end a tag whose other end lies beyond
    // what is read here (found by the `analyze` fuzzer: `<a ` 1.2 KB back on its line, and
    // `<<>>` made `«  »` let it close at a later `>`, hiding a thousand quotation marks). Such
    // an edit gets no fix when the nearest `<`, `>` or line break before it is a `<` outside
    // the text read, or after it a `>` outside it. A few byte scans: they stop at the first
    // angle bracket or line break.
    if markdown && far_tag_end(bytes, edits, start..end) {
        return false;
    }
    let after = with_edits(text, start..end, edits);
    let was = masks
        .and_then(|m| m.take(&(start..end), markdown))
        .unwrap_or_else(|| crate::prose::mask::mask(&text[start..end], markdown).text);
    let now = crate::prose::mask::mask(&after, markdown).text;
    let kept = masked_alike(start, edits, was.as_bytes(), now.as_bytes());
    if let Some(m) = masks {
        m.keep(start..end, markdown, was);
    }
    kept
}

/// Whether `now` (the window from `start`, masked with `edits` applied) matches `was` (masked
/// as it is) outside the edits, and holds what each edit writes unmasked.
fn masked_alike(start: usize, edits: &[Edit], was: &[u8], now: &[u8]) -> bool {
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

/// Whether edits that join or split lines sit next to a line too long to read whole. A link
/// destination `(…)` spans at most two lines, so a join or a split changes whether a `(`
/// anywhere on the line before the edited lines pairs with a `)` anywhere on the line after
/// them (found by the `analyze` fuzzer: `](/` ending a line of 1 KB, then `«⏎»")`; joined,
/// `(/⏎«\u{a0}»")` became a link target and hid its `"`). `keeps_masking` reads those lines
/// when they hold a `(` or a `)` within [`LINES_AROUND`] bytes of the edits; a line longer than
/// that, in the same paragraph, is not read, and the edit gets no fix.
fn joins_next_to_a_long_line(bytes: &[u8], edits: &[Edit]) -> bool {
    let breaks = |s: &[u8]| memchr::memchr2(b'\n', b'\r', s).is_some();
    let mut lines = edits
        .iter()
        .filter(|e| breaks(&bytes[e.range.clone()]) || breaks(e.replacement.as_bytes()));
    let Some(first) = lines.next() else {
        return false;
    };
    let last = lines.next_back().unwrap_or(first);
    long_line_before(bytes, first.range.start, LINES_AROUND)
        || long_line_after(bytes, last.range.end, LINES_AROUND)
}

/// Whether the line before the line holding byte `at` starts more than `limit` bytes before
/// `at`, or `at`'s own line does (a line that long is not read whole, blank or not).
fn long_line_before(bytes: &[u8], at: usize, limit: usize) -> bool {
    let floor = at.saturating_sub(limit);
    match line_start_from(bytes, floor, at) {
        Some(own) => own > 0 && line_before(bytes, own, floor).is_none(),
        None => true,
    }
}

/// Whether the line after the line holding byte `at` ends more than `limit` bytes after `at`,
/// or `at`'s own line does.
fn long_line_after(bytes: &[u8], at: usize, limit: usize) -> bool {
    let ceiling = (at + limit).min(bytes.len());
    let Some(own) = line_end_until(bytes, at, ceiling) else {
        return true;
    };
    if own == bytes.len() {
        return false;
    }
    let begin = past_break(bytes, own);
    begin < bytes.len() && line_end_until(bytes, begin, ceiling).is_none()
}

/// Where the line holding byte `to` starts (just after the break before it), when that is at
/// or after `floor`.
fn line_start_from(bytes: &[u8], floor: usize, to: usize) -> Option<usize> {
    memchr::memrchr2(b'\n', b'\r', &bytes[floor..to])
        .map(|i| floor + i + 1)
        .or((floor == 0 || matches!(bytes[floor - 1], b'\n' | b'\r')).then_some(floor))
}

/// Where the line holding byte `from` ends (at its break, or the text's end), when that is at
/// or before `ceiling`.
fn line_end_until(bytes: &[u8], from: usize, ceiling: usize) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', &bytes[from.min(ceiling)..ceiling])
        .map(|i| from + i)
        .or((ceiling == bytes.len() || matches!(bytes[ceiling], b'\n' | b'\r')).then_some(ceiling))
}

/// The line before the line that starts at `at` (just after a break), without its break (a
/// CR LF counts once), when it starts at or after `floor`; `None` too when its CR LF straddles
/// `floor`.
fn line_before(bytes: &[u8], at: usize, floor: usize) -> Option<std::ops::Range<usize>> {
    let end = at - 1 - usize::from(at >= 2 && bytes[at - 2] == b'\r' && bytes[at - 1] == b'\n');
    if end < floor {
        return None;
    }
    Some(line_start_from(bytes, floor, end)?..end)
}

/// Where the line after the break at `at` starts (a CR LF counts once).
fn past_break(bytes: &[u8], at: usize) -> usize {
    at + 1 + usize::from(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n'))
}

/// Where to start masking a Markdown window meant to start at `start` so that its first line
/// reads as it does in the draft. Masked on its own, the window's first line opens a block:
/// indented four columns, it reads as code where the draft may have it go on with a paragraph
/// or a list item (found by the `analyze` fuzzer: in `:⏎    ](⏎«⏎»")"` the `](` was hidden as
/// code, so joining `«⏎»` seemed to change nothing, while in the draft it made `](…)` a link
/// target). Such a window starts at the nearest line before it at the margin, whose reading
/// needs nothing before it; `None` when that is more than a few lines or a kilobyte away, or
/// when the window starts inside a line.
fn from_the_margin(bytes: &[u8], start: usize) -> Option<usize> {
    use crate::prose::mask::indent_columns;
    if start == 0 || indent_columns(&bytes[start..]) < 4 {
        return Some(start);
    }
    if !matches!(bytes[start - 1], b'\n' | b'\r') {
        return None;
    }
    let floor = start.saturating_sub(LINE_MOST);
    let mut at = start;
    for _ in 0..LINES_MOST {
        // Stricter than the paragraph walk: a line that starts right at the floor is refused.
        let begin = line_before(bytes, at, floor)
            .filter(|line| line.start > floor || floor == 0)?
            .start;
        if begin == 0 || bytes.get(begin).is_some_and(|b| !b.is_ascii_whitespace()) {
            return Some(begin);
        }
        at = begin;
    }
    None
}

/// Whether an edit that takes out or writes a `<` or `>` may open or close a tag beyond `read`
/// (see `keeps_masking`), or takes out the `>` of a `-->`.
fn far_tag_end(bytes: &[u8], edits: &[Edit], read: std::ops::Range<usize>) -> bool {
    let angle = |s: &[u8]| memchr::memchr2(b'<', b'>', s).is_some();
    edits.iter().any(|e| {
        if !angle(&bytes[e.range.clone()]) && !angle(e.replacement.as_bytes()) {
            return false;
        }
        // The `>` of a `-->` ends an HTML comment opened anywhere before, over any lines.
        if memchr::memchr_iter(b'>', &bytes[e.range.clone()])
            .any(|i| bytes[..e.range.start + i].ends_with(b"--"))
        {
            return true;
        }
        // The nearest of the four each way; `\r` is looked for only up to the nearest of the
        // other three (each scan stops there: no scan of the whole draft per fix).
        let before = &bytes[..e.range.start];
        let three = memchr::memrchr3(b'<', b'>', b'\n', before);
        let from = three.map_or(0, |p| p + 1);
        let back = memchr::memrchr(b'\r', &before[from..])
            .map(|i| from + i)
            .or(three);
        let after = &bytes[e.range.end..];
        let three = memchr::memchr3(b'<', b'>', b'\n', after);
        let to = three.unwrap_or(after.len());
        let on = memchr::memchr(b'\r', &after[..to])
            .or(three)
            .map(|i| e.range.end + i);
        back.is_some_and(|p| bytes[p] == b'<' && p < read.start)
            || on.is_some_and(|q| bytes[q] == b'>' && q >= read.end)
    })
}

/// How far `keeps_masking` reads back and on to find the paragraph around its window, when a
/// code span may run over the window's ends.
const PARAGRAPH_MOST: usize = 4096;

/// The window `read` grown to its paragraph's start when a backtick run lies before it in the
/// paragraph and another in the window, in an edit or after it; to its paragraph's end when one
/// lies after it and another in the window, in an edit or before it. `None` when the paragraph
/// runs on further than [`PARAGRAPH_MOST`] and may hold such a run there. A paragraph ends at a
/// blank line of any whitespace, where the masker ends code spans and the incremental engine
/// cuts the draft (found by the `incremental_edits` fuzzer when a line of no-break spaces did
/// not end the paragraph here: the fix then differed between the whole draft and its chunk).
fn code_span_reach(
    text: &str,
    edits: &[Edit],
    read: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let tick = |s: &[u8]| memchr::memchr(b'`', s).is_some();
    let floor = read.start.saturating_sub(PARAGRAPH_MOST);
    let ceiling = (read.end + PARAGRAPH_MOST).min(bytes.len());
    let within = tick(&bytes[read.clone()]) || edits.iter().any(|e| tick(e.replacement.as_bytes()));
    if !within && !tick(&bytes[floor..read.start]) && !tick(&bytes[read.end..ceiling]) {
        // A span over the whole window (runs beyond both bounds) would hide the edits: no
        // finding there to fix.
        return Some(read);
    }
    let p_start = paragraph_start(text, read.start, floor);
    let p_end = paragraph_end(text, read.end, ceiling);
    let before = p_start.is_none_or(|s| tick(&bytes[s..read.start]));
    let after = p_end.is_none_or(|e| tick(&bytes[read.end..e]));
    let from = if before && (within || after) {
        p_start?
    } else {
        read.start
    };
    let to = if after && (within || before) {
        p_end?
    } else {
        read.end
    };
    Some(from..to)
}

/// Whether the line `line` (without its break) is blank: only whitespace, of any kind.
fn is_blank_line(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
        || std::str::from_utf8(line).is_ok_and(|s| s.chars().all(char::is_whitespace))
}

/// How much of a blank line [`blank_line_ending_at`] and [`blank_line_starting_at`] read (a line
/// of text is told at its first character that is no whitespace).
const BLANK_MOST: usize = 4096;

/// Whether the line that ends at `end` (at its break, or the text's end) is blank, read back
/// from its end; `None` past [`BLANK_MOST`] bytes of whitespace.
fn blank_line_ending_at(text: &str, end: usize) -> Option<bool> {
    for (i, c) in text[..end].char_indices().rev() {
        if matches!(c, '\n' | '\r') {
            return Some(true);
        }
        if !c.is_whitespace() {
            return Some(false);
        }
        if end - i > BLANK_MOST {
            return None;
        }
    }
    Some(true)
}

/// Whether the line that starts at `start` is blank, read on from its start; `None` past
/// [`BLANK_MOST`] bytes of whitespace.
fn blank_line_starting_at(text: &str, start: usize) -> Option<bool> {
    for (i, c) in text[start..].char_indices() {
        if matches!(c, '\n' | '\r') {
            return Some(true);
        }
        if !c.is_whitespace() {
            return Some(false);
        }
        if i > BLANK_MOST {
            return None;
        }
    }
    Some(true)
}

/// The start of the paragraph that holds byte `at`: of the first line after a blank line, or 0;
/// `None` when that is before `floor`.
fn paragraph_start(text: &str, at: usize, floor: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut start = line_start_from(bytes, floor, at)?;
    while start > 0 {
        // The break before the line (a CR LF counts once).
        let end = start - 1 - usize::from(start >= 2 && &bytes[start - 2..start] == b"\r\n");
        if blank_line_ending_at(text, end)? {
            return Some(start);
        }
        if end < floor {
            return None;
        }
        start = line_start_from(bytes, floor, end)?;
    }
    Some(0)
}

/// The end of the paragraph that holds byte `at`: the break of its last line before a blank
/// line, or the text's end; `None` when that is after `ceiling`.
fn paragraph_end(text: &str, at: usize, ceiling: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = line_end_until(bytes, at, ceiling)?;
    while end < bytes.len() {
        let next = past_break(bytes, end);
        if blank_line_starting_at(text, next)? {
            return Some(end);
        }
        if next > ceiling {
            return None;
        }
        end = line_end_until(bytes, next, ceiling)?;
    }
    Some(end)
}

/// How far `keeps_masking` reads into the lines of a paragraph around the edits' own lines, in
/// Markdown: a construct open on an earlier line (a link whose target follows on the next line)
/// reads differently once an edit joins or changes the lines after it. Only lines from the
/// first that holds a character opening such a construct (`[`, `(`, `<`, a backtick) are read,
/// and up to the last that holds one closing it: a few byte scans for most fixes.
const LINES_AROUND: usize = 1024;

/// How far a Markdown line `keeps_masking` reads around the edits, back to its start and on to
/// its end (further, 256 bytes around them: a line of thousands of fixes reads 2 KB per fix,
/// not the whole line).
const LINE_MOST: usize = 1024;

/// And at most this many lines on each side (a link's text over lines takes two or three of a
/// hard-wrapped draft): a draft of short lines each with a guillemet and a `[` read a kilobyte
/// of them per fix.
const LINES_MOST: usize = 8;

/// Where a construct that runs over lines may open, and close.
fn opens_over_lines(window: &[u8]) -> Option<usize> {
    let a = memchr::memchr3(b'[', b'(', b'<', window);
    let b = memchr::memchr(b'`', window);
    a.into_iter().chain(b).min()
}

fn closes_over_lines(window: &[u8]) -> Option<usize> {
    let a = memchr::memrchr3(b']', b')', b'>', window);
    let b = memchr::memrchr(b'`', window);
    a.into_iter().chain(b).max()
}

/// The start of the earliest line before the line starting at `start` that is in its paragraph
/// (no blank line between), starts at most `limit` bytes and [`LINES_MOST`] lines before it,
/// and holds or follows a character that may open a construct over lines
/// ([`opens_over_lines`]); `start` if there is none.
fn paragraph_lines_before(bytes: &[u8], start: usize, limit: usize) -> usize {
    if start > 0 && !matches!(bytes[start - 1], b'\n' | b'\r') {
        return start; // not a line's start (a long line cut short)
    }
    let floor = start.saturating_sub(limit);
    if opens_over_lines(&bytes[floor..start]).is_none() {
        return start;
    }
    let mut at = start;
    for _ in 0..LINES_MOST {
        if at <= floor {
            break;
        }
        let Some(line) = line_before(bytes, at, floor) else {
            break; // the line starts before the floor
        };
        if is_blank_line(&bytes[line.clone()]) {
            break;
        }
        at = line.start;
    }
    // From the line of the first opener on.
    match opens_over_lines(&bytes[at..start]) {
        Some(i) => memchr::memrchr2(b'\n', b'\r', &bytes[at..at + i]).map_or(at, |k| at + k + 1),
        None => start,
    }
}

/// The end of the last line after the line ending at `end` that is in its paragraph, ends at
/// most `limit` bytes and [`LINES_MOST`] lines after it, and holds or precedes a character that
/// may close a construct over lines ([`closes_over_lines`]); `end` if there is none.
fn paragraph_lines_after(bytes: &[u8], end: usize, limit: usize) -> usize {
    if !matches!(bytes.get(end), Some(b'\n' | b'\r')) {
        return end; // the text's end, or a long line cut short
    }
    let ceiling = (end + limit).min(bytes.len());
    if closes_over_lines(&bytes[end..ceiling]).is_none() {
        return end;
    }
    let mut at = end;
    for _ in 0..LINES_MOST {
        if at >= ceiling {
            break;
        }
        let begin = past_break(bytes, at);
        let Some(stop) = line_end_until(bytes, begin, ceiling) else {
            break; // the line ends past the ceiling
        };
        if begin >= stop || is_blank_line(&bytes[begin..stop]) {
            break;
        }
        at = stop;
    }
    // Up to the line of the last closer.
    match closes_over_lines(&bytes[end..at]) {
        Some(i) => memchr::memchr2(b'\n', b'\r', &bytes[end + i..at]).map_or(at, |k| end + i + k),
        None => end,
    }
}

/// Whether each line the fix touches reads as a teaser after it exactly when it did before
/// (found by the `analyze` fuzzer: `"⏎related"` became `« ⏎related »`, and `related »` reads
/// as a `Related` teaser with no link; a guillemet's line join made `>>` and `»<<` one line
/// `>> »<<`, an arrows teaser). Only edits within 256 bytes of their line's start are read:
/// markers sit there.
pub(crate) fn keeps_teaser_lines(ctx: &super::Context, edits: &[Edit]) -> bool {
    // Markers are at most 32 characters, after a few bullets or spaces.
    const HEAD: usize = 256;
    let text = ctx.text;
    let markers = &ctx.config.teaser_markers;
    let bytes = text.as_bytes();
    edits.iter().all(|e| {
        // A line join reads the joined line whole: it starts as the first line and ends as the
        // second, whose `<<` may stand far from the join (found by the `analyze` fuzzer: a
        // `>>M⏎»…<<` line pair, 300 bytes long, joined into an arrows teaser). Lines longer
        // than 1 KB are not joined. Another edit keeps its line's start and end unless it is
        // near them.
        let joins = memchr::memchr2(b'\n', b'\r', &bytes[e.range.clone()]).is_some()
            || e.replacement.contains(['\n', '\r']);
        let reach = if joins { LINE_MOST } else { HEAD };
        let mut from = e.range.start.saturating_sub(reach);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let Some(start) = memchr::memrchr2(b'\n', b'\r', &bytes[from..e.range.start])
            .map(|i| from + i + 1)
            .or((from == 0).then_some(0))
        else {
            return !joins;
        };
        // A line that is no teaser by its first characters stays none when the fix leaves them
        // and keeps it one line (most lines: no copy of the line to read again). What settles
        // it depends on its first characters only: the answer for the line read last is kept.
        // (Edits on later lines are past those characters, and a line break they write sends
        // the fix the long way, which answers alike.)
        let settles = |k: usize| {
            edits
                .iter()
                .filter(|x| x.range.start >= start)
                .all(|x| x.range.start >= start + k && !x.replacement.contains(['\n', '\r']))
        };
        let known = ctx
            .masks
            .settled
            .get()
            .filter(|&(line, _)| line == start && !joins)
            .map(|(_, k)| k);
        if known.flatten().is_some_and(settles) {
            return true;
        }
        let mut to = (e.range.end + reach).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let end =
            memchr::memchr2(b'\n', b'\r', &bytes[e.range.end..to]).map_or(to, |i| e.range.end + i);
        if joins && end == to && to < text.len() {
            return false;
        }
        if !joins {
            let k = known.unwrap_or_else(|| {
                let k = crate::teasers::settled_no_teaser(&text[start..end], markers);
                ctx.masks.settled.set(Some((start, k)));
                k
            });
            if k.is_some_and(settles) {
                return true;
            }
        }
        // The line as it reads now, and with every edit of the fix that falls on it.
        let mut line = ctx.masks.line.borrow_mut();
        with_edits_into(&mut line, text, start..end, edits);
        let after = line.as_str();
        // One line before and after (the common case): no lists of lines to compare.
        if !joins && memchr::memchr2(b'\n', b'\r', after.as_bytes()).is_none() {
            return crate::teasers::line_reads_as_teaser(&text[start..end], markers)
                == crate::teasers::line_reads_as_teaser(after, markers);
        }
        // Each line as it reads: an edit that joins lines (a guillemet's line break made a
        // no-break space) keeps them only if they all read alike, and the joined line too.
        // (Lines found with memchr: `str::split` on two chars decodes every character.)
        let reads = |s: &str| -> Vec<bool> {
            let mut out = Vec::new();
            let mut at = 0;
            for i in memchr::memchr2_iter(b'\n', b'\r', s.as_bytes()) {
                out.push(crate::teasers::line_reads_as_teaser(&s[at..i], markers));
                at = i + 1;
            }
            out.push(crate::teasers::line_reads_as_teaser(&s[at..], markers));
            out
        };
        let (was, now) = (reads(&text[start..end]), reads(after));
        was == now || was.iter().chain(&now).all(|&r| r == was[0])
    })
}

/// `text[range]` with the `edits` that fall inside it applied (in order, disjoint).
pub fn with_edits(text: &str, range: std::ops::Range<usize>, edits: &[Edit]) -> String {
    let mut out = String::new();
    with_edits_into(&mut out, text, range, edits);
    out
}

/// [`with_edits`] into `out` (cleared first, its memory reused).
fn with_edits_into(out: &mut String, text: &str, range: std::ops::Range<usize>, edits: &[Edit]) {
    let inside = || {
        edits
            .iter()
            .filter(|e| e.range.start >= range.start && e.range.end <= range.end)
    };
    out.clear();
    out.reserve(range.len() + inside().map(|e| e.replacement.len()).sum::<usize>());
    let mut at = range.start;
    for e in inside() {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..range.end]);
}

/// A space as a fix's replacement: the two no-break spaces, the only ones configurable, are
/// not allocated for each fix.
pub fn space_text(space: char) -> crate::finding::Str {
    match space {
        '\u{a0}' => "\u{a0}".into(),
        '\u{202f}' => "\u{202f}".into(),
        _ => space.to_string().into(),
    }
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
    /// Every gap, in the order of `gap as usize`.
    pub const ALL: [Gap; 4] = [Gap::None, Gap::Ordinary, Gap::Tab, Gap::LineBreak];

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

/// Whether a space run starting at `start` opens its line, after nothing or after list and
/// quote markers only (`* :`, `> ;`, `1. ?`): that space belongs to the Markdown marker, and
/// replacing it with a no-break space would turn the list item into paragraph text. The scan
/// stops at the first other character, so it reads each character at most once per line of marks.
pub(crate) fn opens_line(text: &str, start: usize) -> bool {
    back_to_line_start(text[..start].chars().rev()).unwrap_or(true)
}

/// Reading `chars` backwards from a mark: `Some(true)` at a line break, with only a line's
/// opening ([`in_line_opening`]) on the way; `Some(false)` at anything else; `None` when they
/// run out first.
fn back_to_line_start(chars: impl Iterator<Item = char>) -> Option<bool> {
    for c in chars {
        match c {
            '\n' | '\r' => return Some(true),
            c if in_line_opening(c) => {}
            _ => return Some(false),
        }
    }
    None
}

/// Whether `edits` leave every `; ! ? :` that ends a line's opening (after markers, digits and
/// whitespace only: `1. :`, `- ;`) opening its line or not as before: `punctuation-spacing`
/// asks no space of such a mark. An edit in the opening may change that (found by the property
/// tests: `<<.⏎.>> :` became `« .⏎. » :`), and so may a line join before it (`«⏎1. :` joined by
/// the guillemet fix into `«\u{a0}1. :`, found by the line-opening property).
pub(crate) fn keeps_line_openings(text: &str, edits: &[Edit]) -> bool {
    edits.iter().all(|e| {
        let ends_in_mark = text[e.range.end..]
            .chars()
            .find(|&c| !in_line_opening(c))
            .is_some_and(|c| matches!(c, ';' | '!' | '?' | ':'));
        !ends_in_mark || opens_line(text, e.range.end) == opens_line_after(text, e)
    })
}

/// [`opens_line`] at the end of edit `e` once it is made: through its replacement, then
/// before it.
fn opens_line_after(text: &str, e: &Edit) -> bool {
    back_to_line_start(e.replacement.chars().rev())
        .unwrap_or_else(|| opens_line(text, e.range.start))
}

/// What may stand before a line's first word or mark and still leave it opening the line: list
/// and quote markers, digits, and whitespace of any kind. Any kind, because a Markdown list
/// item may be indented by whatever `str::trim_start` takes (`crate::prose` reads a vertical
/// tab then `- »` as a list item: found by the `analyze` fuzzer, a fix made the marker's space
/// a no-break one, and the line joined the paragraph above).
pub(crate) fn in_line_opening(c: char) -> bool {
    matches!(c, '*' | '-' | '+' | '>' | '#' | '.' | ')')
        || c.is_ascii_digit()
        || (c.is_whitespace() && !matches!(c, '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string().into(),
        }
    }

    #[test]
    fn paragraphs_end_at_lines_of_any_whitespace() {
        let text = "un\n\nA `b\nc\n\u{a0}\u{3000}\nD\r\n\u{c}\r\nE\rF\n";
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(paragraph_start(text, at("c"), 0), Some(at("A")));
        assert_eq!(paragraph_end(text, at("A"), text.len()), Some(at("c") + 1));
        // A line of no-break and ideographic spaces, and one of a form feed (CR LF), are blank.
        assert_eq!(paragraph_start(text, at("D"), 0), Some(at("D")));
        assert_eq!(paragraph_end(text, at("D"), text.len()), Some(at("D") + 1));
        // A lone CR breaks a line, and ends no paragraph.
        assert_eq!(paragraph_start(text, at("F"), 0), Some(at("E")));
        assert_eq!(
            paragraph_end(text, at("E"), text.len()),
            Some(text.len() - 1)
        );
        assert_eq!(paragraph_start(text, at("un"), 0), Some(0));
        // Beyond the floor or the ceiling: not known.
        assert_eq!(paragraph_start(text, at("c"), at("A") + 1), None);
        assert_eq!(paragraph_end(text, at("A"), at("c")), None);
        // A paragraph that starts right at the floor is known, as in a chunk that starts there.
        assert_eq!(paragraph_start(text, at("c"), at("A")), Some(at("A")));
        assert_eq!(paragraph_start(&text[at("A")..], 4, 0), Some(0));
    }

    #[test]
    fn a_code_span_over_the_window_grows_it_to_the_paragraph() {
        // A backtick ten lines back pairs with one in the window, or after it.
        let far = format!("Début `{}", "\nune ligne".repeat(10));
        for (tail, grows_back, grows_on) in [
            ("\nIl a dit « mot » `x\nsuite\n\nfin `", true, false),
            ("\nIl a dit « mot » x\nsuite `\n\nfin `", true, true),
            ("\nIl a dit « mot » x\nsuite\n\nfin `", false, false),
        ] {
            let text = format!("{far}{tail}");
            let line = text.find("\nIl").unwrap() + 1;
            let read = line..text[line..].find('\n').unwrap() + line;
            let mark = text.find('»').unwrap();
            let edits = [edit(mark - 1..mark, "\u{a0}")];
            let grown = code_span_reach(&text, &edits, read.clone()).unwrap();
            assert_eq!(grown.start == 0, grows_back, "{tail:?}");
            assert_eq!(grown.end > read.end, grows_on, "{tail:?}");
            if grows_on {
                assert_eq!(&text[grown.end..grown.end + 2], "\n\n");
            }
        }
        // Past a blank line (here of no-break spaces) a run pairs with nothing in the window.
        let text = format!("{far}\n\u{a0}\nIl a dit « mot » `x\n");
        let line = text.find("Il").unwrap();
        let read = line..text.len() - 1;
        assert_eq!(code_span_reach(&text, &[], read.clone()), Some(read));
        // A paragraph too long to read back gets no window, when a run may pair into it.
        let text = format!("`{}\nIl a dit « mot » `x\n", "\nune ligne".repeat(500));
        let line = text.find("Il").unwrap();
        assert_eq!(code_span_reach(&text, &[], line..text.len() - 1), None);
    }

    #[test]
    fn a_kept_window_mask_gives_the_answers_of_a_fresh_one() {
        // Fixes on one line share a window; the next line's do not. Each answer with the kept
        // mask must be the answer without it, whichever window was read last.
        let text = "Voir <a href=\"x\">l'article</a> : « oui » et [lien](https://j.fr) : non\n\
                    \n\
                    Puis `code : x` et « non » : www.j.fr/a « b »\n";
        let mut edits = Vec::new();
        for (i, c) in text.char_indices() {
            match c {
                ' ' => edits.push(edit(i..i + 1, "\u{a0}")),
                '«' | '»' => edits.push(edit(i..i + c.len_utf8(), "\"")),
                ':' | '<' | '>' => edits.push(edit(i..i + 1, "")),
                _ => {}
            }
        }
        for markdown in [true, false] {
            let masks = WindowMasks::default();
            let (mut kept, mut refused) = (0, 0);
            for round in 0..2 {
                for (k, e) in edits.iter().enumerate() {
                    // Forwards, then in an order that alternates between the lines.
                    let e = if round == 0 {
                        e
                    } else {
                        &edits[(k * 7) % edits.len()]
                    };
                    let fresh = keeps_masking(text, markdown, std::slice::from_ref(e));
                    let with =
                        keeps_masking_in(text, markdown, std::slice::from_ref(e), Some(&masks));
                    assert_eq!(with, fresh, "{e:?}, markdown {markdown}");
                    if fresh { kept += 1 } else { refused += 1 }
                }
            }
            assert!(kept > 0 && refused > 0, "{kept} {refused}");
        }
    }

    #[test]
    fn in_plain_text_an_edit_that_passes_the_triggers_leaves_masking_alone() {
        // The triggers say which edits are masked at all: every single edit they let through
        // must leave URLs and addresses as they were, colons beside them included.
        let texts = [
            "Voir http ://j.fr : oui, ou http: //j.fr:80/a et ftp:/ /x.fr.",
            "Écrire à a.b@j.fr : merci ; ou à x @y.fr ou à www .j.fr : non",
            "«https://j.fr/a:b»: et «www.j.fr»; puis http:// j.fr ? Oui:www.j.fr",
            "Lire:https://j.fr/?q=a:b ; WWW.J.FR: et xwww.j.fr : fin",
        ];
        let mut edits = Vec::new();
        for text in texts {
            for (i, c) in text.char_indices() {
                edits.push((text, edit(i..i, " ")));
                edits.push((text, edit(i..i, "\u{a0}")));
                edits.push((text, edit(i..i + c.len_utf8(), "")));
                edits.push((text, edit(i..i + c.len_utf8(), "\u{202f}")));
            }
        }
        let (mut passed, mut masked) = (0, 0);
        for (text, e) in &edits {
            let one = std::slice::from_ref(e);
            if may_change_masking(text, false, one) {
                masked += 1;
                continue;
            }
            passed += 1;
            let was = crate::prose::mask::mask(text, false).text;
            let now = crate::prose::mask::mask(&with_edits(text, 0..text.len(), one), false).text;
            assert!(
                masked_alike(0, one, was.as_bytes(), now.as_bytes()),
                "{text:?} {e:?}"
            );
        }
        assert!(passed > 100 && masked > 100, "{passed} {masked}");
        // A colon fix in prose is not masked; one that glues a scheme to its slashes is.
        let text = "Il a dit : oui";
        assert!(!may_change_masking(text, false, &[edit(8..9, "\u{a0}")]));
        let text = "Voir http: //j.fr";
        assert!(may_change_masking(text, false, &[edit(10..11, "")]));
    }

    #[test]
    fn a_kept_teaser_line_answer_gives_the_answers_of_a_fresh_one() {
        // The fixes of a line share what settles it; the next line's do not. Each answer with
        // the kept one must be the answer without it, whichever line was read before.
        let text = "Reste le dossier « du marché » et « la suite ».\n\
                    >> Titre « x » <<\n\
                    Related « a » b\n\
                    Lire aussi « x » : ici\n\
                    - Voir « y »\n\
                    Le « z » et « w »\n";
        let mut edits = Vec::new();
        for (i, c) in text.char_indices() {
            match c {
                ' ' => edits.push(vec![edit(i..i + 1, "\u{a0}")]),
                '\n' => edits.push(vec![edit(i..i + 1, "\u{a0}")]),
                '«' | '»' => {
                    edits.push(vec![edit(i..i, "\u{a0}")]);
                    edits.push(vec![edit(i..i, "\n")]);
                }
                _ => {}
            }
        }
        // Two-edit fixes across lines too.
        for k in 0..edits.len() - 7 {
            let mut both = vec![edits[k][0].clone(), edits[k + 7][0].clone()];
            both.sort_by_key(|e| e.range.start);
            if both[0].range.end <= both[1].range.start {
                edits.push(both);
            }
        }
        let config = crate::config::Config::default();
        let quotes = crate::quotes::Quotes::default();
        let context = || super::super::Context {
            text,
            prose: text,
            lang: crate::language::Lang::Fr,
            markdown: false,
            paragraphs: &[],
            quotes: &quotes,
            attributions: &[],
            teasers: &[],
            config: &config,
            masks: WindowMasks::default(),
        };
        let fresh: Vec<bool> = edits
            .iter()
            .map(|e| keeps_teaser_lines(&context(), e))
            .collect();
        // Every fix asked right after every other one (and after itself).
        for first in &edits {
            for (b, then) in edits.iter().enumerate() {
                let shared = context();
                keeps_teaser_lines(&shared, first);
                let answer = keeps_teaser_lines(&shared, then);
                assert_eq!(answer, fresh[b], "{first:?} then {then:?}");
            }
        }
        let (kept, refused) = (
            fresh.iter().filter(|&&f| f).count(),
            fresh.iter().filter(|&&f| !f).count(),
        );
        assert!(kept > 0 && refused > 0, "{kept} {refused}");
    }

    #[test]
    fn a_window_reads_its_first_line_as_the_draft_does() {
        // Found by the `analyze` fuzzer (Markdown): the window began at the indented `](`
        // line, which on its own reads as code; in the draft it goes on with the paragraph,
        // and joining `«⏎»` leaves one line break in `](…)`, which makes it a link target.
        let text = ":\n    ](\n«\n»\")\"";
        let at = text.find("«\n»").unwrap() + '«'.len_utf8();
        assert!(!keeps_masking(text, true, &[edit(at..at + 1, "\u{a0}")]));
        // Read from the line at the margin, a join that changes nothing stands.
        let text = ":\n    mot\n«\n»\")\"";
        let at = text.find("«\n»").unwrap() + '«'.len_utf8();
        assert!(keeps_masking(text, true, &[edit(at..at + 1, "\u{a0}")]));
        // The indented line is read from the line before it; a line at the margin as it is.
        assert_eq!(from_the_margin(text.as_bytes(), 2), Some(0));
        assert_eq!(from_the_margin(text.as_bytes(), 10), Some(10));
    }

    #[test]
    fn an_angle_taken_out_keeps_tags_opened_or_closed_far_away() {
        // Found by the `analyze` fuzzer (Markdown): `<a ` 1.2 KB back on the line, and `<<>>`
        // made `«  »` let it close at the `>` after, hiding everything between.
        let words = "x ".repeat(700);
        let text = format!("Texte <a title {words}dit <<>> >");
        let at = text.find("<<>>").unwrap();
        let quotes = [edit(at..at + 2, "«"), edit(at + 2..at + 4, "»")];
        assert!(!keeps_masking(&text, true, &quotes));
        // The same with the tag's `<` near: read, and refused as well (it would be a tag).
        let near = format!("Texte <a title {}dit <<>> >", "x ".repeat(20));
        let at = near.find("<<>>").unwrap();
        let quotes = [edit(at..at + 2, "«"), edit(at + 2..at + 4, "»")];
        assert!(!keeps_masking(&near, true, &quotes));
        // No `<` before on the line, no `>` after: nothing to open or close.
        let free = format!("Texte {words}dit <<>> fin");
        let at = free.find("<<>>").unwrap();
        let quotes = [edit(at..at + 2, "«"), edit(at + 2..at + 4, "»")];
        assert!(keeps_masking(&free, true, &quotes));
        // And a tag `<<a …>` whose `>` is 1.4 KB on: `<<` made `«` would end it.
        let forward = format!("Texte <<a {words}> fin");
        let at = forward.find("<<").unwrap();
        assert!(!keeps_masking(&forward, true, &[edit(at..at + 2, "«")]));
        // The `>` of a `-->`: the comment it ends may open any number of lines back.
        let comment = "<!-- note\n\nsuite -->> fin";
        let at = comment.find(">>").unwrap();
        assert!(!keeps_masking(comment, true, &[edit(at..at + 2, "»")]));
        // Plain text masks no tags.
        assert!(keeps_masking(&text, false, &[edit(at..at + 2, "«")]));
    }

    #[test]
    fn paragraph_lines_stop_at_blank_lines_the_limit_and_openers() {
        let text = b"one\n\n(two\r\nthree\nfour)\n \nfive";
        // "four)" starts at 17: back to the line of `(`, not past the blank line.
        assert_eq!(paragraph_lines_before(text, 17, 1024), 5);
        assert_eq!(paragraph_lines_before(text, 17, 12), 5);
        assert_eq!(paragraph_lines_before(text, 17, 11), 17);
        // Not a line's start: left as it is.
        assert_eq!(paragraph_lines_before(text, 18, 1024), 18);
        // "(two" ends at 9: on to the line of `)`, not past the line of one space.
        assert_eq!(paragraph_lines_after(text, 9, 1024), 22);
        assert_eq!(paragraph_lines_after(text, 9, 13), 22);
        assert_eq!(paragraph_lines_after(text, 9, 12), 9);
        assert_eq!(paragraph_lines_after(text, text.len(), 1024), text.len());
        // A CR LF astride the floor: the line before starts before it.
        // (found by the `analyze` fuzzer: a slice that ended before it started).
        assert_eq!(paragraph_lines_before(b"\r\n(a\nb", 5, 4), 2);
        assert_eq!(paragraph_lines_before(b"\r\n(a\nb", 5, 5), 2);
        // At most eight lines each side.
        let short = "[a]\n".repeat(10);
        assert_eq!(paragraph_lines_before(short.as_bytes(), 40, 1024), 8);
        assert_eq!(paragraph_lines_after(short.as_bytes(), 3, 1024), 35);
        // Nothing that opens or closes a construct over lines: only the edits' lines.
        let plain = b"one\ntwo\nthree\nfour";
        assert_eq!(paragraph_lines_before(plain, 8, 1024), 8);
        assert_eq!(paragraph_lines_after(plain, 7, 1024), 7);
    }

    #[test]
    fn a_tag_opened_far_back_on_the_line_counts() {
        // `<o` 300 bytes before a guillemet's line join: joined, the line up to `>` is a tag.
        let text = format!("<o {}«\r»\">\"", "x".repeat(300));
        let at = text.find('\r').unwrap();
        let join = edit(at..at + 1, "\u{a0}");
        assert!(!keeps_masking(&text, true, std::slice::from_ref(&join)));
        // Past the kilobyte a line is not read whole, so a join there gets no fix: the `<`
        // could be anywhere on it (the line after a join too, for its `>`).
        let far = format!("<o {} «\r»\">\"", "x".repeat(2000));
        let at = far.find('\r').unwrap();
        assert!(!keeps_masking(&far, true, &[edit(at..at + 1, "\u{a0}")]));
        let word = format!("<o {}«\r»\">\"", "x".repeat(2000));
        let at = word.find('\r').unwrap();
        assert!(!keeps_masking(&word, true, &[edit(at..at + 1, "\u{a0}")]));
        // An edit within the line is still read around itself: a no-break space before `»`.
        let within = format!("<o {} « oui »\r\">\"", "x".repeat(2000));
        let at = within.find(" »").unwrap();
        assert!(keeps_masking(&within, true, &[edit(at..at + 1, "\u{a0}")]));
        // Plain text has no tags nor links: joins there are not limited.
        assert!(keeps_masking(&far, false, &[edit(at..at + 1, "\u{a0}")]));
    }

    #[test]
    fn a_join_next_to_a_long_line_gets_no_fix() {
        // Found by the `analyze` fuzzer: `](/` ending a line of a kilobyte, then `«⏎»")`.
        // Joined, `(/⏎«\u{a0}»")` spans two lines, a link target that hides its `"`.
        let long = format!("{}](/", "mot ".repeat(260));
        let text = format!("{long}\n«\n»\")\"");
        let at = long.len() + 3;
        assert_eq!(&text[at..at + 1], "\n");
        assert!(!keeps_masking(&text, true, &[edit(at..at + 1, "\u{a0}")]));
        // Behind a short line, the window reads it, and sees the link.
        let short = "Voir ](/\n«\n»\")\"";
        let at = short.find("«").unwrap() + 2;
        assert!(!keeps_masking(short, true, &[edit(at..at + 1, "\u{a0}")]));
        // A `)` at the end of a long line after the joined ones counts the same way.
        let after = format!("Voir (\n«\n»\"\n{})\"", "mot ".repeat(260));
        let at = after.find("«").unwrap() + 2;
        assert!(long_line_after(after.as_bytes(), at + 1, 1024));
        assert!(!keeps_masking(&after, true, &[edit(at..at + 1, "\u{a0}")]));
        // Short lines all round, nothing to pair: the join keeps masking.
        let plain = "Il a dit :\n«\nnon »\net il est parti.";
        let at = plain.find("«").unwrap() + 2;
        assert!(keeps_masking(plain, true, &[edit(at..at + 1, "\u{a0}")]));
    }

    #[test]
    fn long_lines_around_an_offset() {
        let text = b"a\nbb\r\ncc\n\ndddd";
        // Before `cc` (at 6): `bb` starts 4 bytes back.
        assert!(!long_line_before(text, 6, 4));
        assert!(long_line_before(text, 6, 3));
        // The first line has nothing before it; its own start must be in reach.
        assert!(!long_line_before(text, 1, 1));
        assert!(long_line_before(b"abc", 3, 2));
        // After `bb` (at 2): `cc` ends at 8, 6 bytes on.
        assert!(!long_line_after(text, 2, 6));
        assert!(long_line_after(text, 2, 5));
        // A blank line after `cc`, or the text's end.
        assert!(!long_line_after(text, 6, 3));
        assert!(!long_line_after(text, 14, 1));
        // Past the blank line, `dddd` is a line after too (the caller's edits join none).
        assert!(long_line_after(text, 9, 2));
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
