//! `quote-style`: the right quotation marks for the language.

use super::typography::{is_no_break_space, keeps_masking_in, keeps_teaser_lines};
use super::{Context, Rule, Text, punctuation_spacing};
use crate::finding::{Edit, Finding, Fix, Severity, Str};
use crate::language::Lang;
use crate::quotes::{Quotation, Quotes, Style, reads_as, same_reading, would_reopen};
use std::ops::Range;
use std::sync::LazyLock;

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

/// The marks quotation `q` should have where it stands: « » then “ ” then ‘ ’ in French,
/// “ ” and ‘ ’ alternating in English.
pub(crate) fn expected(lang: Lang, quotes: &Quotes, q: &Quotation) -> Style {
    match (lang, q.parent) {
        (Lang::Fr, None) => Style::Guillemets,
        (Lang::En, None) => Style::Double,
        (Lang::Fr, Some(_)) if q.depth % 2 == 1 => Style::Double,
        (Lang::Fr, Some(_)) => Style::Single,
        (Lang::En, Some(p)) if quotes.quotations[p].style == Style::Single => Style::Double,
        (Lang::En, Some(_)) => Style::Single,
    }
}

/// Marks foreign to the language wherever they stand: this rule's business, not nesting's.
pub(crate) fn is_foreign(lang: Lang, q: &Quotation) -> bool {
    match lang {
        Lang::Fr => q.style == Style::Ascii || (q.depth == 0 && q.style != Style::Guillemets),
        Lang::En => matches!(q.style, Style::Guillemets | Style::Ascii),
    }
}

/// The findings' messages by the marks found and the fixes' titles by the marks wanted, per
/// language, written once (a draft pasted from elsewhere has many).
struct Texts {
    message: [[String; 5]; 2],
    title: [[String; 5]; 2],
}

static TEXTS: LazyLock<Texts> = LazyLock::new(|| {
    let per_style =
        |lang: Lang, text: fn(Lang, Style) -> String| Style::ALL.map(|style| text(lang, style));
    let message = |lang: Lang, style: Style| {
        let (o, c) = style.marks();
        match lang {
            Lang::Fr => format!("Guillemets {o}…{c} : en français, on compose « … »."),
            Lang::En => format!("Quotation marks {o}…{c}: English uses “…”."),
        }
    };
    let title = |lang: Lang, style: Style| {
        let (o, c) = style.marks();
        match (lang, style) {
            (Lang::Fr, Style::Guillemets) => "Composer entre guillemets français « … »".into(),
            (Lang::Fr, _) => format!("Composer entre {o} … {c}"),
            (Lang::En, _) => format!("Use {o}…{c}"),
        }
    };
    Texts {
        message: [Lang::Fr, Lang::En].map(|lang| per_style(lang, message)),
        title: [Lang::Fr, Lang::En].map(|lang| per_style(lang, title)),
    }
});

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::En => 1,
    }
}

fn style_index(style: Style) -> usize {
    Style::ALL
        .iter()
        .position(|&s| s == style)
        .unwrap_or_default()
}

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Each quotation's children, found once: looking them up per quotation was quadratic in
    // drafts with many foreign quotations.
    let mut children = vec![Vec::new(); ctx.quotes.quotations.len()];
    for (i, q) in ctx.quotes.quotations.iter().enumerate() {
        if let Some(p) = q.parent {
            children[p].push(i);
        }
    }
    for (k, q) in ctx.quotes.quotations.iter().enumerate() {
        let Some(close) = q.close.clone() else {
            continue;
        };
        if q.continues.is_some() || !is_foreign(ctx.lang, q) {
            continue;
        }
        let message = TEXTS.message[lang_index(ctx.lang)][style_index(q.style)].as_str();
        let mut f = ctx.finding(&RULE, q.open.start..close.end, message);
        let want = expected(ctx.lang, ctx.quotes, q);
        // In place of marks that pair among themselves, the new marks must not pair with a
        // quotation left open before (`«` unclosed, then `"…"` opening the next paragraph).
        if can_swap(ctx, &children[k], want, q.open.end..close.start)
            && !nests_in_same(ctx, q, want)
            && !would_reopen(ctx.quotes, ctx.prose, ctx.paragraphs, q, want.marks().0)
        {
            let inner = q.open.end..close.start;
            let fix = fix(ctx, want, q.open.clone(), close);
            if reads_back(ctx, want, &fix)
                && !marks_stand_apart(ctx.text, inner.clone())
                && keeps_guillemet_spaces(ctx.text, &fix.edits)
                && punctuation_spacing::keeps_marks(ctx.text, &fix.edits)
                && keeps_masking_in(ctx.text, ctx.markdown, &fix.edits, Some(&ctx.masks))
                && keeps_teaser_lines(ctx, &fix.edits)
            {
                f.fix = Some(fix);
            }
        }
        out.push(f);
    }
}

