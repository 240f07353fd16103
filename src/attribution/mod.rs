//! Who said it: for every quotation of a draft, whether it reports someone's words (or is a
//! title, a name, a term), and if so the reporting cue and the speaker.
//!
//! The engine reads each paragraph that holds a quotation (and the few before it, for the
//! people they name) once: tokens, sentences, the cues of each sentence with the phrase that
//! names their speaker. A quotation takes the cue of its own sentence (a preposition such as
//! `selon X` first, then an incise right after it, one inside it, a colon right before it, the
//! nearest cue before it, one later in the sentence), else the cue of the sentence before or
//! after it in the paragraph, else the attribution of the quotation it continues (over
//! paragraphs, or as a paragraph that opens with a quotation right after the speaker's
//! quotation). Pronouns and descriptions are resolved to the people the draft names.
//! See `docs/attribution.md`.

pub mod classify;
pub mod cues;
pub mod lexicon;
pub mod para;
pub mod speakers;
pub mod tokens;
pub mod words;

pub use classify::{Class, Evidence};

use crate::config::Config;
use crate::language::Lang;
use crate::quotes::Quotes;
use cues::{Cue, CueKind, Who, sentence_cues, sentence_cues_into};
use lexicon::{Entry, Form};
use para::{Lookup, Para};
use speakers::{Np, Registry, text_of};
use std::ops::Range;
use std::sync::Arc;
use tokens::Kind;
use words::class;

/// The person credited with a quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// Who it is: the name as the draft writes it (`Manuel Valls`), the person a pronoun or a
    /// description stands for, or the description itself (`la porte-parole de la mairie`).
    /// Shared: a speaker is copied to every quotation of a run and to the engine's memory of
    /// the last one credited. Empty with [`Speakers::AsWritten`], as is `written`.
    pub name: Arc<str>,
    /// The words that credit them at the cue (`il`, `le chef du gouvernement`, `Valls`).
    pub written: Arc<str>,
    /// Byte range of `written` in the draft.
    pub range: Range<usize>,
}

/// The words that attribute a quotation: `a-t-il tranché`, `selon`, `said`, or a colon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueWords {
    /// The words (empty with [`Speakers::AsWritten`]).
    pub text: Arc<str>,
    pub range: Range<usize>,
}

/// How the attribution was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A cue in the quotation's own sentence.
    Sentence,
    /// An incise inside the quotation (`« …, poursuit le ministre. … »`).
    Incise,
    /// An introduction ending in a colon.
    Colon,
    PreviousSentence,
    NextSentence,
    /// Part of a quotation over several paragraphs, or a paragraph that continues the same
    /// speaker's quotation.
    Continuation,
    /// A quotation inside a quotation: credited with the outer one.
    Nested,
}

/// What an uncredited quotation lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A reporting cue was found, but nobody it credits (`a été décrit comme`, `a-t-on appris`).
    Speaker,
    /// Someone is named nearby, but no verb says they spoke.
    Cue,
    /// Neither.
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub class: Class,
    pub evidence: Evidence,
    pub speaker: Option<Speaker>,
    pub cue: Option<CueWords>,
    pub via: Option<Via>,
    /// For speech with no speaker: what is missing.
    pub missing: Option<Missing>,
}

impl Attribution {
    fn unread() -> Attribution {
        Attribution {
            class: Class::Speech,
            evidence: Evidence::Sentence,
            speaker: None,
            cue: None,
            via: None,
            missing: Some(Missing::Both),
        }
    }

    /// Speech that nobody in the draft is credited with.
    pub fn is_unattributed_speech(&self) -> bool {
        self.class == Class::Speech && self.speaker.is_none() && self.missing.is_some()
    }
}

/// Extra cues from the configuration, as lexicon entries (verb forms as written, plus the
/// regular forms of a French `-er` infinitive or an English base form).
fn extra_cues(lang: Lang, lex: &lexicon::Lexicon, config: &Config) -> Vec<(Box<str>, Entry)> {
    let list = match lang {
        Lang::Fr => &config.cues_fr,
        Lang::En => &config.cues_en,
    };
    let mut out: Vec<(Box<str>, Entry)> = Vec::new();
    let Some(id) = lex
        .verbs
        .iter()
        .position(|v| v.role == lexicon::VerbRole::Speech)
    else {
        return out;
    };
    // Extra cues share the first verb's metadata slot only for its role; the forms are ours.
    let _ = id;
    for cue in list {
        // A cue written as a phrase (`a-t-il lancé`, `told reporters`) teaches its verb: the
        // first word that is not a grammar word.
        let words = lexicon::phrase_tokens(cue.trim());
        let grammar = words::class::AUX_HAVE
            | words::class::AUX_BE
            | words::class::PRON3
            | words::class::PERSON12
            | words::class::DET
            | words::class::PREP
            | words::class::CLITIC
            | words::class::NEGATION;
        let Some(w) = words
            .iter()
            .find(|w| lex.flags(w) & grammar == 0 && w.chars().any(char::is_alphabetic))
            .map(|w| w.to_string())
        else {
            continue;
        };
        let mut forms = vec![(w.clone(), Form::Finite), (w.clone(), Form::Participle)];
        match lang {
            Lang::Fr => {
                if let Some(stem) = w.strip_suffix("er") {
                    for (end, f) in [
                        ("e", Form::Finite),
                        ("ent", Form::Finite),
                        ("a", Form::Finite),
                        ("ait", Form::Finite),
                        ("aient", Form::Finite),
                        ("é", Form::Participle),
                        ("ée", Form::Participle),
                        ("és", Form::Participle),
                        ("ées", Form::Participle),
                        ("ant", Form::Gerund),
                    ] {
                        forms.push((format!("{stem}{end}"), f));
                    }
                }
            }
            Lang::En => {
                let stem = w.strip_suffix('e').unwrap_or(&w).to_string();
                forms.push((format!("{w}s"), Form::Finite));
                forms.push((format!("{stem}ed"), Form::Finite));
                forms.push((format!("{stem}ed"), Form::Participle));
                forms.push((format!("{stem}ing"), Form::Gerund));
            }
        }
        for (f, form) in forms {
            let mut e = lex.entry(&f).cloned().unwrap_or_default();
            let verb = lex
                .verbs
                .iter()
                .position(|v| {
                    v.role == lexicon::VerbRole::Speech && v.rest.is_empty() && !v.pronominal
                })
                .unwrap_or(0) as u32;
            if !e
                .forms
                .iter()
                .any(|&(v, x)| x == form && lex.verbs[v as usize].role == lexicon::VerbRole::Speech)
            {
                e.forms.push((verb, form));
            }
            // One entry per written word, holding all its readings.
            match out.iter_mut().find(|(w, _)| **w == *f) {
                Some((_, known)) => {
                    for r in e.forms {
                        if !known.forms.contains(&r) {
                            known.forms.push(r);
                        }
                    }
                }
                None => out.push((f.into(), e)),
            }
        }
    }
    out
}

