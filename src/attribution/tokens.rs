//! Words and marks of a paragraph, as the attribution engine reads them.
//!
//! Elided articles and pronouns are split off (`l'AFP` → `l'` `AFP`), inverted subject
//! pronouns are recognised on their verb (`a-t-il` → `a` + `il`), quotation marks become
//! tokens that name their quotation, and Markdown emphasis marks and masked filler vanish.

use crate::quotes::Quotation;
use std::borrow::Cow;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// Punctuation that matters to syntax: `, ; : . ! ? … ( ) —` (a lone hyphen counts as a dash).
    Punct(char),
    /// The opening mark of quotation `n` (index into `Quotes::quotations`; a `u32`, so that a
    /// kind takes 8 bytes and a token 72, not 80: the engine writes one per word).
    Open(u32),
    /// The closing mark of quotation `n`.
    Close(u32),
}

/// A subject pronoun written after its verb: `dit-il`, `a-t-elle`, `peut-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inverted {
    Il,
    Elle,
    Ils,
    Elles,
    On,
    /// `je`, `nous`, `vous`: never a speaker.
    Person12,
}

#[derive(Debug, Clone)]
pub struct Token<'t> {
    pub range: Range<usize>,
    pub kind: Kind,
    /// The word as written (for a word with an inverted pronoun, without it).
    pub text: &'t str,
    /// Lower-cased `text`, apostrophes normalised to `'`.
    pub lower: Cow<'t, str>,
    /// Starts with a capital letter.
    pub cap: bool,
    pub inverted: Option<Inverted>,
    /// How many quotations enclose this token (0: the journalist's own words).
    pub depth: u32,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    pub fn is(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.lower == word
    }
}

/// Words that elide their vowel before another word (`l'`, `qu'`).
const ELIDING: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_word_char(c: char) -> bool {
    let n = c as u32;
    if n < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    // Latin-1 and Latin Extended letters (à, é, œ, ł…) without the Unicode tables.
    if (0xC0..=0x24F).contains(&n) {
        return n != 0xD7 && n != 0xF7;
    }
    // The rest of Latin-1 (no-break space, « », ©, °…): the few letters and digits in it.
    if n < 0xC0 {
        return matches!(n, 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE);
    }
    // General punctuation (’ “ ” – — … and the spaces) holds no letter or digit: the
    // apostrophe and the quotation marks are common, and the Unicode tables are slow.
    if (0x2000..=0x206F).contains(&n) {
        return false;
    }
    c.is_alphanumeric()
}

/// Whether `c` is a capital letter: Latin-1 (À–Þ but ×, the common case) without the Unicode
/// tables, beyond it as Unicode says.
fn is_capital(c: char) -> bool {
    match c as u32 {
        n @ 0..=0xFF => c.is_ascii_uppercase() || (0xC0..=0xDE).contains(&n) && n != 0xD7,
        _ => c.is_uppercase(),
    }
}

/// Whether `word` starts with a capital letter.
fn starts_with_capital(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => word.chars().next().is_some_and(is_capital),
    }
}

/// Some paragraphs of a draft with their ASCII capitals lower-cased, one after another.
/// [`tokenize_lowered`] borrows a word's lower case from a paragraph's part when the word has
/// no non-ASCII character but lower-case Latin-1 letters (`é`, `ç`: the common case), instead
/// of allocating one. Only the paragraphs asked for are copied: on a draft of megabytes, a
/// copy of the whole draft is megabytes of fresh memory written for every analysis.
pub struct Lowered<'p> {
    text: String,
    /// Where each paragraph's copy starts in `text`, by paragraph (`usize::MAX`: not copied).
    at: Vec<usize>,
    paragraphs: &'p [Range<usize>],
}

