//! Speech, term or title: whether a quotation reports someone's words, or is a title, a name
//! or a term held at a distance (`le film « … »`, `les « gilets jaunes »`, `so-called "…"`).
//!
//! The evidence is in the sentence: the words before the opening mark (a title noun, a
//! naming word, a determiner, a chant or a sign), the quotation's own words (a verb, a first
//! or second person, its length, its final punctuation, its capital), and what follows it.

use super::cues::{Cue, CueKind, Who};
use super::para::Para;
use super::tokens::Kind;
use super::words::class::*;
use crate::language::Lang;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Speech,
    Term,
    Title,
}

/// Why a quotation was read as it was (shown in hovers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A title noun or naming word before it (`le film`, `surnommé`, `so-called`).
    TitleNoun,
    /// Chanted or written on a sign: a slogan.
    Slogan,
    /// A short capitalised name with no verb.
    Name,
    /// A short phrase with no verb, not reported by anyone: a term held at a distance.
    Term,
    /// Used as a noun in the sentence (`« … » a dépassé les 2 millions d'entrées`).
    UsedAsNoun,
    /// A sentence of its own, or words with a verb, a first person, final punctuation.
    Sentence,
    /// Short words governed by a reporting cue: a partial quotation.
    Partial,
}

/// What the classifier needs to know about a quotation.
pub struct Shape {
    /// Tokens between the marks (nested quotations included).
    pub inner: Range<usize>,
    pub words: usize,
    pub verb: bool,
    pub person12: bool,
    pub final_punct: bool,
    /// Several sentences inside.
    pub multi: bool,
    pub capital: bool,
    /// Every significant word capitalised (`Miracle on Maple Street`).
    pub title_case: bool,
}

pub fn shape(p: &Para, open: usize, close: Option<usize>) -> Shape {
    let depth = p.toks[open].depth.saturating_add(1);
    let end = close.unwrap_or(p.toks.len());
    let inner = open + 1..end;
    let lang = p.lex.lang;
    let mut s = Shape {
        inner: inner.clone(),
        words: 0,
        verb: false,
        person12: false,
        final_punct: false,
        multi: false,
        capital: false,
        title_case: true,
    };
    let mut first = true;
    let mut significant = 0;
    // A long quotation is speech whatever follows; reading its first words is enough.
    const ENOUGH: usize = 400;
    // The last word at the quotation's own depth, looked for among its first tokens only
    // (twice as many as are read): a full stop followed by no word up to there ends it. Looked
    // for after each full stop to the quotation's end, an unclosed quotation in a paragraph of
    // marks and full stops (`«.«.«.`) was read to the paragraph's end once per full stop.
    let last_word = (open + 1..end.min(open + 1 + 2 * ENOUGH))
        .rev()
        .find(|&j| p.toks[j].is_word() && p.toks[j].depth == depth);
    for k in inner.clone().take(ENOUGH) {
        let t = &p.toks[k];
        if t.depth != depth {
            if t.depth > depth && matches!(t.kind, Kind::Open(_)) {
                s.words += 1;
            }
            continue;
        }
        match t.kind {
            Kind::Word => {
                s.words += 1;
                if first {
                    s.capital = t.cap;
                    first = false;
                }
                let f = p.flags(k);
                // What is settled is not asked again: the verb test reads the word's forms.
                // A capital inside a quotation is a name or a title word (`L'Été des orages`),
                // except on its first word when a lower-case word follows.
                let may_be_verb = !s.verb
                    && (!t.cap
                        || k == open + 1
                            && p.toks.get(k + 1).is_some_and(|n| n.is_word() && !n.cap));
                if may_be_verb
                    && !(f & TITLE_ABBR != 0 && t.cap)
                    && (f & FINITE != 0
                        || f & (AUX_HAVE | AUX_BE) != 0
                            && !matches!(
                                &*t.lower,
                                "été"
                                    | "être"
                                    | "avoir"
                                    | "ayant"
                                    | "étant"
                                    | "be"
                                    | "been"
                                    | "being"
                                    | "having"
                            )
                        || t.inverted.is_some()
                        || p.verb_forms(k, true)
                            .any(|(_, f)| f == super::lexicon::Form::Finite)
                            && f & (DET | SPEAKER_NOUN | TITLE_NOUN) == 0)
                {
                    s.verb = true;
                }
                if !s.person12
                    && (f & PERSON12 != 0 && !t.cap
                        || matches!(&*t.lower, "i" | "we" | "je" | "nous")
                        || f & PERSON12 != 0 && f & TITLE_ABBR == 0)
                {
                    s.person12 = true;
                }
                // Past two significant words in lower case, title case is settled.
                if s.title_case || significant < 2 {
                    let small = f & (DET | PREP | COORD) != 0 && t.text.chars().count() <= 4;
                    if !small {
                        significant += 1;
                        if !t.cap && !t.text.starts_with(|c: char| c.is_ascii_digit()) {
                            s.title_case = false;
                        }
                    }
                }
            }
            Kind::Punct(c @ ('.' | '!' | '?' | '…')) => {
                let last = last_word.is_none_or(|w| w < k);
                if last {
                    s.final_punct = s.final_punct || lang == Lang::Fr || c != '.';
                } else {
                    s.multi = true;
                }
            }
            _ => {}
        }
    }
    if significant < 2 {
        s.title_case = false;
    }
    s
}