/// How far the engine goes with speakers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speakers {
    /// Speakers where the cue writes them (`il`, `la ministre`, `Valls`): enough to say
    /// whether a quotation is credited, which is all the rules need. Reads only the paragraphs
    /// holding quotations and the one before each, and keeps no registry of people: a
    /// quotation's attribution then depends on its own paragraph and the one before it only.
    /// The speakers' and cues' words are not copied out of the draft: their `range`s are set,
    /// their `name`, `written` and `text` are empty (the copies were 3% of an analysis).
    AsWritten,
    /// Pronouns and descriptions resolved to the people the draft names anywhere before them
    /// (`il` → Manuel Valls): for hovers, the outline and the corpus. Same findings, more work.
    Resolved,
}

/// One read paragraph with its sentences' cues.
struct Read<'t, 'l> {
    para: Para<'t, 'l>,
    cues: Cues,
}

/// The paragraph before the one being attributed, for the few rules that look back (a colon
/// introduction, a quotation continued, `Et d'ajouter`): notes whether one did.
struct Prev<'r, 't, 'l> {
    read: Option<&'r Read<'t, 'l>>,
    asked: std::cell::Cell<bool>,
}

impl<'r, 't, 'l> Prev<'r, 't, 'l> {
    fn get(&self) -> Option<&'r Read<'t, 'l>> {
        self.asked.set(true);
        self.read
    }
}

/// The cues of each sentence of a paragraph that a quotation may use, each sentence's found
/// the first time the engine asks for them: most quotations are credited in their own
/// sentence, and the sentences around them are then never searched.
#[derive(Default)]
struct Cues {
    /// Sentence `k`'s cues, once asked for.
    of: Vec<std::cell::OnceCell<Vec<Cue>>>,
    /// Which sentences a quotation may use: the others have no cues.
    wanted: Vec<bool>,
    /// Lists of a paragraph done with, for the next sentences' cues (no allocation per
    /// sentence once the first paragraphs are read).
    spare: std::cell::RefCell<Vec<Vec<Cue>>>,
}

impl Cues {
    /// Ready for a paragraph of `n` sentences, none wanted yet; the lists of the last
    /// paragraph read are kept for their memory.
    fn reset(&mut self, n: usize) {
        let spare = self.spare.get_mut();
        spare.extend(self.of.iter_mut().filter_map(std::cell::OnceCell::take));
        self.of.clear();
        self.of.resize_with(n, Default::default);
        self.wanted.clear();
        self.wanted.resize(n, false);
    }
}

impl<'t, 'l> Read<'t, 'l> {
    /// The cues of sentence `si`, if it is a sentence of the paragraph (none if no quotation
    /// may use them).
    fn cues(&self, si: usize) -> Option<&[Cue]> {
        let cell = self.cues.of.get(si)?;
        if !self.cues.wanted[si] {
            return Some(&[]);
        }
        Some(cell.get_or_init(|| {
            let mut list = self.cues.spare.borrow_mut().pop().unwrap_or_default();
            list.clear();
            sentence_cues_into(&self.para, &self.para.sentences[si], &mut list);
            list
        }))
    }

    /// The cues of the paragraph's last sentence.
    fn last_cues(&self) -> Option<&[Cue]> {
        self.cues(self.para.sentences.len().checked_sub(1)?)
    }
}

/// Attributes every quotation of a draft. `prose` is the draft with non-prose masked (same
/// offsets), read for words; `text` is the draft as typed, for the speakers' and cues' words.
/// The result is parallel to `quotes.quotations`.
pub fn attribute(
    prose: &str,
    text: &str,
    lang: Lang,
    paragraphs: &[Range<usize>],
    quotes: &Quotes,
    config: &Config,
    speakers: Speakers,
) -> Vec<Attribution> {
    let qs = &quotes.quotations;
    if qs.is_empty() {
        return Vec::new();
    }
    let lex = lexicon::builtin(lang);
    let extra = extra_cues(lang, lex, config);
    let look = Lookup { lex, extra: &extra };
    let mut out: Vec<Attribution> = vec![Attribution::unread(); qs.len()];
    let by_para = ByParagraph::new(qs, paragraphs.len());
    // Paragraphs to read: those with quotations and the one before each (a colon that
    // introduces, the quotation a paragraph continues), and a few more for the people named.
    let look_back = match speakers {
        Speakers::AsWritten => 1,
        Speakers::Resolved => 3,
    };
    let mut needed = vec![false; paragraphs.len()];
    for p in by_para.paragraphs() {
        let last = p.min(paragraphs.len().saturating_sub(1));
        needed[p.saturating_sub(look_back)..=last].fill(true);
    }
    // Words' lower case, borrowed from one copy of the paragraphs read rather than allocated.
    let lower = tokens::Lowered::new(prose, paragraphs, &needed);
    let mut engine = Engine {
        text,
        qs,
        registry: Registry::default(),
        resolve: speakers == Speakers::Resolved,
        last_speaker: None,
        out: &mut out,
        marks: Vec::new(),
        blank: Arc::from(""),
    };
    // Reads paragraph `pi`: its words, sentences and which sentences' cues a quotation may use
    // (its own sentence and the ones around it, and the last sentence before a paragraph that
    // holds quotations; their cues are searched when first asked for), in the memory of a
    // paragraph done with.
    let read_para = paragraph_reader(|pi, spare| {
        let (spare_para, mut cues) = match spare {
            Some(r) => (Some(r.para), r.cues),
            None => (None, Cues::default()),
        };
        let in_para = by_para.get(pi);
        let para = Para::read_into(
            spare_para,
            prose,
            lower.of(pi),
            paragraphs[pi].clone(),
            pi,
            qs,
            in_para.iter().copied(),
            &look,
        );
        let next_has_quotes = !by_para.get(pi + 1).is_empty();
        let n = para.sentences.len();
        cues.reset(n);
        let wanted = &mut cues.wanted;
        for (k, t) in para.toks.iter().enumerate() {
            if let Kind::Open(_) = t.kind {
                let si = para.sent_of[k] as usize;
                wanted[si.saturating_sub(1)..(si + 2).min(n)].fill(true);
            }
        }
        if next_has_quotes && n > 0 {
            wanted[n - 1] = true;
        }
        Read { para, cues }
    });
    let mut previous: Option<Read> = None;
    // Paragraphs done with (before the previous), whose memory the next ones reuse: kept
    // while paragraphs are skipped, so that their token lists are not allocated again.
    let mut spares: Vec<Read> = Vec::new();
    // With speakers as written, a paragraph without quotations is read only if the quotations
    // of the next one look back at it (most are credited in their own sentence): this one.
    let mut deferred: Option<usize> = None;
    for (pi, &need) in needed.iter().enumerate() {
        let in_para = by_para.get(pi);
        if !need || (!engine.resolve && in_para.is_empty()) {
            spares.extend(previous.take());
            deferred = need.then_some(pi);
            continue;
        }
        let read = read_para(pi, spares.pop());
        if engine.resolve {
            engine.note_mentions(&read.para);
        }
        if !in_para.is_empty() {
            match deferred.take() {
                Some(before) => {
                    // Attributed without the paragraph before; again with it if a rule looked.
                    let last_speaker = engine.last_speaker.clone();
                    if engine.paragraph(&read, None, in_para) {
                        engine.last_speaker = last_speaker;
                        for &qi in in_para {
                            engine.out[qi] = Attribution::unread();
                        }
                        let before = read_para(before, spares.pop());
                        engine.paragraph(&read, Some(&before), in_para);
                        spares.push(before);
                    }
                }
                None => {
                    engine.paragraph(&read, previous.as_ref(), in_para);
                }
            }
        }
        deferred = None;
        spares.extend(previous.replace(read));
    }
    engine.unify_runs();
    out
}

