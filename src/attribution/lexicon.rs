//! The reporting-cue lexicon: data files in `data/cues/` (and `data/names/`), read at compile
//! time and expanded into the word forms drafts contain.
//!
//! Verbs are listed once per lemma (`déclarer|déclare|déclarent|déclaré|déclara|déclarait`);
//! this module derives the rest — participle agreement, imparfait and passé simple plurals,
//! present participles, future and conditional — so that every written form is one hash
//! lookup away. Auxiliaries, inversions (`a-t-il`) and adverbs between them are grammar, and
//! the engine reads them around these forms rather than listing every combination.

use super::tokens::{Kind, tokenize};
use super::words::{self, class};
use crate::language::Lang;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// A fast hash for short words (FxHash's multiply-rotate); the keys are our own data.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut mix = |v: u64| h = (h.rotate_left(5) ^ v).wrapping_mul(K);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            mix(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        // The last 1 to 7 bytes in one round (most words are shorter than 8 bytes): two
        // overlapping 4-byte reads, or the first, middle and last bytes.
        let r = chunks.remainder();
        let n = r.len();
        if n >= 4 {
            let lo = u32::from_le_bytes(r[..4].try_into().unwrap_or([0; 4]));
            let hi = u32::from_le_bytes(r[n - 4..].try_into().unwrap_or([0; 4]));
            mix(u64::from(lo) | u64::from(hi) << 32);
        } else if n > 0 {
            mix(u64::from(r[0]) | u64::from(r[n / 2]) << 8 | u64::from(r[n - 1]) << 16);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

pub type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>;

/// A word of at most 16 bytes as two little-endian words, zero-padded, and its length: hashed
/// and compared in registers, where a `str` key costs a call to `memcmp` on every hit.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SmallWord(u64, u64, u8);

impl SmallWord {
    #[inline(always)]
    fn of(w: &str) -> Option<SmallWord> {
        let b = w.as_bytes();
        match b.len() {
            0..=8 => Some(SmallWord(load(b), 0, b.len() as u8)),
            9..=16 => Some(SmallWord(load(&b[..8]), load(&b[8..]), b.len() as u8)),
            _ => None,
        }
    }
}

/// Up to 8 bytes as a zero-padded little-endian word, by two overlapping reads (the bytes
/// they share are the same, so OR-ing them is exact).
#[inline(always)]
fn load(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |k: usize| u64::from(u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]));
    let u16_at = |k: usize| u64::from(u16::from_le_bytes([b[k], b[k + 1]]));
    match n {
        0 => 0,
        1 => u64::from(b[0]),
        2..=3 => u16_at(0) | u16_at(n - 2) << ((n - 2) * 8),
        4..=7 => u32_at(0) | u32_at(n - 4) << ((n - 4) * 8),
        _ => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    }
}

/// The entries of the words of at most 16 bytes, open-addressed by their [`SmallWord`]: one
/// multiplication to hash, and a probe that is most often one slot (the table is at most a
/// quarter full), where the general map took three rounds of hashing and a group probe.
#[derive(Debug, Default)]
struct SmallTable {
    /// A power of two of slots (none when empty).
    slots: Box<[Slot]>,
    entries: Vec<Entry>,
    /// 64 minus the number of bits that index `slots`.
    shift: u32,
}

/// A word and where its entry is: `index` 0 marks an empty slot, else the entry is
/// `entries[index - 1]`.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    lo: u64,
    hi: u64,
    len: u32,
    index: u32,
}

impl SmallTable {
    fn new(words: impl Iterator<Item = (SmallWord, Entry)>) -> SmallTable {
        let entries_and_keys: Vec<(SmallWord, Entry)> = words.collect();
        let bits = (entries_and_keys.len().max(1) * 4)
            .next_power_of_two()
            .trailing_zeros();
        let mut t = SmallTable {
            slots: vec![Slot::default(); 1 << bits].into_boxed_slice(),
            entries: Vec::with_capacity(entries_and_keys.len()),
            shift: 64 - bits,
        };
        for (k, e) in entries_and_keys {
            let mut at = t.home(&k);
            while t.slots[at].index != 0 {
                at = (at + 1) & (t.slots.len() - 1);
            }
            t.entries.push(e);
            t.slots[at] = Slot {
                lo: k.0,
                hi: k.1,
                len: u32::from(k.2),
                index: t.entries.len() as u32,
            };
        }
        t
    }

