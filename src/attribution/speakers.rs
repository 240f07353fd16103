//! Who speaks: noun phrases that name a speaker, the people a draft mentions, and how a
//! pronoun (`il`, `she`) or a description (`le ministre`, `l'intéressée`) is resolved to the
//! nearest fitting person the draft names.

use super::lexicon::Form;
use super::para::Para;
use super::tokens::{Inverted, Kind};
use super::words::class::*;
use crate::language::Lang;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gender {
    #[default]
    Unknown,
    Masculine,
    Feminine,
}

impl Gender {
    pub fn fits(self, other: Gender) -> bool {
        self == Gender::Unknown || other == Gender::Unknown || self == other
    }
}

/// A third-person pronoun standing for a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pronoun {
    pub gender: Gender,
    pub plural: bool,
}

/// A noun phrase that names (or stands for) a speaker, in token indices of its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Np {
    pub range: Range<usize>,
    /// The proper name in it, if any (`Arnaud Becquerel` in `le ministre…, Arnaud Becquerel`).
    pub name: Option<Range<usize>>,
    /// A speaker noun (role) in it: `ministre` in `le ministre de l'Agriculture`.
    pub role: Option<Range<usize>>,
    pub pronoun: Option<Pronoun>,
    pub gender: Gender,
    pub plural: bool,
    /// Starts with a demonstrative or is an anaphor (`ce dernier`, `l'intéressée`).
    pub anaphoric: bool,
    /// A bare plural or generic group (`students`, `d'autres`): not one person.
    pub generic: bool,
    /// The name is a single capitalised word at the head of a sentence: a name only if the
    /// draft has named someone so.
    pub weak: bool,
    /// The name came in apposition to a description (`le directeur, Yves Kerjean,`): a person.
    pub appositive: bool,
    /// A definite description by an epithet (`l'artiste`, `the singer`, `the 34-year-old`).
    pub epithet: bool,
    /// A definite description of an organisation (`le groupe`, `the company`).
    pub organisation: bool,
    /// A relational epithet (`son adversaire`): someone other than the last speaker.
    pub other: bool,
    /// A definite description of a publication (`l'hebdomadaire`, `the paper`).
    pub publication: bool,
}

/// Particles inside personal names: `Niki de Saint Phalle`, `Erwan Le Goff`, `Ludwig van Beethoven`.
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "di", "da", "del", "della",
    "dos", "das", "ben", "bin", "al", "el", "ter", "ten", "y", "mac",
];

/// Prepositions that join a complement to a noun inside a noun phrase.
fn complement_prep(w: &str) -> bool {
    matches!(
        w,
        "de" | "du" | "des" | "d'" | "of" | "for" | "at" | "from" | "chargé" | "chargée" | "en"
    )
}

/// `l'adjoint au commerce`, `la ministre déléguée au Numérique`, `adjointe aux finances`:
/// `à` after a role noun (and its adjectives) joins the role's field to it, when a common noun
/// (or the name of a portfolio) follows rather than a place.
fn role_complement(p: &Para, i: usize) -> bool {
    if !matches!(p.word(i), "à" | "au" | "aux") || i == 0 {
        return false;
    }
    let role_before = (i.saturating_sub(3)..i).any(|k| p.has(k, SPEAKER_NOUN));
    if !role_before {
        return false;
    }
    let mut k = i + 1;
    if p.has(k, DET) {
        k += 1;
    }
    p.is_word(k) && (!p.toks[k].cap || p.word(i) == "au" && !p.is_word(k + 1))
}

/// Whether token `i` can be part of a proper name run.
fn name_word(p: &Para, i: usize) -> bool {
    let Some(t) = p.toks.get(i) else {
        return false;
    };
    t.is_word() && t.cap
}

/// Whether token `i` is a word that can open a noun phrase.
fn np_start(p: &Para, i: usize) -> bool {
    let t = &p.toks[i];
    t.is_word()
        && (p.has(i, DET | POSSESSIVE | SPEAKER_NOUN | ANAPHOR)
            || t.cap
            || t.text.starts_with(|c: char| c.is_ascii_digit())
            // English compounds before a role or a name: `zoo manager Kelly Brandt`.
            || p.lex.lang == Lang::En
                && !p.has(i, PREP | SUBORD | COORD | RELATIVE | AUX_HAVE | AUX_BE | FINITE | NEGATION | ADVERB)
                && (i + 1..(i + 3).min(p.toks.len())).any(|k| p.has(k, SPEAKER_NOUN) || p.toks[k].cap && p.is_word(k)))
}

/// A title abbreviation or an initial followed by its dot (`Dr.`, `J.`): the dot is not an end.
fn abbreviation_dot(p: &Para, i: usize) -> bool {
    p.is_punct(i, '.')
        && i > 0
        && p.is_word(i - 1)
        && p.toks[i - 1].cap
        && (p.has(i - 1, TITLE_ABBR) || p.toks[i - 1].text.chars().count() == 1)
        && p.toks.get(i + 1).is_some_and(|t| t.is_word() && t.cap)
}

/// A possessive (`Swoop’s`, `the mayor's`): it names the possessor, not the head.
fn possessive(p: &Para, i: usize) -> bool {
    let w = p.word(i);
    w.ends_with("'s") || w.ends_with("s'") && p.lex.lang == Lang::En
}

/// Words that end a noun phrase: verbs, conjunctions, relatives, most prepositions.
fn np_stop(p: &Para, i: usize) -> bool {
    let t = &p.toks[i];
    match t.kind {
        Kind::Word => {}
        _ => return !abbreviation_dot(p, i),
    }
    let f = p.flags(i);
    if t.inverted.is_some()
        || f & (AUX_HAVE | AUX_BE | FINITE | SUBORD | COORD | RELATIVE | NEGATION | TIME) != 0
    {
        return !(t.cap && f & (SUBORD | COORD | TIME) != 0 && i > 0 && name_word(p, i - 1));
    }
    if f & PREP != 0 && !complement_prep(&t.lower) && !role_complement(p, i) {
        return true;
    }
    if p.is_verb(i, true) && !t.cap && f & (SPEAKER_NOUN | DET) == 0 {
        // A verb form ends the phrase, unless it doubles as a noun the lexicon knows.
        return true;
    }
    false
}

