//! Reporting cues in a sentence: verbs of speech with their subjects, prepositions
//! (`selon`, `according to`), introductions (`Et d'ajouter :`), frames (`se veut
//! rassurante`), impersonal forms (`a-t-on appris`), anaphors (`C'est par ces mots que…`) and
//! colons. Each cue carries the phrase that names its speaker, found from the grammar around it.

use super::lexicon::{Form, Phrase, PhraseKind, Piece};
use super::para::Para;
use super::speakers::{Np, inverted_pronoun, np_after, np_before};
use super::tokens::{Inverted, Kind};
use super::words::class::*;
use crate::language::Lang;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A verb of speech (`a déclaré`, `said`, `a-t-il tranché`).
    Verb,
    /// `selon X`, `d'après X`, `according to X`, `pour X,`.
    Prep,
    /// `Et d'ajouter :`: the speaker is the one before.
    Intro,
    /// A colon that introduces a quotation, after a clause naming its speaker.
    Colon,
    /// An attitude frame (`se veut rassurante`, `was more measured`).
    Frame,
    /// `a-t-on appris`, `peut-on lire`: the speaker is a place or a source, if any.
    Impersonal,
    /// `C'est par ces mots que X…`, `That is how X described…`: points to the next or previous sentence.
    Anaphor,
    /// `Interrogé par l'AFP, X…`, `Contactée, la direction…`.
    Venue,
    /// `as X put it`, `in X's words`.
    Pattern,
}

/// Where the speaker of a cue is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Np(Np),
    /// The speaker of the quotation before (`Et d'ajouter :`).
    Previous,
    /// A passive with no agent, `on` with no place, a colon after a clause with no speaker.
    Nobody,
    /// `je`, `nous`, `I`, `we`: the writer, never a speaker to credit.
    FirstPerson,
}

#[derive(Debug, Clone)]
pub struct Cue {
    pub kind: CueKind,
    /// The cue's own words (the verb group, the preposition), as token indices.
    pub words: Range<usize>,
    pub who: Who,
    /// The subject follows the verb (`», a déclaré X`, `dit-il`, `said Smith`).
    pub inverted: bool,
    /// Negated: `n'a pas souhaité réagir`, `did not speak`.
    pub negated: bool,
    /// In a relative clause (`students who cannot read…`, `Parents who spoke…`): it describes
    /// someone rather than introducing their words.
    pub relative: bool,
}

impl Cue {
    pub fn has_speaker(&self) -> bool {
        matches!(self.who, Who::Np(_) | Who::Previous)
    }
}

fn skippable_in_group(p: &Para, i: usize) -> bool {
    let t = &p.toks[i];
    if !t.is_word() || t.cap {
        return false;
    }
    let f = p.flags(i);
    f & (ADVERB | NEGATION | TIME) != 0
        || t.lower.ends_with("ment") && f & (SPEAKER_NOUN | DET) == 0 && !p.is_verb(i, true)
        || t.lower.ends_with("ly") && p.lex.lang == Lang::En
        || matches!(&*t.lower, "ailleurs" | "d'ailleurs")
        || t.lower == "par" && p.word(i + 1) == "ailleurs"
        || t.lower == "d'" && p.word(i + 1) == "ailleurs"
}

/// The start of the verb group whose main verb is at `i`: auxiliaries, reflexive pronoun,
/// negation and adverbs before it. Returns (start, auxiliary index, passive, reflexive).
fn group_start(p: &Para, i: usize, form: Form, floor: usize) -> (usize, Option<usize>, bool, bool) {
    let mut k = i;
    let mut aux = None;
    let mut passive = false;
    let mut reflexive = false;
    if form == Form::Participle {
        let mut j = i;
        while j > floor && skippable_in_group(p, j - 1) {
            j -= 1;
        }
        if j > floor && p.has(j - 1, AUX_HAVE | AUX_BE) {
            let a = j - 1;
            if matches!(p.word(a), "été" | "been" | "being" | "be") {
                passive = true;
                let mut b = a;
                while b > floor && skippable_in_group(p, b - 1) {
                    b -= 1;
                }
                if b > floor && p.has(b - 1, AUX_HAVE | AUX_BE) {
                    aux = Some(b - 1);
                    k = b - 1;
                } else {
                    aux = Some(a);
                    k = a;
                }
            } else {
                aux = Some(a);
                k = a;
                if p.has(a, AUX_BE) && !p.has(a, AUX_HAVE) {
                    passive = true; // corrected below for reflexive verbs
                }
            }
        }
    }
    // The reflexive pronoun (`s'est félicité`, `se défend-il`).
    if k > floor && matches!(p.word(k - 1), "se" | "s'") {
        reflexive = true;
        passive = false;
        k -= 1;
    }
    // Negation and object clitics before the group (`n'a pas`, `lui a répondu`, `l'ont annoncé`).
    while k > floor {
        let w = p.word(k - 1);
        if matches!(
            w,
            "ne" | "n'"
                | "l'"
                | "lui"
                | "leur"
                | "y"
                | "en"
                | "me"
                | "m'"
                | "nous"
                | "vous"
                | "le"
                | "la"
                | "les"
        ) && p.lex.lang == Lang::Fr
            && !p.toks[k - 1].cap
            && !(matches!(w, "le" | "la" | "les") && p.has(k.wrapping_sub(2), PREP))
        {
            // `la` right before a verb is a pronoun; after a preposition it is an article.
            k -= 1;
        } else {
            break;
        }
    }
    (k, aux, passive, reflexive)
}