    fn home(&self, k: &SmallWord) -> usize {
        let h = (k.0 ^ k.1.rotate_left(29) ^ u64::from(k.2)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

    #[inline]
    fn get(&self, k: &SmallWord) -> Option<&Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(k);
        loop {
            let s = &self.slots[at];
            if s.index == 0 {
                return None;
            }
            if s.lo == k.0 && s.hi == k.1 && s.len == u32::from(k.2) {
                return self.entries.get(s.index as usize - 1);
            }
            at = (at + 1) & mask;
        }
    }
}

/// Which form of a verb a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Finite, third person (`déclare`, `déclarent`, `déclara`, `déclarait`, `says`, `said`).
    Finite,
    /// Past participle (`déclaré`, `déclarées`, `said`, `told`).
    Participle,
    Infinitive,
    /// Present participle (`promettant`, `saying`).
    Gerund,
}

/// What a verb is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbRole {
    /// A verb of speech: a cue.
    Speech,
    /// A verb that only appears inside frames and modals (`se vouloir`, `tenir à`).
    Frame,
}

#[derive(Debug, Clone)]
pub struct Verb {
    pub lemma: Box<str>,
    /// Written with `se`: needs its reflexive pronoun, and `être` in compound tenses.
    pub pronominal: bool,
    /// The fixed complement of a multiword verb (`faire savoir` → `savoir`), lower-cased tokens.
    pub rest: Vec<Box<str>>,
    pub role: VerbRole,
}

/// Everything known about one written word.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub flags: u64,
    /// (verb index, form) for every verb this word is a form of.
    pub forms: Vec<(u32, Form)>,
    /// The cue phrases this word starts, as an index into [`Lexicon::cue_phrases`] (0: none):
    /// read from the word's entry, without a second lookup by the word.
    pub cue_phrases: u32,
}

/// The kinds of multiword cues in `*-phrases.txt`, and the multiword nouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseKind {
    Prep,
    Intro,
    Noun,
    Venue,
    Impersonal,
    Anaphor,
    /// An English phrase with a speaker slot: `as X put it`; `slot` is the index of `X`.
    Pattern {
        slot: usize,
    },
    Frame,
    Modal,
    SpeakerNoun,
    TitleNoun,
}

impl PhraseKind {
    /// A multiword noun (a title, a speaker, another noun) rather than a cue.
    pub fn is_noun(self) -> bool {
        matches!(
            self,
            PhraseKind::Noun | PhraseKind::SpeakerNoun | PhraseKind::TitleNoun
        )
    }
}

/// One slot of a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Word(Box<str>),
    /// `X`: a speaker.
    Speaker,
    /// `X's`: a possessor.
    Possessor,
    /// `ADJ`: an adjective of attitude.
    Adj,
    /// `POSS`: a possessive determiner.
    Poss,
    /// Any form of verb `n` (frames and modals).
    Verb(u32),
}

#[derive(Debug, Clone)]
pub struct Phrase {
    pub pieces: Vec<Piece>,
    pub kind: PhraseKind,
    /// A frame written `ne pas …`: only counts negated.
    pub negated: bool,
}

