//! `quote-nesting`: a quotation inside a quotation takes the other marks.

use super::{Context, Rule, Text};
use crate::finding::{Finding, Severity};
use crate::language::Lang;
use crate::quotes::Style;

pub static RULE: Rule = Rule {
    code: "quote-nesting",
    summary: Text {
        fr: "Une citation dans une citation : « … “ … ” … » en français, “ … ‘ … ’ … ” en anglais.",
        en: "A quotation inside a quotation: “ … ‘ … ’ … ” in English, « … “ … ” … » in French.",
    },
    explanation: Text {
        fr: "Quand une personne citée rapporte elle-même des propos, la citation intérieure prend \
             d'autres guillemets : « … “ … ” … ». Avec les mêmes guillemets, ou des guillemets \
             droits, le lecteur ne sait plus où finit la citation intérieure ni où reprend \
             l'extérieure.\n\n\
             **Correction** : composer la citation intérieure entre “ … ”. Pas de correction \
             automatique : il faut vérifier où chaque citation commence et finit.",
        en: "When a quoted person quotes someone else, the inner quotation takes the other marks: \
             “ … ‘ … ’ … ” (or ‘ … “ … ” … ’ in British style). With the same marks twice, readers \
             cannot tell where the inner quotation ends and the outer resumes.\n\n\
             **Fix**: set the inner quotation in ‘ … ’. There is no automatic fix: check where \
             each quotation starts and ends first.",
    },
    default_severity: Severity::Warning,
    check,
};

/// The marks a quotation nested in `parent` should use.
pub(crate) fn expected(lang: Lang, parent: Style) -> Style {
    match (lang, parent) {
        (Lang::Fr, Style::Double) => Style::Single,
        (Lang::Fr, _) => Style::Double,
        (Lang::En, Style::Single) => Style::Double,
        (Lang::En, _) => Style::Single,
    }
}

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for q in &ctx.quotes.quotations {
        let Some(parent) = q.parent else { continue };
        let want = expected(ctx.lang, ctx.quotes.quotations[parent].style);
        if q.style == want {
            continue;
        }
        let end = q.close.as_ref().map_or(q.open.end, |c| c.end);
        let (o, c) = want.marks();
        let (po, pc) = ctx.quotes.quotations[parent].style.marks();
        let message = ctx
            .lang
            .pick(
                &format!(
                    "Citation dans une citation : employer {o} … {c} à l'intérieur de {po} … {pc}."
                ),
                &format!("Quotation inside a quotation: use {o}…{c} inside {po}…{pc}."),
            )
            .to_string();
        out.push(ctx.finding(&RULE, q.open.start..end, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{en, fr};

    const CODE: &str = "quote-nesting";

    #[test]
    fn french_nested_guillemets_and_straight_quotes() {
        assert_eq!(
            fr(
                "« Il a crié « au voleur » puis il est parti », raconte-t-elle.",
                CODE
            )
            .len(),
            1
        );
        assert_eq!(
            fr(
                "« Il a crié \"au voleur\" puis il est parti », raconte-t-elle.",
                CODE
            )
            .len(),
            1
        );
    }

    #[test]
    fn french_right_nesting_passes() {
        assert!(
            fr(
                "« Il a crié “au voleur” puis il est parti », raconte-t-elle.",
                CODE
            )
            .is_empty()
        );
    }

    #[test]
    fn english_nesting() {
        assert_eq!(en("“He shouted “stop” and ran,” she said.", CODE).len(), 1);
        assert!(en("“He shouted ‘stop’ and ran,” she said.", CODE).is_empty());
        assert!(en("‘He shouted “stop” and ran,’ she said.", CODE).is_empty());
    }
}