fn negated(p: &Para, start: usize, end: usize) -> bool {
    let lang = p.lex.lang;
    match lang {
        Lang::Fr => {
            let ne = (start..end).any(|k| matches!(p.word(k), "ne" | "n'"));
            let pas = (start..(end + 2).min(p.toks.len())).any(|k| {
                matches!(
                    p.word(k),
                    "pas" | "jamais" | "plus" | "rien" | "guère" | "point"
                )
            });
            ne && pas
        }
        Lang::En => (start.saturating_sub(2)..end).any(|k| {
            k < p.toks.len() && (matches!(p.word(k), "not" | "never") || p.word(k).ends_with("n't"))
        }),
    }
}

/// The subject of the clause the token `i` sits in: the phrase before the nearest verb of
/// speech or auxiliary before it, else the first phrase of the sentence.
fn clause_subject(p: &Para, i: usize, sentence: &Range<usize>) -> Option<Np> {
    let mut k = i;
    while k > sentence.start {
        k -= 1;
        if p.toks[k].depth > 0 {
            continue;
        }
        let finite = p.has(k, AUX_HAVE | AUX_BE | FINITE)
            || p.verb_forms(k, true).any(|(_, f)| f == Form::Finite);
        if finite && !p.toks[k].cap {
            if let Some(inv) = p.toks[k].inverted {
                return inverted_pronoun(inv).map(|pr| pronoun_np(k, pr));
            }
            let (s, ..) = group_start(p, k, Form::Finite, sentence.start);
            if let Some(np) = np_before(p, s, sentence.start) {
                return Some(np);
            }
        }
    }
    sentence_subject(p, sentence)
}

fn pronoun_np(k: usize, pr: super::speakers::Pronoun) -> Np {
    Np {
        range: k..k + 1,
        name: None,
        role: None,
        pronoun: Some(pr),
        gender: pr.gender,
        plural: pr.plural,
        anaphoric: false,
        generic: false,
        weak: false,
        appositive: false,
        epithet: false,
        organisation: false,
        other: false,
        publication: false,
    }
}

/// The first noun phrase of a sentence, after leading adverbial phrases that end in a comma
/// (`Au premier rang, une écharpe autour du cou, Léon, 82 ans, a vu…`).
pub fn sentence_subject(p: &Para, sentence: &Range<usize>) -> Option<Np> {
    let mut i = sentence.start;
    while i < sentence.end && (!p.is_word(i) || p.toks[i].depth > 0) {
        i += 1;
    }
    for _ in 0..4 {
        if i >= sentence.end {
            return None;
        }
        // `Il y a cinquante ans`, `Il faut`: an impersonal `il` is nobody.
        if matches!(p.word(i), "il")
            && matches!(
                p.word(i + 1),
                "y" | "faut" | "fallait" | "s'agit" | "semble"
            )
        {
            return None;
        }
        let leading = p.has(i, PREP | ADVERB | TIME | SUBORD)
            || p.is_verb(i, true) && !p.has(i, DET)
            || p.toks[i].lower.ends_with("ment")
            || p.toks[i].text.starts_with(|c: char| c.is_ascii_digit())
                && !p.has(i + 1, SPEAKER_NOUN);
        if !leading {
            if let Some(np) = np_after(p, i, sentence.end) {
                // A phrase with no determiner before a comma is a detached description of the
                // subject that follows (`Auteur de deux essais, l'ailier…`), not the subject.
                let detached = super::speakers::detached(p, &np, sentence.end);
                if np.range.start == i && (np.is_person_like() || np.weak) && !detached {
                    return Some(np);
                }
                if !p.is_punct(np.range.end, ',') && !detached {
                    return None;
                }
            } else if !p.has(i, DET) && !p.toks[i].cap {
                return None;
            }
        }
        let comma = (i..sentence.end).find(|&k| p.is_punct(k, ',') && p.toks[k].depth == 0)?;
        i = comma + 1;
    }
    None
}

fn who_of(np: Option<Np>) -> Who {
    match np {
        Some(np) => Who::Np(np),
        None => Who::Nobody,
    }
}

/// Whether the phrase `ph` matches at token `i`; returns the end of the match and the speaker
/// slot's phrase, if any.
fn match_phrase(p: &Para, ph: &Phrase, i: usize, end: usize) -> Option<(usize, Option<Np>)> {
    match_pieces(p, &ph.pieces, i, end)
}

