//! Quotation marks and the quotations they delimit.
//!
//! Marks are paired paragraph by paragraph with a stack, so nesting is known. A quotation
//! left open at the end of a paragraph whose next paragraph reopens with the same kind of mark
//! (`«`, or `»` as French typesetters do; `“` in English) runs on: it is one quotation over
//! several paragraphs, not an unbalanced one. Apostrophes (`l’offre`, `players’`) are told
//! apart from single quotation marks by their neighbours.

use std::ops::Range;

/// Which marks delimit a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `« … »`
    Guillemets,
    /// `“ … ”`
    Double,
    /// `‘ … ’`
    Single,
    /// `" … "`
    Straight,
    /// `<< … >>`, typed for guillemets on a keyboard without them.
    Ascii,
}

impl Style {
    pub const ALL: [Style; 5] = [
        Style::Guillemets,
        Style::Double,
        Style::Single,
        Style::Straight,
        Style::Ascii,
    ];

    pub fn marks(self) -> (&'static str, &'static str) {
        match self {
            Style::Guillemets => ("«", "»"),
            Style::Double => ("“", "”"),
            Style::Single => ("‘", "’"),
            Style::Straight => ("\"", "\""),
            Style::Ascii => ("<<", ">>"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pub style: Style,
    /// The opening mark (for a continuation, the mark that reopens the paragraph).
    pub open: Range<usize>,
    /// The closing mark; `None` when the quotation is not closed in its paragraph.
    pub close: Option<Range<usize>>,
    /// Index of the enclosing quotation, if nested.
    pub parent: Option<usize>,
    pub depth: usize,
    /// Index of the paragraph holding this quotation (or this part of it).
    pub paragraph: usize,
    /// This part continues the previous paragraph's quotation (index of that part).
    pub continues: Option<usize>,
    /// The quotation runs on into the next paragraph.
    pub runs_on: bool,
}

impl Quotation {
    /// The quoted words, between the marks (to the end of the paragraph if unclosed).
    pub fn inner(&self, paragraph_end: usize) -> Range<usize> {
        self.open.end..self.close.as_ref().map_or(paragraph_end, |c| c.start)
    }

    /// From the opening mark to the closing mark, both included.
    pub fn outer(&self, paragraph_end: usize) -> Range<usize> {
        self.open.start..self.close.as_ref().map_or(paragraph_end, |c| c.end)
    }

    /// Open at the end of its paragraph and not carried on to the next one.
    pub fn is_unclosed(&self) -> bool {
        self.close.is_none() && !self.runs_on
    }
}

#[derive(Debug, Clone, Default)]
pub struct Quotes {
    pub quotations: Vec<Quotation>,
    /// Closing marks that close nothing.
    pub strays: Vec<(Range<usize>, Style)>,
}

impl Quotes {
    /// Whether a `»` at `at` in `prose` reopens a paragraph that continues a quotation: it
    /// faces the quotation's words, like a `«`. (Quotations are in order of their openings.)
    pub fn reopens_at(&self, prose: &str, at: usize) -> bool {
        let k = self.quotations.partition_point(|q| q.open.start < at);
        self.quotations.get(k).is_some_and(|q| {
            q.open.start == at && q.continues.is_some() && prose[q.open.clone()] == *"»"
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open(Style),
    Close(Style),
    /// `"`: opens or closes depending on what is open.
    Straight,
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// The role of the mark `c` at byte `i` of `text`, given its neighbours.
fn role(c: char, prev: Option<char>, next: Option<char>, text: &str, i: usize) -> Option<Role> {
    Some(match c {
        '«' => Role::Open(Style::Guillemets),
        '»' => Role::Close(Style::Guillemets),
        '“' => Role::Open(Style::Double),
        '”' => Role::Close(Style::Double),
        '‘' => {
            // ‘90s is an elision, l‘offre a mistyped apostrophe.
            if is_space(next) || next.is_some_and(|n| n.is_ascii_digit()) || is_word(prev) {
                return None;
            }
            Role::Open(Style::Single)
        }
        '’' => {
            if is_word(prev) && is_word(next) || is_space(prev) {
                return None;
            }
            Role::Close(Style::Single)
        }
        '"' => {
            // 12" is a measure, not a quotation mark.
            if prev.is_some_and(|p| p.is_ascii_digit()) && !is_word(next) {
                return None;
            }
            Role::Straight
        }
        '<' if exactly_doubled(text, i) => Role::Open(Style::Ascii),
        '>' if exactly_doubled(text, i) => Role::Close(Style::Ascii),
        _ => return None,
    })
}

/// Whether the opening (`open`) or closing mark of `style`, set between `prev` and `next`, reads
/// as that mark: `’` between two letters is an apostrophe, `‘` before a space a stray mark.
/// Fixes that write marks check this, or the quotation they fix would come apart.
pub(crate) fn reads_as(style: Style, open: bool, prev: Option<char>, next: Option<char>) -> bool {
    let (o, c) = style.marks();
    let mark = if open { o } else { c };
    match mark.chars().next() {
        // `<<` and `>>` depend on the marks around them, not on letters.
        Some(ch) if style != Style::Ascii => {
            let want = if open {
                Role::Open(style)
            } else {
                Role::Close(style)
            };
            role(ch, prev, next, mark, 0) == Some(want)
        }
        _ => true,
    }
}

/// Whether `c` reads the same (as an opening or closing mark, or as no mark) between the
/// neighbours `before` as between `after`: a fix that removes the space after `‘` turns a stray
/// mark into an opening one.
pub(crate) fn same_reading(
    c: char,
    before: (Option<char>, Option<char>),
    after: (Option<char>, Option<char>),
) -> bool {
    // `<<` and `>>` depend on the marks around them, which fixes do not touch.
    matches!(c, '<' | '>') || role(c, before.0, before.1, "", 0) == role(c, after.0, after.1, "", 0)
}

/// Whether the ASCII character at `i` starts a pair of it, not a longer run (`<<`, not `<<<`).
fn exactly_doubled(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let c = b[i];
    b.get(i + 1) == Some(&c) && b.get(i + 2) != Some(&c) && (i == 0 || b[i - 1] != c)
}

/// Whether `c` reopens a paragraph that continues a quotation of `style`.
fn reopens(style: Style, c: char) -> bool {
    match style {
        Style::Guillemets => c == '«' || c == '»',
        Style::Double => c == '“',
        Style::Single => c == '‘',
        Style::Straight => c == '"',
        Style::Ascii => false,
    }
}

/// The quotations open at a point of a paragraph, innermost last, with how many of each style
/// are open: a closing mark that matches nothing is known at once, without scanning the stack,
/// so a paragraph of a million unmatched marks stays linear.
#[derive(Default)]
struct Stack {
    items: Vec<usize>,
    open: [usize; 5],
}

fn slot(style: Style) -> usize {
    match style {
        Style::Guillemets => 0,
        Style::Double => 1,
        Style::Single => 2,
        Style::Straight => 3,
        Style::Ascii => 4,
    }
}

impl Stack {
    fn push(&mut self, q: usize, style: Style) {
        self.items.push(q);
        self.open[slot(style)] += 1;
    }

    fn has(&self, style: Style) -> bool {
        self.open[slot(style)] > 0
    }

    /// Drops the quotations from `pos` up (each is dropped once, so this is linear overall).
    fn truncate(&mut self, pos: usize, quotations: &[Quotation]) {
        for &q in &self.items[pos..] {
            self.open[slot(quotations[q].style)] -= 1;
        }
        self.items.truncate(pos);
    }
}

/// Whether writing `mark` in place of quotation `q`'s opening mark would reopen a quotation left
/// open by the paragraph before, which would then run on into `q`'s paragraph: a fix that
/// changes how the draft's marks pair. (Any quotation left unclosed there counts: a little
/// wider than what [`scan`] carries over, never narrower.)
pub(crate) fn would_reopen(
    quotes: &Quotes,
    text: &str,
    paragraphs: &[Range<usize>],
    q: &Quotation,
    mark: &str,
) -> bool {
    let (p, Some(mark)) = (q.paragraph, mark.chars().next()) else {
        return false;
    };
    if p == 0 || first_char(text, &paragraphs[p]).map(|(at, _)| at) != Some(q.open.start) {
        return false;
    }
    let qs = &quotes.quotations;
    let from = qs.partition_point(|x| x.paragraph < p - 1);
    qs[from..]
        .iter()
        .take_while(|x| x.paragraph == p - 1)
        .any(|x| x.close.is_none() && reopens(x.style, mark))
}

fn first_char(text: &str, para: &Range<usize>) -> Option<(usize, char)> {
    let s = &text[para.clone()];
    let lead = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == '>' || c == '*' || c == '_')
            .len();
    s[lead..].chars().next().map(|c| (para.start + lead, c))
}

/// Pairs the quotation marks of the (masked) draft, paragraph by paragraph.
pub fn scan(text: &str, paragraphs: &[Range<usize>]) -> Quotes {
    let mut out = Quotes::default();
    let mut carry: Option<usize> = None;
    // One stack for the whole draft, emptied at each paragraph (its memory kept).
    let mut stack = Stack::default();
    for (p, para) in paragraphs.iter().enumerate() {
        stack.items.clear();
        stack.open = [0; 5];
        let start = first_char(text, para);
        // A paragraph that reopens the quotation left open by the previous one.
        if let (Some(prev), Some((at, c))) = (carry.take(), start) {
            let style = out.quotations[prev].style;
            if reopens(style, c) {
                let idx = out.quotations.len();
                out.quotations.push(Quotation {
                    style,
                    open: at..at + c.len_utf8(),
                    close: None,
                    parent: None,
                    depth: 0,
                    paragraph: p,
                    continues: Some(prev),
                    runs_on: false,
                });
                stack.push(idx, style);
            }
        }
        let skip_first = !stack.items.is_empty();
        let s = &text[para.clone()];
        let bytes = s.as_bytes();
        let mut i = 0;
        // `<` and `>` are rare in prose: their next position is looked for apart. Each next
        // position is kept until passed (looked for again at every mark, a paragraph of `<`
        // without `"` read to its end each time: quadratic).
        let mut next_angle = 0;
        let mut next_other = 0;
        while i < bytes.len() {
            // Fast path: every mark starts with one of these bytes (never a continuation
            // byte), so jump to the next one (memchr reads many bytes at a time); the
            // character before it is read when needed.
            if next_angle < i {
                next_angle =
                    memchr::memchr2(b'<', b'>', &bytes[i..]).map_or(bytes.len(), |k| i + k);
            }
            if next_other < i {
                next_other =
                    memchr::memchr3(b'"', 0xC2, 0xE2, &bytes[i..]).map_or(bytes.len(), |k| i + k);
            }
            i = next_other.min(next_angle);
            if i >= bytes.len() {
                break;
            }
            // U+00A0–U+00BF and U+2000–U+203F hold only a few marks: « » and ‘ ’ “ ”.
            match bytes[i] {
                0xC2 if !matches!(bytes.get(i + 1), Some(0xAB | 0xBB)) => {
                    i += 2;
                    continue;
                }
                0xE2 if !(bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0x98..=0x9D))) =>
                {
                    i += 3;
                    continue;
                }
                _ => {}
            }
            let prev = s[..i].chars().next_back();
            let c = s[i..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            let at = para.start + i;
            if skip_first && Some(at) == start.map(|(a, _)| a) {
                i += len;
                continue;
            }
            let next = s[i + len..].chars().next();
            if let Some(r) = role(c, prev, next, s, i) {
                let mark_len = if matches!(c, '<' | '>') { 2 } else { len };
                let mark = at..at + mark_len;
                match r {
                    Role::Open(style) => open(&mut out, &mut stack, style, mark, p),
                    Role::Close(style) => close(&mut out, &mut stack, style, mark),
                    Role::Straight => {
                        if stack.has(Style::Straight) {
                            close(&mut out, &mut stack, Style::Straight, mark);
                        } else {
                            open(&mut out, &mut stack, Style::Straight, mark, p);
                        }
                    }
                }
                i += mark_len;
                continue;
            }
            i += len;
        }
        // What is still open at the end of the paragraph: the outermost may run on.
        if let Some(&outer) = stack.items.first() {
            let style = out.quotations[outer].style;
            let next = paragraphs.get(p + 1).and_then(|n| first_char(text, n));
            if next.is_some_and(|(_, c)| reopens(style, c)) {
                out.quotations[outer].runs_on = true;
                carry = Some(outer);
            }
        }
    }
    // An unclosed `<<` is more likely an arrow or a shift than a quotation.
    let is_dropped = |q: &Quotation| q.style == Style::Ascii && q.close.is_none();
    if out.quotations.iter().any(is_dropped) {
        let dropped: Vec<bool> = out.quotations.iter().map(is_dropped).collect();
        let mut new_index = Vec::with_capacity(dropped.len());
        let mut n = 0;
        for &d in &dropped {
            new_index.push(if d { None } else { Some(n) });
            if !d {
                n += 1;
            }
        }
        let old = std::mem::take(&mut out.quotations);
        for (k, mut q) in old.into_iter().enumerate() {
            if dropped[k] {
                continue;
            }
            q.parent = q.parent.and_then(|x| new_index[x]);
            q.continues = q.continues.and_then(|x| new_index[x]);
            out.quotations.push(q);
        }
    }
    out
}

fn open(out: &mut Quotes, stack: &mut Stack, style: Style, mark: Range<usize>, paragraph: usize) {
    let parent = stack.items.last().copied();
    out.quotations.push(Quotation {
        style,
        open: mark,
        close: None,
        parent,
        depth: stack.items.len(),
        paragraph,
        continues: None,
        runs_on: false,
    });
    stack.push(out.quotations.len() - 1, style);
}

fn close(out: &mut Quotes, stack: &mut Stack, style: Style, mark: Range<usize>) {
    let found = if stack.has(style) {
        stack
            .items
            .iter()
            .rposition(|&q| out.quotations[q].style == style)
    } else {
        None
    };
    match found {
        Some(pos) => {
            let q = stack.items[pos];
            // Anything opened inside and not closed stays unclosed.
            stack.truncate(pos, &out.quotations);
            out.quotations[q].close = Some(mark);
        }
        // An unmatched `’` is an apostrophe (the players’ union), `>>` an arrow.
        None if style == Style::Ascii || style == Style::Single => {}
        None => out.strays.push((mark, style)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prose::mask::line_ranges;
    use crate::prose::paragraphs;

    fn scan_text(text: &str) -> Quotes {
        let paras = paragraphs(text, &line_ranges(text.as_bytes()), &[], false);
        scan(text, &paras)
    }

    #[test]
    fn pairs_and_nesting() {
        let q = scan_text("« Il a dit “non” hier », selon elle.");
        assert_eq!(q.quotations.len(), 2);
        assert_eq!(q.quotations[1].parent, Some(0));
        assert_eq!(q.quotations[1].style, Style::Double);
        assert!(q.quotations.iter().all(|x| x.close.is_some()));
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let q = scan_text("L’offre d’aujourd’hui, l'été, the players’ union, the ‘90s.");
        assert!(q.quotations.is_empty());
        assert!(q.strays.is_empty());
    }

    #[test]
    fn single_quotes_with_inner_apostrophe() {
        let q = scan_text("He said: ‘It’s over’ and left.");
        assert_eq!(q.quotations.len(), 1);
        assert!(q.quotations[0].close.is_some());
    }

    #[test]
    fn straight_quotes_toggle() {
        let q = scan_text("He said \"yes\" and \"no\" then \"maybe.");
        assert_eq!(q.quotations.len(), 3);
        assert!(q.quotations[2].is_unclosed());
        let q = scan_text("A 12\" screen.");
        assert!(q.quotations.is_empty());
    }

    #[test]
    fn multi_paragraph_french_quotation_runs_on() {
        let text = "« Premier paragraphe sans fermeture.\n\n« Deuxième, toujours ouvert.\n\n» Et la fin », conclut-il.";
        let q = scan_text(text);
        assert_eq!(q.quotations.len(), 3);
        assert!(q.quotations[0].runs_on && q.quotations[1].runs_on);
        assert_eq!(q.quotations[2].continues, Some(1));
        assert!(q.quotations[2].close.is_some());
        assert!(q.strays.is_empty());
    }

    #[test]
    fn unclosed_and_stray() {
        let q = scan_text("« Ouvert.\nFermé » ici.");
        assert!(q.quotations[0].is_unclosed());
        assert_eq!(q.strays.len(), 1);
    }

    #[test]
    fn unmatched_closing_marks_under_a_deep_stack_stay_linear() {
        // 20,000 open “ then 20,000 », each » used to scan the whole stack: seconds; now
        // milliseconds. Same for straight quotes under a deep stack of guillemets.
        let n = 20_000;
        let t = crate::thread_cpu_time();
        let q = scan_text(&("“".repeat(n) + &"»".repeat(n)));
        assert_eq!(q.strays.len(), n);
        let q = scan_text(&("«".repeat(n) + &"\"".repeat(n)));
        assert_eq!(q.quotations.len(), n + n / 2);
        let used = crate::thread_cpu_time() - t;
        assert!(used.as_secs_f64() < 2.0, "{used:?} of CPU");
    }

    #[test]
    fn ascii_guillemets_pair_but_arrows_alone_do_not() {
        let q = scan_text("Il a dit <<bonjour>>. Et a << b.");
        assert_eq!(q.quotations.len(), 1);
        assert_eq!(q.quotations[0].style, Style::Ascii);
    }
}