/// The quotations of each paragraph, as indices in the order of the draft: one list sorted by
/// paragraph (the scan already gives them so) and where each paragraph's part of it starts,
/// rather than a list per paragraph.
struct ByParagraph<'q> {
    qs: &'q [crate::quotes::Quotation],
    order: Vec<usize>,
    /// `starts[pi]`: where in `order` the quotations of paragraph `pi` and after start, for
    /// every `pi` up to one past the last paragraph.
    starts: Vec<usize>,
}

impl<'q> ByParagraph<'q> {
    fn new(qs: &'q [crate::quotes::Quotation], paragraphs: usize) -> Self {
        let mut order: Vec<usize> = (0..qs.len()).collect();
        // Stable: a paragraph's quotations keep their order.
        order.sort_by_key(|&k| qs[k].paragraph);
        let mut starts = Vec::with_capacity(paragraphs + 2);
        let mut at = 0;
        for pi in 0..paragraphs + 2 {
            while at < order.len() && qs[order[at]].paragraph < pi {
                at += 1;
            }
            starts.push(at);
        }
        ByParagraph { qs, order, starts }
    }

    /// The quotations of paragraph `pi` (at most one past the last paragraph).
    fn get(&self, pi: usize) -> &[usize] {
        match (self.starts.get(pi), self.starts.get(pi + 1)) {
            (Some(&a), Some(&b)) => &self.order[a..b],
            _ => &[],
        }
    }

    /// The paragraphs that hold quotations, in order, each once.
    fn paragraphs(&self) -> impl Iterator<Item = usize> + '_ {
        let mut last = None;
        self.order.iter().filter_map(move |&k| {
            let p = self.qs[k].paragraph;
            (last.replace(p) != Some(p)).then_some(p)
        })
    }
}

/// Pins the closure that reads a paragraph to one pair of lifetimes (what it reuses and what it
/// returns borrow the same text and lower-cased copy).
fn paragraph_reader<'t, 'l, F>(f: F) -> F
where
    F: Fn(usize, Option<Read<'t, 'l>>) -> Read<'t, 'l>,
{
    f
}

struct Engine<'a, 'q> {
    text: &'a str,
    qs: &'q [crate::quotes::Quotation],
    registry: Registry,
    /// Whether speakers are resolved to the people of `registry` ([`Speakers::Resolved`]).
    resolve: bool,
    /// The last credited speaker: (paragraph, speaker).
    last_speaker: Option<(usize, Speaker)>,
    out: &'a mut Vec<Attribution>,
    /// The tokens of each quotation's marks in the paragraph being attributed (kept for its
    /// memory).
    marks: Vec<(Option<usize>, Option<usize>)>,
    /// The empty words of speakers and cues with speakers as written (one string shared,
    /// cloned by its count).
    blank: Arc<str>,
}

/// What the engine found for one quotation before resolving its speaker.
struct Found {
    cue: Cue,
    via: Via,
    /// Where the cue is: paragraph, sentence.
    at: (usize, u32),
}

impl Engine<'_, '_> {
    /// Records the people a paragraph names, with the subject of each sentence marked; a
    /// subject pronoun is resolved as it comes, so that `il … il … a-t-il dit` follows one person.
    fn note_mentions(&mut self, p: &Para) {
        for (si, s) in p.sentences.iter().enumerate() {
            let subject = cues::sentence_subject(p, s);
            if let Some(np) = subject.as_ref().filter(|np| np.pronoun.is_some()) {
                let pr = np.pronoun.unwrap_or(speakers::Pronoun {
                    gender: speakers::Gender::Unknown,
                    plural: false,
                });
                if let Some(id) = self.registry.resolve_pronoun(
                    pr,
                    (p.index, si as u32, np.range.start),
                    p.lex.lang,
                ) {
                    self.registry
                        .mention(id, p.index, si as u32, np.range.start, true);
                }
            }
            let subject = subject.map(|np| np.range.start);
            let mut i = s.start;
            while i < s.end {
                let t = &p.toks[i];
                let candidate = t.depth == 0
                    && t.is_word()
                    && (t.cap
                        && !p.has(
                            i,
                            class::DET
                                | class::PREP
                                | class::PRON3
                                | class::PERSON12
                                | class::SUBORD
                                | class::COORD
                                | class::ADVERB
                                | class::TIME
                                | class::DEMONSTRATIVE,
                        )
                        || p.has(i, class::DET)
                            && (i + 1..(i + 4).min(s.end)).any(|k| p.has(k, class::SPEAKER_NOUN))
                        || t.text.starts_with(|c: char| c.is_ascii_digit())
                            && p.has(i + 1, class::SPEAKER_NOUN));
                // A capitalised word after a preposition of place is a place (`à Paris`,
                // `au Grand Palais`): skip the whole name.
                if candidate && t.cap && i > s.start && p.has(i - 1, class::PLACE_PREP) {
                    while i < s.end
                        && p.toks[i].is_word()
                        && (p.toks[i].cap
                            || p.has(i, class::PREP) && p.toks.get(i + 1).is_some_and(|n| n.cap))
                    {
                        i += 1;
                    }
                    continue;
                }
                // `du Premier ministre Manuel Valls`: the phrase starts after the preposition.
                if candidate && p.has(i, class::PREP) && p.has(i, class::DET) {
                    i += 1;
                    continue;
                }
                if candidate
                    && let Some(np) = speakers::np_after(p, i, s.end)
                    && np.range.start == i
                    && (np.name.is_some() || np.role.is_some() || np.epithet || np.organisation)
                {
                    // A phrase with no determiner before a comma at the head of a sentence
                    // describes the subject that follows (`Professeure de lettres à Mâcon,
                    // l'autrice…`): not a person of its own.
                    let detached =
                        speakers::sentence_initial(p, i) && speakers::detached(p, &np, s.end);
                    if detached {
                        i = np.range.end.max(i + 1);
                        continue;
                    }
                    let is_subject = subject == Some(i);
                    self.registry.note(p, self.text, &np, si as u32, is_subject);
                    i = np.range.end.max(i + 1);
                    continue;
                }
                i += 1;
            }
        }
    }

