//! `quote-nesting`: a quotation inside a quotation takes the other marks.

use super::quote_style::{expected, is_foreign};
use super::{Context, Rule, Text};
use crate::finding::{Finding, Severity};
use crate::language::Lang;

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

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for q in &ctx.quotes.quotations {
        let Some(parent) = q.parent else { continue };
        let want = expected(ctx.lang, ctx.quotes, q);
        if q.style == want || is_foreign(ctx.lang, q) {
            continue;
        }
        let end = q.close.as_ref().map_or(q.open.end, |c| c.end);
        let (o, c) = want.marks();
        // Name the marks the enclosing quotation should have, even where it has others.
        let (po, pc) = expected(ctx.lang, ctx.quotes, &ctx.quotes.quotations[parent]).marks();
        let message = match ctx.lang {
            Lang::Fr => format!(
                "Citation dans une citation : employer {o} … {c} à l'intérieur de {po} … {pc}."
            ),
            Lang::En => format!("Quotation inside a quotation: use {o}…{c} inside {po}…{pc}."),
        };
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
    fn french_message_names_french_marks_even_under_wrong_outer_marks() {
        // Once quote-style makes the outer marks « », the inner “ ” are right.
        assert!(fr("Il a dit “il faut “partir” vite”, selon elle.", CODE).is_empty());
        let f = fr("Il a dit “il faut ‘partir’ vite”, selon elle.", CODE);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("employer “ … ” à l'intérieur de « … »"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn english_nesting() {
        assert_eq!(en("“He shouted “stop” and ran,” she said.", CODE).len(), 1);
        assert!(en("“He shouted ‘stop’ and ran,” she said.", CODE).is_empty());
        assert!(en("‘He shouted “stop” and ran,’ she said.", CODE).is_empty());
    }
}
