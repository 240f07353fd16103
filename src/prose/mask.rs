//! Separates prose from what is not prose: Markdown code, front matter, HTML, link targets,
//! URLs and e-mail addresses.
//!
//! The result is a copy of the draft of the same byte length in which every non-prose byte is
//! replaced by ASCII filler, so rules scan one string and report byte offsets that are valid in
//! the original. Block constructs (code blocks, front matter, comments on their own lines) are
//! filled with spaces so they read as blank lines; inline ones with `x`, so that the text around
//! them keeps its shape (`[lien](url):` still has no space before its colon).

use regex::bytes::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What a masked region held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKind {
    FrontMatter,
    CodeBlock,
    CodeSpan,
    HtmlComment,
    /// An HTML tag; `href` is the link target of an `<a href="…">`.
    HtmlTag {
        href: Option<String>,
    },
    /// The `(target)` of a Markdown inline link or image.
    LinkTarget {
        target: String,
    },
    /// A reference definition line `[label]: target`.
    RefDefinition {
        label: String,
        target: String,
    },
    Url,
    Email,
    Entity,
    TableRule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub range: Range<usize>,
    pub kind: RegionKind,
}

/// The draft with non-prose masked, and what was masked.
#[derive(Debug, Clone)]
pub struct Masked {
    pub text: String,
    pub regions: Vec<Region>,
}

/// Where URLs are: `http://`, `https://`, `ftp://` or `www.` (in any case) where an ASCII word
/// starts, then characters up to the first space of any kind (a no-break space before `:` or
/// inside `« »` ends it), `<`, `>` or quotation mark (`"`, `«`, `»`, `“`, `”`). Found from
/// the text's `://`, `w.` and `W.`, which a byte search finds many bytes at a time: the
/// pattern `(?i-u:\b(?:https?://|ftp://|www\.))[^\s<>\x22«»“”]+`, which the tests hold it
/// to, spent about 3 instructions a byte of a French draft looking for its letters.
fn find_urls(text: &str, mut found: impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let at_word_start =
        |i: usize| i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    let ends_with = |end: usize, word: &[u8]| {
        end >= word.len() && b[end - word.len()..end].eq_ignore_ascii_case(word)
    };
    // Each candidate as (where it starts, where its body starts), in order: a scheme before a
    // `://`, or `www` before a `.`.
    let schemes = memchr::memmem::find_iter(b, b"://").filter_map(|c| {
        let start = [&b"https"[..], b"http", b"ftp"]
            .iter()
            .find(|s| ends_with(c, s))
            .map(|s| c - s.len())?;
        Some((start, c + 3))
    });
    // `www.` ends in `w.` or `W.`: rare in prose, where `.` ends every sentence.
    let mut www: Vec<(usize, usize)> = [&b"w."[..], b"W."]
        .iter()
        .flat_map(|pattern| memchr::memmem::find_iter(b, pattern))
        .filter(|&k| ends_with(k + 1, b"www"))
        .map(|k| (k - 2, k + 2))
        .collect();
    www.sort_unstable();
    let mut schemes = schemes.peekable();
    let mut www = www.into_iter().peekable();
    let mut from = 0;
    loop {
        let next = match (schemes.peek(), www.peek()) {
            (Some(s), Some(w)) if w.0 < s.0 => www.next(),
            (Some(_), _) => schemes.next(),
            (None, _) => www.next(),
        };
        let Some((start, body)) = next else { return };
        if start < from || !at_word_start(start) {
            continue;
        }
        let end = text[body..]
            .char_indices()
            .find(|&(_, c)| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»' | '“' | '”')
            })
            .map_or(text.len(), |(k, _)| body + k);
        if end > body {
            found(start..end);
            from = end;
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b)")
        .expect("e-mail pattern")
});

/// Masks a draft. `markdown` turns on the Markdown constructs; URLs and e-mail addresses are
/// masked in every draft.
pub fn mask(text: &str, markdown: bool) -> Masked {
    let mut m = Masker {
        src: text.as_bytes(),
        out: text.to_owned(),
        regions: Vec::new(),
    };
    if markdown {
        let blocks = m.blocks();
        m.inline(&blocks);
    }
    m.urls();
    m.regions.sort_by_key(|r| (r.range.start, r.range.end));
    Masked {
        text: m.out,
        regions: m.regions,
    }
}

/// Where a byte search next matches, from some offset on: searched again only once passed.
struct NextByte<F> {
    find: F,
    /// The last match (`usize::MAX`: none to the end), and the offset searched from.
    found: Option<(usize, usize)>,
}