/// [`match_phrase`] on a phrase's pieces (a frame's after its verb, without copying them).
fn match_pieces(p: &Para, pieces: &[Piece], i: usize, end: usize) -> Option<(usize, Option<Np>)> {
    let mut k = i;
    let mut slot = None;
    for (n, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Word(w) => {
                if k >= end || p.toks[k].depth > 0 {
                    return None;
                }
                let t = &p.toks[k];
                let ok = t.is_word()
                    && (*t.lower == **w
                        || t.inverted.is_some() && inverted_word(t.inverted) == &**w && k > i)
                    || t.is_punct(',') && &**w == ",";
                // `est-il`, `peut-on`: the pronoun is on the previous token.
                if !ok {
                    if k > i
                        && p.toks[k - 1].inverted.is_some()
                        && inverted_word(p.toks[k - 1].inverted) == &**w
                    {
                        continue;
                    }
                    return None;
                }
                k += 1;
            }
            Piece::Speaker | Piece::Possessor => {
                // Up to the next literal word.
                let next = pieces.get(n + 1);
                let mut e = k;
                while e < end && e - k < 8 {
                    if let Some(Piece::Word(w)) = next
                        && p.word(e) == &**w
                    {
                        break;
                    }
                    if !p.is_word(e) {
                        break;
                    }
                    e += 1;
                }
                let mut r = k..e;
                if matches!(piece, Piece::Possessor) && e > k {
                    // `her`, `the mayor's`: strip the possessive.
                    r = k..e;
                }
                if r.is_empty() {
                    return None;
                }
                slot = np_after(p, r.start, r.end).or_else(|| {
                    super::speakers::pronoun_at(p, r.start).map(|pr| pronoun_np(r.start, pr))
                });
                k = e;
            }
            Piece::Adj => {
                while k < end
                    && matches!(
                        p.word(k),
                        "plus"
                            | "moins"
                            | "très"
                            | "assez"
                            | "aussi"
                            | "tout"
                            | "si"
                            | "bien"
                            | "more"
                            | "less"
                            | "very"
                    )
                {
                    k += 1;
                }
                if k >= end || !p.lex.adjectives.contains_key(p.word(k)) {
                    return None;
                }
                k += 1;
            }
            Piece::Poss => {
                if k >= end || !p.has(k, POSSESSIVE) {
                    return None;
                }
                k += 1;
            }
            Piece::Verb(_) => return None,
        }
    }
    Some((k, slot))
}

fn inverted_word(inv: Option<Inverted>) -> &'static str {
    match inv {
        Some(Inverted::Il) => "il",
        Some(Inverted::Elle) => "elle",
        Some(Inverted::Ils) => "ils",
        Some(Inverted::Elles) => "elles",
        Some(Inverted::On) => "on",
        _ => "",
    }
}

/// All cues of a sentence, outside quotations, in order.
pub fn sentence_cues(p: &Para, sentence: &Range<usize>) -> Vec<Cue> {
    let mut out = Vec::new();
    sentence_cues_into(p, sentence, &mut out);
    out
}

/// [`sentence_cues`], appended to `out`.
pub fn sentence_cues_into(p: &Para, sentence: &Range<usize>, out: &mut Vec<Cue>) {
    let base = out.len();
    let end = sentence.end;
    let mut i = sentence.start;
    while i < end {
        let t = &p.toks[i];
        if t.depth > 0 {
            i += 1;
            continue;
        }
        if t.is_punct(':') {
            let c = colon_cue(p, i, sentence, &out[base..]);
            out.push(c);
            i += 1;
            continue;
        }
        // A word that starts no phrase and is no verb's form (most words) is passed over here,
        // without a call to either search.
        let cue_word =
            p.entries[i].is_some_and(|e| e.flags & PHRASE_START != 0 || !e.forms.is_empty());
        if !t.is_word() || !cue_word {
            i += 1;
            continue;
        }
        // Phrases first: they are longer and more specific than the verbs inside them.
        if let Some((cue, next)) = phrase_cue(p, i, sentence) {
            out.push(cue);
            i = next.max(i + 1);
            continue;
        }
        if let Some((cue, next)) = verb_cue(p, i, sentence) {
            out.push(cue);
            i = next.max(i + 1);
            continue;
        }
        i += 1;
    }
}