pub struct Lexicon {
    pub lang: Lang,
    pub words: WordMap<Entry>,
    /// The entries of `words` whose word has at most 16 bytes (nearly all), for [`Lexicon::entry`].
    small: SmallTable,
    pub verbs: Vec<Verb>,
    /// Phrases, by their first word (for a phrase starting with a verb slot: by `#verb`).
    pub phrases: WordMap<Vec<Phrase>>,
    /// The lists of `phrases` whose first word has at most 16 bytes, for [`Lexicon::phrases_of`].
    small_phrases: HashMap<SmallWord, Vec<Phrase>, BuildHasherDefault<WordHasher>>,
    /// For each word that starts phrases, those that are cues (its phrases but the nouns), in
    /// their order; [`Entry::cue_phrases`] indexes it, and index 0 is the empty list.
    cue_phrases: Vec<Vec<Phrase>>,
    /// Multiword title nouns, as token lists (matched backwards from a quotation).
    pub title_phrases: Vec<Vec<Box<str>>>,
    /// Multiword speaker nouns, as token lists, by their first word.
    pub speaker_phrases: WordMap<Vec<Vec<Box<str>>>>,
    pub adjectives: WordMap<()>,
    /// Number of distinct written forms of reporting verbs (for the docs and tests).
    pub speech_forms: usize,
    /// The frames that start with each frame verb (indices into `phrases["#verb"]`).
    pub frames_by_verb: HashMap<u32, Vec<usize>, BuildHasherDefault<WordHasher>>,
}

const FR_VERBS: &str = include_str!("../../data/cues/fr-verbs.txt");
const FR_PHRASES: &str = include_str!("../../data/cues/fr-phrases.txt");
const FR_SPEAKERS: &str = include_str!("../../data/cues/fr-speakers.txt");
const FR_TITLES: &str = include_str!("../../data/cues/fr-title-nouns.txt");
const EN_VERBS: &str = include_str!("../../data/cues/en-verbs.txt");
const EN_PHRASES: &str = include_str!("../../data/cues/en-phrases.txt");
const EN_SPEAKERS: &str = include_str!("../../data/cues/en-speakers.txt");
const EN_TITLES: &str = include_str!("../../data/cues/en-title-nouns.txt");
const FIRST_NAMES: &str = include_str!("../../data/names/first-names.txt");
const FR_EPITHETS: &str = include_str!("../../data/names/epithets-fr.txt");
const EN_EPITHETS: &str = include_str!("../../data/names/epithets-en.txt");

/// The lexicon data of one language, as text in the `data/cues/` formats.
pub struct Sources<'a> {
    pub verbs: &'a str,
    pub phrases: &'a str,
    pub speakers: &'a str,
    pub titles: &'a str,
    pub first_names: &'a str,
    pub epithets: &'a str,
}

static FRENCH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        Lang::Fr,
        &Sources {
            verbs: FR_VERBS,
            phrases: FR_PHRASES,
            speakers: FR_SPEAKERS,
            titles: FR_TITLES,
            first_names: FIRST_NAMES,
            epithets: FR_EPITHETS,
        },
    )
});

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        Lang::En,
        &Sources {
            verbs: EN_VERBS,
            phrases: EN_PHRASES,
            speakers: EN_SPEAKERS,
            titles: EN_TITLES,
            first_names: FIRST_NAMES,
            epithets: EN_EPITHETS,
        },
    )
});