    /// Attributes the quotations `in_para` of a paragraph. Returns whether a rule looked at the
    /// paragraph before (`attribute` reads a paragraph without quotations only on demand).
    fn paragraph(&mut self, read: &Read, previous: Option<&Read>, in_para: &[usize]) -> bool {
        let previous = &Prev {
            read: previous,
            asked: std::cell::Cell::new(false),
        };
        let p = &read.para;
        // The tokens of each quotation's marks, found in one pass.
        let first = in_para.first().copied().unwrap_or(0);
        let mut marks = std::mem::take(&mut self.marks);
        marks.clear();
        marks.resize(in_para.len(), (None, None));
        for (k, t) in p.toks.iter().enumerate() {
            match t.kind {
                Kind::Open(q) if q as usize >= first && q as usize - first < marks.len() => {
                    marks[q as usize - first].0 = Some(k)
                }
                Kind::Close(q) if q as usize >= first && q as usize - first < marks.len() => {
                    marks[q as usize - first].1 = Some(k)
                }
                _ => {}
            }
        }
        for &qi in in_para {
            let q = &self.qs[qi];
            let Some((Some(open), close)) = marks.get(qi - first).copied() else {
                continue;
            };
            let si = p.sent_of[open] as usize;
            let sentence = p.sentences[si].clone();
            let (class, evidence) = if q.depth > 0 {
                classify::classify_nested(p, open, close)
            } else {
                classify::classify(p, open, close, &sentence, read.cues(si).unwrap_or(&[]))
            };
            // A publication cited by its title, for `l'hebdomadaire` to find later.
            if class == Class::Title && open > 0 {
                let before = p.word(open - 1);
                let cites = matches!(
                    before,
                    "selon" | "d'après" | "dans" | "au" | "par" | "in" | "by"
                ) || before == "to" && open > 1 && p.word(open - 2) == "according";
                if cites
                    && self.resolve
                    && let Some(c) = close
                {
                    let title = &self.text[p.toks[open].range.end..p.toks[c].range.start];
                    self.registry
                        .note_publication(title, p.index, si as u32, open);
                }
            }
            let mut att = Attribution {
                class,
                evidence,
                speaker: None,
                cue: None,
                via: None,
                missing: None,
            };
            if q.depth > 0 {
                // Words quoted inside a quotation are vouched for by the outer speaker.
                if let Some(parent) = q.parent {
                    let outer = self.out[parent].clone();
                    att.speaker = outer.speaker;
                    att.cue = outer.cue;
                    att.via = Some(Via::Nested);
                }
                self.out[qi] = att;
                continue;
            }
            let found = self.find(read, previous, qi, open, close, si);
            match found {
                Some(f) => {
                    let speaker = self.speaker_of(read, previous, &f.cue, f.at);
                    let cue_para = if f.at.0 == p.index {
                        p
                    } else {
                        previous.get().map_or(p, |r| &r.para)
                    };
                    let blank = (!self.resolve).then_some(&self.blank);
                    att.cue = Some(cue_words(self.text, cue_para, &f.cue, blank));
                    att.via = Some(f.via);
                    match speaker {
                        Some(s) => {
                            self.last_speaker = Some((p.index, s.clone()));
                            att.speaker = Some(s);
                        }
                        // `Et d'ajouter :` credits whoever spoke before, even when the draft
                        // does not say who that was within reach.
                        None if f.cue.kind == CueKind::Intro => {}
                        None => att.missing = Some(Missing::Speaker),
                    }
                }
                None => {
                    // A quotation continuing the previous paragraph's quotation, or opening a
                    // paragraph right after the same speaker's quotation.
                    if let Some(s) = self.chained(read, previous, qi, open) {
                        self.last_speaker = Some((p.index, s.0.clone()));
                        att.speaker = Some(s.0);
                        att.cue = s.1;
                        att.via = Some(Via::Continuation);
                    } else {
                        att.missing = Some(self.missing_kind(p, si));
                    }
                }
            }
            if att.class != Class::Speech && att.speaker.is_none() {
                att.missing = None;
            }
            self.out[qi] = att;
        }
        self.marks = marks;
        previous.asked.get()
    }