impl<'p> Lowered<'p> {
    /// Lower-cases the paragraphs of `text` for which `wanted` is true (one that is not on
    /// `text`'s character boundaries is left out: its words lower-case themselves).
    pub fn new(text: &str, paragraphs: &'p [Range<usize>], wanted: &[bool]) -> Lowered<'p> {
        let copied = || {
            paragraphs
                .iter()
                .zip(wanted)
                .enumerate()
                .filter(|(_, (_, w))| **w)
                .map(|(pi, (r, _))| (pi, r))
        };
        let bytes = copied().map(|(_, r)| r.len()).sum();
        let mut lowered = Lowered {
            text: String::with_capacity(bytes),
            at: vec![usize::MAX; paragraphs.len()],
            paragraphs,
        };
        for (pi, r) in copied() {
            let Some(part) = text.get(r.clone()) else {
                continue;
            };
            let at = lowered.text.len();
            lowered.text.push_str(part);
            lowered.text[at..].make_ascii_lowercase();
            lowered.at[pi] = at;
        }
        lowered
    }

    /// The lower-cased copy of paragraph `pi`, if it is one of those copied.
    pub fn of(&self, pi: usize) -> Option<&str> {
        let at = *self.at.get(pi).filter(|&&at| at != usize::MAX)?;
        self.text.get(at..at + self.paragraphs[pi].len())
    }
}

/// Splits `text[range]` into tokens. `marks` maps the byte offset of each quotation mark in the
/// range to its role; the caller builds it from the quotations of the paragraph.
pub fn tokenize<'t>(
    text: &'t str,
    range: Range<usize>,
    marks: &[(usize, usize, Kind)],
) -> Vec<Token<'t>> {
    let mut out = Vec::new();
    tokenize_lowered(text, None, range, marks, &mut out);
    out
}

/// [`tokenize`] into `out` (cleared first, its memory reused), with `lower` the lower-cased copy
/// of `text[range]` ([`Lowered::of`]: the same bytes, ASCII capitals lower-cased) to borrow
/// words' lower case from.
pub fn tokenize_lowered<'t>(
    text: &'t str,
    lower: Option<&'t str>,
    range: Range<usize>,
    marks: &[(usize, usize, Kind)],
    out: &mut Vec<Token<'t>>,
) {
    out.clear();
    out.reserve((range.end - range.start) / 5);
    let bytes = text.as_bytes();
    let end = range.end;
    let mut i = range.start;
    let mut mark = 0;
    // Where the next quotation mark starts: the marks are only looked at when `i` gets there.
    let mut next_mark = marks.first().map_or(usize::MAX, |m| m.0);
    let mut depth: u32 = 0;
    while i < end {
        if i >= next_mark {
            // Marks inside a word are passed over with it.
            while mark < marks.len() && marks[mark].0 < i {
                mark += 1;
            }
            if let Some(&(start, mark_end, kind)) = marks.get(mark).filter(|m| m.0 == i) {
                if let Kind::Close(_) = kind {
                    depth = depth.saturating_sub(1);
                }
                out.push(Token {
                    range: start..mark_end,
                    kind,
                    text: &text[start..mark_end],
                    lower: Cow::Borrowed(&text[start..mark_end]),
                    cap: false,
                    inverted: None,
                    depth,
                });
                if let Kind::Open(_) = kind {
                    depth = depth.saturating_add(1);
                }
                i = mark_end;
                mark += 1;
            }
            next_mark = marks.get(mark).map_or(usize::MAX, |m| m.0);
            continue;
        }
        let b = bytes[i];
        match BYTE_CLASS[usize::from(b)] {
            Byte::Other => {
                i += 1;
                continue;
            }
            Byte::Punct => {
                push_punct(out, text, i, 1, b as char, depth);
                i += 1;
                continue;
            }
            // A hyphen outside a word is a dash (inner hyphens belong to their words).
            Byte::Hyphen => {
                push_punct(out, text, i, 1, '—', depth);
                i += 1;
                continue;
            }
            Byte::Alphanumeric => {}
            Byte::Wide if latin1_letter_at(bytes, i) => {}
            Byte::Wide => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !is_word_char(c) {
                    match c {
                        '…' => push_punct(out, text, i, c.len_utf8(), '…', depth),
                        '—' | '–' => push_punct(out, text, i, c.len_utf8(), '—', depth),
                        _ => {}
                    }
                    i += c.len_utf8();
                    continue;
                }
            }
        }
        let (j, word) = scan_word(text, i, end);
        let lowered = lower
            .filter(|_| !word.other)
            .and_then(|l| l.get(i - range.start..j - range.start));
        push_word(out, text, lowered, i..j, depth, word.hyphen);
        // The space after a word (most words) is passed over here, not by a turn of the loop:
        // no quotation mark starts at a space.
        i = j + usize::from(j < end && bytes[j] == b' ');
    }
}