/// Whether a quotation (with `children`) can take the marks `want` without trading one finding for another:
/// marks of that kind already inside would pair with the new ones, and a quotation nested
/// directly inside with those marks would then be nested in the same marks.
fn can_swap(ctx: &Context, children: &[usize], want: Style, inner: Range<usize>) -> bool {
    let (open, close) = want.marks();
    let inside = &ctx.prose[inner];
    // A child that this rule will fix too counts with its new marks: in English `<<«…»>>`
    // would otherwise become `‘‘…’’`.
    let child_same = children
        .iter()
        .map(|&c| &ctx.quotes.quotations[c])
        .any(|c| {
            c.style == want
                || (c.close.is_some()
                    && c.continues.is_none()
                    && is_foreign(ctx.lang, c)
                    && expected(ctx.lang, ctx.quotes, c) == want)
        });
    // A quotation left open inside ends where the old closing mark does; the new one may not
    // end it (found by the `analyze` fuzzer: in `«…<<;">><<""`, `‘;"’` leaves `’` an
    // apostrophe inside `"…`, and the `"` then pairs with one further on).
    let child_open = children
        .iter()
        .any(|&c| ctx.quotes.quotations[c].close.is_none());
    !inside.contains(open) && !inside.contains(close) && !child_same && !child_open
}

/// Whether the marks `want` are the very marks of the quotation `q` sits in: French marks
/// alternate by depth, and under a parent with marks out of turn the turn can name the parent's
/// own (found by the `analyze` fuzzer: `“‘<<?>>` made `“‘‘?’`, a `‘` nested in `‘`). When the
/// parent is itself fixed to other marks, the next fix-all takes this one.
fn nests_in_same(ctx: &Context, q: &Quotation, want: Style) -> bool {
    q.parent
        .is_some_and(|p| ctx.quotes.quotations[p].style == want)
}

/// Whether a line break separates the opening mark from the quotation's words, or its words
/// from the closing mark: the fix would write spaces at a line's end or start, and a line's
/// start is read by other rules (found by the property tests: `<<⏎>># :` became `« ⏎ »# :`,
/// and the colon no longer opened its line).
fn marks_stand_apart(text: &str, inner: Range<usize>) -> bool {
    let s = &text[inner];
    let blank = |c: char| c == ' ' || c == '\t' || is_no_break_space(c);
    s.trim_start_matches(blank).starts_with(['\n', '\r'])
        || s.trim_end_matches(blank).ends_with(['\n', '\r'])
}

/// Whether the fix leaves the space a guillemet next to its edits holds: the spaces just
/// inside a quotation are the marks' own and a fix drops them, but a space that stands before
/// a `»` (or after a `«`) just inside belongs to that guillemet (found by the property tests:
/// `<<\u{a0}»>>` became `“»”`, and the `»` lost its no-break space).
fn keeps_guillemet_spaces(text: &str, edits: &[Edit]) -> bool {
    let spaced = |c: Option<char>| c.is_some_and(|c| c == ' ' || c == '\t' || is_no_break_space(c));
    edits.iter().all(|e| {
        let old = &text[e.range.clone()];
        let new = &*e.replacement;
        let before_guillemet = text[e.range.end..].starts_with('»')
            && spaced(old.chars().next_back())
            && !spaced(new.chars().next_back());
        let after_guillemet = text[..e.range.start].ends_with('«')
            && spaced(old.chars().next())
            && !spaced(new.chars().next());
        !before_guillemet && !after_guillemet
    })
}