    /// The cue that credits quotation `qi`, by the order of preference described at the top.
    fn find(
        &self,
        read: &Read,
        previous: &Prev<'_, '_, '_>,
        qi: usize,
        open: usize,
        close: Option<usize>,
        si: usize,
    ) -> Option<Found> {
        let p = &read.para;
        let here = (p.index, si as u32);
        let usable = |c: &Cue| {
            !c.negated
                && c.kind != CueKind::Anaphor
                && (c.has_speaker()
                    || matches!(c.who, Who::Nobody | Who::FirstPerson) && c.kind != CueKind::Colon)
        };
        let cues = read.cues(si).unwrap_or(&[]);
        let close_at = close.unwrap_or(open);
        // 1. `selon X`, `according to X` anywhere in the sentence.
        if let Some(c) = cues
            .iter()
            .filter(|c| c.kind == CueKind::Prep && c.has_speaker())
            .min_by_key(|c| c.words.start.abs_diff(open))
        {
            return Some(Found {
                cue: c.clone(),
                via: Via::Sentence,
                at: here,
            });
        }
        // 2. Right after the quotation: `», a-t-il dit`, `," Smith said`.
        if close.is_some()
            && let Some(c) = cues.iter().find(|c| {
                usable(c) && c.words.start > close_at && {
                    let gap = (close_at + 1..c.words.start)
                        .filter(|&k| !matches!(p.toks[k].kind, Kind::Punct(',' | '—' | '?' | '!')))
                        .count();
                    gap == 0
                        || !c.inverted
                            && speaker_starts(c)
                                == Some(close_at + 1 + usize::from(p.is_punct(close_at + 1, ',')))
                }
            })
        {
            return Some(Found {
                cue: c.clone(),
                via: Via::Sentence,
                at: here,
            });
        }
        // 3. An incise inside the quotation: `« …, poursuit le ministre. … »`.
        if let Some(c) = incise(p, open, close) {
            return Some(Found {
                cue: c,
                via: Via::Incise,
                at: here,
            });
        }
        // 4. A colon right before it, 5. the nearest cue before it that names someone (a cue
        // in a relative clause only when no other cue does).
        let before_cues = || {
            cues.iter().rev().filter(|c| {
                c.words.end <= open
                    && usable(c)
                    && (c.kind != CueKind::Colon || c.words.end == open)
            })
        };
        let before = before_cues()
            .find(|c| c.has_speaker() && !c.relative)
            .or_else(|| before_cues().find(|c| c.has_speaker()));
        if let Some(c) = before {
            return Some(Found {
                cue: c.clone(),
                via: if c.kind == CueKind::Colon {
                    Via::Colon
                } else {
                    Via::Sentence
                },
                at: here,
            });
        }
        // A cue that names nobody (`a été décrit comme`, `a-t-on appris`), kept in case
        // nothing else credits the quotation.
        let nobody = before_cues()
            .find(|c| !c.has_speaker() && c.kind != CueKind::Colon)
            .cloned();
        // 6. Later in the sentence: `« … » si la mousson se prolonge, a averti l'Unicef`.
        if let Some(c) = cues.iter().find(|c| {
            c.words.start > close_at && usable(c) && c.has_speaker() && c.kind != CueKind::Colon
        }) {
            return Some(Found {
                cue: c.clone(),
                via: Via::Sentence,
                at: here,
            });
        }
        // The quotation opens with a verb of speech, after its subject:
        // `la direction « regrette cette décision »`.
        if let Some(c) = cues::verb_inside(p, open, &p.sentences[si]) {
            return Some(Found {
                cue: c,
                via: Via::Sentence,
                at: here,
            });
        }
        // 7. The sentence before, in the paragraph (or the colon ending the paragraph before).
        if si > 0 {
            if let Some(c) = read
                .cues(si - 1)
                .unwrap_or(&[])
                .iter()
                .rev()
                .find(|c| usable(c) && c.has_speaker() && !c.relative)
            {
                return Some(Found {
                    cue: c.clone(),
                    via: Via::PreviousSentence,
                    at: (p.index, si as u32 - 1),
                });
            }
        } else if let Some(prev) = previous.get() {
            let opens_paragraph = p
                .toks
                .iter()
                .position(|t| t.is_word() || matches!(t.kind, Kind::Open(_)))
                == Some(open);
            if opens_paragraph
                && prev.para.index + 1 == p.index
                && let (Some(last), Some(cs)) = (prev.para.sentences.last(), prev.last_cues())
            {
                let ends_colon = prev.para.toks[..last.end]
                    .iter()
                    .rev()
                    .find(|t| t.depth == 0)
                    .is_some_and(|t| t.is_punct(':'));
                if ends_colon
                    && let Some(c) = cs.iter().rev().find(|c| c.has_speaker() && !c.negated)
                {
                    return Some(Found {
                        cue: c.clone(),
                        via: Via::Colon,
                        at: (prev.para.index, prev.para.sentences.len() as u32 - 1),
                    });
                }
            }
        }
        // 8. The sentence after, in the paragraph, when it points back (`C'est par ces mots
        // que…`, `That is how…`) or opens with the same speaker's next quotation.
        if let Some(next) = read.cues(si + 1) {
            let s = &p.sentences[si + 1];
            let opens_with_quote = (s.start..s.end)
                .find(|&k| p.toks[k].is_word() || matches!(p.toks[k].kind, Kind::Open(_)))
                .is_some_and(|k| matches!(p.toks[k].kind, Kind::Open(_)));
            if let Some(c) = next.iter().find(|c| {
                !c.negated
                    && c.has_speaker()
                    && c.kind != CueKind::Colon
                    && (c.kind == CueKind::Anaphor || opens_with_quote)
            }) && self.chained(read, previous, qi, open).is_none()
            {
                return Some(Found {
                    cue: c.clone(),
                    via: Via::NextSentence,
                    at: (p.index, si as u32 + 1),
                });
            }
        }
        nobody.map(|c| Found {
            cue: c,
            via: Via::Sentence,
            at: here,
        })
    }

    /// The speaker of the quotation that quotation `qi` continues: the previous part of a
    /// multi-paragraph quotation, or the last quotation of the previous paragraph when `qi`
    /// opens its paragraph and that quotation ends the previous paragraph.
    fn chained(
        &self,
        read: &Read,
        previous: &Prev<'_, '_, '_>,
        qi: usize,
        open: usize,
    ) -> Option<(Speaker, Option<CueWords>)> {
        let q = &self.qs[qi];
        if let Some(prev) = q.continues {
            let a = &self.out[prev];
            return a.speaker.clone().map(|s| (s, a.cue.clone()));
        }
        let p = &read.para;
        // Within a paragraph: a quotation that opens its sentence right after a sentence whose
        // last quotation is credited speech (`"…," Benitez said. "Working families…"`).
        let si = p.sent_of[open] as usize;
        let s = &p.sentences[si];
        let opens_sentence = (s.start..open)
            .find(|&k| p.toks[k].is_word() || matches!(p.toks[k].kind, Kind::Open(_)))
            .is_none_or(|k| k == open);
        if si > 0 && opens_sentence {
            let before = &p.sentences[si - 1];
            let last_q = p.toks[before.clone()]
                .iter()
                .rev()
                .find_map(|t| match t.kind {
                    Kind::Open(k) if self.qs[k as usize].depth == 0 => Some(k as usize),
                    _ => None,
                })?;
            // Narration after that quotation breaks the chain only if it has a verb of its
            // own; a closing incise is part of it.
            let a = &self.out[last_q];
            return (a.class == Class::Speech)
                .then(|| a.speaker.clone().map(|s| (s, a.cue.clone())))
                .flatten();
        }
        let first = p
            .toks
            .iter()
            .position(|t| t.is_word() || matches!(t.kind, Kind::Open(_)));
        if first != Some(open) {
            return None;
        }
        let prev = previous.get()?;
        if prev.para.index + 1 != p.index {
            return None;
        }
        // The previous paragraph's last sentence must hold its last quotation, credited speech.
        let last = prev.para.sentences.last()?;
        let last_q = prev.para.toks[last.clone()]
            .iter()
            .rev()
            .find_map(|t| match t.kind {
                Kind::Open(k) if self.qs[k as usize].depth == 0 => Some(k as usize),
                _ => None,
            })?;
        let a = &self.out[last_q];
        if a.class != Class::Speech {
            return None;
        }
        a.speaker.clone().map(|s| (s, a.cue.clone()))
    }

    /// Parts of a quotation over several paragraphs share one attribution: when the first
    /// part found none, a later part's (its closing incise) credits them all.
    fn unify_runs(&mut self) {
        let n = self.qs.len();
        let mut k = 0;
        while k < n {
            if self.qs[k].continues.is_some() || !self.qs[k].runs_on {
                k += 1;
                continue;
            }
            // Collect the run.
            let mut run = vec![k];
            let mut j = k;
            while let Some(next) = (j + 1..n).find(|&x| self.qs[x].continues == Some(j)) {
                run.push(next);
                j = next;
                if !self.qs[next].runs_on {
                    break;
                }
            }
            let credited = run
                .iter()
                .rev()
                .find(|&&x| {
                    self.out[x].speaker.is_some() && self.out[x].via != Some(Via::Continuation)
                })
                .copied();
            if let Some(c) = credited {
                let source = self.out[c].clone();
                for &x in &run {
                    if self.out[x].speaker.is_none() {
                        self.out[x].speaker = source.speaker.clone();
                        self.out[x].cue = source.cue.clone();
                        self.out[x].via = Some(Via::Continuation);
                        self.out[x].missing = None;
                        self.out[x].class = Class::Speech;
                    }
                }
            }
            k = j + 1;
        }
    }