/// Whether a Latin-1 letter (U+00C0–U+00FF but × and ÷: `é`, `à`, `Ç`) starts at `at`, read
/// from its two bytes without decoding it. `at` must be a character boundary.
fn latin1_letter_at(bytes: &[u8], at: usize) -> bool {
    bytes[at] == 0xC3 && bytes.get(at + 1).is_some_and(|&b| b != 0x97 && b != 0xB7)
}

/// What a byte is to the tokenizer's main loop, by [`BYTE_CLASS`].
#[derive(Clone, Copy)]
enum Byte {
    /// ASCII that no token holds (spaces, quotes, other symbols).
    Other,
    /// `, ; : . ! ? ( )`: a punctuation token of its own.
    Punct,
    /// A hyphen that does not join two words: a dash.
    Hyphen,
    Alphanumeric,
    /// The first byte of a non-ASCII character (or a continuation byte, never reached).
    Wide,
}

static BYTE_CLASS: [Byte; 256] = {
    let mut t = [Byte::Other; 256];
    let mut b = 0;
    while b < 256 {
        let u = b as u8;
        t[b] = if u >= 0x80 {
            Byte::Wide
        } else if u.is_ascii_alphanumeric() {
            Byte::Alphanumeric
        } else if matches!(u, b',' | b';' | b':' | b'.' | b'!' | b'?' | b'(' | b')') {
            Byte::Punct
        } else if u == b'-' {
            Byte::Hyphen
        } else {
            Byte::Other
        };
        b += 1;
    }
    t
};