/// Whether token `i` starts a sentence (or a quotation, or follows a colon or a dash), where
/// any word takes a capital.
pub fn sentence_initial(p: &Para, i: usize) -> bool {
    let s = p.sent_of.get(i).map(|&k| p.sentences[k as usize].start);
    if s == Some(i) {
        return true;
    }
    let mut k = i;
    while k > 0 {
        k -= 1;
        match p.toks[k].kind {
            Kind::Open(_) | Kind::Punct(':' | '—' | '(') => return true,
            Kind::Punct(_) => continue,
            _ => return false,
        }
    }
    true
}

/// A phrase at the head of a sentence with no determiner, running into a comma before any
/// verb, describes the subject that follows rather than being it: `Auteur de deux essais,
/// l'ailier…`, `Victime d'une chute lors du Dauphiné, le grimpeur…`, `Contactée, la direction…`.
/// A single capitalised word before a closed apposition is a subject (`Whitley, a former
/// teacher, will serve…`).
pub fn detached(p: &Para, np: &Np, limit: usize) -> bool {
    let i = np.range.start;
    if p.has(i, DET | POSSESSIVE) || np.pronoun.is_some() || np.name.is_some() && !np.weak {
        return false;
    }
    let Some(comma) = (np.range.end..limit.min(np.range.end + 10))
        .take_while(|&k| {
            p.toks[k].depth == 0
                && !p.has(k, AUX_HAVE | AUX_BE | FINITE)
                && !p.is_verb(k, true)
                && p.toks[k].inverted.is_none()
                && !matches!(p.toks[k].kind, Kind::Open(_))
        })
        .find(|&k| p.is_punct(k, ','))
    else {
        return false;
    };
    if np.weak {
        // `Whitley, a former teacher from Maine, will serve`: the apposition closes with a
        // comma before any verb.
        let closed = (comma + 1..limit.min(comma + 14))
            .take_while(|&k| {
                p.is_word(k) && !p.has(k, AUX_HAVE | AUX_BE | FINITE) && !p.is_verb(k, true)
                    || p.is_punct(k, ',')
            })
            .any(|k| p.is_punct(k, ','));
        return !closed;
    }
    true
}

/// The proper name inside `range`: the last run of capitalised words not introduced by a
/// complement preposition, without leading titles and role words. A single capitalised word
/// that merely starts a sentence (`Auteur de deux essais, …`) is not a name unless it is a
/// known first name; `weak` tells the caller it may still be a surname it knows.
fn find_name(p: &Para, range: &Range<usize>) -> Option<(Range<usize>, bool)> {
    let mut i = range.start;
    let mut best: Option<(Range<usize>, bool)> = None;
    let first_name = |k: usize| p.has(k, FIRST_NAME_F | FIRST_NAME_M);
    while i < range.end {
        let grammar = p.has(
            i,
            DET | PREP
                | PRON3
                | PERSON12
                | SUBORD
                | COORD
                | ADVERB
                | TIME
                | DEMONSTRATIVE
                | NEGATION
                | RELATIVE
                | AUX_HAVE
                | AUX_BE,
        );
        if !name_word(p, i) || grammar && !first_name(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            let more_name = end < range.end
                && name_word(p, end)
                && !p.has(end, COORD | PREP)
                && !possessive(p, end - 1);
            if more_name || end + 1 < range.end && abbreviation_dot(p, end) {
                end += 1;
            } else if end + 1 < range.end
                && PARTICLES.contains(&p.word(end))
                && !(end == start + 1 && sentence_initial(p, start) && !first_name(start))
                && (name_word(p, end + 1)
                    || (PARTICLES.contains(&p.word(end + 1))
                        && end + 2 < range.end
                        && name_word(p, end + 2)))
            {
                end += 2;
            } else {
                break;
            }
        }
        // A name inside a complement (`le parquet de Marseille`, `for Mayor Carl Benson`,
        // `la patronne de la plateforme RouleMate`) names the complement, not the speaker.
        let after_complement = {
            let mut k = range.start + 1;
            let mut found = false;
            while k < start {
                let len = role_phrase_len(p, k, start);
                if len > 0 {
                    k += len;
                    continue;
                }
                if p.is_word(k)
                    && (complement_prep(p.word(k)) || matches!(p.word(k), "à" | "au" | "aux"))
                    && p.word(k) != "en"
                {
                    found = true;
                }
                k += 1;
            }
            found
        };
        let mut s = start;
        // Strip titles and role words in front of the name itself (`Mayor Diane Okafor`,
        // `U.S. Attorney Renee Walker`, `le Premier ministre Manuel Valls`).
        while s < end {
            let w = p.word(s);
            let phrase = role_phrase_len(p, s, p.toks.len());
            if phrase > 0 && !first_name(s) {
                s += phrase;
                continue;
            }
            let role = p.has(s, TITLE_ABBR | SPEAKER_NOUN) && !first_name(s);
            let dotted_title = p.has(s, TITLE_ABBR) || w.ends_with('.') && w.len() <= 5;
            if (role || dotted_title) && s < end {
                s += 1;
                if p.is_punct(s, '.') {
                    s += 1;
                }
                continue;
            }
            break;
        }
        // A first name inside the run starts the person's name (`Chief Technology Officer Leon Park`).
        if let Some(f) = (s..end.saturating_sub(1)).find(|&k| first_name(k)) {
            s = f;
        }
        // `Ironvale’s head of research`: a possessive names whose head it is, not the head
        // (but `Brockley’s is to cut…`: a name that ends in ’s).
        let owner = possessive(p, end - 1)
            && p.toks.get(end).is_some_and(|t| t.is_word() && !t.cap)
            && !p.has(end, AUX_HAVE | AUX_BE | FINITE)
            && !p.is_verb(end, true);
        if s < end && !after_complement && !owner {
            let weak = end == s + 1 && sentence_initial(p, s) && !first_name(s);
            best = Some((s..end, weak));
        }
        i = end.max(i + 1);
    }
    best
}