impl<F: Fn(&[u8]) -> Option<usize>> NextByte<F> {
    fn new(find: F) -> Self {
        NextByte { find, found: None }
    }

    /// The first match at or after `from` (`usize::MAX` when there is none).
    fn at(&mut self, src: &[u8], from: usize) -> usize {
        match self.found {
            Some((at, searched)) if searched <= from && at >= from => at,
            _ => {
                let at = (self.find)(&src[from..]).map_or(usize::MAX, |k| from + k);
                self.found = Some((at, from));
                at
            }
        }
    }
}

struct Masker<'a> {
    src: &'a [u8],
    /// The draft, masked in place: whole characters replaced by as many ASCII bytes, so it
    /// stays UTF-8 without being checked again.
    out: String,
    regions: Vec<Region>,
}

/// Byte ranges of the lines of `src`, without their line terminators.
pub fn line_ranges(src: &[u8]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut skip_lf = false;
    // memchr finds the line breaks many bytes at a time.
    for i in memchr::memchr2_iter(b'\n', b'\r', src) {
        if skip_lf {
            skip_lf = false;
            if i == start && src[i] == b'\n' {
                start = i + 1; // the LF of a CRLF
                continue;
            }
        }
        lines.push(start..i);
        start = i + 1;
        skip_lf = src[i] == b'\r';
    }
    lines.push(start..src.len());
    lines
}

/// Replaces every character of `text[range]` but line breaks by `filler` (ASCII), one byte per
/// byte, in place: offsets stay valid and the text stays UTF-8 without being checked again. A
/// range end inside a character takes in the whole character.
pub fn fill(text: &mut String, range: Range<usize>, filler: u8) {
    const SPACES: &str = "                                                                ";
    const XS: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    let fill_with = match filler {
        b' ' => SPACES,
        b'x' => XS,
        _ => panic!("unsupported filler {filler}"),
    };
    let mut at = range.start.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = range.end.clamp(at, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    while at < end {
        let b = text.as_bytes()[at];
        if b == b'\n' || b == b'\r' {
            at += 1;
            continue;
        }
        // Up to the next line break, at most as many bytes as the filler has, on a character
        // boundary (characters are at most 4 bytes long). The break is looked for only that
        // far (to the range's end, a long range was read once per piece: quadratic).
        let limit = end.min(at + fill_with.len());
        let mut to =
            memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..limit]).map_or(limit, |k| at + k);
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        text.replace_range(at..to, &fill_with[..to - at]);
        at = to;
    }
}