/// The end of the run of ASCII letters and digits that starts at `j` (at most `end`), eight
/// bytes at a time: a word is rarely longer than eight, so one step usually finds its end.
fn ascii_alphanumeric_run(bytes: &[u8], mut j: usize, end: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, its high bit set where the 7-bit value `t` lies in `lo..=hi` (no carry crosses
    // bytes: `t` < 0x80 and the added constant is at most 0x80).
    let within =
        |t: u64, lo: u64, hi: u64| ((t + (0x80 - lo) * ONES) & !(t + (0x7F - hi) * ONES)) & HIGH;
    while let Some(chunk) = bytes.get(j..j + 8).filter(|_| j + 8 <= end) {
        let v = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let t = v & !HIGH;
        let alnum = (within(t, u64::from(b'0'), u64::from(b'9'))
            | within(t | (0x20 * ONES), u64::from(b'a'), u64::from(b'z')))
            & !v;
        let stop = !alnum & HIGH;
        if stop != 0 {
            return j + (stop.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < end && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    j
}

/// What [`scan_word`] saw in a word.
struct WordScan {
    /// An inner hyphen (a word with an inverted pronoun has one).
    hyphen: bool,
    /// A character whose lower case [`Lowered`] does not give.
    other: bool,
}

/// The end of the word that starts at `start` (a letter or a digit) and ends before `end`:
/// letters and digits, joined by inner hyphens, apostrophes and the dots of abbreviations
/// (U.S., a.m.); an elided prefix (`l'`, `qu'`) is a word of its own, apostrophe included.
fn scan_word(text: &str, start: usize, end: usize) -> (usize, WordScan) {
    let bytes = text.as_bytes();
    let mut j = start;
    let mut scan = WordScan {
        hyphen: false,
        other: false,
    };
    let mut dotted = false;
    // The character at `at`, if it is before `end`.
    let char_at = |at: usize| text.get(at..end).and_then(|s| s.chars().next());
    loop {
        // ASCII letters and digits: the common case, as one run.
        j = ascii_alphanumeric_run(bytes, j, end);
        if j >= end {
            return (j, scan);
        }
        let b = bytes[j];
        let c = if b < 0x80 {
            // Any other ASCII character but these three ends the word.
            if !matches!(b, b'-' | b'.' | b'\'') {
                return (j, scan);
            }
            b as char
        } else if latin1_letter_at(bytes, j) {
            // Latin-1 lower case: U+00DF–U+00FF, 0xC3 0x9F–0xBF.
            scan.other |= bytes[j + 1] < 0x9F;
            j += 2;
            continue;
        } else {
            let c = char_at(j).unwrap_or(' ');
            if is_word_char(c) {
                // Latin-1 lower case: U+00DF–U+00FF, 0xC3 0x9F–0xBF.
                scan.other |= b != 0xC3 || bytes[j + 1] < 0x9F;
                j += c.len_utf8();
                continue;
            }
            // Conservative: a non-ASCII mark that ends the word does no harm.
            scan.other = true;
            c
        };
        let after = j + c.len_utf8();
        let joins = match c {
            '-' => {
                scan.hyphen = true;
                char_at(after).is_some_and(is_word_char)
            }
            '.' => {
                dotted = true;
                // U.S., a.m.: a single letter between dots (a letter after the dot first:
                // it is a space after most full stops).
                char_at(after).is_some_and(char::is_alphabetic)
                    && text[start..j]
                        .rsplit('.')
                        .next()
                        .unwrap_or("")
                        .chars()
                        .count()
                        == 1
                    && text[after..end]
                        .chars()
                        .nth(1)
                        .is_none_or(|n| n == '.' || !n.is_alphanumeric())
            }
            _ if is_apostrophe(c) && char_at(after).is_some_and(is_word_char) => {
                let prefix = &text[start..j];
                if prefix.len() <= 7 && ELIDING.iter().any(|e| prefix.eq_ignore_ascii_case(e)) {
                    // `l'` is a token of its own.
                    return (after, scan);
                }
                true
            }
            _ => false,
        };
        if !joins {
            // `a.m.` keeps its final dot.
            if c == '.' && dotted && text[start..j].contains('.') {
                j += 1;
            }
            return (j, scan);
        }
        j = after;
    }
}

/// A punctuation token for the `len` bytes at `at` (read as `c`).
fn push_punct<'t>(
    out: &mut Vec<Token<'t>>,
    text: &'t str,
    at: usize,
    len: usize,
    c: char,
    depth: u32,
) {
    let written = &text[at..at + len];
    out.push(Token {
        range: at..at + len,
        kind: Kind::Punct(c),
        text: written,
        lower: Cow::Borrowed(written),
        cap: false,
        inverted: None,
        depth,
    });
}

const INVERSIONS: &[(&str, Inverted)] = &[
    ("-t-elles", Inverted::Elles),
    ("-t-elle", Inverted::Elle),
    ("-t-ils", Inverted::Ils),
    ("-t-il", Inverted::Il),
    ("-t-on", Inverted::On),
    ("-elles", Inverted::Elles),
    ("-elle", Inverted::Elle),
    ("-ils", Inverted::Ils),
    ("-il", Inverted::Il),
    ("-on", Inverted::On),
    ("-je", Inverted::Person12),
    ("-nous", Inverted::Person12),
    ("-vous", Inverted::Person12),
];

fn push_word<'t>(
    out: &mut Vec<Token<'t>>,
    text: &'t str,
    lowered: Option<&'t str>,
    range: Range<usize>,
    depth: u32,
    hyphen: bool,
) {
    let word = &text[range.clone()];
    // Masked inline code and link targets read as runs of `x`.
    if word.len() >= 3 && word.as_bytes()[0] == b'x' && word.bytes().all(|b| b == b'x') {
        return;
    }
    let cap = starts_with_capital(word);
    let mut lower = match lowered {
        Some(l) => Cow::Borrowed(l),
        None => lowercase(word),
    };
    let mut end = range.end;
    let mut inverted = None;
    if hyphen {
        for &(suffix, inv) in INVERSIONS {
            if lower.len() > suffix.len() && lower.ends_with(suffix) {
                let keep = lower.len() - suffix.len();
                inverted = Some(inv);
                // The suffix is ASCII, so it is as long in the word as written (whose
                // apostrophes may be longer than the lower-cased ones).
                end = range.end - suffix.len();
                lower = match lower {
                    Cow::Borrowed(s) => Cow::Borrowed(&s[..keep]),
                    Cow::Owned(mut s) => {
                        s.truncate(keep);
                        Cow::Owned(s)
                    }
                };
                break;
            }
        }
    }
    out.push(Token {
        range: range.start..end,
        kind: Kind::Word,
        text: if end == range.end {
            word
        } else {
            &word[..end - range.start]
        },
        lower,
        cap,
        inverted,
        depth,
    });
}

/// Lower-cases a word, borrowing when it already is (the common case: no allocation).
pub fn lowercase(word: &str) -> Cow<'_, str> {
    let bytes = word.as_bytes();
    let mut needs = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_uppercase() {
                needs = true;
                break;
            }
            i += 1;
            continue;
        }
        let c = word[i..].chars().next().unwrap_or(' ');
        if is_capital(c) || is_apostrophe(c) {
            needs = true;
            break;
        }
        i += c.len_utf8();
    }
    if !needs {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    let mut s = String::with_capacity(word.len());
    for c in word.chars() {
        if is_apostrophe(c) {
            s.push('\'');
        } else if c.is_ascii() {
            s.push(c.to_ascii_lowercase());
        } else {
            s.extend(c.to_lowercase());
        }
    }
    Cow::Owned(s)
}