/// Length in tokens of a multiword speaker noun starting at `i`, or 0.
pub fn role_phrase_len(p: &Para, i: usize, end: usize) -> usize {
    let mut best = 0;
    if !p.has(i, ROLE_PHRASE_START) {
        return 0;
    }
    let Some(list) = p.lex.speaker_phrases.get(p.word(i)) else {
        return 0;
    };
    for ph in list {
        if i + ph.len() <= end && ph.iter().enumerate().all(|(k, w)| p.word(i + k) == &**w) {
            best = best.max(ph.len());
        }
    }
    best
}

fn gender_of_det(p: &Para, i: usize) -> Gender {
    let f = p.flags(i);
    if f & FEMININE != 0 {
        Gender::Feminine
    } else if f & MASCULINE != 0 {
        Gender::Masculine
    } else {
        Gender::Unknown
    }
}

/// The gender a name suggests: its first name, or a title in front of it.
pub fn name_gender(p: &Para, name: &Range<usize>) -> Gender {
    if name.start > 0 {
        let before = if p.is_punct(name.start - 1, '.') && name.start > 1 {
            name.start - 2
        } else {
            name.start - 1
        };
        if p.has(before, TITLE_ABBR) && p.toks[before].cap {
            let g = gender_of_det(p, before);
            if g != Gender::Unknown {
                return g;
            }
        }
    }
    let first = p.word(name.start);
    let first = first.split('-').next().unwrap_or(first);
    let f = p.lex.flags(first);
    match (f & FIRST_NAME_F != 0, f & FIRST_NAME_M != 0) {
        (true, false) => Gender::Feminine,
        (false, true) => Gender::Masculine,
        _ => Gender::Unknown,
    }
}

/// A pronoun token as a speaker reference.
pub fn pronoun_at(p: &Para, i: usize) -> Option<Pronoun> {
    let f = p.flags(i);
    if f & (PRON3 | STRESSED) == 0 || p.word(i) == "on" || p.word(i) == "it" {
        return None;
    }
    if matches!(p.word(i), "her" | "la" | "le" | "les") {
        return None;
    }
    Some(Pronoun {
        gender: if f & FEMININE != 0 {
            Gender::Feminine
        } else if f & MASCULINE != 0 {
            Gender::Masculine
        } else {
            Gender::Unknown
        },
        plural: f & PLURAL != 0,
    })
}

pub fn inverted_pronoun(inv: Inverted) -> Option<Pronoun> {
    let (gender, plural) = match inv {
        Inverted::Il => (Gender::Masculine, false),
        Inverted::Elle => (Gender::Feminine, false),
        Inverted::Ils => (Gender::Masculine, true),
        Inverted::Elles => (Gender::Feminine, true),
        Inverted::On | Inverted::Person12 => return None,
    };
    Some(Pronoun { gender, plural })
}

impl Np {
    /// A phrase taken as it is (`commissariat` after `au`).
    pub fn bare(p: &Para, range: Range<usize>) -> Option<Np> {
        if range.is_empty() {
            return None;
        }
        let mut np = Np::from_range(p, range.clone())?;
        if np.role.is_none() {
            np.role = Some(range.start..range.start + 1);
        }
        Some(np)
    }

    fn from_range(p: &Para, range: Range<usize>) -> Option<Np> {
        if range.is_empty() {
            return None;
        }
        let mut np = Np {
            range: range.clone(),
            name: None,
            role: None,
            pronoun: None,
            gender: Gender::Unknown,
            plural: false,
            anaphoric: false,
            generic: false,
            weak: false,
            appositive: false,
            epithet: false,
            organisation: false,
            other: false,
            publication: false,
        };
        if range.len() == 1
            && let Some(pr) = pronoun_at(p, range.start)
        {
            np.pronoun = Some(pr);
            np.gender = pr.gender;
            np.plural = pr.plural;
            return Some(np);
        }
        // `nous`, `we`: never a speaker.
        if range.len() == 1 && p.has(range.start, PERSON12) && !p.has(range.start, TITLE_ABBR) {
            return None;
        }
        // The role: a multiword speaker noun, else the first speaker noun.
        let mut k = range.start;
        while k < range.end {
            let len = role_phrase_len(p, k, range.end);
            if len > 0 {
                np.role = Some(k..k + len);
                break;
            }
            if p.has(k, SPEAKER_NOUN) && !(p.toks[k].cap && k > range.start && name_word(p, k - 1))
            {
                np.role = Some(k..k + 1);
                break;
            }
            if p.has(k, PREP) && k > range.start {
                break;
            }
            k += 1;
        }
        if let Some((n, weak)) = find_name(p, &range) {
            np.name = Some(n);
            np.weak = weak;
        }
        let det = range.start;
        np.gender = gender_of_det(p, det);
        if let Some(n) = &np.name {
            let g = name_gender(p, n);
            if g != Gender::Unknown {
                np.gender = g;
            }
        }
        if np.name.is_none() {
            if let Some(r) = &np.role {
                np.plural = p.has(r.start, PLURAL) || p.has(det, PLURAL);
            } else {
                np.plural = p.has(det, PLURAL);
            }
        }
        np.anaphoric = p.has(det, DEMONSTRATIVE) || range.clone().any(|i| p.has(i, ANAPHOR));
        // The head noun of a description: the first word after the determiner and adjectives,
        // before any complement.
        if np.name.is_none() && p.has(det, DET) && !p.has(det, PREP) {
            let definite = matches!(
                p.word(det),
                "le" | "la" | "l'" | "les" | "the" | "this" | "that" | "ce" | "cet" | "cette"
            ) || p.has(det, POSSESSIVE);
            let head_end = (det + 1..range.end)
                .find(|&k| !p.is_word(k) || complement_prep(p.word(k)))
                .unwrap_or(range.end.max(det + 1));
            let head = det + 1..head_end;
            if definite {
                np.epithet = head
                    .clone()
                    .any(|k| p.has(k, EPITHET) || p.word(k).ends_with("-year-old"));
                np.organisation = head.clone().any(|k| p.has(k, ORGANISATION));
                np.publication = head.clone().any(|k| p.has(k, PUBLICATION));
                np.other = head.clone().any(|k| {
                    matches!(
                        p.word(k),
                        "adversaire"
                            | "rival"
                            | "rivale"
                            | "challenger"
                            | "challengeuse"
                            | "opponent"
                    )
                });
            }
        }
        let first = &p.toks[det];
        np.generic = np.name.is_none()
            && np.role.as_ref().is_none_or(|r| r.start == det)
            && !first.cap
            && np.plural
            && !p.has(det, DET);
        Some(np)
    }