    /// What an uncredited quotation lacks: with someone named in its sentence or the one
    /// before (a name, a pronoun, a description of a speaker), only the verb.
    fn missing_kind(&self, p: &Para, si: usize) -> Missing {
        let named_near = p.sentence_names[si] || si > 0 && p.sentence_names[si - 1];
        if named_near {
            Missing::Cue
        } else {
            Missing::Both
        }
    }

    /// Resolves the speaker of a cue to a person the draft names, or to its words as written.
    fn speaker_of(
        &mut self,
        read: &Read,
        previous: &Prev<'_, '_, '_>,
        cue: &Cue,
        at: (usize, u32),
    ) -> Option<Speaker> {
        let p: &Para = if at.0 == read.para.index {
            &read.para
        } else {
            &previous.get()?.para
        };
        match &cue.who {
            Who::Np(np) => Some(self.resolve(p, np, at)),
            Who::Previous => {
                // `Et d'ajouter :` continues the subject of the sentence before: the speaker
                // of its cue, else its subject, else the last speaker.
                let si = at.1 as usize;
                let (prev_para, prev_si) = if si > 0 {
                    (Some(p), si - 1)
                } else {
                    match previous.get() {
                        Some(r) if r.para.index + 1 == p.index && !r.para.sentences.is_empty() => {
                            (Some(&r.para), r.para.sentences.len() - 1)
                        }
                        _ => (None, 0),
                    }
                };
                if let Some(pp) = prev_para {
                    let cues_before = if std::ptr::eq(pp, &read.para) {
                        read.cues(prev_si)
                    } else {
                        previous
                            .get()
                            .filter(|r| std::ptr::eq(pp, &r.para))
                            .and_then(|r| r.cues(prev_si))
                    };
                    if let Some(c) = cues_before.and_then(|cs| {
                        cs.iter()
                            .rev()
                            .find(|c| matches!(c.who, Who::Np(_)) && !c.negated && !c.relative)
                    }) && let Who::Np(np) = &c.who
                    {
                        let np = np.clone();
                        return Some(self.resolve(pp, &np, (pp.index, prev_si as u32)));
                    }
                    if let Some(np) = cues::sentence_subject(pp, &pp.sentences[prev_si].clone()) {
                        return Some(self.resolve(pp, &np, (pp.index, prev_si as u32)));
                    }
                }
                if let Some((pi, s)) = &self.last_speaker
                    && *pi + 1 >= p.index
                {
                    return Some(s.clone());
                }
                None
            }
            Who::Nobody | Who::FirstPerson => None,
        }
    }

    fn resolve(&mut self, p: &Para, np: &Np, at: (usize, u32)) -> Speaker {
        let range = p.toks[np.range.start].range.start..p.toks[np.range.end - 1].range.end;
        // As written, the speaker's words are not copied (see `Speakers::AsWritten`).
        if !self.resolve {
            return Speaker {
                name: self.blank.clone(),
                written: self.blank.clone(),
                range,
            };
        }
        // Each string allocated once, straight into the shared form the speaker keeps.
        let written: Arc<str> = match p.toks[np.range.start]
            .inverted
            .filter(|_| np.pronoun.is_some())
        {
            Some(inv) => match inv {
                tokens::Inverted::Il => "il",
                tokens::Inverted::Elle => "elle",
                tokens::Inverted::Ils => "ils",
                tokens::Inverted::Elles => "elles",
                _ => "on",
            }
            .into(),
            None => text_of(p, self.text, &np.range).into(),
        };
        let pos = (at.0, at.1, np.range.start);
        let mut name: Arc<str> = match &np.name {
            Some(n) => text_of(p, self.text, n).into(),
            None => written.clone(),
        };
        let mut person = None;
        if let Some(pr) = np.pronoun {
            person = self.registry.resolve_pronoun(pr, pos, p.lex.lang);
        } else if np.name.is_some() {
            person = self.registry.find_name(&name);
        } else if let Some(role) = &np.role {
            let role = text_of(p, self.text, role);
            person = self.registry.resolve_description(role, np, pos);
        } else if np.anaphoric || np.epithet || np.organisation || np.publication {
            person = self.registry.resolve_description("", np, pos);
        }
        if let Some(id) = person {
            name = self.registry.people[id].name.as_str().into();
            self.registry.mention(id, at.0, at.1, np.range.start, true);
        }
        Speaker {
            name,
            written,
            range,
        }
    }
}

/// An incise inside the quotation: a comma, a verb of speech with its subject after it,
/// then a comma or a full stop (`« Nous ne sommes pas isolés, poursuit le ministre. … »`).
fn incise(p: &Para, open: usize, close: Option<usize>) -> Option<Cue> {
    let depth = p.toks[open].depth.saturating_add(1);
    let end = close.unwrap_or(p.toks.len());
    for k in open + 1..end {
        if !p.is_punct(k, ',') || p.toks[k].depth != depth {
            continue;
        }
        // The verb may come after an auxiliary and adverbs: `, a notamment expliqué X,`.
        for v in k + 1..(k + 5).min(end) {
            if let Some(c) = cues::incise_cue(p, v, k + 1..end)
                && c.words.start == k + 1
            {
                return Some(c);
            }
        }
    }
    None
}

/// Where the speaker phrase of a cue starts, if it has one.
fn speaker_starts(c: &Cue) -> Option<usize> {
    match &c.who {
        Who::Np(np) => Some(np.range.start),
        _ => None,
    }
}

/// The words of cue `c` and their range; `blank` in place of a copy of the words, if given.
fn cue_words(text: &str, p: &Para, c: &Cue, blank: Option<&Arc<str>>) -> CueWords {
    let a = p.toks[c.words.start].range.start;
    let mut b = p.toks[c.words.end - 1].range.end;
    // Keep the inverted pronoun: `a-t-il tranché`, `dit-elle`.
    let tail = &text[b..];
    for suffix in [
        "-t-elles", "-t-elle", "-t-ils", "-t-il", "-t-on", "-elles", "-elle", "-ils", "-il", "-on",
    ] {
        if tail.starts_with(suffix) {
            b += suffix.len();
            break;
        }
    }
    CueWords {
        text: blank.cloned().unwrap_or_else(|| text[a..b].into()),
        range: a..b,
    }
}

