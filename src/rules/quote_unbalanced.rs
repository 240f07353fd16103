//! `quote-unbalanced`: a quotation mark that never closes, or closes what never opened.

use super::{Context, Rule, Text};
use crate::finding::{Finding, Severity};
use crate::language::Lang;

pub static RULE: Rule = Rule {
    code: "quote-unbalanced",
    summary: Text {
        fr: "Un guillemet qui n'est jamais fermé, ou qui ferme ce qui n'a pas été ouvert.",
        en: "A quotation mark that never closes, or closes what never opened.",
    },
    explanation: Text {
        fr: "Chaque citation s'ouvre et se ferme dans son paragraphe : « … », “ … ”, ‘ … ’ ou \
             \"…\". Un guillemet orphelin laisse le lecteur sans savoir où s'arrêtent les mots \
             rapportés — et donc qui dit quoi. Une citation qui court sur plusieurs paragraphes, \
             chacun rouvert par « (ou »), n'est pas déséquilibrée.\n\n\
             **Correction** : fermer la citation à l'endroit où les propos s'arrêtent, ou retirer \
             le guillemet en trop. Pas de correction automatique : seul l'auteur sait où finit la \
             citation.",
        en: "Every quotation opens and closes within its paragraph: “ … ”, ‘ … ’, \"…\" or « … ». \
             A stray mark leaves readers unsure where the quoted words stop — and so who said \
             what. A quotation running over several paragraphs, each reopened with an opening \
             mark, is not unbalanced.\n\n\
             **Fix**: close the quotation where the quoted words end, or remove the extra mark. \
             There is no automatic fix: only the writer knows where the quotation ends.",
    },
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for q in &ctx.quotes.quotations {
        if q.is_unclosed() {
            let mark = &ctx.prose[q.open.clone()];
            let message = match ctx.lang {
                Lang::Fr => format!("Ce {mark} n'est jamais fermé dans son paragraphe."),
                Lang::En => format!("This {mark} is never closed in its paragraph."),
            };
            out.push(ctx.finding(&RULE, q.open.clone(), message));
        }
    }
    for (range, _) in &ctx.quotes.strays {
        let mark = &ctx.prose[range.clone()];
        let message = match ctx.lang {
            Lang::Fr => format!("Ce {mark} ferme une citation qui n'a pas été ouverte."),
            Lang::En => format!("This {mark} closes a quotation that was never opened."),
        };
        out.push(ctx.finding(&RULE, range.clone(), message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{en, fr};

    const CODE: &str = "quote-unbalanced";

    #[test]
    fn unclosed_guillemet() {
        let f = fr("Il a dit « non, jamais.\nPuis il est parti.", CODE);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("jamais fermé"));
    }

    #[test]
    fn stray_closing_marks() {
        assert_eq!(fr("Il a dit non » hier.", CODE).len(), 1);
        assert_eq!(en("He said no” yesterday.", CODE).len(), 1);
    }

    #[test]
    fn balanced_quotes_pass() {
        assert!(fr("« Oui », dit-il. « Non », dit-elle.", CODE).is_empty());
        assert!(
            en(
                "“Yes,” he said. ‘No,’ she said. \"Maybe,\" they said.",
                CODE
            )
            .is_empty()
        );
    }

    #[test]
    fn apostrophes_are_never_quotes() {
        assert!(fr("L'offre d’aujourd’hui n’est pas l’idéale.", CODE).is_empty());
        assert!(en("The players’ union isn’t happy with the ’90s rules.", CODE).is_empty());
    }

    #[test]
    fn multi_paragraph_quotations_are_balanced() {
        let text =
            "« Nous avons tout essayé.\n\n« Rien n'a marché.\n\n« Nous partons », a-t-il conclu.";
        assert!(fr(text, CODE).is_empty());
        let text = "“We tried everything.\n\n“Nothing worked,” he said.";
        assert!(en(text, CODE).is_empty());
    }

    #[test]
    fn unclosed_straight_quote() {
        let f = en("He said \"yes and left.", CODE);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn code_is_ignored() {
        let f = crate::rules::testing::findings(
            "Run `echo \"x` now.",
            CODE,
            crate::language::LangSetting::En,
            true,
        );
        assert!(f.is_empty());
    }
}