    /// Whether the phrase opens with a definite article or a demonstrative (`le ministre`).
    pub fn definite(&self, p: &Para) -> bool {
        matches!(
            p.word(self.range.start),
            "le" | "la" | "l'" | "the" | "ce" | "cet" | "cette" | "this"
        )
    }

    /// Whether this phrase can name someone who speaks (a person, a group, an institution).
    pub fn is_person_like(&self) -> bool {
        self.pronoun.is_some() || self.name.is_some() && !self.weak || self.role.is_some()
    }
}

/// The speaker noun phrase that starts at token `i` (after a verb in an incise, after
/// `selon`), ending before `limit`. Leading prepositional phrases (`à l'AFP`, `au Monde`),
/// time words and adverbs are skipped.
pub fn np_after(p: &Para, mut i: usize, limit: usize) -> Option<Np> {
    let limit = limit.min(p.toks.len());
    // Skip what may sit between a verb and its subject.
    let mut guard = 0;
    while i < limit && guard < 12 {
        guard += 1;
        let t = &p.toks[i];
        if !t.is_word() {
            if t.is_punct(',') && guard == 1 {
                i += 1;
                continue;
            }
            return None;
        }
        let f = p.flags(i);
        if f & (TIME | ADVERB) != 0 || t.lower.ends_with("ment") && !t.cap && f & SPEAKER_NOUN == 0
        {
            i += 1;
            continue;
        }
        // `un peu plus tard`, `un peu partout`: an adverbial, not a subject.
        if t.lower == "un" && p.word(i + 1) == "peu" {
            i += 2;
            if matches!(p.word(i), "plus" | "moins") {
                i += 1;
            }
            if p.is_word(i) && !p.has(i, DET) && !p.toks[i].cap {
                i += 1;
            }
            continue;
        }
        if f & PREP != 0 && f & DET == 0 || matches!(&*t.lower, "au" | "aux") {
            let j = skip_pp(p, i, limit);
            if j == i + 1 {
                return None;
            }
            i = j;
            continue;
        }
        break;
    }
    if i >= limit {
        return None;
    }
    if pronoun_at(p, i).is_some() {
        return Np::from_range(p, i..i + 1);
    }
    if !np_start(p, i) {
        return None;
    }
    let start = i;
    // `l'un de ses amis`, `one of the defendants`
    let mut j = i;
    while j < limit {
        if j > start {
            if np_stop(p, j) {
                break;
            }
            let prev = &p.toks[j - 1];
            let t = &p.toks[j];
            // A determiner starts a new phrase unless a complement preposition leads to it.
            let new_phrase = p.has(j, DET)
                && !p.has(j, PREP)
                && !(t.cap && prev.cap && prev.is_word() && name_word(p, j + 1))
                && !(prev.is_word() && (complement_prep(&prev.lower) || p.has(j - 1, PREP)))
                && !(j == start + 1 && matches!(&*prev.lower, "l'un" | "l'une" | "un" | "une"));
            // After a proper name, only a complement or more of the name may follow (inside a
            // complement, `de la Transition écologique`, an adjective may).
            let in_complement = (start..j).any(|k| p.is_word(k) && complement_prep(p.word(k)));
            let after_name = !in_complement
                && prev.is_word()
                && prev.cap
                && !possessive(p, j - 1)
                && !p.has(j - 1, DET | SPEAKER_NOUN | TITLE_ABBR)
                && t.is_word()
                && !t.cap
                && !complement_prep(&t.lower)
                && !PARTICLES.contains(&&*t.lower)
                && !p.has(j, SPEAKER_NOUN);
            if new_phrase || after_name {
                break;
            }
        }
        j += 1;
        if j - start > 14 {
            break;
        }
    }
    // Drop a trailing preposition or determiner.
    while j > start + 1 && p.has(j - 1, PREP | DET) && !p.toks[j - 1].cap {
        j -= 1;
    }
    let mut np = Np::from_range(p, start..j)?;
    // An apposition that names the speaker: `le ministre de l'Agriculture, Vincent Delorme,`,
    // `la candidate écologiste à Bordeaux-Lac, Salomé Girard,`.
    if np.name.is_none() && np.pronoun.is_none() {
        let mut c = j;
        if c < limit && p.is_word(c) && p.has(c, PREP) {
            c = skip_pp(p, c, limit);
        }
        if !p.is_punct(c, ',') {
            // `L'institutrice poursuivie pour homicide involontaire, Véronique Ollivier,`
            let mut k = c;
            while k < limit
                && k < c + 6
                && p.is_word(k)
                && !p.has(k, AUX_HAVE | AUX_BE | FINITE | SUBORD | RELATIVE | COORD)
                && p.toks[k].inverted.is_none()
            {
                k += 1;
            }
            if p.is_punct(k, ',')
                && k > c
                && p.verb_forms(c, false).any(|(_, f)| f == Form::Participle)
            {
                c = k;
            }
        }
        if p.is_punct(c, ',') {
            let has_complement = (start..j).any(|k| p.is_word(k) && complement_prep(p.word(k)));
            if let Some(name) = apposition(p, c + 1, limit, has_complement) {
                np.gender = match name_gender(p, &name) {
                    Gender::Unknown => np.gender,
                    g => g,
                };
                np.range = start..name.end;
                np.name = Some(name);
                np.appositive = true;
            }
        }
    }
    Some(np)
}