/// A readable dump of how the engine reads a draft: sentences, their cues, and each
/// quotation's attribution. For debugging and for the docs' examples.
pub fn trace(text: &str, lang: Lang, markdown: bool) -> String {
    use std::fmt::Write;
    let config = Config::default();
    let masked = crate::prose::mask::mask(text, markdown);
    let lines = crate::prose::mask::line_ranges(text.as_bytes());
    let paragraphs = crate::prose::paragraphs(&masked.text, &lines, &[], markdown);
    let quotes = crate::quotes::scan(&masked.text, &paragraphs);
    let lex = lexicon::builtin(lang);
    let look = Lookup { lex, extra: &[] };
    let mut out = String::new();
    for (pi, range) in paragraphs.iter().enumerate() {
        let in_para: Vec<usize> = (0..quotes.quotations.len())
            .filter(|&k| quotes.quotations[k].paragraph == pi)
            .collect();
        let p = Para::read(
            &masked.text,
            None,
            range.clone(),
            pi,
            &quotes.quotations,
            in_para.iter().copied(),
            &look,
        );
        for s in &p.sentences {
            let _ = writeln!(out, "[{pi}] {}", text_of(&p, &masked.text, s));
            for c in sentence_cues(&p, s) {
                let who = match &c.who {
                    Who::Np(np) => format!("{:?}", text_of(&p, &masked.text, &np.range)),
                    w => format!("{w:?}"),
                };
                let _ = writeln!(
                    out,
                    "    cue {:?} {:?} who {} inv {} neg {}",
                    c.kind,
                    text_of(&p, &masked.text, &c.words),
                    who,
                    c.inverted,
                    c.negated
                );
            }
        }
    }
    let atts = attribute(
        &masked.text,
        text,
        lang,
        &paragraphs,
        &quotes,
        &config,
        Speakers::Resolved,
    );
    for (q, a) in quotes.quotations.iter().zip(&atts) {
        let end = paragraphs[q.paragraph].end;
        let _ = writeln!(
            out,
            "Q {:?}: {:?}",
            &masked.text[q.inner(end)]
                .chars()
                .take(40)
                .collect::<String>(),
            a
        );
    }
    out
}

/// One source of the article: a speaker and the quotations credited to them, in order.
/// Quotations credited to nobody form a source with no speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub speaker: Option<String>,
    pub quotations: Vec<Quoted>,
}

/// A quotation in the sources outline (all the paragraphs of a quotation that runs over
/// several paragraphs count as one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// Index of its first part in `Quotes::quotations`.
    pub index: usize,
    /// From its opening mark to its last closing mark.
    pub range: Range<usize>,
    pub cue: Option<String>,
}