/// Whether the new marks read as the quotation's marks where they land: `‘k’k` would end in an
/// apostrophe and leave `‘` unclosed.
fn reads_back(ctx: &Context, want: Style, fix: &Fix) -> bool {
    let [open, close] = &fix.edits[..] else {
        return false;
    };
    let around = |r: &Range<usize>| {
        (
            ctx.prose[..r.start].chars().next_back(),
            ctx.prose[r.end..].chars().next(),
        )
    };
    let (before, after) = around(&open.range);
    let (before_close, after_close) = around(&close.range);
    if !reads_as(want, true, before, after) || !reads_as(want, false, before_close, after_close) {
        return false;
    }
    // The first and last characters inside get new neighbours (the spaces just inside are
    // removed or added): a `‘` that a space made stray must not start to open.
    let first_inside = after.is_none_or(|x| {
        let next = ctx.prose[open.range.end + x.len_utf8()..].chars().next();
        let was = ctx.prose[..open.range.end].chars().next_back();
        same_reading(x, (was, next), (open.replacement.chars().last(), next))
    });
    let last_inside = before_close.is_none_or(|x| {
        let prev = ctx.prose[..close.range.start - x.len_utf8()]
            .chars()
            .next_back();
        let was = ctx.prose[close.range.start..].chars().next();
        same_reading(x, (prev, was), (prev, close.replacement.chars().next()))
    });
    first_inside && last_inside
}