/// The name given by an apposition after a comma: a bare name (`, Arnaud Becquerel,`), or,
/// when the head has no complement it could describe instead, a description with a name
/// (`Sa créatrice, l'ancienne gendarme Valérie Sorel,`). Closed by a comma, a full stop or
/// the limit.
fn apposition(p: &Para, i: usize, limit: usize, head_has_complement: bool) -> Option<Range<usize>> {
    if let Some(n) = apposition_name(p, i, limit) {
        return Some(n);
    }
    if head_has_complement || !p.has(i, DET) {
        return None;
    }
    let mut e = i;
    while e < limit && p.is_word(e) && e - i < 8 {
        e += 1;
    }
    let closed = e >= limit
        || matches!(
            p.toks[e].kind,
            Kind::Punct(',' | '.' | ';' | ':' | ')' | '—') | Kind::Close(_) | Kind::Open(_)
        );
    if !closed {
        return None;
    }
    let (name, weak) = find_name(p, &(i..e))?;
    (!weak && name.end == e).then_some(name)
}

/// The end of the prepositional phrase that starts at `i`: the preposition, a determiner, then
/// a proper name (up to a first name, which starts the subject: `à l'AFP Sylvie Renaud`) or
/// common nouns with their complements (`lors d'une conférence de presse`).
pub fn skip_pp(p: &Para, i: usize, limit: usize) -> usize {
    let mut j = i + 1;
    if j < limit && p.has(j, DET) && p.is_word(j) {
        j += 1;
    }
    if j < limit && p.is_word(j) && p.toks[j].cap {
        while j < limit
            && p.is_word(j)
            && p.toks[j].cap
            && !(j > i + 1 && p.has(j, FIRST_NAME_F | FIRST_NAME_M))
        {
            j += 1;
        }
        return j;
    }
    let common = |k: usize| {
        p.is_word(k)
            && !p.toks[k].cap
            && !p.has(
                k,
                DET | SPEAKER_NOUN | PREP | SUBORD | COORD | RELATIVE | AUX_HAVE | AUX_BE,
            )
            && !p.is_verb(k, false)
    };
    while j < limit && common(j) {
        j += 1;
        // `de presse`, `d'une conférence`, `du groupe`
        if j < limit
            && p.is_word(j)
            && complement_prep(p.word(j))
            && !matches!(p.word(j), "en" | "for" | "at" | "from")
        {
            let mut k = j + 1;
            if k < limit && p.has(k, DET) {
                k += 1;
            }
            if k < limit && p.is_word(k) && (common(k) || p.toks[k].cap) {
                j = k;
                while j < limit && p.is_word(j) && p.toks[j].cap {
                    j += 1;
                }
            }
        }
    }
    j
}

/// A bare name right after a comma, closed by a comma, a full stop or the limit.
fn apposition_name(p: &Para, i: usize, limit: usize) -> Option<Range<usize>> {
    let mut s = i;
    // `, Senator Ron Pike,`, `, Me Sarah Klein,`: titles and capitalised roles before the name.
    while s < limit
        && p.toks[s].cap
        && (p.has(s, TITLE_ABBR) || p.has(s, SPEAKER_NOUN) && name_word(p, s + 1))
        && !p.has(s, FIRST_NAME_F | FIRST_NAME_M)
    {
        s += 1;
        if p.is_punct(s, '.') {
            s += 1;
        }
    }
    if s >= limit
        || !name_word(p, s)
        || p.has(s, DET | PREP | PRON3 | SPEAKER_NOUN) && !p.has(s, FIRST_NAME_F | FIRST_NAME_M)
    {
        return None;
    }
    let mut e = s;
    while e < limit
        && (name_word(p, e)
            || PARTICLES.contains(&p.word(e)) && name_word(p, e + 1)
            || abbreviation_dot(p, e))
    {
        e += 1;
    }
    let closed = e >= limit
        || matches!(
            p.toks[e].kind,
            Kind::Punct(',' | '.' | ';' | ':' | ')' | '—') | Kind::Close(_) | Kind::Open(_)
        );
    closed.then_some(i..e)
}

