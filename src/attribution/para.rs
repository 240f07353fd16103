//! One paragraph as the engine reads it: tokens with their lexicon classes, and sentences.

use super::lexicon::{Entry, Form, Lexicon, VerbRole};
use super::tokens::{Kind, Token, marks_in, tokenize_lowered};
use super::words::class;
use crate::quotes::Quotation;
use std::ops::Range;

/// Extra cues from the configuration, looked up after the built-in lexicon.
pub struct Lookup<'l> {
    pub lex: &'l Lexicon,
    pub extra: &'l [(Box<str>, Entry)],
}

impl<'l> Lookup<'l> {
    #[inline]
    pub fn entry(&self, lower: &str) -> Option<&'l Entry> {
        if !self.extra.is_empty()
            && let Some((_, e)) = self.extra.iter().find(|(w, _)| &**w == lower)
        {
            return Some(e);
        }
        self.lex.entry(lower)
    }
}

pub struct Para<'t, 'l> {
    pub index: usize,
    pub lex: &'l Lexicon,
    pub toks: Vec<Token<'t>>,
    /// Lexicon entry of each word token.
    pub entries: Vec<Option<&'l Entry>>,
    /// The quotation marks in the paragraph, for the tokenizer (kept for its memory).
    marks: Vec<(usize, usize, Kind)>,
    /// Sentences, as token index ranges.
    pub sentences: Vec<Range<usize>>,
    /// The sentence of each token.
    pub sent_of: Vec<u32>,
    /// Whether each sentence has words outside quotations (the writer's own).
    pub sentence_has_prose: Vec<bool>,
    /// Whether each sentence names someone (a name, a pronoun, a speaker noun outside
    /// quotations): what an uncredited quotation lacks is then only the verb.
    pub sentence_names: Vec<bool>,
}

impl<'t, 'l> Para<'t, 'l> {
    /// `lower`: the lower-cased copy of `text[range]` ([`super::tokens::Lowered::of`]), if
    /// there is one.
    pub fn read(
        text: &'t str,
        lower: Option<&'t str>,
        range: Range<usize>,
        index: usize,
        quotations: &[Quotation],
        in_para: impl Iterator<Item = usize>,
        look: &Lookup<'l>,
    ) -> Para<'t, 'l> {
        Para::read_into(None, text, lower, range, index, quotations, in_para, look)
    }

    /// [`Para::read`], reusing the memory of a paragraph read before (`spare`).
    #[allow(clippy::too_many_arguments)]
    pub fn read_into(
        spare: Option<Para<'t, 'l>>,
        text: &'t str,
        lower: Option<&'t str>,
        range: Range<usize>,
        index: usize,
        quotations: &[Quotation],
        in_para: impl Iterator<Item = usize>,
        look: &Lookup<'l>,
    ) -> Para<'t, 'l> {
        let mut p = match spare {
            Some(mut p) => {
                p.index = index;
                p.lex = look.lex;
                p.entries.clear();
                p.sentences.clear();
                p.sent_of.clear();
                p.sentence_has_prose.clear();
                p.sentence_names.clear();
                p
            }
            None => Para {
                index,
                lex: look.lex,
                toks: Vec::new(),
                marks: Vec::new(),
                entries: Vec::new(),
                sentences: Vec::new(),
                sent_of: Vec::new(),
                sentence_has_prose: Vec::new(),
                sentence_names: Vec::new(),
            },
        };
        marks_in(quotations, in_para, &range, &mut p.marks);
        tokenize_lowered(text, lower, range, &p.marks, &mut p.toks);
        p.entries.extend(p.toks.iter().map(|t| {
            if t.kind == Kind::Word {
                look.entry(&t.lower)
            } else {
                None
            }
        }));
        p.split_sentences(quotations);
        p
    }

    pub fn flags(&self, i: usize) -> u64 {
        self.entries
            .get(i)
            .copied()
            .flatten()
            .map_or(0, |e| e.flags)
    }

    pub fn has(&self, i: usize, flags: u64) -> bool {
        self.flags(i) & flags != 0
    }

