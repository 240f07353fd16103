//! `quote-unattributed`: a quotation that reads as someone's words, credited to nobody.

use super::{Context, Rule, Text};
use crate::attribution::Missing;
use crate::finding::{Finding, Severity};
use crate::language::Lang;

pub static RULE: Rule = Rule {
    code: "quote-unattributed",
    summary: Text {
        fr: "Une citation que personne ne prononce\u{a0}: ni locuteur ni verbe introducteur.",
        en: "A quotation nobody is credited with: no speaker and no reporting verb.",
    },
    explanation: Text {
        fr: "Le lecteur doit savoir qui parle. Une citation est attribuée quand sa phrase, la \
             phrase d'avant ou celle d'après dans le paragraphe nomme un locuteur avec un verbe \
             ou une tournure de parole («\u{a0}a-t-il déclaré\u{a0}», «\u{a0}selon elle\u{a0}», «\u{a0}Et d'ajouter\u{a0}:\u{a0}»), \
             quand une introduction terminée par un deux-points la présente, ou quand elle \
             prolonge la citation du même locuteur. Les titres d'œuvres, les noms (opérations, \
             collectifs, surnoms) et les termes mis à distance (les «\u{a0}gilets jaunes\u{a0}») ne sont \
             pas des paroles et ne sont jamais signalés.\n\n\
             **Correction**\u{a0}: nommer la personne et le verbe qui rapporte ses mots («\u{a0}…\u{a0}», \
             a déclaré Jeanne Martin), ou retirer les guillemets si ce ne sont pas des paroles. \
             Pas de correction automatique\u{a0}: seul l'auteur sait qui a parlé.",
        en: "Readers must know who is speaking. A quotation is attributed when its sentence, or \
             the sentence before or after it in the paragraph, names a speaker with a reporting \
             verb or phrase (“she said”, “according to him”, “X told Reuters”), when an \
             introduction ending in a colon presents it, or when it continues the same \
             speaker's quotation. Titles of works, names (operations, campaigns, nicknames) and \
             terms held at a distance (the so-called “deal of the century”) are not anyone's \
             words and are never flagged.\n\n\
             **Fix**: name the person and the verb that reports their words (“…,” said Jane \
             Martin), or drop the quotation marks if these are not someone's words. There is no \
             automatic fix: only the writer knows who spoke.",
    },
    default_severity: Severity::Warning,
    check,
};

fn message(lang: Lang, missing: Missing) -> &'static str {
    match (lang, missing) {
        (Lang::Fr, Missing::Speaker) => {
            "Citation sans locuteur\u{a0}: le verbe introducteur ne dit pas qui parle. Nommez la personne."
        }
        (Lang::Fr, Missing::Cue) => {
            "Citation sans verbe introducteur\u{a0}: rien ne dit que la personne nommée à côté a prononcé ces mots."
        }
        (Lang::Fr, Missing::Both) => {
            "Citation non attribuée\u{a0}: ni locuteur ni verbe introducteur. Qui parle\u{202f}?"
        }
        (Lang::En, Missing::Speaker) => {
            "Quotation with no speaker: the reporting verb does not say who is talking. Name them."
        }
        (Lang::En, Missing::Cue) => {
            "Quotation with no reporting verb: nothing says the person named nearby said these words."
        }
        (Lang::En, Missing::Both) => {
            "Unattributed quotation: no speaker and no reporting verb. Who is talking?"
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for (q, a) in ctx.quotes.quotations.iter().zip(ctx.attributions) {
        // A quotation never closed is `quote-unbalanced`'s to report: until it is closed, where
        // it ends (and so what it says) is unknown.
        if q.depth > 0 || q.is_unclosed() || !a.is_unattributed_speech() {
            continue;
        }
        let Some(para) = ctx.paragraphs.get(q.paragraph) else {
            continue;
        };
        let missing = a.missing.unwrap_or(Missing::Both);
        out.push(ctx.finding(&RULE, q.outer(para.end), message(ctx.lang, missing)));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{en, fr};

    const CODE: &str = "quote-unattributed";

    #[test]
    fn turned_off_it_skips_the_engine_and_the_other_rules_are_unchanged() {
        use crate::config::{Config, Level};
        let text = "« Non », a-t-il dit. « Jamais. »\n\nLe maire « hésite ».\n\n« Qui parle? »";
        let on = crate::analyze(text, &Config::default(), false);
        assert!(on.findings.iter().any(|f| f.code == CODE));
        let mut config = Config::default();
        config.levels.insert(CODE.to_string(), Level::Off);
        let off = crate::analyze(text, &config, false);
        let others: Vec<_> = on.findings.into_iter().filter(|f| f.code != CODE).collect();
        assert_eq!(off.findings, others);
    }

    #[test]
    fn french_quotation_with_nobody() {
        let f = fr(
            "Le marché a fermé à midi.\n\n« On n'a jamais vu ça, les prix ont doublé. »\n\nLa mairie promet des aides.",
            CODE,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Qui parle"), "{}", f[0].message);
    }

    #[test]
    fn french_cues_credit_quotations() {
        for text in [
            "« Nous ne céderons pas », a-t-il déclaré. Le ministre est reparti.",
            "Le maire, Jean Dupont, a déclaré : « Nous ne céderons pas. »",
            "Selon la préfète, la situation reste « très tendue, mais maîtrisée ».",
            "La directrice se veut rassurante. « Personne ne sera laissé sans solution. »",
            "« Nous ne céderons pas, poursuit le ministre. La loi sera appliquée. »",
            "Marie Curie a parlé longtemps. Et d'ajouter : « Je reviendrai. »",
        ] {
            assert!(fr(text, CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn titles_terms_and_nicknames_are_not_speech() {
        for text in [
            "Le film « Les Nuits de Sète » sort mercredi.",
            "Les « gilets jaunes » ont manifesté samedi.",
            "L'opération « Sentinelle » se poursuit.",
            "Le chanteur, surnommé « le Loup », revient.",
        ] {
            assert!(fr(text, CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn passive_without_agent_says_who_is_missing() {
        let f = fr(
            "À l'audience, l'homme a été décrit comme « un manipulateur hors pair, capable de tout ».",
            CODE,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("sans locuteur"), "{}", f[0].message);
    }

    #[test]
    fn english_quotations() {
        assert!(en("\"We will rebuild,\" Mayor Diane Okafor said.", CODE).is_empty());
        assert!(
            en(
                "According to the report, costs were \"far higher than expected.\"",
                CODE
            )
            .is_empty()
        );
        assert!(
            en(
                "Critics derided the so-called \"deal of the century\".",
                CODE
            )
            .is_empty()
        );
        let f = en(
            "Crews worked all night.\n\n“Everything we own is in there.”",
            CODE,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Who is talking"), "{}", f[0].message);
    }

    #[test]
    fn nested_and_multi_paragraph_quotations() {
        let text = "Elle a déclaré :\n\n« Nous avons tout essayé.\n\n« Rien n'a marché, même le “plan B”. »";
        assert!(fr(text, CODE).is_empty());
    }
}