/// The subject noun phrase that ends right before token `i` (a verb group), not reaching
/// before `floor`. Skips clitics and adverbs, appositions and relative clauses between commas.
pub fn np_before(p: &Para, i: usize, floor: usize) -> Option<Np> {
    let mut k = i;
    // Clitics, negation and adverbs between a subject and its verb.
    while k > floor {
        let j = k - 1;
        let t = &p.toks[j];
        if !t.is_word() {
            break;
        }
        let f = p.flags(j);
        let clitic = f & (CLITIC | NEGATION | ADVERB) != 0 && f & PRON3 == 0 && !t.cap;
        let adverb = t.lower.ends_with("ly") && p.lex.lang == Lang::En
            || t.lower.ends_with("ment") && f == 0;
        if clitic || adverb {
            k = j;
            continue;
        }
        break;
    }
    if k <= floor {
        return None;
    }
    let j = k - 1;
    let t = &p.toks[j];
    if t.is_word() {
        if p.has(j, PERSON12) && !t.cap
            || p.has(j, PERSON12) && pronoun_at(p, j).is_none() && p.has(j, FINITE)
        {
            return None;
        }
        if pronoun_at(p, j).is_some() {
            return Np::from_range(p, j..j + 1);
        }
        if p.has(j, RELATIVE) {
            // `X, qui a déclaré`: the antecedent.
            let mut a = j;
            if a > floor && p.is_punct(a - 1, ',') {
                a -= 1;
            }
            return np_before(p, a, floor);
        }
    }
    if p.is_punct(j, ',') {
        // `X, appositive, said` / `X, lui, affirme` / `X, who …, said`.
        let mut c = j;
        let mut found = None;
        while c > floor {
            c -= 1;
            match p.toks[c].kind {
                Kind::Punct(',') => {
                    found = Some(c);
                    break;
                }
                Kind::Punct(_) | Kind::Open(_) | Kind::Close(_) => break,
                _ => {}
            }
        }
        let c = found?;
        let inner = c + 1..j;
        let mut np = np_before(p, c, floor)?;
        if np.name.is_none() && np.pronoun.is_none() {
            let has_complement = np
                .range
                .clone()
                .any(|k| p.is_word(k) && complement_prep(p.word(k)));
            if let Some(name) = apposition(p, inner.start, inner.end, has_complement) {
                np.gender = match name_gender(p, &name) {
                    Gender::Unknown => np.gender,
                    g => g,
                };
                np.name = Some(name);
                np.appositive = true;
                np.range.end = j;
            }
        }
        return Some(np);
    }
    if !t.is_word() {
        return None;
    }
    // Walk back over the words of the phrase.
    let mut s = k;
    while s > floor {
        let q = s - 1;
        let w = &p.toks[q];
        if !w.is_word() {
            break;
        }
        let f = p.flags(q);
        let started = (s..k).any(|x| np_start(p, x));
        if f & (AUX_HAVE | AUX_BE | FINITE) != 0 && !w.cap {
            // `Le vétérinaire qui l'a examiné parle`: a relative clause between subject and verb.
            if let Some(r) = (q.saturating_sub(3).max(floor)..q)
                .rev()
                .find(|&x| p.has(x, RELATIVE) && !p.has(x, DET))
            {
                return np_before(p, r, floor);
            }
            break;
        }
        if f & (SUBORD | COORD | RELATIVE | NEGATION) != 0 && !w.cap {
            break;
        }
        if w.inverted.is_some() {
            break;
        }
        if f & PREP != 0 && !complement_prep(&w.lower) && f & DET == 0 && !role_complement(p, q) {
            // `présente sur place`: an adverbial phrase closing the noun phrase.
            if started {
                break;
            }
        }
        if p.is_verb(q, true) && !w.cap && f & (SPEAKER_NOUN | DET | PREP) == 0 && started {
            break;
        }
        s = q;
        if k - s > 14 {
            break;
        }
    }
    // Start at the first word that can open a phrase.
    while s < k && !np_start(p, s) {
        s += 1;
    }
    // `The mayor’s office on Friday dismissed`: a time phrase sits between subject and verb.
    if s + 1 == k && p.has(s, TIME) && s > floor && p.has(s - 1, PREP) {
        return np_before(p, s - 1, floor);
    }
    Np::from_range(p, s..k)
}

/// The text of a phrase as written, from its first to its last token.
pub fn text_of<'t>(p: &Para<'t, '_>, text: &'t str, range: &Range<usize>) -> &'t str {
    if range.is_empty() {
        return "";
    }
    let a = p.toks[range.start].range.start;
    let b = p.toks[range.end - 1].range.end;
    &text[a..b]
}

/// A person (or body) the draft names, for resolving pronouns and descriptions.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub gender: Gender,
    pub plural: bool,
    /// Lower-cased role nouns the draft attaches to this person (`ministre`, `maire`).
    pub roles: Vec<String>,
    /// Whether this is a named person or body (else a description such as `la retraitée`).
    pub named: bool,
    /// Known or likely to be a person (a first name, a title, a role, or two capitalised words
    /// with no common noun): pronouns look for these.
    pub human: bool,
    /// Known to be a person by a first name, a title or a role: never an organisation.
    pub known_human: bool,
    /// `name`, normalised for comparisons.
    key: String,
}

/// One mention of a person in the draft, in reading order.
#[derive(Debug, Clone)]
pub struct Mention {
    pub person: usize,
    /// Paragraph and sentence of the mention, and its token.
    pub paragraph: usize,
    pub sentence: u32,
    pub token: usize,
    /// The first phrase of its sentence (or of the clause after a leading adverbial): a subject.
    pub subject: bool,
}

/// How many mentions back the resolvers look, whatever the paragraphs: a pronoun or a
/// description points to someone mentioned recently, and a paragraph of a thousand sentences
/// must not make each resolution read them all.
const RECENT: usize = 400;

/// People named so far, and their mentions.
#[derive(Debug, Default)]
pub struct Registry {
    pub people: Vec<Person>,
    /// Mentions in reading order (paragraph, sentence, token).
    pub mentions: Vec<Mention>,
    /// Named people by the last word of their name, lower-cased.
    by_surname: HashMap<String, Vec<usize>>,
}

/// The last word of a name, lower-cased: the key people are found by.
fn surname(name: &str) -> String {
    normalise(name)
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_string()
}

/// `Grace Whitley's` → `Grace Whitley`.
pub fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
}

fn normalise(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .flat_map(|c| {
            if c == '’' {
                '\''.to_lowercase()
            } else {
                c.to_lowercase()
            }
        })
        .collect()
}

