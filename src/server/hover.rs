//! Hover: the explanation of what is under the cursor — a finding, a quotation (who said it),
//! a teaser.

use super::documents::Snapshot;
use super::position::{to_offset, to_range};
use crate::analysis::Analysis;
use crate::attribution::{Attribution, Class, Evidence, Missing, Via};
use crate::language::Lang;
use crate::positions::Encoding;
use crate::rules;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

fn covers(range: &std::ops::Range<usize>, at: usize) -> bool {
    range.start <= at && (at < range.end || (range.is_empty() && at == range.start))
}

pub fn hover(s: &Snapshot, pos: Position, enc: Encoding) -> Option<Hover> {
    let at = to_offset(&s.rope, pos, enc);
    let a = s.analysis();
    let lang = a.lang;
    let mut parts = Vec::new();
    let mut span = None;
    for f in a.findings.iter().filter(|f| covers(&f.range, at)) {
        span.get_or_insert(f.range.clone());
        let Some(rule) = rules::by_code(f.code) else {
            continue;
        };
        let mut part = format!("{}\n\n{}", f.message, rules::explain(rule, lang));
        if let Some(fix) = &f.fix {
            part.push_str(&format!(
                "\n\n{} *{}*",
                lang.pick("Correction proposée\u{a0}:", "Quick fix:"),
                fix.title
            ));
        }
        parts.push(part);
    }
    if let Some((range, part)) = quotation(a, s.speakers(), at) {
        span.get_or_insert(range);
        parts.push(part);
    }
    for t in a.teasers.iter().filter(|t| covers(&t.range, at)) {
        span.get_or_insert(t.range.clone());
        parts.push(match &t.link {
            Some(link) => format!(
                "{} `{link}`",
                lang.pick(
                    "Renvoi vers un autre article, lié à",
                    "Teaser to another article, linked to"
                )
            ),
            None => lang
                .pick(
                    "Renvoi vers un autre article, sans lien.",
                    "Teaser to another article, with no link.",
                )
                .to_string(),
        });
    }
    let span = span?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(to_range(&s.rope, &span, enc)),
    })
}

/// French puts a no-break space before `:` and inside guillemets.
fn fr(s: String) -> String {
    s.replace(" :", "\u{a0}:")
        .replace("« ", "«\u{a0}")
        .replace(" »", "\u{a0}»")
}

/// What the innermost quotation under the cursor is, and who said it.
fn quotation(
    a: &Analysis,
    speakers: &[Attribution],
    at: usize,
) -> Option<(std::ops::Range<usize>, String)> {
    let (q, att) = a
        .quotes
        .quotations
        .iter()
        .zip(speakers)
        .filter(|(q, _)| {
            let end = a.paragraphs.get(q.paragraph).map_or(q.open.end, |p| p.end);
            covers(&q.outer(end), at)
        })
        .max_by_key(|(q, _)| q.open.start)?;
    let end = a.paragraphs.get(q.paragraph).map_or(q.open.end, |p| p.end);
    Some((q.outer(end), describe(a.lang, att)))
}