fn phrase_cue(p: &Para, i: usize, sentence: &Range<usize>) -> Option<(Cue, usize)> {
    if !p.has(i, PHRASE_START) {
        return None;
    }
    // The word's cue phrases, by its entry (the multiword nouns left out beforehand).
    let list = p.lex.cue_phrases_of(p.entries.get(i).copied().flatten()?);
    let mut best: Option<(&Phrase, usize, Option<Np>)> = None;
    // Venues only matter at the head of a sentence (`Interrogé par l'AFP, X…`).
    let head = i == sentence.start || !p.is_word(i - 1);
    for ph in list {
        if ph.kind == PhraseKind::Venue && !head {
            continue;
        }
        // Most attempts fail on the second word: check it before the full match.
        if let Some(Piece::Word(w2)) = ph.pieces.get(1) {
            let next = i + 1;
            let inverted_here =
                p.toks[i].inverted.is_some() && inverted_word(p.toks[i].inverted) == &**w2;
            if !inverted_here
                && next < sentence.end
                && p.word(next) != &**w2
                && !(p.is_punct(next, ',') && &**w2 == ",")
            {
                continue;
            }
        }
        if let Some((e, slot)) = match_phrase(p, ph, i, sentence.end)
            && best.as_ref().is_none_or(|b| e > b.1)
        {
            best = Some((ph, e, slot));
        }
    }
    let (ph, e, slot) = best?;
    let lang = p.lex.lang;
    let cue = |kind, who, inverted| Cue {
        kind,
        words: i..e,
        who,
        inverted,
        negated: false,
        relative: false,
    };
    match ph.kind {
        PhraseKind::Prep => {
            let w = p.word(i);
            // `selon qui`: the noun before.
            if matches!(
                p.word(e - 1),
                "qui" | "lequel" | "laquelle" | "lesquels" | "lesquelles"
            ) {
                let mut a = i;
                if a > sentence.start && p.is_punct(a - 1, ',') {
                    a -= 1;
                }
                return Some((
                    cue(
                        CueKind::Prep,
                        who_of(np_before(p, a, sentence.start)),
                        false,
                    ),
                    e,
                ));
            }
            // `pour` credits only as `Pour X, …` (not `pour + infinitive`, not `pour la ville`).
            if w == "pour" && lang == Lang::Fr && e == i + 1 {
                let clause_start = i == sentence.start
                    || p.is_punct(i - 1, ',')
                    || matches!(p.toks[i - 1].kind, Kind::Close(_));
                let np = np_after(p, e, sentence.end)?;
                let closed = p.is_punct(np.range.end, ',')
                    || p.is_punct(np.range.end, ':')
                    || np.range.end >= sentence.end
                    || p.is_punct(np.range.end, '.');
                if !clause_start || !closed || !np.is_person_like() || np.range.start != e {
                    return None;
                }
                return Some((cue(CueKind::Prep, Who::Np(np.clone()), true), np.range.end));
            }
            if w == "per" && lang == Lang::En {
                let np = np_after(p, e, sentence.end)?;
                return Some((cue(CueKind::Prep, Who::Np(np), true), e));
            }
            let np = np_after(p, e, sentence.end);
            if let Some(np) = &np
                && np.range.start > e + 1
                && np.pronoun.is_none()
            {
                return None;
            }
            Some((cue(CueKind::Prep, who_of(np), true), e))
        }
        PhraseKind::Intro => {
            let at_start = i == sentence.start || (i > sentence.start && !p.is_word(i - 1));
            at_start.then(|| (cue(CueKind::Intro, Who::Previous, false), e))
        }
        PhraseKind::Impersonal => {
            let who = place_of_impersonal(p, i, e, sentence);
            Some((cue(CueKind::Impersonal, who, true), e))
        }
        PhraseKind::Anaphor => {
            // The speaker is the person named in this sentence, after the phrase if any.
            let np = np_after(p, e, sentence.end)
                .filter(|np| np.is_person_like())
                .or_else(|| sentence_np_with_name(p, sentence));
            Some((cue(CueKind::Anaphor, who_of(np), false), e))
        }
        PhraseKind::Venue => {
            // Only a venue at the head of a sentence that hands over to its subject:
            // `Interrogé par l'AFP, X…`, `Contactée, la direction…`, `Speaking to reporters, he said`.
            let head = i == sentence.start || !p.is_word(i - 1);
            if !head
                || !(p
                    .verb_forms(i, true)
                    .any(|(_, f)| f == Form::Participle || f == Form::Gerund)
                    || p.word(i).ends_with('é')
                    || p.word(i).ends_with("ée")
                    || p.word(i).ends_with("és")
                    || p.word(i).ends_with("ing")
                    || matches!(
                        p.word(i),
                        "asked" | "contacted" | "reached" | "when" | "joint" | "jointe"
                    ))
            {
                return None;
            }
            let comma = (e..sentence.end).find(|&k| p.is_punct(k, ',') && p.toks[k].depth == 0)?;
            let np = np_after(p, comma + 1, sentence.end)?;
            if np.range.start != comma + 1 {
                return None;
            }
            Some((cue(CueKind::Venue, Who::Np(np), false), e))
        }
        PhraseKind::Pattern { .. } => Some((cue(CueKind::Pattern, who_of(slot), false), e)),
        PhraseKind::Frame => {
            // English frames are literal (`was more measured`): the subject is before.
            let np = np_before(p, i, sentence.start);
            let who = match np {
                Some(np) if np.is_person_like() && !np.generic => Who::Np(np),
                _ => Who::Nobody,
            };
            Some((cue(CueKind::Frame, who, false), e))
        }
        _ => None,
    }
}