impl Registry {
    /// Records a phrase and returns the person it names. Names are merged by surname
    /// (`Valls` is `Manuel Valls`); descriptions stay apart unless `person` is given.
    pub fn note(
        &mut self,
        p: &Para,
        text: &str,
        np: &Np,
        sentence: u32,
        subject: bool,
    ) -> Option<usize> {
        let person = if let Some(n) = &np.name {
            // `Grace Whitley's debut novel`: the possessive is not part of the name; in
            // `Brockley’s is to cut…` it is.
            let owner = p.toks.get(n.end).is_some_and(|t| t.is_word() && !t.cap)
                && !p.has(n.end, AUX_HAVE | AUX_BE | FINITE);
            let name = if owner {
                strip_possessive(text_of(p, text, n))
            } else {
                text_of(p, text, n)
            };
            // Most mentions repeat a name already known, or are new: look it up by its last word.
            let last = strip_possessive(p.word(n.end - 1));
            let known = if self.by_surname.contains_key(last) {
                self.find_name(name)
            } else {
                None
            };
            if np.weak && known.is_none() {
                return None;
            }
            let name = name.to_string();
            let role = np.role.as_ref().map(|r| normalise(text_of(p, text, r)));
            // Two or more capitalised words with no common noun among them read as a person's
            // first name and surname (`Théo Marchal`), as a name in apposition does.
            let full_name = n.len() >= 2
                && n.clone()
                    .all(|k| !p.has(k, SPEAKER_NOUN | TITLE_NOUN | DET | PREP))
                && !(n.start > 0 && p.has(n.start - 1, PLACE_PREP | PREP));
            let known_human = np.role.is_some()
                || np.appositive
                || name_gender(p, n) != Gender::Unknown
                || p.lex.flags(p.word(n.start).split('-').next().unwrap_or(""))
                    & (FIRST_NAME_F | FIRST_NAME_M)
                    != 0;
            let human = known_human
                || full_name
                || name_gender(p, n) != Gender::Unknown
                || p.has(n.start, FIRST_NAME_F | FIRST_NAME_M)
                || p.lex.flags(p.word(n.start).split('-').next().unwrap_or(""))
                    & (FIRST_NAME_F | FIRST_NAME_M)
                    != 0
                || n.start > 0 && p.has(n.start - 1, TITLE_ABBR)
                || n.start > 1 && p.is_punct(n.start - 1, '.') && p.has(n.start - 2, TITLE_ABBR);
            let id = match known {
                Some(id) => id,
                None => {
                    self.people.push(Person {
                        key: normalise(&name),
                        name: name.clone(),
                        gender: Gender::Unknown,
                        plural: false,
                        roles: Vec::new(),
                        named: true,
                        human,
                        known_human,
                    });
                    let id = self.people.len() - 1;
                    self.by_surname.entry(surname(&name)).or_default().push(id);
                    id
                }
            };
            let person = &mut self.people[id];
            person.human |= human;
            person.known_human |= known_human;
            if person.gender == Gender::Unknown {
                person.gender = np.gender;
            }
            if name.split_whitespace().count() > person.name.split_whitespace().count() {
                person.key = normalise(&name);
                person.name = name;
            }
            if let Some(r) = role
                && !person.roles.contains(&r)
            {
                person.roles.push(r);
            }
            id
        } else if np.pronoun.is_none()
            && (np.epithet
                || np.anaphoric
                || np.organisation
                || np.role.is_some() && np.definite(p))
            && let Some(id) = self.resolve_description(
                &np.role
                    .as_ref()
                    .map(|r| text_of(p, text, r).to_string())
                    .unwrap_or_default(),
                np,
                (p.index, sentence, np.range.start),
            )
        {
            // `la retraitée`, `l'autrice`, `le groupe`: someone already named.
            id
        } else if np.role.is_some() && np.pronoun.is_none() {
            let written = text_of(p, text, &np.range).to_string();
            self.people.push(Person {
                key: String::new(),
                name: written,
                gender: np.gender,
                plural: np.plural,
                roles: np
                    .role
                    .iter()
                    .map(|r| normalise(text_of(p, text, r)))
                    .collect(),
                named: false,
                human: true,
                known_human: false,
            });
            self.people.len() - 1
        } else {
            return None;
        };
        self.insert(Mention {
            person,
            paragraph: p.index,
            sentence,
            token: np.range.start,
            subject,
        });
        Some(person)
    }

    /// Records a publication cited by its title (`selon « Le Canard enchaîné »`), for
    /// `l'hebdomadaire` to find.
    pub fn note_publication(&mut self, title: &str, paragraph: usize, sentence: u32, token: usize) {
        let name = title.trim().to_string();
        if name.is_empty() {
            return;
        }
        let id = match self.find_name(&name) {
            Some(id) => id,
            None => {
                self.people.push(Person {
                    key: normalise(&name),
                    name: name.clone(),
                    gender: Gender::Unknown,
                    plural: false,
                    roles: Vec::new(),
                    named: true,
                    human: false,
                    known_human: false,
                });
                let id = self.people.len() - 1;
                self.by_surname.entry(surname(&name)).or_default().push(id);
                id
            }
        };
        if !self.people[id].roles.iter().any(|r| r == "publication") {
            self.people[id].roles.push("publication".to_string());
        }
        self.mention(id, paragraph, sentence, token, false);
    }

    /// Records that `person` is mentioned (by a pronoun or a resolved description) here.
    pub fn mention(
        &mut self,
        person: usize,
        paragraph: usize,
        sentence: u32,
        token: usize,
        subject: bool,
    ) {
        let m = Mention {
            person,
            paragraph,
            sentence,
            token,
            subject,
        };
        self.insert(m);
    }

    /// The mentions before position `at` (paragraph, sentence, token), found by bisection.
    fn before(&self, at: (usize, u32, usize)) -> &[Mention] {
        let end = self
            .mentions
            .partition_point(|m| (m.paragraph, m.sentence, m.token) < at);
        &self.mentions[..end]
    }

    /// Inserts a mention in reading order (mentions mostly arrive in order: a cheap search
    /// from the end).
    fn insert(&mut self, m: Mention) {
        let key = (m.paragraph, m.sentence, m.token);
        let at = self
            .mentions
            .partition_point(|x| (x.paragraph, x.sentence, x.token) <= key);
        self.mentions.insert(at, m);
    }