/// At most six word tokens before a quotation, nearest first, without allocating.
struct Before {
    words: [usize; 6],
    len: usize,
}

impl std::ops::Deref for Before {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.words[..self.len]
    }
}

/// The word tokens before `open`, skipping commas once (`son quatrième album, « … »`).
fn before_words(p: &Para, open: usize, floor: usize) -> Before {
    let mut out = Before {
        words: [0; 6],
        len: 0,
    };
    let mut k = open;
    let mut commas = 0;
    while k > floor && out.len < 6 {
        k -= 1;
        let t = &p.toks[k];
        match t.kind {
            Kind::Word => {
                out.words[out.len] = k;
                out.len += 1;
            }
            Kind::Punct(',') if commas == 0 && out.len == 0 => commas += 1,
            _ => break,
        }
    }
    out
}

/// Whether a title noun or naming word sits right before the quotation (adjectives, a
/// number, a determiner or one comma allowed in between).
fn titled(p: &Para, open: usize, floor: usize) -> bool {
    let before = before_words(p, open, floor);
    let Some(&first) = before.first() else {
        return false;
    };
    // `X, dit « … »`, `la loi dite « … »`, `affaire dite des « … »`: naming words.
    for (n, &k) in before.iter().enumerate().take(3) {
        let f = p.flags(k);
        if f & NAMING != 0 {
            // `dit` is also `he says`: only a naming word when nothing makes it a verb.
            let verbish = k > floor
                && (p.has(k - 1, AUX_HAVE | PRON3 | CLITIC) || p.toks[k].inverted.is_some());
            if !verbish {
                return true;
            }
        }
        if f & TITLE_NOUN != 0 {
            // `le film « … »`, `l'émission « … »`, `son quatrième album, « … »`, `le film culte
            // « … »`; not `called the criticism "…"`, where a determiner opens another phrase.
            if n == 0
                || before[..n]
                    .iter()
                    .all(|&j| !p.toks[j].cap && !p.has(j, DET | POSSESSIVE | PREP))
            {
                return true;
            }
        }
        if n == 0 && f & (DET | PREP) != 0 {
            continue;
        }
        if f & (SUBORD | COORD | AUX_HAVE | AUX_BE) != 0 {
            break;
        }
    }
    // `known as`, `known internally as`, `connu sous le nom de`.
    if p.word(first) == "as"
        && before[1..before.len().min(3)]
            .iter()
            .any(|&k| matches!(p.word(k), "known" | "billed"))
    {
        return true;
    }
    // Multiword title nouns ending right before the mark (`before` is nearest first).
    p.lex.title_phrases.iter().any(|ph| {
        ph.len() <= before.len()
            && ph
                .iter()
                .rev()
                .zip(before.iter())
                .all(|(a, &k)| &**a == p.word(k))
    })
}

/// A chant or a slogan on a sign: `scandaient « … »`, `signs reading "…"`, `on pouvait lire
/// sur les banderoles « … »`.
fn slogan(p: &Para, open: usize, sentence: &Range<usize>) -> bool {
    let before = before_words(p, open, sentence.start);
    if before.iter().take(3).any(|&k| p.has(k, CHANT)) {
        return true;
    }
    (sentence.start.max(open.saturating_sub(30))..open)
        .any(|k| p.toks[k].depth == p.toks[open].depth && p.has(k, SIGN))
}

/// Whether the quotation is used as a noun phrase: a verb follows it directly
/// (`« … » a dépassé`, `“…” will end`), or an apposition with a title noun (`“…,” a documentary`).
fn used_as_noun(p: &Para, close: Option<usize>, sentence: &Range<usize>) -> bool {
    let Some(c) = close else {
        return false;
    };
    let mut k = c + 1;
    if k >= sentence.end {
        return false;
    }
    if p.is_punct(k, ',') {
        k += 1;
        // `“The Long Quiet,” a documentary …`
        let det = p.has(k, DET) && !p.has(k, PERSON12);
        return det && (k + 1..(k + 4).min(sentence.end)).any(|j| p.has(j, TITLE_NOUN));
    }
    let t = &p.toks[k];
    t.is_word() && !t.cap && p.has(k, FINITE) && t.inverted.is_none() && !p.is_verb(k + 1, false)
}

