//! `quote-style`: the right quotation marks for the language.

use super::quote_nesting::expected as expected_inside;
use super::typography::is_no_break_space;
use super::{Context, Rule, Text};
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::language::Lang;
use crate::quotes::Style;
use std::ops::Range;

pub static RULE: Rule = Rule {
    code: "quote-style",
    summary: Text {
        fr: "Les guillemets de la langue : « … » en français, “ … ” en anglais.",
        en: "The quotation marks of the language: « … » in French, “ … ” in English.",
    },
    explanation: Text {
        fr: "Un article en français cite entre guillemets français « … ». Les guillemets droits \
             \"…\", les guillemets anglais “ … ” et les chevrons tapés au clavier << … >> \
             signalent une copie venue d'ailleurs (dépêche, courriel, traitement de texte) et \
             donnent au lecteur une page disparate. En anglais, c'est l'inverse : “ … ”.\n\n\
             **Correction** : remplacer la paire par les bons guillemets, avec les espaces \
             insécables qui vont avec en français.",
        en: "An English article quotes with “ … ” (or straight \"…\" in wire copy). Guillemets \
             « … » or keyboard chevrons << … >> show copy pasted from elsewhere and make the page \
             look patched together. In French it is the other way round: « … ».\n\n\
             **Fix**: replace the pair with the right marks (and, in French, the no-break spaces \
             that go with them).",
    },
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let target = match ctx.lang {
        Lang::Fr => Style::Guillemets,
        Lang::En => Style::Double,
    };
    // Quotations holding a quotation whose marks would be wrong inside the new ones: swapping
    // the outer marks would trade one finding for another, so no automatic fix there.
    let mut misnested_inside = vec![false; ctx.quotes.quotations.len()];
    for q in &ctx.quotes.quotations {
        if let Some(p) = q.parent {
            misnested_inside[p] |= q.style != expected_inside(ctx.lang, target);
        }
    }
    for (k, q) in ctx.quotes.quotations.iter().enumerate() {
        let Some(close) = q.close.clone() else {
            continue;
        };
        if q.depth > 0 || q.continues.is_some() {
            continue;
        }
        let wrong = match ctx.lang {
            Lang::Fr => matches!(
                q.style,
                Style::Straight | Style::Double | Style::Single | Style::Ascii
            ),
            Lang::En => matches!(q.style, Style::Guillemets | Style::Ascii),
        };
        if !wrong {
            continue;
        }
        let (o, c) = q.style.marks();
        let message = ctx
            .lang
            .pick(
                &format!("Guillemets {o}…{c} : en français, on compose « … »."),
                &format!("Quotation marks {o}…{c}: English uses “…”."),
            )
            .to_string();
        let mut f = ctx.finding(&RULE, q.open.start..close.end, message);
        // Marks of the language already inside would pair with the new ones once swapped, and a
        // nested quotation may be right only inside the old marks: then only the writer can
        // re-mark the inner quotation first.
        let (want_open, want_close) = target.marks();
        let inside = &ctx.prose[q.open.end..close.start];
        if !misnested_inside[k] && !inside.contains(want_open) && !inside.contains(want_close) {
            f.fix = Some(fix(ctx, q.open.clone(), close));
        }
        out.push(f);
    }
}

/// Replaces the marks, and the spaces just inside them, with the language's marks.
fn fix(ctx: &Context, open: Range<usize>, close: Range<usize>) -> Fix {
    let inside_space = |c: char| c == ' ' || c == '\t' || is_no_break_space(c);
    let after_open = open.end
        + ctx.text[open.end..close.start]
            .chars()
            .take_while(|&c| inside_space(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let before_close = close.start
        - ctx.text[after_open..close.start]
            .chars()
            .rev()
            .take_while(|&c| inside_space(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let (title, left, right) = match ctx.lang {
        Lang::Fr => {
            let s = ctx.config.wide_space();
            (
                "Composer entre guillemets français « … »",
                format!("«{s}"),
                format!("{s}»"),
            )
        }
        Lang::En => (
            "Use English quotation marks “…”",
            "“".to_string(),
            "”".to_string(),
        ),
    };
    Fix {
        title: title.to_string(),
        edits: vec![
            Edit {
                range: open.start..after_open,
                replacement: left,
            },
            Edit {
                range: before_close..close.end,
                replacement: right,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{en, fixed, fr};

    const CODE: &str = "quote-style";

    #[test]
    fn straight_and_english_quotes_in_french() {
        let text = "Il a dit \"non\" puis “ jamais ” et <<enfin>>.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 3);
        assert_eq!(
            fixed(text, &f),
            "Il a dit «\u{a0}non\u{a0}» puis «\u{a0}jamais\u{a0}» et «\u{a0}enfin\u{a0}»."
        );
    }

    #[test]
    fn guillemets_in_english() {
        let text = "He said « no » and «never».";
        let f = en(text, CODE);
        assert_eq!(f.len(), 2);
        assert_eq!(fixed(text, &f), "He said “no” and “never”.");
    }

    #[test]
    fn right_marks_pass() {
        assert!(fr("Il a dit « non » et « “oui” ».", CODE).is_empty());
        assert!(en("He said “no” and \"yes\" and ‘maybe’.", CODE).is_empty());
    }

    #[test]
    fn no_fix_when_the_language_marks_are_already_inside() {
        // Swapping the outer « » for “ ” would pair the new ” with the inner, unclosed “ (found
        // by the `analyze` fuzzer); a quotation nested in the target marks has the same problem.
        let text = "« Il a dit “non hier », puis « Nous “partons” » et “Fin”.";
        let f = en(text, CODE);
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.fix.is_none()), "{f:?}");
        let f = fr("Il a dit \"oui « non » peut-être\".", CODE);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        // ‘ ’ is right inside “ ” but not inside « » (found by the `analyze` fuzzer too).
        let f = fr("Il a dit “oui, ‘peut-être’ non”, et \"fin\".", CODE);
        assert_eq!(f.len(), 2);
        assert!(f[0].fix.is_none() && f[1].fix.is_some(), "{f:?}");
    }

    #[test]
    fn teaser_arrows_are_not_quotes() {
        assert!(fr("Texte.\n>> Le maire démissionne <<\nSuite.", CODE).is_empty());
    }
}