/// Replaces the marks, and the spaces just inside them, with the language's marks.
fn fix(ctx: &Context, want: Style, open: Range<usize>, close: Range<usize>) -> Fix {
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
    let (o, c) = want.marks();
    let (left, right): (Str, Str) = match (ctx.lang, want) {
        (Lang::Fr, Style::Guillemets) => match ctx.config.wide_space() {
            '\u{a0}' => ("«\u{a0}".into(), "\u{a0}»".into()),
            '\u{202f}' => ("«\u{202f}".into(), "\u{202f}»".into()),
            s => (format!("«{s}").into(), format!("{s}»").into()),
        },
        _ => (o.into(), c.into()),
    };
    Fix {
        title: TEXTS.title[lang_index(ctx.lang)][style_index(want)]
            .as_str()
            .into(),
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
    fn no_fix_that_would_continue_a_quotation_left_open_before() {
        // `«` left open, then a paragraph that opens with `"…"`: as `« … »` it would reopen
        // the quotation above, which would then read as one quotation over two paragraphs.
        let text = "Le maire a lancé : « On verra !\n\n\"Demain\" est un autre jour, a-t-il dit.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        // Closed above, or not at the paragraph's start: the fix stands.
        for text in [
            "Le maire a lancé : « On verra ! »\n\n\"Demain\" est un autre jour, a-t-il dit.",
            "Le maire a lancé : « On verra !\n\nPour lui, \"demain\" est un autre jour.",
        ] {
            let f = fr(text, CODE);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fix.is_some(), "{text}");
        }
    }

    #[test]
    fn no_fix_around_a_quotation_left_open_inside() {
        // `<<…"…>>` nested in `«`: the `"` left open ends at `>>`; as `‘…"…’` the `’` reads as
        // an apostrophe inside the `"`, which then pairs with the `"` further on.
        let text = "« Il a noté <<oui; \"bon>> puis \"non\" »";
        let f = fr(text, CODE);
        let outer = f.iter().find(|f| text[f.range.clone()].starts_with("<<"));
        assert!(outer.is_some_and(|f| f.fix.is_none()), "{f:?}");
        // Nothing left open inside: the fix stands.
        let text = "« Il a noté <<oui; bon>> puis \"non\" »";
        let f = fr(text, CODE);
        let outer = f.iter().find(|f| text[f.range.clone()].starts_with("<<"));
        assert!(outer.is_some_and(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn no_fix_that_nests_a_quotation_in_its_own_marks() {
        // Depth 2 takes ‘ ’ in French, but its parent already has them (the `“` above it is
        // left open): `‘<<…>>` must not become `‘‘…’`.
        let text = "Il a dit “ils ont écrit ‘nous <<partons>> demain";
        let f = fr(text, CODE);
        let inner = f.iter().find(|f| text[f.range.clone()].starts_with("<<"));
        assert!(inner.is_some_and(|f| f.fix.is_none()), "{f:?}");
        // Under a parent in turn, the fix stands.
        let text = "Il a dit « ils ont écrit “nous <<partons>> demain” »";
        let f = fr(text, CODE);
        let inner = f.iter().find(|f| text[f.range.clone()].starts_with("<<"));
        assert!(inner.is_some_and(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn no_fix_that_takes_a_guillemets_space() {
        // The no-break space after `<<` is the stray `»`'s own: `“»”` would leave it glued.
        let text = "Il a dit ‘<<\u{a0}»>> hier.";
        let f = fr(text, CODE);
        let outer = f.iter().find(|f| text[f.range.clone()].starts_with("<<"));
        assert!(outer.is_some_and(|f| f.fix.is_none()), "{f:?}");
    }

    #[test]
    fn no_fix_when_a_line_break_stands_inside_a_mark() {
        let text = "Le titre <<\r\n>># : la suite.";
        let f = fr(text, CODE);
        assert!(f.iter().all(|f| f.fix.is_none()), "{f:?}");
        let text = "Il a dit <<non\n>> hier.";
        assert!(fr(text, CODE).iter().all(|f| f.fix.is_none()));
        let text = "Il a dit <<non, pas\nmaintenant>> hier.";
        assert!(fr(text, CODE).iter().all(|f| f.fix.is_some()));
    }

    #[test]
    fn no_fix_that_unglues_punctuation_from_a_closing_single_quote() {
        // `‘Vraiment:’` has its colon glued to the `’`; as `« Vraiment: »` the colon would ask
        // for a space before it.
        let text = "Il a répondu ‘Vraiment:’ et il est parti.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none());
        let text = "Il a répondu ‘Vraiment’ et il est parti.";
        assert!(fr(text, CODE)[0].fix.is_some());
    }

    #[test]
    fn no_fix_that_glues_a_mark_to_a_url() {
        // Nested in English, `«…»` becomes `‘…’`, and the URL before the closing mark would
        // take the `’` in (found by the `analyze` fuzzer).
        let text = "“He said «http://» today,” she said.";
        let f = en(text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
        let text = "“He said « see https://example.org/a now » today,” she said.";
        let f = en(text, CODE);
        assert_eq!(
            fixed(text, &f),
            "“He said ‘see https://example.org/a now’ today,” she said."
        );
        // The same with the URL's start 300 bytes before the mark (found by the property
        // tests: the masking check read 256 bytes of the word).
        let long = "é".repeat(150);
        let text = format!("“He said « see http://j.fr/a{long}»’s today,” she said.");
        let f = en(&text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
    }

    #[test]
    fn no_fix_that_makes_a_line_read_as_a_teaser() {
        // `related "` is no teaser; `related »` is one (`»` separates a marker from its title).
        let text = "Il a dit \"ceci,\nrelated\" hier.";
        let f = crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
        let text = "Il a dit \"ceci,\nrelaté\" hier.";
        let f = crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true);
        assert!(f[0].fix.is_some(), "{f:?}");
    }

    #[test]
    fn no_fix_that_makes_markup() {
        // Markdown: `<!` and the new `“>` make an HTML declaration, which masking hides with
        // the opening mark (found by the `analyze` fuzzer).
        let text = "<!<<>r>>";
        let md = |text| {
            crate::rules::testing::findings(text, CODE, crate::language::LangSetting::En, true)
        };
        let f = md(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
        let f = md("He said «yes» today.");
        assert!(f[0].fix.is_some(), "{f:?}");
    }

    #[test]
    fn guillemets_in_english() {
        let text = "He said « no » and «never».";
        let f = en(text, CODE);
        assert_eq!(f.len(), 2);
        assert_eq!(fixed(text, &f), "He said “no” and “never”.");
    }

    #[test]
    fn guillemets_nested_in_english_and_chevrons_nested_in_french() {
        let text = "“He told me « go home » and left,” she said.";
        let f = en(text, CODE);
        assert_eq!(f.len(), 1);
        assert_eq!(
            fixed(text, &f),
            "“He told me ‘go home’ and left,” she said."
        );
        let text = "« Il a crié <<stop>> puis rien », dit-elle.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 1);
        assert_eq!(fixed(text, &f), "« Il a crié “stop” puis rien », dit-elle.");
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
        // ‘ ’ one level down is wrong in French whatever the outer marks: swapping them changes
        // nothing for it, so the fix stays.
        let text = "Il a dit “oui, ‘peut-être’ non”, et \"fin\".";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.fix.is_some()), "{f:?}");
        assert_eq!(
            fixed(text, &f),
            "Il a dit «\u{a0}oui, ‘peut-être’ non\u{a0}», et «\u{a0}fin\u{a0}»."
        );
    }

    #[test]
    fn teaser_arrows_are_not_quotes() {
        assert!(fr("Texte.\n>> Le maire démissionne <<\nSuite.", CODE).is_empty());
    }

    #[test]
    fn no_fix_when_the_new_closing_mark_would_read_as_an_apostrophe() {
        // Found by the `analyze` fuzzer (strict mode): in English `««k»k` became `«‘k’k`, where
        // `’` between two letters is an apostrophe, so `‘` was left open.
        let f = en("He said ««k»k and left.", CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].range.start, "He said «".len());
        assert!(f[0].fix.is_none(), "{f:?}");
        // With a space or punctuation after it, the mark closes and the fix stays.
        let f = en("He said «a «k» b» and left.", CODE);
        assert!(f.iter().all(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn no_fix_that_nests_a_quotation_in_the_marks_its_child_will_take() {
        // Found by the `analyze` fuzzer (strict mode): in English, under an open `«`, both
        // `<<…>>` and the `«…»` inside it were to become `‘…’`, so fix-all wrote `«‘‘’’`.
        let text = "«a <<b «c» d>> e";
        let f = en(text, CODE);
        let outer = f.iter().find(|f| f.range.start == text.find('<').unwrap());
        assert!(outer.is_some_and(|f| f.fix.is_none()), "{f:?}");
        let inner = f.iter().find(|f| f.range.start == text.rfind('«').unwrap());
        assert!(inner.is_some_and(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn many_foreign_quotations_cost_linear_time() {
        // 200,000 « … » in English on one line, each with a fix: looking up each one's children
        // among all quotations would take 4 × 10^10 steps, and so would an attribution engine
        // that read each quotation's whole (800 KB) sentence.
        let text = "«a» ".repeat(200_000);
        let f = en(&text, CODE);
        assert_eq!(f.len(), 200_000);
        assert!(f.iter().all(|f| f.fix.is_some()));
    }

    #[test]
    fn no_fix_that_removes_the_space_making_a_single_quote_stray() {
        // Found by the property tests: in English `«‘ »` became `“‘”`, where `‘` opens.
        let f = en("a «‘ » b", CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
        let f = en("a « ‘a’ » b", CODE);
        assert!(f.iter().all(|f| f.fix.is_some()), "{f:?}");
    }
}