fn leading_spaces(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

impl Masker<'_> {
    fn fill(&mut self, range: Range<usize>, block: bool) {
        fill(&mut self.out, range, if block { b' ' } else { b'x' });
    }

    fn add(&mut self, range: Range<usize>, kind: RegionKind, block: bool) {
        self.fill(range.clone(), block);
        self.regions.push(Region { range, kind });
    }

    /// Whether `range` covers whole lines (only whitespace around it on its lines).
    fn spans_whole_lines(&self, range: &Range<usize>) -> bool {
        let before = self.src[..range.start]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n' && b != b'\r');
        let after = self.src[range.end..]
            .iter()
            .take_while(|&&b| b != b'\n' && b != b'\r');
        before.clone().all(|b| b.is_ascii_whitespace())
            && after.clone().all(|b| b.is_ascii_whitespace())
    }

    /// Front matter, fenced code, reference definitions and table rules. Returns the masked
    /// block ranges, sorted, for the inline pass to skip.
    fn blocks(&mut self) -> Vec<Range<usize>> {
        let lines = line_ranges(self.src);
        let mut blocks = Vec::new();
        let mut i = 0;
        if let Some(first) = lines.first() {
            let fence = trim_end(&self.src[first.clone()]);
            if fence == b"---" || fence == b"+++" {
                let close = lines[1..].iter().position(|l| {
                    let t = trim_end(&self.src[l.clone()]);
                    t == fence || (fence == b"---" && t == b"...")
                });
                if let Some(k) = close {
                    let end = lines[k + 1].end;
                    self.add(0..end, RegionKind::FrontMatter, true);
                    blocks.push(0..end);
                    i = k + 2;
                }
            }
        }
        // Indented code needs a blank line before it; inside a list item, four columns more
        // than the item's content.
        let mut prev_blank = true;
        let mut list_content: Option<usize> = None;
        while i < lines.len() {
            let line = lines[i].clone();
            let bytes = &self.src[line.clone()];
            let indent = leading_spaces(bytes);
            let rest = &bytes[indent..];
            let blank = rest.iter().all(u8::is_ascii_whitespace);
            let columns = indent_columns(bytes);
            let threshold = list_content.map_or(4, |c| c + 4);
            if prev_blank && !blank && columns >= threshold {
                let mut last = i;
                let mut k = i + 1;
                while k < lines.len() {
                    let b = &self.src[lines[k].clone()];
                    if b.iter().all(u8::is_ascii_whitespace) {
                        k += 1;
                        continue;
                    }
                    if indent_columns(b) < threshold {
                        break;
                    }
                    last = k;
                    k += 1;
                }
                let range = line.start..lines[last].end;
                self.add(range.clone(), RegionKind::CodeBlock, true);
                blocks.push(range);
                i = last + 1;
                prev_blank = false;
                continue;
            }
            if let Some(opens) = list_reach(bytes) {
                list_content = if opens {
                    list_item_content(bytes)
                } else {
                    None
                };
            }
            prev_blank = blank;
            if indent <= 3 {
                if let Some((ch, n)) = fence_open(rest) {
                    let close = lines[i + 1..].iter().position(|l| {
                        let b = &self.src[l.clone()];
                        let ind = leading_spaces(b);
                        let r = trim_end(&b[ind..]);
                        ind <= 3 && r.len() >= n && r.iter().all(|&c| c == ch)
                    });
                    let last = close.map_or(lines.len() - 1, |k| i + 1 + k);
                    let range = line.start..lines[last].end;
                    self.add(range.clone(), RegionKind::CodeBlock, true);
                    blocks.push(range);
                    i = last + 1;
                    continue;
                }
                if let Some((label, target)) = ref_definition(rest) {
                    self.add(
                        line.clone(),
                        RegionKind::RefDefinition { label, target },
                        true,
                    );
                    blocks.push(line);
                    i += 1;
                    continue;
                }
                if is_table_rule(rest) {
                    self.add(line.clone(), RegionKind::TableRule, true);
                    blocks.push(line);
                }
            }
            i += 1;
        }
        blocks
    }

    /// Code spans, HTML comments and tags, autolinks, inline link targets and entities.
    fn inline(&mut self, blocks: &[Range<usize>]) {
        let src = self.src;
        // Built on first use: where each backtick run and each parenthesis closes, so that an
        // opening mark that never closes costs a lookup, not a scan to the end of the draft.
        let mut spans: Option<CodeSpans> = None;
        let mut parens: Option<Parens> = None;
        let mut next_opener = NextByte::new(|hay| memchr::memchr3(b'`', b'<', b'&', hay));
        let mut next_bracket = NextByte::new(|hay| memchr::memchr(b']', hay));
        let mut next_block = 0;
        let mut i = 0;
        while i < src.len() {
            while next_block < blocks.len() && blocks[next_block].end <= i {
                next_block += 1;
            }
            if let Some(b) = blocks.get(next_block)
                && b.start <= i
            {
                i = b.end;
                continue;
            }
            let limit = blocks.get(next_block).map_or(src.len(), |b| b.start);
            // Bytes that open nothing are skipped (this pass runs on every window a quick
            // fix's masking check reads, many times a paragraph): to the next opener, found by
            // two vectorised scans whose results are kept until passed.
            let next = next_opener.at(src, i).min(next_bracket.at(src, i));
            if next >= limit {
                i = limit;
                continue;
            }
            i = next;
            match src[i] {
                b'`' => {
                    let n = src[i..].iter().take_while(|&&b| b == b'`').count();
                    let spans = spans.get_or_insert_with(|| CodeSpans::new(src));
                    if let Some(end) = spans.end(i + n, n, limit) {
                        self.add(i..end, RegionKind::CodeSpan, false);
                        i = end;
                    } else {
                        i += n;
                    }
                }
                b'<' => {
                    if let Some(end) = self.angle(i, limit) {
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                b']' if src.get(i + 1) == Some(&b'(') => {
                    let parens = parens.get_or_insert_with(|| Parens::new(src));
                    if let Some(end) = parens.end(i + 1, limit) {
                        let inner = &src[i + 2..end - 1];
                        let target = link_destination(inner);
                        self.add(i + 1..end, RegionKind::LinkTarget { target }, false);
                        i = end;
                    } else {
                        i += 2;
                    }
                }
                b'&' => {
                    if let Some(len) = entity_len(&src[i..limit]) {
                        self.add(i..i + len, RegionKind::Entity, false);
                        i += len;
                    } else {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
    }

    /// `<!-- … -->`, `<https://…>`, `<a href="…">` and other tags starting at `i`.
    fn angle(&mut self, i: usize, limit: usize) -> Option<usize> {
        let src = &self.src[..limit];
        let rest = &src[i..];
        if rest.starts_with(b"<!--") {
            let end = find(&rest[4..], b"-->").map_or(src.len(), |k| i + 4 + k + 3);
            let range = i..end;
            let block = self.spans_whole_lines(&range);
            self.add(range, RegionKind::HtmlComment, block);
            return Some(end);
        }
        let close = rest[1..]
            .iter()
            .position(|&b| b == b'>' || b == b'\n' || b == b'\r' || b == b'<')
            .map(|k| k + 1)
            .filter(|&k| k > 1 && rest[k] == b'>')?;
        let inner = &rest[1..close];
        let end = i + close + 1;
        let is_autolink = !inner.iter().any(|b| b.is_ascii_whitespace())
            && (find(inner, b"://").is_some() || (inner.contains(&b'@') && inner.contains(&b'.')));
        if is_autolink {
            self.add(i..end, RegionKind::Url, false);
            return Some(end);
        }
        let first = *inner.first()?;
        if first.is_ascii_alphabetic() || first == b'/' || first == b'!' {
            let href = tag_href(inner);
            let range = i..end;
            let block = self.spans_whole_lines(&range);
            self.add(range, RegionKind::HtmlTag { href }, block);
            return Some(end);
        }
        None
    }

    fn urls(&mut self) {
        let mut found = Vec::new();
        find_urls(&self.out, |m| {
            let end = m.start + trim_url_end(&self.out.as_bytes()[m.clone()]);
            found.push((m.start..end, RegionKind::Url));
        });
        // Every address has an @: most drafts have none, and then the pattern need not run.
        if memchr::memchr(b'@', self.out.as_bytes()).is_some() {
            for m in EMAIL.find_iter(self.out.as_bytes()) {
                found.push((m.range(), RegionKind::Email));
            }
        }
        for (range, kind) in found {
            if !range.is_empty() {
                self.add(range, kind, false);
            }
        }
    }
}

/// Leading whitespace in columns, a tab counting to the next multiple of four.
pub(crate) fn indent_columns(line: &[u8]) -> usize {
    let mut col = 0;
    for &b in line {
        match b {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// How a Markdown line bears on the list item that indented code is measured against (code
/// needs four columns more than the item's content): `Some(true)` it is an item, `Some(false)`
/// it ends any item's reach (text at the margin), `None` it leaves it (blank or indented).
pub(crate) fn list_reach(line: &[u8]) -> Option<bool> {
    if line[leading_spaces(line)..]
        .iter()
        .all(u8::is_ascii_whitespace)
    {
        None
    } else if list_item_content(line).is_some() {
        Some(true)
    } else {
        (indent_columns(line) == 0).then_some(false)
    }
}

/// The column where a list item's content starts (`- item` → 2, `12. item` → 4).
fn list_item_content(line: &[u8]) -> Option<usize> {
    let indent = leading_spaces(line);
    let rest = &line[indent..];
    let marker = match rest.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(rest.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let spaces = rest[marker..].iter().take_while(|&&b| b == b' ').count();
    (spaces >= 1 && rest.len() > marker + spaces).then_some(indent + marker + spaces)
}

fn trim_end(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    &line[..line.len() - n]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn fence_open(rest: &[u8]) -> Option<(u8, usize)> {
    let ch = *rest.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|&&b| b == ch).count();
    if n < 3 || (ch == b'`' && rest[n..].contains(&b'`')) {
        return None;
    }
    Some((ch, n))
}

/// `[label]: target` (CommonMark link reference definition, single line).
fn ref_definition(rest: &[u8]) -> Option<(String, String)> {
    if rest.first() != Some(&b'[') {
        return None;
    }
    let close = rest.iter().position(|&b| b == b']')?;
    if close < 2 || rest.get(close + 1) != Some(&b':') {
        return None;
    }
    let label = String::from_utf8_lossy(&rest[1..close])
        .trim()
        .to_lowercase();
    let target = link_destination(&rest[close + 2..]);
    if target.is_empty() {
        return None;
    }
    Some((label, target))
}

fn is_table_rule(rest: &[u8]) -> bool {
    let t = trim_end(rest);
    t.contains(&b'-')
        && t.contains(&b'|')
        && t.iter()
            .all(|&b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The backtick runs of a draft and its blank lines, to find where code spans close.
struct CodeSpans {
    /// Start of every maximal run of backticks, by run length.
    runs: std::collections::HashMap<usize, Vec<usize>>,
    /// Each blank line as the pair of line breaks around it (only whitespace between, of any
    /// kind: the lines paragraphs end at, and the incremental engine cuts after); a line break
    /// is a LF, a CRLF (at its LF) or a lone CR.
    blank: Vec<(usize, usize)>,
}

impl CodeSpans {
    fn new(src: &[u8]) -> Self {
        let mut runs: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        let mut blank = Vec::new();
        let mut last_lf: Option<usize> = None;
        let mut i = 0;
        while i < src.len() {
            // Outside a run of whitespace that follows a line break, only a backtick or a line
            // break matters: skipped to in one scan.
            if last_lf.is_none() {
                match memchr::memchr3(b'`', b'\n', b'\r', &src[i..]) {
                    Some(k) => i += k,
                    None => break,
                }
            }
            match src[i] {
                b'`' => {
                    let n = src[i..].iter().take_while(|&&b| b == b'`').count();
                    runs.entry(n).or_default().push(i);
                    last_lf = None;
                    i += n;
                    continue;
                }
                b'\r' if src.get(i + 1) == Some(&b'\n') => {}
                b'\n' | b'\r' => {
                    if let Some(p) = last_lf {
                        blank.push((p, i));
                    }
                    last_lf = Some(i);
                }
                b' ' | b'\t' | b'\x0b' | b'\x0c' => {}
                // A line of no-break or ideographic spaces is blank too (found by the
                // `incremental_edits` fuzzer: a span ran over a form-feed line, where the engine
                // cut the draft).
                0x80.. if last_lf.is_some() => match char_at(src, i) {
                    Some(c) if c.is_whitespace() => {
                        i += c.len_utf8();
                        continue;
                    }
                    _ => last_lf = None,
                },
                _ => last_lf = None,
            }
            i += 1;
        }
        CodeSpans { runs, blank }
    }

    /// The end (exclusive) of a code span whose opening run of `n` backticks ends at `from`: the
    /// next run of exactly `n` backticks before `limit`; a span never crosses a blank line.
    fn end(&self, from: usize, n: usize, limit: usize) -> Option<usize> {
        let k = self.blank.partition_point(|&(p, _)| p < from);
        let bound = self.blank.get(k).map_or(limit, |&(_, q)| q.min(limit));
        let starts = self.runs.get(&n)?;
        let start = *starts.get(starts.partition_point(|&s| s < from))?;
        (start < bound).then_some(start + n)
    }
}

/// The character that starts at byte `i` of UTF-8 text.
fn char_at(src: &[u8], i: usize) -> Option<char> {
    let len = match src[i] {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    std::str::from_utf8(src.get(i..i + len)?)
        .ok()?
        .chars()
        .next()
}

/// Where each parenthesis of a draft closes, and where its line feeds are.
struct Parens {
    /// (opening, closing) byte offsets, sorted by opening.
    pairs: Vec<(usize, usize)>,
    newlines: Vec<usize>,
}

impl Parens {
    fn new(src: &[u8]) -> Self {
        let mut stack = Vec::new();
        let mut pairs = Vec::new();
        let mut newlines = Vec::new();
        for (i, &b) in src.iter().enumerate() {
            match b {
                b'(' => stack.push(i),
                b')' => {
                    if let Some(open) = stack.pop() {
                        pairs.push((open, i));
                    }
                }
                b'\n' => newlines.push(i),
                // A lone CR breaks a line too (a CRLF counts once, at its LF).
                b'\r' if src.get(i + 1) != Some(&b'\n') => newlines.push(i),
                _ => {}
            }
        }
        pairs.sort_unstable();
        Parens { pairs, newlines }
    }

    /// The end (exclusive) of a parenthesised link destination opening at `open`, before
    /// `limit`; a destination spans at most two lines.
    fn end(&self, open: usize, limit: usize) -> Option<usize> {
        let k = self.pairs.binary_search_by_key(&open, |&(o, _)| o).ok()?;
        let close = self.pairs[k].1;
        if close >= limit {
            return None;
        }
        let lines = self.newlines.partition_point(|&n| n < close)
            - self.newlines.partition_point(|&n| n < open);
        (lines <= 1).then_some(close + 1)
    }
}

/// The destination of `(dest "title")` or `[label]: dest "title"`, without brackets or title.
fn link_destination(inner: &[u8]) -> String {
    let s = String::from_utf8_lossy(inner);
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('<') {
        return rest.split('>').next().unwrap_or("").trim().to_string();
    }
    s.split_whitespace().next().unwrap_or("").to_string()
}

fn tag_href(inner: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(inner);
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("a ") || lower.starts_with("a\t")) {
        return None;
    }
    let at = lower.find("href")?;
    let rest = s[at + 4..].trim_start().strip_prefix('=')?.trim_start();
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next().unwrap_or(""),
        _ => rest
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or(""),
    };
    Some(value.trim().to_string())
}

fn entity_len(rest: &[u8]) -> Option<usize> {
    let body = &rest[1..];
    let (digits, start): (fn(&u8) -> bool, usize) =
        if body.starts_with(b"#x") || body.starts_with(b"#X") {
            (u8::is_ascii_hexdigit, 2)
        } else if body.starts_with(b"#") {
            (u8::is_ascii_digit, 1)
        } else {
            (u8::is_ascii_alphanumeric, 0)
        };
    let n = body[start..]
        .iter()
        .take(32)
        .take_while(|b| digits(b))
        .count();
    if n == 0 || body.get(start + n) != Some(&b';') {
        return None;
    }
    if start == 0 && !body[0].is_ascii_alphabetic() {
        return None;
    }
    Some(1 + start + n + 1)
}

/// How many bytes of a URL match to keep: trailing sentence punctuation and unbalanced closing
/// brackets belong to the prose around the URL.
fn trim_url_end(url: &[u8]) -> usize {
    let mut end = url.len();
    // Counted once: recounting for each trimmed `)` made `www.a))))…` quadratic.
    let opening = url.iter().filter(|&&b| b == b'(').count();
    let mut closing = url.iter().filter(|&&b| b == b')').count();
    loop {
        let s = &url[..end];
        let Some(&last) = s.last() else { return 0 };
        let trailing_punct = matches!(
            last,
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b'\'' | b'*' | b'_' | b'~'
        );
        let unbalanced_paren = last == b')' && opening < closing;
        let non_ascii_tail = last >= 0x80;
        if trailing_punct || unbalanced_paren {
            if last == b')' {
                closing -= 1;
            }
            end -= 1;
        } else if non_ascii_tail {
            // Drop a trailing non-ASCII character (», ’, …) whole.
            let mut k = end - 1;
            while k > 0 && (url[k] & 0xC0) == 0x80 {
                k -= 1;
            }
            let ch = std::str::from_utf8(&url[k..end])
                .ok()
                .and_then(|c| c.chars().next());
            if ch.is_some_and(|c| !c.is_alphanumeric()) {
                end = k;
            } else {
                return end;
            }
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, md: bool) -> String {
        mask(text, md).text
    }

    #[test]
    fn line_ranges_end_at_every_kind_of_break() {
        let text = b"a\r\nb\rc\n\r\n\r\rd\n";
        let lines: Vec<&[u8]> = line_ranges(text).into_iter().map(|r| &text[r]).collect();
        let expected: Vec<&[u8]> = vec![b"a", b"b", b"c", b"", b"", b"", b"d", b""];
        assert_eq!(lines, expected);
        assert_eq!(line_ranges(b""), vec![0..0]);
        assert_eq!(line_ranges(b"\r"), vec![0..0, 1..1]);
    }

    #[test]
    fn keeps_byte_length_and_newlines() {
        let text = "Voir `code « x »` ici\n```\n« bloc »\n```\nfin é";
        let m = masked(text, true);
        assert_eq!(m.len(), text.len());
        assert_eq!(m, "Voir xxxxxxxxxxxxxx ici\n   \n          \n   \nfin é");
    }

    #[test]
    fn next_byte_finds_what_a_plain_search_finds() {
        let src = b"a`b<c]d&&e]]f``g<h]i";
        let plain = |from: usize| {
            (from..src.len())
                .find(|&k| matches!(src[k], b'`' | b'<' | b'&'))
                .unwrap_or(usize::MAX)
        };
        // Offsets that go forward by one, jump, and stand still, as the inline pass's do.
        for step in 1..=4 {
            let mut next = NextByte::new(|hay| memchr::memchr3(b'`', b'<', b'&', hay));
            let mut from = 0;
            while from < src.len() {
                assert_eq!(next.at(src, from), plain(from), "from {from}, step {step}");
                assert_eq!(next.at(src, from), plain(from), "again from {from}");
                from += step;
            }
        }
    }

    #[test]
    fn inline_openers_are_found_after_long_plain_runs() {
        // Masking skips from opener to opener: each kind still found after a run without any.
        let plain = "mot ".repeat(300);
        let text = format!("{plain}`code`{plain}<!-- c -->{plain}[l](https://x.fr){plain}&amp;");
        let x = |n: usize| "x".repeat(n);
        let expected = format!(
            "{plain}{}{plain}{}{plain}[l]{}{plain}{}",
            x(6),
            x(10),
            x(14),
            x(5)
        );
        assert_eq!(masked(&text, true), expected);
    }

    #[test]
    fn urls_are_found_where_the_pattern_finds_them() {
        let pattern = Regex::new(r"(?i-u:\b(?:https?://|ftp://|www\.))[^\s<>\x22«»“”]+")
            .expect("URL pattern");
        let pieces = [
            "http", "HTTPS", "hTtp", "ftp", "FTP", "s", "://", ":/", "/", ":", "www", "WwW", "w",
            ".", "x", "é", "_", "7", " ", "\u{a0}", "\u{202f}", "\u{3000}", "\n", "\t", "«", "»",
            "“", "”", "‘", "\"", "<", ">", "’", "(", ")", "?", "=", "&",
        ];
        // A small deterministic generator: the same drafts on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut matched = 0;
        for _ in 0..200_000 {
            let len = 1 + next(14);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let expected: Vec<Range<usize>> = pattern
                .find_iter(text.as_bytes())
                .map(|m| m.range())
                .collect();
            let mut got = Vec::new();
            find_urls(&text, |r| got.push(r));
            assert_eq!(got, expected, "{text:?}");
            matched += got.len();
        }
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn urls_are_masked_without_trailing_punctuation() {
        let m = masked("Voir https://exemple.fr/a?b=1 : oui.", false);
        assert_eq!(m, "Voir xxxxxxxxxxxxxxxxxxxxxxxx : oui.");
        let m = masked("(www.exemple.fr).", false);
        assert_eq!(m, "(xxxxxxxxxxxxxx).");
    }

    #[test]
    fn urls_end_at_unicode_spaces_and_quotation_marks() {
        // Found by the `analyze` fuzzer: the URL swallowed `\u{a0}»`, so the fix that put the
        // no-break space there turned the closing guillemet into a stray one.
        let m = masked("http://x.fr«\u{a0}a\u{a0}» b", false);
        assert_eq!(m, "xxxxxxxxxxx«\u{a0}a\u{a0}» b");
        let m = masked("Voir https://j.fr/a\u{202f}; et «www.j.fr»", false);
        assert_eq!(m, "Voir xxxxxxxxxxxxxx\u{202f}; et «xxxxxxxx»");
    }

    #[test]
    fn emails_are_masked() {
        assert_eq!(
            masked("Écrire à redaction@journal.fr ;", false),
            "Écrire à xxxxxxxxxxxxxxxxxxxx ;"
        );
    }

    #[test]
    fn link_targets_and_reference_definitions() {
        let m = mask(
            "Lire [l'article](https://a.fr/x \"titre\") :\n\n[ref]: https://b.fr\n",
            true,
        );
        assert_eq!(
            m.text,
            "Lire [l'article]xxxxxxxxxxxxxxxxxxxxxxxx :\n\n                   \n"
        );
        assert!(m.regions.iter().any(|r| r.kind
            == RegionKind::LinkTarget {
                target: "https://a.fr/x".into()
            }));
        assert!(m.regions.iter().any(|r| r.kind
            == RegionKind::RefDefinition {
                label: "ref".into(),
                target: "https://b.fr".into()
            }));
    }

    #[test]
    fn front_matter_comments_and_tags() {
        let text = "---\ntitle: \"x\"\n---\n<!-- note -->\nUn <a href=\"/x\">lien</a>.";
        let m = mask(text, true);
        assert_eq!(
            m.text,
            "   \n          \n   \n             \nUn xxxxxxxxxxxxxlienxxxx."
        );
        assert!(m.regions.iter().any(|r| r.kind
            == RegionKind::HtmlTag {
                href: Some("/x".into())
            }));
    }

    #[test]
    fn indented_code_blocks() {
        let text = "Texte :\n\n    code « x » ; y\n    encore\n\nSuite.\n    pas du code\n";
        assert_eq!(
            masked(text, true),
            "Texte :\n\n                    \n          \n\nSuite.\n    pas du code\n"
        );
        // In a list item, indentation continues the item; code needs four more columns.
        let text = "- point\n\n    suite « x »\n\n        code\n";
        assert_eq!(
            masked(text, true),
            "- point\n\n    suite « x »\n\n            \n"
        );
    }

    #[test]
    fn plain_text_keeps_markdown_syntax() {
        assert_eq!(masked("a `b` <!-- c -->", false), "a `b` <!-- c -->");
    }

    #[test]
    fn unclosed_marks_cost_a_lookup_not_a_scan() {
        // Each of these used to scan to the end of the draft for every mark: quadratic.
        let n = 50_000;
        let t = crate::thread_cpu_time();
        let text = "a](b ".repeat(n);
        assert_eq!(masked(&text, true), text);
        let text = format!("www.a{}", ")".repeat(n));
        assert_eq!(masked(&text, false), format!("xxxxx{}", ")".repeat(n)));
        let mut text = String::new();
        for k in 1..300 {
            text.push_str(&"`".repeat(k));
            text.push('a');
        }
        assert_eq!(masked(&text, true), text);
        let used = crate::thread_cpu_time() - t;
        assert!(used.as_secs_f64() < 2.0, "{used:?} of CPU");
    }

    #[test]
    fn code_spans_and_link_targets_as_before() {
        assert_eq!(
            masked("``a`b`` `c` `d\n\ne` [x](y)", true),
            "xxxxxxx xxx `d\n\ne` [x]xxx"
        );
        assert_eq!(
            masked("[x](a\nb) [y](a\nb\nc)", true),
            "[x]xx\nxx [y](a\nb\nc)"
        );
        assert_eq!(masked("[x](a(b)c) [y](a(b)", true), "[x]xxxxxxx [y](a(b)");
        // The first backtick meets a blank line; the second pairs with the third.
        assert_eq!(masked("`a\n \t\nb` `c\n d`", true), "`a\n \t\nbxxxc\n d`");
    }

    #[test]
    fn lone_carriage_returns_break_lines_for_code_spans_and_links() {
        // Found by the `incremental_edits` fuzzer: a code span ran over a blank line written
        // with CRs only, where paragraphs (and the incremental engine's cuts) end.
        assert_eq!(masked("`a\r\rb`", true), "`a\r\rb`");
        assert_eq!(masked("`a\r\n\r\nb`", true), "`a\r\n\r\nb`");
        assert_eq!(masked("`a\rb`", true), "xx\rxx");
        assert_eq!(masked("[y](a\rb\rc)", true), "[y](a\rb\rc)");
        assert_eq!(masked("[x](a\r\nb)", true), "[x]xx\r\nxx");
    }

    #[test]
    fn a_line_of_any_whitespace_ends_code_spans() {
        // Found by the `incremental_edits` fuzzer: a code span ran over a form-feed line,
        // which ends a paragraph and where the incremental engine cut the draft.
        for blank in ["\u{c}", "\u{b}", " \u{a0}", "\u{3000}", "\u{2028}"] {
            let text = format!("`a\n{blank}\nb`");
            assert_eq!(masked(&text, true), text, "{blank:?}");
        }
        // A line holding anything else does not.
        assert_eq!(masked("`a\n\u{a0}é\nb`", true), "xx\nxxxx\nxx");
    }

    #[test]
    fn fill_keeps_offsets_line_breaks_and_utf8() {
        let mut t = String::from("é« x\r\n»ü ");
        let n = t.len();
        fill(&mut t, 0..n, b'x');
        assert_eq!(t, "xxxxxx\r\nxxxxx");
        // A range that starts or ends inside a character takes in the whole character.
        let mut t = String::from("aé«b");
        fill(&mut t, 2..4, b' ');
        assert_eq!(t, "a    b");
        assert_eq!(t.len(), "aé«b".len());
        // Longer than the filler's own length, with characters across its boundaries.
        let long = "ça ".repeat(100);
        let mut t = long.clone();
        fill(&mut t, 2..long.len() - 1, b' ');
        assert_eq!(t.len(), long.len());
        assert!(t.starts_with('ç') && t.ends_with(' ') && t[2..].trim().is_empty());
    }

    #[test]
    fn entities() {
        assert_eq!(masked("a&nbsp;: b &#8239;!", true), "axxxxxx: b xxxxxxx!");
    }
}