    /// A person whose name is `name`, or whose name ends with it (a surname alone).
    pub fn find_name(&self, name: &str) -> Option<usize> {
        let ids = self.by_surname.get(&surname(name))?;
        let n = normalise(name);
        let ends_with_word = |long: &str, short: &str| {
            long.len() > short.len()
                && long.ends_with(short)
                && long.as_bytes()[long.len() - short.len() - 1] == b' '
        };
        let first = |s: &str| s.split(' ').next().unwrap_or("").to_string();
        ids.iter().rev().copied().find(|&id| {
            let full = &self.people[id].key;
            *full == n
                || ends_with_word(full, &n)
                || ends_with_word(&n, full)
                || n.contains(' ') && full.contains(' ') && first(full) == first(&n)
        })
    }

    /// The person a pronoun stands for: going back from (paragraph, sentence, token), the
    /// subject of the nearest sentence with a fitting person, else its last fitting person.
    pub fn resolve_pronoun(
        &self,
        pr: Pronoun,
        at: (usize, u32, usize),
        lang: Lang,
    ) -> Option<usize> {
        let fits = |m: &Mention| {
            let person = &self.people[m.person];
            if !pr.gender.fits(person.gender) || person.named && !person.human {
                return false;
            }
            if pr.plural {
                // `they` may be one person (singular they); `ils` is a group.
                person.plural || lang == Lang::En && person.named
            } else {
                !person.plural
            }
        };
        let before = self
            .before(at)
            .iter()
            .rev()
            .take_while(|m| at.0.saturating_sub(m.paragraph) <= 6)
            .take(RECENT);
        let mut current: Option<(usize, u32)> = None;
        let mut fallback: Option<usize> = None;
        for m in before {
            if current.is_some_and(|c| c != (m.paragraph, m.sentence))
                && let Some(f) = fallback
            {
                return Some(f);
            }
            current = Some((m.paragraph, m.sentence));
            if !fits(m) {
                continue;
            }
            // Prefer a plural group for `they` when there is one in the same sentence.
            if pr.plural && lang == Lang::En && !self.people[m.person].plural {
                fallback.get_or_insert(m.person);
                continue;
            }
            if m.subject {
                return Some(m.person);
            }
            // Within a sentence, a named person before a description.
            match fallback {
                Some(f) if self.people[f].named || !self.people[m.person].named => {}
                _ => fallback = Some(m.person),
            }
        }
        fallback
    }

    /// The named person a description stands for: one the draft gave the same role, else
    /// (for anaphoric descriptions) the nearest fitting person.
    pub fn resolve_description(
        &self,
        role: &str,
        np: &Np,
        at: (usize, u32, usize),
    ) -> Option<usize> {
        let role = normalise(role);
        let before = self
            .before(at)
            .iter()
            .rev()
            .take_while(|m| at.0.saturating_sub(m.paragraph) <= 12)
            .take(RECENT);
        for m in before.clone() {
            let person = &self.people[m.person];
            if person.named
                && !person.plural
                && np.gender.fits(person.gender)
                && person.roles.iter().any(|r| same_role(r, &role))
            {
                return Some(m.person);
            }
        }
        if np.anaphoric || np.epithet {
            // The nearest fitting person, the subject of their sentence first; a relational
            // epithet (`son adversaire`) is someone other than the person mentioned last.
            let last = before.clone().next().map(|m| m.person);
            let fits = |m: &&Mention| {
                let person = &self.people[m.person];
                person.named
                    && person.human
                    && np.gender.fits(person.gender)
                    && person.plural == np.plural
                    && !(np.other && Some(m.person) == last)
            };
            let near = before
                .clone()
                .take_while(|m| at.0.saturating_sub(m.paragraph) <= 2);
            if let Some(m) = near.clone().filter(|m| m.subject).find(fits) {
                return Some(m.person);
            }
            return before.clone().find(fits).map(|m| m.person);
        }
        if np.publication {
            // `l'hebdomadaire`: the newspaper the article quoted or cited last.
            return before
                .clone()
                .take_while(|m| at.0.saturating_sub(m.paragraph) <= 6)
                .find(|m| {
                    self.people[m.person]
                        .roles
                        .iter()
                        .any(|r| r == "publication")
                })
                .map(|m| m.person);
        }
        if np.organisation {
            // `le groupe`, `the company`: the organisation named last, as a subject first.
            let fits = |m: &&Mention| {
                let person = &self.people[m.person];
                person.named && !person.known_human && !person.plural
            };
            let near = before
                .clone()
                .take_while(|m| at.0.saturating_sub(m.paragraph) <= 3);
            if let Some(m) = near.clone().filter(|m| m.subject).find(fits) {
                return Some(m.person);
            }
            return near.clone().find(fits).map(|m| m.person);
        }
        None
    }
}

/// Whether two role descriptions name the same office (`ministre` and `ministre de
/// l'Agriculture`, `premier ministre` and `chef du gouvernement`).
fn same_role(a: &str, b: &str) -> bool {
    fn head(s: &str) -> &str {
        let s = s.trim_start_matches(|c: char| !c.is_alphabetic());
        s.split([' ', ',']).next().unwrap_or("")
    }
    if a == b || !head(a).is_empty() && head(a) == head(b) {
        return true;
    }
    const SAME: &[&[&str]] = &[
        &[
            "premier ministre",
            "première ministre",
            "chef du gouvernement",
            "cheffe du gouvernement",
            "locataire de matignon",
        ],
        &[
            "président de la république",
            "présidente de la république",
            "chef de l'état",
            "locataire de l'élysée",
        ],
        &["maire", "édile"],
        &["prime minister", "premier"],
    ];
    SAME.iter()
        .any(|set| set.iter().any(|x| a.starts_with(x)) && set.iter().any(|x| b.starts_with(x)))
}