/// The speaker of an impersonal cue: `de source policière`, `à Matignon, on…`,
/// `précise-t-on au commissariat`, `dans son entourage, on jure`.
fn place_of_impersonal(p: &Para, i: usize, e: usize, sentence: &Range<usize>) -> Who {
    // After the cue: `de source X`, `auprès de X`, `au X`, `à X`, `dans X`.
    let mut k = e;
    if matches!(p.word(k), "de" | "d'")
        && p.word(k + 1).starts_with("source")
        && let Some(np) = np_after(p, k + 1, sentence.end)
    {
        return Who::Np(np);
    }
    if p.word(k) == "auprès" && matches!(p.word(k + 1), "de" | "d'" | "du" | "des") {
        k += 2;
        if let Some(np) = np_after(p, k, sentence.end) {
            return Who::Np(np);
        }
    }
    if matches!(p.word(k), "au" | "aux" | "à" | "chez" | "dans" | "du") {
        let mut s = k + 1;
        if p.word(k) == "du" && p.word(s) == "côté" {
            s += 2;
        }
        if let Some(np) = np_after(p, s, sentence.end)
            && np.range.start == s
            && !np.generic
        {
            return Who::Np(np);
        }
        // `au commissariat`: the article is inside the preposition.
        let end = super::speakers::skip_pp(p, k, sentence.end);
        if end > s
            && p.is_word(s)
            && let Some(np) = Np::bare(p, s..end)
        {
            return Who::Np(np);
        }
    }
    // Before it: `À Matignon, on …`, `Dans son entourage, on …`.
    let mut s = sentence.start;
    while s < i && !p.is_word(s) {
        s += 1;
    }
    if matches!(
        p.word(s),
        "à" | "au" | "aux" | "chez" | "dans" | "du" | "côté"
    ) && s < i
    {
        let mut a = s + 1;
        if p.word(s) == "du" && p.word(a) == "côté" {
            a += 2;
        }
        if let Some(np) = np_after(p, a, i)
            && np.range.start == a
        {
            return Who::Np(np);
        }
    }
    Who::Nobody
}

/// The phrase with a proper name in a sentence (for anaphors: `C'est par ces mots que la
/// maire, Monique Texier, a accueilli…`).
fn sentence_np_with_name(p: &Para, sentence: &Range<usize>) -> Option<Np> {
    let mut k = sentence.start;
    while k < sentence.end {
        if p.toks[k].depth == 0
            && p.is_word(k)
            && (p.toks[k].cap || p.has(k, DET))
            && k > sentence.start
            && let Some(np) = np_after(p, k, sentence.end)
        {
            if np.name.is_some() || np.role.is_some() {
                return Some(np);
            }
            k = np.range.end.max(k + 1);
            continue;
        }
        k += 1;
    }
    None
}