    pub fn word(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &t.lower)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(Token::is_word)
    }

    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(c))
    }

    /// Forms of speech verbs (and frame verbs when `frames`) that token `i` is.
    pub fn verb_forms(&self, i: usize, frames: bool) -> impl Iterator<Item = (u32, Form)> + '_ {
        let lex = self.lex;
        self.entries
            .get(i)
            .copied()
            .flatten()
            .map_or(&[][..], |e| &e.forms[..])
            .iter()
            .copied()
            .filter(move |&(v, _)| frames || lex.verbs[v as usize].role == VerbRole::Speech)
    }

    /// Whether token `i` is a form of a verb of speech (or of a frame verb when `frames`).
    pub fn is_verb(&self, i: usize, frames: bool) -> bool {
        self.verb_forms(i, frames).next().is_some()
    }

    /// A sentence ends at `. ! ? …` outside quotations when a capital or a quotation follows
    /// (not after an abbreviation or an initial), and after a closing mark whose quotation
    /// ends with its own `. ! ? …` when a new sentence starts after it.
    fn split_sentences(&mut self, quotations: &[Quotation]) {
        let n = self.toks.len();
        let mut start = 0;
        let starts_sentence = |t: Option<&Token>| {
            t.is_none_or(|t| match t.kind {
                Kind::Word => t.cap || t.text.starts_with(|c: char| c.is_ascii_digit()),
                Kind::Open(_) => true,
                Kind::Punct(c) => c == '—' || c == '(',
                Kind::Close(_) => false,
            })
        };
        let mut i = 0;
        while i < n {
            let t = &self.toks[i];
            // No sentence of prose runs this long: a "sentence" of thousands of quotations and
            // cues (`":":":…`, marks with no full stop) is cut before a quotation opens, so
            // that reading a quotation's sentence stays bounded (each quotation reads its
            // sentence's cues and words: quadratic in one endless sentence). A long quotation
            // keeps its incise: its words are inside it, and no quotation opens before the
            // incise.
            if i - start >= MAX_SENTENCE && t.depth == 0 && matches!(t.kind, Kind::Open(_)) {
                self.sentences.push(start..i);
                start = i;
            }
            let boundary = match t.kind {
                Kind::Punct(c @ ('.' | '!' | '?' | '…')) if t.depth == 0 => {
                    // Take the run of final punctuation.
                    let mut j = i + 1;
                    while j < n
                        && matches!(self.toks[j].kind, Kind::Punct('.' | '!' | '?' | '…' | ')'))
                    {
                        j += 1;
                    }
                    let abbreviation = c == '.'
                        && i > 0
                        && self.toks[i - 1].is_word()
                        && (self.flags(i - 1) & class::TITLE_ABBR != 0
                            || (self.toks[i - 1].text.chars().count() == 1
                                && self.toks[i - 1].cap)
                            || matches!(
                                &*self.toks[i - 1].lower,
                                "st" | "no" | "jr" | "sr" | "vs" | "etc" | "cf" | "p"
                            ) && self.toks.get(j).is_some_and(|t| t.is_word()));
                    if !abbreviation && starts_sentence(self.toks.get(j)) {
                        Some(j)
                    } else {
                        None
                    }
                }
                Kind::Close(q) if t.depth == 0 => {
                    let ends = i > 0
                        && matches!(self.toks[i - 1].kind, Kind::Punct('.' | '!' | '?' | '…'));
                    // A quotation closed by a full stop ends its sentence; after `?` or `!`, an
                    // incise may follow (`“…?” Smith asked`).
                    let full_stop = i > 0 && self.toks[i - 1].is_punct('.');
                    let next = self.toks.get(i + 1);
                    let new_sentence = next.is_none_or(|n| match n.kind {
                        Kind::Word => n.cap && (full_stop || !is_inverted_cue_start(self, i + 1)),
                        Kind::Open(_) => true,
                        _ => false,
                    });
                    let _ = quotations.get(q as usize);
                    (ends && new_sentence && next.is_some()).then_some(i + 1)
                }
                Kind::Word if t.depth == 0 && (t.lower == "a.m." || t.lower == "p.m.") => {
                    matches!(self.toks.get(i + 1).map(|t| t.kind), Some(Kind::Open(_)))
                        .then_some(i + 1)
                }
                _ => None,
            };
            if let Some(end) = boundary {
                self.sentences.push(start..end);
                start = end;
                i = end;
            } else {
                i += 1;
            }
        }
        if start < n {
            self.sentences.push(start..n);
        }
        self.sent_of.resize(n, 0);
        // Each sentence's tokens with their entries, as slices (no index checked per token).
        for (k, s) in self.sentences.iter().enumerate() {
            let (mut prose, mut names) = (false, false);
            let words = self.toks[s.clone()].iter().zip(&self.entries[s.clone()]);
            for (x, (t, e)) in words.enumerate() {
                if t.depth == 0 && t.is_word() {
                    prose = true;
                    let flags = e.map_or(0, |e| e.flags);
                    names |= flags & (class::SPEAKER_NOUN | class::PRON3) != 0
                        && !matches!(&*t.lower, "on" | "it")
                        || t.cap && x != 0 && flags & (class::DET | class::PREP) == 0;
                    // Both settled at the first name: the rest of the sentence is not read.
                    if names {
                        break;
                    }
                }
            }
            self.sent_of[s.clone()].fill(k as u32);
            self.sentence_has_prose.push(prose);
            self.sentence_names.push(names);
        }
    }
}

/// The most tokens a sentence holds before it is cut where a quotation opens (see
/// `split_sentences`); the longest sentences of news copy hold about a hundred.
const MAX_SENTENCE: usize = 512;

/// `« … ? » s'interroge X`: a capitalised word after a closing mark may still be the incise
/// when it is a verb of speech (English: `“…?” Smith asked` keeps its sentence too, but there
/// the capital is a name, and the name is followed by the verb).
fn is_inverted_cue_start(p: &Para, i: usize) -> bool {
    let has_forms = |k: usize| p.is_verb(k, false);
    if has_forms(i) {
        return true;
    }
    if p.has(
        i,
        class::DET | class::PREP | class::PRON3 | class::PERSON12 | class::SUBORD | class::COORD,
    ) {
        return false;
    }
    // A name followed by a verb of speech within three words: `» Mark Dorsey said.`
    (i + 1..(i + 4).min(p.toks.len()))
        .any(|k| p.toks[k].is_word() && has_forms(k) && !p.toks[k].cap)
}