/// The quotation marks of `quotations` that fall in `range`, sorted, as the tokenizer wants them,
/// into `marks` (cleared first, its memory reused).
pub fn marks_in(
    quotations: &[Quotation],
    indices: impl Iterator<Item = usize>,
    range: &Range<usize>,
    marks: &mut Vec<(usize, usize, Kind)>,
) {
    marks.clear();
    for k in indices {
        let q = &quotations[k];
        // A token names its quotation in 32 bits: past four billion quotations (a draft of
        // gigabytes), the rest are not read.
        let Ok(n) = u32::try_from(k) else { continue };
        if q.open.start >= range.start && q.open.end <= range.end {
            marks.push((q.open.start, q.open.end, Kind::Open(n)));
        }
        if let Some(c) = &q.close
            && c.start >= range.start
            && c.end <= range.end
        {
            marks.push((c.start, c.end, Kind::Close(n)));
        }
    }
    marks.sort_by_key(|m| m.0);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_token_takes_72_bytes() {
        // One is written per word of every paragraph read: a kind naming its quotation in
        // 64 bits made it 80.
        assert_eq!(std::mem::size_of::<super::Kind>(), 8);
        assert_eq!(std::mem::size_of::<super::Token>(), 72);
    }

    #[test]
    fn words_borrow_the_lower_case_of_their_paragraph_copy() {
        use super::{Lowered, tokenize, tokenize_lowered};
        let text = "Le Maire a dit : « Non ». L'AFP l'écrit.\n\nÉté PARIS, a-t-il ajouté.\n\nFin.";
        let paragraphs = [0..43, 45..73, 75..79];
        assert_eq!(&text[75..79], "Fin.");
        // The first and last paragraphs copied, the middle one not.
        let lowered = Lowered::new(text, &paragraphs, &[true, false, true]);
        assert_eq!(
            lowered.of(0),
            Some("le maire a dit : « non ». l'afp l'écrit.")
        );
        assert_eq!(lowered.of(1), None);
        assert_eq!(lowered.of(2), Some("fin."));
        assert_eq!(lowered.of(3), None);
        for (pi, range) in paragraphs.iter().enumerate() {
            let mut tokens = Vec::new();
            tokenize_lowered(text, lowered.of(pi), range.clone(), &[], &mut tokens);
            let alone = tokenize(text, range.clone(), &[]);
            let words = |t: &[super::Token]| -> Vec<(std::ops::Range<usize>, String)> {
                t.iter()
                    .map(|t| (t.range.clone(), t.lower.to_string()))
                    .collect()
            };
            assert_eq!(words(&tokens), words(&alone), "{:?}", &text[range.clone()]);
            // Borrowed from the copy: no word of an ASCII paragraph allocates.
            if lowered.of(pi).is_some() {
                assert!(
                    tokens
                        .iter()
                        .all(|t| matches!(t.lower, std::borrow::Cow::Borrowed(_)))
                );
            }
        }
        // A paragraph off the draft's character boundaries is not copied.
        let lowered = Lowered::new(text, &[0..18, 18..43], &[true, true]);
        assert_eq!((lowered.of(0), lowered.of(1)), (None, None));
    }

    #[test]
    fn word_characters_and_capitals_agree_with_unicode() {
        // The fast paths (Latin-1, general punctuation) answer as the Unicode tables do.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
            let word = format!("{c}x");
            assert_eq!(super::starts_with_capital(&word), c.is_uppercase(), "{c:?}");
            // The two-byte shortcut for Latin-1 letters, and the main loop's byte classes.
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            if super::latin1_letter_at(bytes, 0) {
                assert!(
                    c.is_alphanumeric() && ('\u{C0}'..='\u{FF}').contains(&c),
                    "{c:?}"
                );
            } else {
                assert!(
                    !c.is_alphabetic() || !('\u{C0}'..='\u{FF}').contains(&c),
                    "{c:?}"
                );
            }
            let expected = match c {
                '\u{80}'.. => "wide",
                _ if c.is_ascii_alphanumeric() => "alphanumeric",
                ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' => "punct",
                '-' => "hyphen",
                _ => "other",
            };
            let class = match super::BYTE_CLASS[usize::from(bytes[0])] {
                super::Byte::Wide => "wide",
                super::Byte::Alphanumeric => "alphanumeric",
                super::Byte::Punct => "punct",
                super::Byte::Hyphen => "hyphen",
                super::Byte::Other => "other",
            };
            assert_eq!(class, expected, "{c:?}");
        }
    }

    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s, 0..s.len(), &[])
            .iter()
            .map(|t| match t.kind {
                Kind::Word => match t.inverted {
                    Some(i) => format!("{}+{i:?}", t.lower),
                    None => t.lower.to_string(),
                },
                Kind::Punct(c) => c.to_string(),
                _ => "#".into(),
            })
            .collect()
    }

    #[test]
    fn alphanumeric_runs_eight_bytes_at_a_time_match_byte_by_byte() {
        let scalar = |b: &[u8], mut j: usize, end: usize| {
            while j < end && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            j
        };
        // Every byte value at every place of a run, and runs cut by `end`.
        for stop in 0..=255u8 {
            for at in 0..20 {
                let mut b = b"Az09azAZ09xyzXYZabcdefgh".to_vec();
                b[at] = stop;
                for end in [at, at + 1, 17, b.len()] {
                    let end = end.min(b.len());
                    for start in [0, 1, 7] {
                        if start <= end {
                            assert_eq!(
                                ascii_alphanumeric_run(&b, start, end),
                                scalar(&b, start, end),
                                "byte {stop:#x} at {at}, {start}..{end}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn elision_inversion_and_punctuation() {
        assert_eq!(
            words("« Oui », a-t-il déclaré à l'AFP. Et d’ajouter : non ; dit-elle"),
            [
                "oui",
                ",",
                "a+Il",
                "déclaré",
                "à",
                "l'",
                "afp",
                ".",
                "et",
                "d'",
                "ajouter",
                ":",
                "non",
                ";",
                "dit+Elle"
            ]
        );
    }

    #[test]
    fn compounds_and_abbreviations() {
        assert_eq!(
            words("La porte-parole Jean-Luc said at 9 a.m. in the U.S. Smith's aujourd'hui"),
            [
                "la",
                "porte-parole",
                "jean-luc",
                "said",
                "at",
                "9",
                "a.m.",
                "in",
                "the",
                "u.s.",
                "smith's",
                "aujourd'hui"
            ]
        );
    }
}