fn verb_cue(p: &Para, i: usize, sentence: &Range<usize>) -> Option<(Cue, usize)> {
    // Most words are no verb's form: answered before the forms are gathered.
    if p.entries
        .get(i)
        .copied()
        .flatten()
        .is_none_or(|e| e.forms.is_empty())
    {
        return None;
    }
    let t = &p.toks[i];
    // The forms, on the stack when they are few (always, with the built-in lexicon).
    let mut few = [(0u32, Form::Finite); 8];
    let mut many: Vec<(u32, Form)> = Vec::new();
    let mut n = 0;
    for f in p.verb_forms(i, true) {
        if n < few.len() {
            few[n] = f;
        } else {
            if many.is_empty() {
                many.extend_from_slice(&few);
            }
            many.push(f);
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let forms: &mut [(u32, Form)] = if n <= few.len() {
        &mut few[..n]
    } else {
        &mut many
    };
    // A capitalised form is a verb only at the head of a sentence (`Reste que…` is not ours).
    if t.cap && i != sentence.start {
        return None;
    }
    let lex = p.lex;
    // A word after an article, a possessive or a number is a noun (`le chiffre`, `la note`,
    // `the report`, `four states`), unless the article is an object pronoun after its subject
    // (`il le dit`).
    let article = i > sentence.start
        && (match p.lex.lang {
            Lang::Fr => matches!(
                p.word(i - 1),
                "le" | "la" | "l'" | "les" | "un" | "une" | "des" | "du"
            ),
            Lang::En => matches!(p.word(i - 1), "the" | "a" | "an"),
        } || p.has(i - 1, POSSESSIVE) && !p.has(i - 1, PERSON12)
            || p.toks[i - 1].text.starts_with(|c: char| c.is_ascii_digit())
            || matches!(
                p.word(i - 1),
                "two" | "three" | "four" | "five" | "six" | "deux" | "trois" | "quatre" | "cinq"
            ));
    if article {
        let clitic = p.has(i - 1, CLITIC)
            && i >= sentence.start + 2
            && p.has(i - 2, PRON3 | PERSON12 | NEGATION);
        if !clitic {
            return None;
        }
    }
    // With an auxiliary before it, the participle reading comes first (`a dit`, `a fait valoir`).
    let mut j = i;
    while j > sentence.start && skippable_in_group(p, j - 1) {
        j -= 1;
    }
    if j > sentence.start && p.has(j - 1, AUX_HAVE | AUX_BE) {
        forms.sort_by_key(|&(_, f)| f != Form::Participle);
    } else {
        forms.sort_by_key(|&(_, f)| f == Form::Participle);
    }
    // Try each reading; the first that makes a grammatical group wins.
    for &(v, form) in &*forms {
        let verb = &lex.verbs[v as usize];
        let frame_verb = verb.role == super::lexicon::VerbRole::Frame;
        // The fixed complement of a multiword verb must follow (an adverb may sit between).
        let mut e = i + 1;
        if t.inverted.is_none() && p.lex.lang == Lang::Fr && form == Form::Finite {
            // `a-t-elle mis en garde` is handled through the participle.
        }
        if !verb.rest.is_empty() {
            let mut k = i + 1;
            if form == Form::Finite && p.has(k, PRON3) && p.lex.lang == Lang::Fr {
                k += 1;
            }
            while k < sentence.end && skippable_in_group(p, k) {
                k += 1;
            }
            if verb
                .rest
                .iter()
                .enumerate()
                .all(|(n, w)| p.word(k + n) == &**w)
            {
                e = k + verb.rest.len();
            } else {
                continue;
            }
        }
        if frame_verb {
            if let Some(c) = frame_cue(p, i, v, form, sentence) {
                return Some(c);
            }
            continue;
        }
        match form {
            Form::Infinitive => {
                if let Some(c) = infinitive_cue(p, i, e, sentence) {
                    return Some(c);
                }
                continue;
            }
            Form::Gerund => {
                // `en promettant`, `, insisting …`: the subject of the main clause.
                let french = p.word(i.wrapping_sub(1)) == "en" && i > sentence.start;
                let english =
                    p.lex.lang == Lang::En && i > sentence.start && p.is_punct(i - 1, ',');
                let head = p.lex.lang == Lang::En && (i == sentence.start || !p.is_word(i - 1));
                if french || english {
                    let start = if french { i - 1 } else { i };
                    let np = clause_subject(p, start, sentence);
                    return Some((
                        Cue {
                            kind: CueKind::Verb,
                            words: start..e,
                            who: who_of(np),
                            inverted: false,
                            negated: false,
                            relative: false,
                        },
                        e,
                    ));
                }
                if head {
                    // `Speaking to reporters, he said …` is a venue; the verb after speaks.
                    continue;
                }
                continue;
            }
            _ => {}
        }
        let (start, aux, mut passive, reflexive) = group_start(p, i, form, sentence.start);
        if form == Form::Participle && aux.is_none() {
            // A bare participle (`une déclaration publiée`) is not a cue; in English the
            // past tense is the same word and is listed as finite.
            continue;
        }
        if verb.pronominal && !reflexive {
            // `se félicite` needs its `se`; without it, try the non-pronominal reading.
            continue;
        }
        if !verb.pronominal && reflexive {
            continue;
        }
        if reflexive {
            passive = false;
        }
        if p.lex.lang == Lang::En
            && form == Form::Participle
            && let Some(a) = aux
        {
            passive = p.has(a, AUX_BE);
        }
        let neg = negated(p, start, e);
        // The inverted pronoun sits on the auxiliary or on the verb.
        let inv_at = aux
            .filter(|&a| p.toks[a].inverted.is_some())
            .or(t.inverted.map(|_| i));
        let who;
        let mut inverted = false;
        let mut relative = false;
        if passive {
            // The agent after `par`/`by`, if any.
            let agent = (e..sentence.end.min(e + 6))
                .find(|&k| matches!(p.word(k), "par" | "by") && p.toks[k].depth == 0)
                .and_then(|k| np_after(p, k + 1, sentence.end));
            who = who_of(agent);
        } else if let Some(k) = inv_at {
            inverted = true;
            who = match p.toks[k].inverted {
                Some(Inverted::On) => place_of_impersonal(p, start, e, sentence),
                Some(Inverted::Person12) => Who::FirstPerson,
                Some(inv) => who_of(inverted_pronoun(inv).map(|pr| pronoun_np(k, pr))),
                None => Who::Nobody,
            };
        } else {
            let before = start.checked_sub(1).filter(|&b| b >= sentence.start);
            let after_quote = |b: usize| matches!(p.toks[b].kind, Kind::Close(_));
            let head = match before {
                None => true,
                Some(b) => {
                    after_quote(b)
                        || p.is_punct(b, '—')
                        || p.is_punct(b, '(')
                        || p.is_punct(b, ',') && b > sentence.start && after_quote(b - 1)
                        || (p.is_punct(b, '?') || p.is_punct(b, '!'))
                            && b > sentence.start
                            && after_quote(b - 1)
                }
            };
            if head {
                inverted = true;
                who = who_of(np_after(p, e, sentence.end));
            } else if aux.is_some_and(|a| {
                matches!(
                    p.word(a),
                    "avoir" | "être" | "ayant" | "étant" | "having" | "being"
                )
            }) {
                // `La mairie assure avoir proposé …`: the subject of the verb that governs it.
                who = who_of(clause_subject(p, start, sentence));
            } else if p.toks[start - 1].is_word() && p.has(start - 1, COORD) {
                // `… a mobilisé 1 200 techniciens et espère …`: the subject of the clause before.
                who = who_of(clause_subject(p, start - 1, sentence));
            } else {
                match np_before(p, start, sentence.start) {
                    // The subject of a verb of speech must be someone who can speak: not
                    // `a blog post`, `his veto message`.
                    // English compounds make nouns of verbs (`a blog post`, `his veto message`):
                    // there the subject of a verb of speech must be someone who can speak.
                    Some(np)
                        if p.lex.lang == Lang::En
                            && !np.is_person_like()
                            && !np.weak
                            && !np.generic
                            && np.range.len() > 1
                            && !matches!(
                                p.word(np.range.start),
                                "one" | "another" | "some" | "several" | "many" | "two" | "three"
                            )
                            && !matches!(
                                p.toks.get(e).map(|t| t.kind),
                                Some(Kind::Punct(':') | Kind::Open(_))
                            ) =>
                    {
                        return None;
                    }
                    Some(np) => {
                        let mut b = start;
                        while b > sentence.start && skippable_in_group(p, b - 1) {
                            b -= 1;
                        }
                        relative = b > sentence.start
                            && matches!(p.word(b - 1), "qui" | "who" | "which" | "that");
                        who = Who::Np(np)
                    }
                    None => {
                        let first_person = start > sentence.start && p.has(start - 1, PERSON12);
                        if first_person {
                            who = Who::FirstPerson;
                        } else if p.is_punct(start - 1, ',') {
                            // `…, a averti l'Unicef`: inverted after a clause.
                            inverted = true;
                            who = who_of(np_after(p, e, sentence.end));
                        } else {
                            who = Who::Nobody;
                        }
                    }
                }
            }
        }
        return Some((
            Cue {
                kind: CueKind::Verb,
                words: start..e,
                who,
                inverted,
                negated: neg,
                relative,
            },
            e,
        ));
    }
    None
}

/// An infinitive of speech: `Et d'ajouter`, `refuse de commenter`, `tient à rappeler`.
fn infinitive_cue(p: &Para, i: usize, e: usize, sentence: &Range<usize>) -> Option<(Cue, usize)> {
    if i < sentence.start + 1 {
        return None;
    }
    let prev = p.word(i - 1);
    if matches!(prev, "de" | "d'")
        && i >= sentence.start + 2
        && matches!(p.word(i - 2), "et" | "puis")
    {
        let at_start = i - 2 == sentence.start || !p.is_word(i - 3);
        if at_start {
            return Some((
                Cue {
                    kind: CueKind::Intro,
                    words: i - 2..e,
                    who: Who::Previous,
                    inverted: false,
                    negated: false,
                    relative: false,
                },
                e,
            ));
        }
    }
    if matches!(prev, "avant") || matches!(prev, "d'") && p.word(i.wrapping_sub(2)) == "avant" {
        return None;
    }
    // A modal before it: `refuse de commenter`, `a tenu à rappeler`, `wanted to say`.
    let mut k = i - 1;
    if matches!(p.word(k), "de" | "d'" | "à" | "to") {
        if k == sentence.start {
            return None;
        }
        k -= 1;
    }
    let is_modal = p
        .verb_forms(k, true)
        .any(|(v, _)| p.lex.verbs[v as usize].role == super::lexicon::VerbRole::Frame)
        || p.has(k, FINITE) && p.lex.lang == Lang::Fr;
    if !is_modal {
        return None;
    }
    let form = p.verb_forms(k, true).next().map_or(Form::Finite, |f| f.1);
    let (start, aux, ..) = group_start(p, k, form, sentence.start);
    let inv_at = aux
        .filter(|&a| p.toks[a].inverted.is_some())
        .or(p.toks[k].inverted.map(|_| k));
    let who = if let Some(k) = inv_at {
        match p.toks[k].inverted {
            Some(Inverted::On) => place_of_impersonal(p, start, e, sentence),
            Some(inv) => who_of(inverted_pronoun(inv).map(|pr| pronoun_np(k, pr))),
            None => Who::Nobody,
        }
    } else if p.word(start.wrapping_sub(1)) == "on" {
        place_of_impersonal(p, start, e, sentence)
    } else {
        who_of(np_before(p, start, sentence.start))
    };
    Some((
        Cue {
            kind: CueKind::Verb,
            words: start..e,
            who,
            inverted: false,
            negated: negated(p, start, e),
            relative: false,
        },
        e,
    ))
}

/// A French frame at verb token `i` (`se veut rassurante`, `ne cachait pas son émotion`).
fn frame_cue(
    p: &Para,
    i: usize,
    v: u32,
    form: Form,
    sentence: &Range<usize>,
) -> Option<(Cue, usize)> {
    // The verb's frames first: most verbs have none (both must exist).
    let mine = p.lex.frames_by_verb.get(&v)?;
    let frames = p.lex.phrases.get("#verb")?;
    let (start, _aux, _passive, reflexive) = group_start(p, i, form, sentence.start);
    for ph in mine.iter().map(|&k| &frames[k]) {
        let verb = &p.lex.verbs[v as usize];
        if verb.pronominal != reflexive {
            continue;
        }
        if ph.kind == PhraseKind::Modal {
            continue;
        }
        let mut k = i + 1;
        // Negation and pronoun after the verb (`ne cache pas`, `se veut-elle`).
        while k < sentence.end && matches!(p.word(k), "pas" | "plus" | "jamais" | "tout") {
            k += 1;
        }
        let Some((e, _)) = match_pieces(p, &ph.pieces[1..], k, sentence.end) else {
            continue;
        };
        if ph.negated != negated(p, start, k) {
            continue;
        }
        let who = match p.toks[i].inverted {
            Some(inv) => who_of(inverted_pronoun(inv).map(|pr| pronoun_np(i, pr))),
            None => {
                let np = np_before(p, start, sentence.start);
                match np {
                    Some(np) if np.is_person_like() => Who::Np(np),
                    _ => Who::Nobody,
                }
            }
        };
        return Some((
            Cue {
                kind: CueKind::Frame,
                words: start..e,
                who,
                inverted: false,
                negated: false,
                relative: false,
            },
            e,
        ));
    }
    None
}

/// A colon: the introduction before it names the speaker when a cue in it has one, or when
/// its subject is a person (`Un riverain, témoin de l'accident :`, `elle ne cachait pas…:`).
fn colon_cue(p: &Para, i: usize, sentence: &Range<usize>, before: &[Cue]) -> Cue {
    // The clause before the colon.
    let clause_start = (sentence.start..i)
        .rev()
        .find(|&k| {
            p.toks[k].depth == 0
                && matches!(p.toks[k].kind, Kind::Punct(';' | ':') | Kind::Close(_))
        })
        .map_or(sentence.start, |k| k + 1);
    let cue = |who| Cue {
        kind: CueKind::Colon,
        words: i..i + 1,
        who,
        inverted: false,
        negated: false,
        relative: false,
    };
    if let Some(c) = before
        .iter()
        .rev()
        .find(|c| c.words.start >= clause_start && c.kind != CueKind::Colon)
        && (c.has_speaker() && !c.negated || c.who == Who::FirstPerson)
    {
        return cue(c.who.clone());
    }
    // A person as the subject of the introduction.
    let clause = clause_start..i;
    let first_word = (clause.start..i).find(|&k| p.is_word(k) && p.toks[k].depth == 0);
    let subject = sentence_subject(p, &clause).or_else(|| {
        first_word
            .and_then(|k| np_after(p, k, i))
            .filter(|np| Some(np.range.start) == first_word)
    });
    if let Some(np) = subject {
        if np.is_person_like() && !np.generic {
            return cue(Who::Np(np));
        }
        // `Le constat de l'économiste Lucie Perrin est plus sévère :` — a noun that names what
        // was said, with the speaker as its complement.
        if let Some(head) = (np.range.start..np.range.end).find(|&k| p.is_word(k) && !p.has(k, DET))
        {
            let noun = p.lex.phrases_of(p.word(head)).is_some_and(|l| {
                l.iter()
                    .any(|ph| ph.kind == PhraseKind::Noun && ph.pieces.len() == 1)
            });
            if noun && matches!(p.word(head + 1), "de" | "d'" | "du" | "des" | "of" | "from") {
                let s = if matches!(p.word(head + 1), "du" | "des") {
                    head + 1
                } else {
                    head + 2
                };
                if let Some(inner) = np_after(
                    p,
                    if p.has(s, PREP) && !p.has(s, DET) {
                        s + 1
                    } else {
                        s
                    },
                    i,
                ) && inner.is_person_like()
                    && !inner.generic
                {
                    return cue(Who::Np(inner));
                }
            }
        }
    }
    // A name alone before the colon (`## Léa Fontaine : « … »`).
    if let Some(np) = np_after(p, clause_start, i)
        && np.range.end == i
        && np.name.is_some()
    {
        return cue(Who::Np(np));
    }
    cue(Who::Nobody)
}

/// A verb of speech at `i` read as an incise: its subject after it (a pronoun on the verb, or
/// a phrase), closed by a comma or a full stop.
pub fn incise_cue(p: &Para, i: usize, range: Range<usize>) -> Option<Cue> {
    let (cue, _) = verb_cue(p, i, &range)?;
    if !cue.inverted || !cue.has_speaker() || cue.negated {
        return None;
    }
    let end = match &cue.who {
        Who::Np(np) if np.pronoun.is_none() => np.range.end,
        _ => cue.words.end,
    };
    let closed = end >= range.end
        || matches!(
            p.toks[end].kind,
            Kind::Punct(',' | '.' | ';' | '!' | '?' | '…')
        );
    closed.then_some(cue)
}

/// A quotation that opens with a finite verb of speech, right after its subject:
/// `Contactée, la direction « regrette cette décision »`.
pub fn verb_inside(p: &Para, open: usize, sentence: &Range<usize>) -> Option<Cue> {
    let first = open + 1;
    if !p.is_word(first) || p.toks[first].cap {
        return None;
    }
    let finite = p.verb_forms(first, false).any(|(_, f)| f == Form::Finite);
    if !finite {
        return None;
    }
    let np = np_before(p, open, sentence.start)?;
    if !np.is_person_like() || np.generic {
        return None;
    }
    Some(Cue {
        kind: CueKind::Verb,
        words: first..first + 1,
        who: Who::Np(np),
        inverted: false,
        negated: false,
        relative: false,
    })
}