/// The article's sources: its quotations of speech grouped by speaker, speakers in order of
/// first quotation. Quotations inside quotations, titles and terms are left out.
pub fn sources(
    quotes: &Quotes,
    paragraphs: &[Range<usize>],
    attributions: &[Attribution],
) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    let qs = &quotes.quotations;
    for (k, (q, a)) in qs.iter().zip(attributions).enumerate() {
        if q.depth > 0 || q.continues.is_some() || a.class != Class::Speech {
            continue;
        }
        let para_end = |i: usize| {
            paragraphs
                .get(qs[i].paragraph)
                .map_or(qs[i].open.end, |p| p.end)
        };
        // Follow the parts of a quotation over several paragraphs to its last one.
        let mut last = k;
        while let Some(next) = (last + 1..qs.len()).find(|&x| qs[x].continues == Some(last)) {
            last = next;
        }
        let range = q.open.start..qs[last].outer(para_end(last)).end;
        let speaker = a.speaker.as_ref().map(|s| s.name.to_string());
        let quoted = Quoted {
            index: k,
            range,
            cue: a.cue.as_ref().map(|c| c.text.to_string()),
        };
        match out.iter_mut().find(|s| s.speaker == speaker) {
            Some(s) => s.quotations.push(quoted),
            None => out.push(Source {
                speaker,
                quotations: vec![quoted],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::language::LangSetting;
    use crate::{Analysis, analyze, analyze_with};

    #[test]
    fn quotations_by_paragraph_keep_their_order_and_every_paragraph() {
        let at = |paragraph: usize| crate::quotes::Quotation {
            style: crate::quotes::Style::Guillemets,
            open: 0..2,
            close: None,
            parent: None,
            depth: 0,
            paragraph,
            continues: None,
            runs_on: false,
        };
        // Four paragraphs; the last quotation names a paragraph past them, and one is out of
        // the draft's order (a list built by hand may be).
        let qs = [at(0), at(2), at(0), at(5), at(2)];
        let by = super::ByParagraph::new(&qs, 4);
        assert_eq!(by.get(0), [0, 2]);
        assert_eq!(by.get(1), [] as [usize; 0]);
        assert_eq!(by.get(2), [1, 4]);
        assert_eq!(by.get(3), [] as [usize; 0]);
        // One past the last paragraph is asked for (does the next paragraph hold quotations?).
        assert_eq!(by.get(4), [] as [usize; 0]);
        assert_eq!(by.get(9), [] as [usize; 0]);
        assert_eq!(by.paragraphs().collect::<Vec<_>>(), [0, 2, 5]);
    }

    /// The analysis with speakers resolved; its findings must be those of a plain `analyze`.
    fn resolved(text: &str, config: &Config) -> Analysis {
        let a = analyze_with(text, config, false, super::Speakers::Resolved);
        assert_eq!(a.findings, analyze(text, config, false).findings, "{text}");
        a
    }

    fn run(text: &str, lang: LangSetting) -> Analysis {
        let config = Config {
            language: lang,
            ..Config::default()
        };
        resolved(text, &config)
    }

    /// The speaker named for the quotation holding `needle`.
    fn speaker(a: &Analysis, text: &str, needle: &str) -> Option<String> {
        let at = text.find(needle).expect("needle in text");
        a.quotes
            .quotations
            .iter()
            .zip(&a.attributions)
            .filter(|(q, _)| q.open.start < at && q.close.as_ref().is_none_or(|c| at < c.start))
            .max_by_key(|(q, _)| q.open.start)
            .and_then(|(_, att)| att.speaker.as_ref().map(|s| s.name.to_string()))
    }

    #[test]
    fn speakers_as_written_keep_their_ranges_not_their_words() {
        let text = "« Nous tiendrons », a déclaré Manuel Valls. « Rien ne change », dit-il.";
        let masked = crate::prose::mask::mask(text, false);
        let lines = crate::prose::mask::line_ranges(text.as_bytes());
        let paragraphs = crate::prose::paragraphs(&masked.text, &lines, &[], false);
        let quotes = crate::quotes::scan(&masked.text, &paragraphs);
        let config = Config::default();
        let read = |who| {
            super::attribute(
                &masked.text,
                text,
                crate::Lang::Fr,
                &paragraphs,
                &quotes,
                &config,
                who,
            )
        };
        let (written, resolved) = (
            read(super::Speakers::AsWritten),
            read(super::Speakers::Resolved),
        );
        assert_eq!(written.len(), 2);
        for (w, r) in written.iter().zip(&resolved) {
            let (ws, rs) = (w.speaker.as_ref().unwrap(), r.speaker.as_ref().unwrap());
            // The same speaker at the same place, and the same cue, without their words.
            assert_eq!(ws.range, rs.range);
            assert_eq!((&*ws.name, &*ws.written), ("", ""));
            let (wc, rc) = (w.cue.as_ref().unwrap(), r.cue.as_ref().unwrap());
            assert_eq!((wc.range.clone(), &*wc.text), (rc.range.clone(), ""));
            assert_eq!((w.class, w.via, w.missing), (r.class, r.via, r.missing));
        }
        assert_eq!(
            &*resolved[0].speaker.as_ref().unwrap().written,
            "Manuel Valls"
        );
        assert_eq!(&*resolved[1].speaker.as_ref().unwrap().name, "Manuel Valls");
        assert_eq!(&*resolved[1].cue.as_ref().unwrap().text, "dit-il");
    }

    #[test]
    fn pronouns_resolve_to_the_subject_before() {
        let text = "La ministre, Claire Dumas, a reçu le maire, Paul Henry. « Nous avancerons », a-t-elle assuré. « Nous verrons », a-t-il répondu.";
        let a = run(text, LangSetting::Fr);
        assert_eq!(
            speaker(&a, text, "Nous avancerons").as_deref(),
            Some("Claire Dumas")
        );
        assert_eq!(
            speaker(&a, text, "Nous verrons").as_deref(),
            Some("Paul Henry")
        );
    }

    #[test]
    fn descriptions_resolve_by_role_and_epithet() {
        let text = "Le ministre de l'Intérieur, Marc Lebon, était à Lille.\n\n« La loi sera appliquée », a déclaré le ministre.\n\nLa chanteuse Lina Morel publie un album. « J'ai tout écrit la nuit », raconte l'artiste.";
        let a = run(text, LangSetting::Fr);
        assert_eq!(
            speaker(&a, text, "La loi sera").as_deref(),
            Some("Marc Lebon")
        );
        assert_eq!(
            speaker(&a, text, "J'ai tout écrit").as_deref(),
            Some("Lina Morel")
        );
    }

    #[test]
    fn chains_continuations_and_introductions() {
        let text = "« On a perdu », a reconnu l'entraîneur, Yves Marin.\n\n« Il faudra travailler. »\n\nEt d'ajouter : « Rien n'est fini. »";
        let a = run(text, LangSetting::Fr);
        for needle in ["On a perdu", "Il faudra", "Rien n'est fini"] {
            assert_eq!(
                speaker(&a, text, needle).as_deref(),
                Some("Yves Marin"),
                "{needle}"
            );
        }
    }

    #[test]
    fn a_paragraph_without_quotations_is_read_when_the_next_looks_back() {
        // With speakers as written, such a paragraph is read only when a quotation of the next
        // one looks back at it; `resolved` checks that the findings are those of an eager read.
        let unattributed = |text: &str| {
            run(text, LangSetting::Fr)
                .findings
                .iter()
                .filter(|f| f.code == "quote-unattributed")
                .count()
        };
        for (text, flagged) in [
            (
                "Le préfet a tranché devant les élus :\n\n« La route restera fermée. »",
                0,
            ),
            (
                "Le préfet a parlé longtemps devant les élus.\n\n« La route restera fermée. »",
                1,
            ),
            (
                "Le préfet, Jean Roux, a parlé aux élus.\n\nEt d'ajouter : « La route restera fermée. »",
                0,
            ),
            (
                "Il pleut.\n\n« La route restera fermée », a déclaré le préfet.",
                0,
            ),
        ] {
            assert_eq!(unattributed(text), flagged, "{text}");
        }
    }

    #[test]
    fn impersonal_cues_take_the_place_they_name() {
        let text = "À Matignon, on fait savoir que « rien n'est décidé ».";
        let a = run(text, LangSetting::Fr);
        assert_eq!(speaker(&a, text, "rien n'est").as_deref(), Some("Matignon"));
    }

    #[test]
    fn english_incises_and_prepositions() {
        let text = "Mayor Ann Cole spoke on Monday. \"We will rebuild,\" she said. According to the council, costs were \"far higher than planned.\" \"It is over,\" said coach Tim Ward.";
        let a = run(text, LangSetting::En);
        assert_eq!(
            speaker(&a, text, "We will rebuild").as_deref(),
            Some("Ann Cole")
        );
        assert_eq!(
            speaker(&a, text, "far higher").as_deref(),
            Some("the council")
        );
        assert_eq!(speaker(&a, text, "It is over").as_deref(), Some("Tim Ward"));
    }

    #[test]
    fn extra_cues_from_the_configuration() {
        let text = "« Je ne céderai jamais », marmonne le maire.";
        let plain = run(text, LangSetting::Fr);
        assert!(
            plain
                .findings
                .iter()
                .any(|f| f.code == "quote-unattributed")
        );
        let config = Config {
            language: LangSetting::Fr,
            cues_fr: vec!["marmonner".into()],
            ..Config::default()
        };
        let a = resolved(text, &config);
        assert!(
            a.findings.iter().all(|f| f.code != "quote-unattributed"),
            "{:?}",
            a.findings
        );
        assert_eq!(
            speaker(&a, text, "Je ne céderai").as_deref(),
            Some("le maire")
        );
    }

    #[test]
    fn configured_cues_written_as_phrases_teach_their_verb() {
        let text = "« Je ne céderai jamais », a-t-il marmonné.";
        let config = Config {
            language: LangSetting::Fr,
            cues_fr: vec!["a-t-il marmonné".into()],
            ..Config::default()
        };
        let a = resolved(text, &config);
        assert!(
            a.findings.iter().all(|f| f.code != "quote-unattributed"),
            "{:?}",
            a.findings
        );
    }

    #[test]
    fn endless_sentences_are_cut_but_long_quotations_are_not() {
        // Thousands of quotations and colons with no full stop: cut before a quotation opens
        // once a sentence holds 512 tokens (each quotation reads its sentence).
        let marks = "\"a\": ".repeat(400);
        let sentences = super::trace(&marks, crate::Lang::Fr, false)
            .lines()
            .filter(|l| l.starts_with("[0] "))
            .count();
        assert!(sentences >= 3, "{sentences} sentences");
        // A quotation of 700 words is one sentence with its incise, and credited.
        let words: Vec<String> = (0..700).map(|k| format!("mot{k}")).collect();
        let text = format!("« {} », a déclaré Paul Henry.", words.join(" "));
        let a = run(&text, LangSetting::Fr);
        assert_eq!(speaker(&a, &text, "mot650").as_deref(), Some("Paul Henry"));
    }

    #[test]
    fn never_the_writer() {
        let text = "« C'est fini », avons-nous appris. « C'est fini », lui ai-je dit.";
        let a = run(text, LangSetting::Fr);
        assert!(
            a.attributions.iter().all(|x| x.speaker.is_none()),
            "{:?}",
            a.attributions
        );
    }

    #[test]
    fn the_lexicon_has_several_hundred_french_forms() {
        let lex = super::lexicon::builtin(crate::language::Lang::Fr);
        assert!(lex.speech_forms > 300, "{}", lex.speech_forms);
    }
}