/// The hover text for one quotation's attribution.
pub fn describe(lang: Lang, att: &Attribution) -> String {
    let fr_lang = lang == Lang::Fr;
    match att.class {
        Class::Title | Class::Term => {
            let why = match (att.evidence, fr_lang) {
                (Evidence::TitleNoun, true) => {
                    "un nom d'œuvre, d'opération ou un surnom le précède"
                }
                (Evidence::TitleNoun, false) => "a title noun or a naming word comes before it",
                (Evidence::Slogan, true) => "un slogan scandé ou écrit sur une pancarte",
                (Evidence::Slogan, false) => "a chant or the text of a sign",
                (Evidence::Name, true) => "quelques mots à majuscule, sans verbe",
                (Evidence::Name, false) => "a few capitalised words with no verb",
                (Evidence::UsedAsNoun, true) => "employé comme un nom dans la phrase",
                (Evidence::UsedAsNoun, false) => "used as a noun in the sentence",
                (_, true) => "quelques mots sans verbe, que personne ne prononce",
                (_, false) => "a few words with no verb, that nobody is said to utter",
            };
            let head = match (att.class, fr_lang) {
                (Class::Title, true) => "**Titre ou nom**",
                (Class::Title, false) => "**Title or name**",
                (_, true) => "**Terme entre guillemets**",
                (_, false) => "**Term in quotation marks**",
            };
            let text = if fr_lang {
                fr(format!("{head} — pas des paroles rapportées : {why}."))
            } else {
                format!("{head} — not someone's words: {why}.")
            };
            return text;
        }
        Class::Speech => {}
    }
    match &att.speaker {
        Some(s) => {
            let written = if s.written != s.name && !s.name.contains(&*s.written) {
                if fr_lang {
                    format!(" (« {} »)", s.written)
                } else {
                    format!(" (“{}”)", s.written)
                }
            } else {
                String::new()
            };
            let cue = att.cue.as_ref().map_or(String::new(), |c| {
                let c = c.text.trim();
                if c == ":" {
                    lang.pick(", présentée par un deux-points", ", introduced by a colon")
                        .to_string()
                } else if fr_lang {
                    format!(", indice « {c} »")
                } else {
                    format!(", cue “{c}”")
                }
            });
            let via = match (att.via, fr_lang) {
                (Some(Via::PreviousSentence), true) => " (phrase précédente)",
                (Some(Via::PreviousSentence), false) => " (sentence before)",
                (Some(Via::NextSentence), true) => " (phrase suivante)",
                (Some(Via::NextSentence), false) => " (sentence after)",
                (Some(Via::Continuation), true) => " (suite de sa citation)",
                (Some(Via::Continuation), false) => " (continuing their quotation)",
                (Some(Via::Nested), true) => " (citée dans sa citation)",
                (Some(Via::Nested), false) => " (quoted within their quotation)",
                (Some(Via::Incise), true) => " (incise)",
                (Some(Via::Incise), false) => " (in an incise)",
                _ => "",
            };
            if fr_lang {
                fr(format!(
                    "**Citation** — locuteur : **{}**{written}{cue}{via}.",
                    s.name
                ))
            } else {
                format!(
                    "**Quotation** — speaker: **{}**{written}{cue}{via}.",
                    s.name
                )
            }
        }
        None if att.missing.is_none() => {
            // `Et d'ajouter :` with nobody named within reach: the speaker before.
            let cue = att.cue.as_ref().map_or("", |c| c.text.trim());
            if fr_lang {
                fr(format!(
                    "**Citation** — du même locuteur que la phrase précédente (« {cue} »)."
                ))
            } else {
                format!("**Quotation** — by the same speaker as the sentence before (“{cue}”).")
            }
        }
        None => {
            let why = match (att.missing.unwrap_or(Missing::Both), fr_lang) {
                (Missing::Speaker, true) => {
                    let cue = att.cue.as_ref().map_or(String::new(), |c| format!(" « {} »", c.text.trim()));
                    format!("la tournure{cue} ne dit pas qui parle")
                }
                (Missing::Speaker, false) => {
                    let cue = att.cue.as_ref().map_or(String::new(), |c| format!(" “{}”", c.text.trim()));
                    format!("the cue{cue} does not say who is speaking")
                }
                (Missing::Cue, true) => {
                    "quelqu'un est nommé à côté, mais aucun verbe ne dit qu'il a prononcé ces mots".to_string()
                }
                (Missing::Cue, false) => {
                    "someone is named nearby, but no verb says they said these words".to_string()
                }
                (Missing::Both, true) => "ni locuteur ni verbe introducteur dans sa phrase ni dans celles qui l'entourent, pas d'introduction par deux-points, et elle ne prolonge aucune citation".to_string(),
                (Missing::Both, false) => "no speaker and no reporting verb in its sentence or the ones around it, no introduction ending in a colon, and it continues no quotation".to_string(),
            };
            if fr_lang {
                fr(format!("**Citation sans attribution** — {why}."))
            } else {
                format!("**Unattributed quotation** — {why}.")
            }
        }
    }
}