/// The built-in lexicon of a language.
pub fn builtin(lang: Lang) -> &'static Lexicon {
    match lang {
        Lang::Fr => &FRENCH,
        Lang::En => &ENGLISH,
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Lower-cased tokens of a phrase, split as drafts are (`d'après` → `d'` `après`).
pub fn phrase_tokens(phrase: &str) -> Vec<Box<str>> {
    tokenize(phrase, 0..phrase.len(), &[])
        .into_iter()
        .filter(|t| t.kind == Kind::Word || t.kind == Kind::Punct(','))
        .flat_map(|t| {
            let mut v: Vec<Box<str>> = vec![t.lower.as_ref().into()];
            // `est-il`, `peut-on`: the tokenizer splits the pronoun off; keep it as a word.
            if let Some(inv) = t.inverted {
                v.push(
                    match inv {
                        super::tokens::Inverted::Il => "il",
                        super::tokens::Inverted::Elle => "elle",
                        super::tokens::Inverted::Ils => "ils",
                        super::tokens::Inverted::Elles => "elles",
                        super::tokens::Inverted::On => "on",
                        super::tokens::Inverted::Person12 => "nous",
                    }
                    .into(),
                );
            }
            v
        })
        .collect()
}

impl Lexicon {
    pub fn build(lang: Lang, src: &Sources) -> Lexicon {
        let mut lex = Lexicon {
            lang,
            words: WordMap::default(),
            small: SmallTable::default(),
            verbs: Vec::new(),
            phrases: WordMap::default(),
            title_phrases: Vec::new(),
            speaker_phrases: WordMap::default(),
            adjectives: WordMap::default(),
            speech_forms: 0,
            frames_by_verb: HashMap::default(),
            small_phrases: HashMap::default(),
            cue_phrases: vec![Vec::new()],
        };
        let grammar = match lang {
            Lang::Fr => words::FR,
            Lang::En => words::EN,
        };
        for &(w, flags) in grammar {
            lex.flag(w, flags);
        }
        for line in lines(src.first_names) {
            let mut parts = line.split('|');
            let (Some(name), Some(g)) = (parts.next(), parts.next()) else {
                continue;
            };
            let flags = match g.trim() {
                "f" => class::FIRST_NAME_F,
                "m" => class::FIRST_NAME_M,
                _ => class::FIRST_NAME_F | class::FIRST_NAME_M,
            };
            lex.flag(&name.trim().to_lowercase(), flags);
        }
        for line in lines(src.epithets) {
            let w = line.to_lowercase();
            for p in plurals(lang, &w) {
                lex.flag(&p, class::EPITHET | class::PLURAL);
            }
            lex.flag(&w, class::EPITHET);
        }
        for line in lines(src.verbs) {
            lex.add_verb(line, VerbRole::Speech);
        }
        let mut forms: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (w, e) in &lex.words {
            if e.forms
                .iter()
                .any(|&(v, _)| lex.verbs[v as usize].role == VerbRole::Speech)
            {
                forms.insert(w);
            }
        }
        lex.speech_forms = forms.len();
        for line in lines(src.speakers) {
            lex.add_noun(line, class::SPEAKER_NOUN);
        }
        for line in lines(src.titles) {
            lex.add_noun(line, class::TITLE_NOUN);
        }
        lex.add_phrases(src.phrases);
        // Mark the first words of phrases so that most words skip the phrase lookups.
        let starts: Vec<Box<str>> = lex.phrases.keys().cloned().collect();
        for w in starts {
            lex.flag(&w, class::PHRASE_START);
            let cues: Vec<Phrase> = lex.phrases[&w]
                .iter()
                .filter(|ph| !ph.kind.is_noun())
                .cloned()
                .collect();
            let at = u32::try_from(lex.cue_phrases.len()).expect("a few hundred phrase starts");
            lex.cue_phrases.push(cues);
            if let Some(e) = lex.words.get_mut(&w) {
                e.cue_phrases = at;
            }
        }
        let starts: Vec<Box<str>> = lex.speaker_phrases.keys().cloned().collect();
        for w in starts {
            lex.flag(&w, class::ROLE_PHRASE_START);
        }
        if let Some(frames) = lex.phrases.get("#verb") {
            for (k, ph) in frames.iter().enumerate() {
                if let Some(Piece::Verb(v)) = ph.pieces.first() {
                    lex.frames_by_verb.entry(*v).or_default().push(k);
                }
            }
        }
        lex.small = SmallTable::new(
            lex.words
                .iter()
                .filter_map(|(w, e)| Some((SmallWord::of(w)?, e.clone()))),
        );
        lex.small_phrases = lex
            .phrases
            .iter()
            .filter_map(|(w, l)| Some((SmallWord::of(w)?, l.clone())))
            .collect();
        lex
    }

    fn flag(&mut self, word: &str, flags: u64) {
        self.words.entry(word.into()).or_default().flags |= flags;
    }

    fn form(&mut self, word: &str, verb: u32, form: Form) {
        if word.is_empty() {
            return;
        }
        let e = self.words.entry(word.into()).or_default();
        if !e.forms.contains(&(verb, form)) {
            e.forms.push((verb, form));
        }
    }

    /// Adds a verb line in the format of `fr-verbs.txt` or `en-verbs.txt`.
    fn add_verb(&mut self, line: &str, role: VerbRole) -> Option<u32> {
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let (lemma, pronominal) = match fields[0].strip_prefix("se:") {
            Some(l) => (l, true),
            None => (fields[0], false),
        };
        let id = self.verbs.len() as u32;
        // The complement of a multiword verb: what follows the first word of the infinitive.
        let lemma_tokens: Vec<&str> = lemma.split_whitespace().collect();
        let rest: Vec<Box<str>> = lemma_tokens[1..]
            .iter()
            .flat_map(|w| phrase_tokens(w))
            .collect();
        self.verbs.push(Verb {
            lemma: lemma.into(),
            pronominal,
            rest,
            role,
        });
        let head = |f: &str| f.split_whitespace().next().unwrap_or("").to_lowercase();
        match self.lang {
            Lang::Fr => {
                if fields.len() < 6 {
                    return None;
                }
                let inf = head(lemma);
                let (p3s, p3p, part, ps, imp) = (
                    head(fields[1]),
                    head(fields[2]),
                    head(fields[3]),
                    head(fields[4]),
                    head(fields[5]),
                );
                self.form(&inf, id, Form::Infinitive);
                self.form(&p3s, id, Form::Finite);
                self.form(&p3p, id, Form::Finite);
                self.form(&ps, id, Form::Finite);
                self.form(&imp, id, Form::Finite);
                for p in participle_agreements(&part) {
                    self.form(&p, id, Form::Participle);
                }
                if let Some(stem) = imp.strip_suffix("ait") {
                    self.form(&format!("{stem}aient"), id, Form::Finite);
                    self.form(&format!("{stem}ant"), id, Form::Gerund);
                }
                for p in passe_simple_plural(&ps) {
                    self.form(&p, id, Form::Finite);
                }
                if let Some(fut) = future_stem(&inf) {
                    self.form(&format!("{fut}a"), id, Form::Finite);
                    self.form(&format!("{fut}ont"), id, Form::Finite);
                    self.form(&format!("{fut}ait"), id, Form::Finite);
                    self.form(&format!("{fut}aient"), id, Form::Finite);
                }
            }
            Lang::En => {
                if fields.len() < 5 {
                    return None;
                }
                let (base, s3, past, part, ing) = (
                    head(lemma),
                    head(fields[1]),
                    head(fields[2]),
                    head(fields[3]),
                    head(fields[4]),
                );
                self.form(&base, id, Form::Finite);
                self.form(&base, id, Form::Infinitive);
                self.form(&s3, id, Form::Finite);
                self.form(&past, id, Form::Finite);
                self.form(&part, id, Form::Participle);
                self.form(&ing, id, Form::Gerund);
            }
        }
        Some(id)
    }

    /// Adds a speaker or title noun, with its plurals.
    fn add_noun(&mut self, line: &str, flag: u64) {
        let tokens = phrase_tokens(line);
        if tokens.len() > 1 {
            if flag == class::SPEAKER_NOUN {
                // The plural of a multiword noun inflects its first word (chefs de file).
                let mut all = vec![tokens.clone()];
                for p in plurals(self.lang, &tokens[0]) {
                    let mut t = tokens.clone();
                    t[0] = p.into();
                    all.push(t);
                }
                for t in all {
                    self.speaker_phrases
                        .entry(t[0].clone())
                        .or_default()
                        .push(t);
                }
            } else {
                self.title_phrases.push(tokens.clone());
            }
            // The last word alone is not flagged: `ministre` is listed on its own if wanted.
            return;
        }
        let Some(word) = tokens.first() else {
            return;
        };
        self.flag(word, flag);
        if flag == class::SPEAKER_NOUN {
            for p in plurals(self.lang, word) {
                self.flag(&p, flag | class::PLURAL);
            }
            // A noun listed in the plural (`authorities`) speaks in the singular too.
            if self.lang == Lang::En {
                if let Some(s) = word.strip_suffix("ies") {
                    self.flag(&format!("{s}y"), flag);
                } else if let Some(s) = word.strip_suffix('s').filter(|s| !s.ends_with('s')) {
                    self.flag(s, flag);
                }
            }
        }
    }

    fn add_phrases(&mut self, text: &str) {
        // First the verbs of frames and modals, which other lines refer to.
        for line in lines(text) {
            if let Some(rest) = line.strip_prefix("fverb|") {
                self.add_verb(rest, VerbRole::Frame);
            }
        }
        for line in lines(text) {
            let Some((tag, body)) = line.split_once('|') else {
                continue;
            };
            if tag == "adj" {
                let a = body.trim().to_lowercase();
                for f in adjective_agreements(self.lang, &a) {
                    self.adjectives.insert(f.into(), ());
                }
                continue;
            }
            let kind = match tag {
                "prep" => PhraseKind::Prep,
                "intro" => PhraseKind::Intro,
                "noun" => PhraseKind::Noun,
                "venue" => PhraseKind::Venue,
                "impersonal" => PhraseKind::Impersonal,
                "anaphor" => PhraseKind::Anaphor,
                "pattern" => PhraseKind::Pattern { slot: 0 },
                "frame" => PhraseKind::Frame,
                "modal" => PhraseKind::Modal,
                _ => continue,
            };
            self.add_phrase(body.trim(), kind);
        }
    }

    fn add_phrase(&mut self, body: &str, mut kind: PhraseKind) {
        let mut negated = false;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut words: Vec<&str> = body.split_whitespace().collect();
        if matches!(kind, PhraseKind::Frame | PhraseKind::Modal) && self.lang == Lang::Fr {
            // `ne pas cacher …`: the negation is split around the verb in drafts.
            if words.len() > 2 && words[0] == "ne" && matches!(words[1], "pas" | "plus") {
                negated = true;
                words.drain(..2);
            }
            // The verb: `se vouloir`, `s'empresser de`, `tenir à`.
            let (pronominal, lemma_at) = match words.first() {
                Some(&"se") => (true, 1),
                Some(w) if w.starts_with("s'") => (true, 0),
                _ => (false, 0),
            };
            let lemma = words
                .get(lemma_at)
                .map(|w| w.trim_start_matches("s'"))
                .unwrap_or("");
            let verb = self
                .verbs
                .iter()
                .position(|v| &*v.lemma == lemma && (v.pronominal == pronominal || !pronominal))
                .or_else(|| self.verbs.iter().position(|v| &*v.lemma == lemma));
            let Some(verb) = verb else {
                return;
            };
            pieces.push(Piece::Verb(verb as u32));
            words.drain(..=lemma_at);
        }
        for (k, w) in words.iter().enumerate() {
            match *w {
                "ADJ" => pieces.push(Piece::Adj),
                "POSS" => pieces.push(Piece::Poss),
                "X" => {
                    if let PhraseKind::Pattern { .. } = kind {
                        kind = PhraseKind::Pattern { slot: pieces.len() };
                    }
                    pieces.push(Piece::Speaker);
                }
                "X's" | "X’s" => {
                    if let PhraseKind::Pattern { .. } = kind {
                        kind = PhraseKind::Pattern { slot: pieces.len() };
                    }
                    pieces.push(Piece::Possessor);
                }
                _ => {
                    // `on X` in venues is the network: a literal word.
                    let _ = k;
                    for t in phrase_tokens(w) {
                        pieces.push(Piece::Word(t));
                    }
                }
            }
        }
        let key: Box<str> = match pieces.first() {
            Some(Piece::Word(w)) => w.clone(),
            Some(Piece::Verb(_)) => "#verb".into(),
            Some(Piece::Speaker) | Some(Piece::Possessor) => "#speaker".into(),
            _ => return,
        };
        self.phrases.entry(key).or_default().push(Phrase {
            pieces,
            kind,
            negated,
        });
    }

    #[inline]
    pub fn entry(&self, lower: &str) -> Option<&Entry> {
        match SmallWord::of(lower) {
            Some(k) => self.small.get(&k),
            None => self.words.get(lower),
        }
    }

    /// `phrases[lower]`, by the packed key when the word is short (see [`Lexicon::entry`]).
    pub fn phrases_of(&self, lower: &str) -> Option<&Vec<Phrase>> {
        match SmallWord::of(lower) {
            Some(k) => self.small_phrases.get(&k),
            None => self.phrases.get(lower),
        }
    }

    /// The cue phrases an entry's word starts ([`Lexicon::phrases_of`] without the nouns).
    pub fn cue_phrases_of(&self, entry: &Entry) -> &[Phrase] {
        self.cue_phrases
            .get(entry.cue_phrases as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub fn flags(&self, lower: &str) -> u64 {
        self.entry(lower).map_or(0, |e| e.flags)
    }
}

/// `déclaré` → déclaré, déclarée, déclarés, déclarées; `mis` → mis, mise, mises.
fn participle_agreements(p: &str) -> Vec<String> {
    if p.is_empty() {
        return Vec::new();
    }
    if p.ends_with('s') {
        vec![p.to_string(), format!("{p}e"), format!("{p}es")]
    } else {
        vec![
            p.to_string(),
            format!("{p}e"),
            format!("{p}s"),
            format!("{p}es"),
        ]
    }
}

/// `déclara` → déclarèrent; `dit` → dirent; `conclut` → conclurent; `vint` → vinrent.
fn passe_simple_plural(ps: &str) -> Vec<String> {
    if let Some(stem) = ps.strip_suffix('a') {
        return vec![format!("{stem}èrent")];
    }
    for (end, plural) in [("int", "inrent"), ("it", "irent"), ("ut", "urent")] {
        if let Some(stem) = ps.strip_suffix(end) {
            return vec![format!("{stem}{plural}")];
        }
    }
    Vec::new()
}

/// The future stem of a regular infinitive: `déclarer` → déclarer, `dire` → dir.
fn future_stem(inf: &str) -> Option<String> {
    if inf.ends_with("er") || inf.ends_with("ir") {
        Some(inf.to_string())
    } else {
        inf.strip_suffix("re").map(|s| format!("{s}r"))
    }
}

/// Plurals of a noun: French -s/-x (-al → -aux, -eau → -eaux), English -s/-es/-ies.
pub fn plurals(lang: Lang, w: &str) -> Vec<String> {
    match lang {
        Lang::Fr => {
            if w.ends_with('s') || w.ends_with('x') || w.ends_with('z') {
                Vec::new()
            } else if let Some(s) = w.strip_suffix("al") {
                vec![format!("{s}aux"), format!("{w}s")]
            } else if w.ends_with("eau") || w.ends_with("eu") {
                vec![format!("{w}x")]
            } else {
                vec![format!("{w}s")]
            }
        }
        Lang::En => {
            if let Some(s) = w.strip_suffix("man") {
                vec![format!("{s}men")]
            } else if let Some(s) = w.strip_suffix("person") {
                vec![format!("{s}people"), format!("{w}s")]
            } else if w.ends_with('s') || w.ends_with("sh") || w.ends_with("ch") || w.ends_with('x')
            {
                vec![format!("{w}es")]
            } else if w.ends_with('y')
                && !w.ends_with("ay")
                && !w.ends_with("ey")
                && !w.ends_with("oy")
            {
                vec![format!("{}ies", &w[..w.len() - 1])]
            } else {
                vec![format!("{w}s")]
            }
        }
    }
}

/// Gender and number forms of a French adjective (`prudent` → prudente, prudents…).
fn adjective_agreements(lang: Lang, a: &str) -> Vec<String> {
    if lang == Lang::En {
        return vec![a.to_string()];
    }
    let fem = if a.ends_with('e') {
        a.to_string()
    } else if let Some(s) = a.strip_suffix("eux") {
        format!("{s}euse")
    } else if let Some(s) = a.strip_suffix("if") {
        format!("{s}ive")
    } else if let Some(s) = a.strip_suffix("er") {
        format!("{s}ère")
    } else if let Some(s) = a.strip_suffix("et") {
        format!("{s}ète")
    } else if a.ends_with("el") || a.ends_with("en") {
        format!("{a}{}e", &a[a.len() - 1..])
    } else {
        format!("{a}e")
    };
    let mut out = vec![a.to_string(), fem.clone()];
    out.extend(plurals(Lang::Fr, a));
    out.extend(plurals(Lang::Fr, &fem));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_forms_are_derived() {
        let lex = builtin(Lang::Fr);
        for w in [
            "déclare",
            "déclarent",
            "déclaré",
            "déclarée",
            "déclarés",
            "déclara",
            "déclarait",
            "déclaraient",
            "déclarant",
            "déclarèrent",
            "déclarera",
            "dit",
            "disant",
            "admis",
            "admise",
        ] {
            let e = lex.entry(w).unwrap_or_else(|| panic!("{w} is not a form"));
            assert!(!e.forms.is_empty(), "{w}");
        }
        assert!(lex.speech_forms >= 1000, "{} forms", lex.speech_forms);
    }

    #[test]
    fn english_forms_and_phrases() {
        let lex = builtin(Lang::En);
        for w in ["says", "said", "told", "tweeted", "adding"] {
            assert!(lex.entry(w).is_some_and(|e| !e.forms.is_empty()), "{w}");
        }
        assert!(lex.phrases.contains_key("according"));
    }

    #[test]
    fn the_short_words_table_finds_every_entry_and_no_other_word() {
        for lang in [Lang::Fr, Lang::En] {
            let lex = builtin(lang);
            let mut short = 0;
            for (w, e) in &lex.words {
                let found = lex.entry(w).expect("every word of the lexicon is found");
                assert_eq!(found.flags, e.flags, "{w}");
                assert_eq!(found.forms, e.forms, "{w}");
                assert_eq!(found.cue_phrases, e.cue_phrases, "{w}");
                short += usize::from(w.len() <= 16);
            }
            assert!(short > 1000, "{short}");
            // Words of every length that the lexicon does not hold, and prefixes of its own.
            for w in [
                "",
                "x",
                "zz",
                "qqq",
                "valbrune",
                "anticonstitutionnellement",
                "déclarer",
            ] {
                assert_eq!(lex.entry(w).is_some(), lex.words.contains_key(w), "{w}");
            }
            for (w, _) in lex.words.iter().take(500) {
                for end in (1..w.len()).filter(|&k| w.is_char_boundary(k)) {
                    let p = &w[..end];
                    assert_eq!(lex.entry(p).is_some(), lex.words.contains_key(p), "{p}");
                }
            }
        }
    }

    #[test]
    fn nouns_get_plurals() {
        let lex = builtin(Lang::Fr);
        assert!(lex.flags("syndicats") & class::SPEAKER_NOUN != 0);
        assert!(lex.flags("film") & class::TITLE_NOUN != 0);
        let en = builtin(Lang::En);
        assert!(en.flags("residents") & class::SPEAKER_NOUN != 0);
        assert!(en.flags("spokespeople") & class::SPEAKER_NOUN != 0);
    }

    #[test]
    fn frames_are_parsed() {
        let lex = builtin(Lang::Fr);
        let frames = lex.phrases.get("#verb").expect("frames by verb");
        assert!(
            frames
                .iter()
                .any(|p| p.kind == PhraseKind::Frame && p.negated)
        );
        assert!(lex.adjectives.contains_key("rassurante"));
    }
}