/// Whether the quotation stands alone as its sentence (nothing but punctuation around it).
fn alone(p: &Para, open: usize, close: Option<usize>, sentence: &Range<usize>) -> bool {
    let depth = p.toks[open].depth;
    if depth == 0 {
        // Words of the writer's own are outside every quotation: known per sentence.
        return !p.sentence_has_prose[p.sent_of[open] as usize];
    }
    // Read at most this many tokens on each side: a nested quotation with more around it in
    // its sentence is not alone (read whole, a sentence of thousands of nested marks and no
    // word, `"’‘"’‘…`, was read once per quotation: quadratic).
    const AROUND: usize = 256;
    let end = close.map_or(sentence.end, |c| c + 1);
    if open - sentence.start > AROUND || sentence.end.saturating_sub(end) > AROUND {
        return false;
    }
    let outside = |k: usize| p.toks[k].is_word() && p.toks[k].depth == depth;
    !(sentence.start..open).any(outside) && !(end..sentence.end).any(outside)
}

/// Whether a cue of the sentence governs this (short) quotation: it reports words and has a
/// speaker, and the quotation sits in its clause.
fn governed(cues: &[Cue], open: usize) -> bool {
    cues.iter().any(|c| {
        let reports = matches!(
            c.kind,
            CueKind::Verb
                | CueKind::Prep
                | CueKind::Frame
                | CueKind::Venue
                | CueKind::Impersonal
                | CueKind::Pattern
        ) || c.kind == CueKind::Colon && c.words.end == open;
        reports && !c.negated && matches!(c.who, Who::Np(_) | Who::Previous)
    })
}

/// Classifies the quotation opening at token `open` (closing at `close`) of `sentence`.
pub fn classify(
    p: &Para,
    open: usize,
    close: Option<usize>,
    sentence: &Range<usize>,
    cues: &[Cue],
) -> (Class, Evidence) {
    let s = shape(p, open, close);
    let name = |s: &Shape| if s.capital { Class::Title } else { Class::Term };
    if titled(p, open, sentence.start) {
        return (name(&s), Evidence::TitleNoun);
    }
    if slogan(p, open, sentence) && s.words <= 10 {
        return (Class::Term, Evidence::Slogan);
    }
    let possessive_before = open > 0
        && p.toks[open - 1].is_word()
        && (p.word(open - 1).ends_with("'s") || p.word(open - 1).ends_with("s'"));
    // A quotation that is its sentence: speech, unless it is a single bare word (`«mot»`).
    let whole = alone(p, open, close, sentence) && (s.words >= 2 || s.capital || s.final_punct);
    // `« Non », a-t-il répondu`: a verb of speech right after it.
    let incise_after = close.is_some_and(|c| {
        cues.iter().any(|cue| {
            cue.kind == CueKind::Verb
                && cue.inverted
                && (c + 1..cue.words.start)
                    .all(|k| matches!(p.toks[k].kind, Kind::Punct(',' | '—' | '?' | '!')))
        })
    });
    let sentence_like = whole
        || s.verb
        || s.person12
        || s.multi
        || s.final_punct
        || s.words >= 7 && !s.title_case
        || incise_after;
    if sentence_like && !(s.title_case && s.words <= 6 && !s.verb && !whole && !s.final_punct) {
        if used_as_noun(p, close, sentence) && s.capital && !s.person12 {
            return (Class::Title, Evidence::UsedAsNoun);
        }
        return (Class::Speech, Evidence::Sentence);
    }
    if used_as_noun(p, close, sentence) {
        return (name(&s), Evidence::UsedAsNoun);
    }
    if possessive_before {
        return (Class::Term, Evidence::Term);
    }
    if governed(cues, open) && !s.title_case {
        return (Class::Speech, Evidence::Partial);
    }
    if s.capital {
        (Class::Title, Evidence::Name)
    } else {
        (Class::Term, Evidence::Term)
    }
}

/// Classifies a quotation inside a quotation: its speaker is the outer one's, so only the
/// evidence of the words themselves and of the words right before them counts.
pub fn classify_nested(p: &Para, open: usize, close: Option<usize>) -> (Class, Evidence) {
    let s = shape(p, open, close);
    let name = if s.capital { Class::Title } else { Class::Term };
    if titled(p, open, open.saturating_sub(8)) {
        return (name, Evidence::TitleNoun);
    }
    if s.verb || s.person12 || s.multi || s.final_punct || s.words >= 7 && !s.title_case {
        return (Class::Speech, Evidence::Sentence);
    }
    (
        name,
        if s.capital {
            Evidence::Name
        } else {
            Evidence::Term
        },
    )
}
