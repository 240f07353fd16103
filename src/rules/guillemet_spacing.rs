//! `guillemet-spacing`: French guillemets hold their words with no-break spaces.

use super::typography::{
    Gap, is_no_break_space, keeps_line_openings, keeps_masking, keeps_masking_in,
    keeps_teaser_lines, opens_line, space_run_after, space_run_before, space_text,
    whitespace_run_after, whitespace_run_before,
};
use super::{Context, Rule, Text};
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::language::Lang;
use crate::prose::mask::list_reach;

pub static RULE: Rule = Rule {
    code: "guillemet-spacing",
    summary: Text {
        fr: "« doit être suivi, et » précédé, d'une espace insécable.",
        en: "French « must be followed, and » preceded, by a no-break space.",
    },
    explanation: Text {
        fr: "En français, les guillemets « et » sont séparés des mots qu'ils encadrent par une \
             espace insécable (U+00A0, ou l'espace fine insécable U+202F). Sans espace, ou avec \
             une espace ordinaire, une tabulation ou un saut de ligne, le guillemet peut se \
             retrouver seul en début ou en fin de ligne une fois l'article mis en page : le \
             lecteur voit un « orphelin » qui casse la lecture.\n\n\
             **Correction** : remplacer l'espace (ou son absence) par l'espace insécable \
             configurée (U+00A0 par défaut).",
        en: "In French, the guillemets « and » are separated from the words they hold by a \
             no-break space (U+00A0, or the narrow U+202F). With no space, an ordinary space, a \
             tab or a line break, a guillemet can end up alone at the start or end of a line once \
             the article is laid out, and the reader trips over it.\n\n\
             **Fix**: put the configured no-break space (U+00A0 by default) in place of the \
             space, or where it is missing.",
    },
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    if ctx.lang != Lang::Fr {
        return;
    }
    // « and » are C2 AB and C2 BB in UTF-8; C2 only ever starts a character.
    let bytes = ctx.prose.as_bytes();
    let marks = memchr::memchr_iter(0xC2, bytes)
        .filter(|&at| matches!(bytes.get(at + 1), Some(0xAB | 0xBB)))
        .map(|at| (at, &ctx.prose[at..at + 2]));
    for (at, c) in marks {
        // A `»` that reopens a paragraph continuing a quotation faces its words like a `«`.
        let faces_right = c == "«" || ctx.quotes.reopens_at(ctx.prose, at);
        let Some(para) = ctx.paragraph_of(at).cloned() else {
            continue;
        };
        let mark = at..at + c.len();
        let fr = ctx.lang == Lang::Fr;
        let (gap, edit) = if faces_right {
            let Some(next) = ctx.text[mark.end..].chars().next() else {
                continue;
            };
            if is_no_break_space(next) {
                continue;
            }
            match next {
                ' ' | '\t' => {
                    let end = space_run_after(ctx.text, mark.end);
                    let gap = if next == '\t' {
                        Gap::Tab
                    } else {
                        Gap::Ordinary
                    };
                    (gap, Some(mark.end..end))
                }
                '\n' | '\r' => {
                    let end = whitespace_run_after(ctx.text, mark.end);
                    // Only join lines inside a paragraph; never merge two paragraphs.
                    (Gap::LineBreak, (end < para.end).then_some(mark.end..end))
                }
                _ if mark.end >= para.end => continue,
                _ => (Gap::None, Some(mark.end..mark.end)),
            }
        } else {
            let Some(prev) = ctx.text[..at].chars().next_back() else {
                continue;
            };
            if is_no_break_space(prev) {
                continue;
            }
            match prev {
                ' ' | '\t' => {
                    let start = space_run_before(ctx.text, at);
                    if start <= para.start {
                        continue;
                    }
                    let gap = if prev == '\t' {
                        Gap::Tab
                    } else {
                        Gap::Ordinary
                    };
                    (gap, Some(start..at))
                }
                '\n' | '\r' => {
                    let start = whitespace_run_before(ctx.text, at);
                    (Gap::LineBreak, (start > para.start).then_some(start..at))
                }
                _ if at <= para.start => continue,
                _ => (Gap::None, Some(at..at)),
            }
        };
        let message = message(fr, faces_right, c, gap);
        let mut finding = ctx.finding(&RULE, mark, message);
        // `‘«’`: a space between `«` and `’` would make `’` an apostrophe-like stray mark.
        let space = ctx.config.wide_space();
        // The edit is built once: checked, then moved into the fix.
        let edit = edit.map(|range| Edit {
            range,
            replacement: space_text(space),
        });
        let edit = edit.filter(|edit| {
            let (r, edits) = (&edit.range, std::slice::from_ref(edit));
            // A no-break space is no space to masking's eyes: `<< »…>` becomes one tag once
            // the space is one (found by the property tests).
            // A line joined after `«` loses its start, which other rules read (`# :`, a list
            // marker, a teaser's arrow): joined only when it starts with a letter or digit
            // (found by the property tests: `«⏎# :` joined made the colon ask for a space).
            let joins_words = !faces_right
                || ctx.text[r.end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            // The space of a list marker or a block mark that opens the line (`- »`) is the
            // marker's: made a no-break space, the line is no longer a list item and joins the
            // paragraph above (found by the `analyze` fuzzer: `"⏎- »"`, the two `"` then paired).
            // Spaces that open the line themselves are its indentation, which Markdown counts
            // in spaces and tabs: a line ` »` made `\u{a0}»` stands at the margin and ends a
            // list item's reach, so an indented line further on becomes code (found by the
            // line-opening property test: `- \t⏎ »⏎⏎    «⏎»`, the `«` then hidden).
            let opening_space = !faces_right && ctx.markdown && opens_line(ctx.text, r.start);
            !opening_space
                && keeps_reading(ctx, r, faces_right, space)
                && if gap == Gap::LineBreak {
                    joins_words && join_keeps_masking(ctx, r, space)
                } else {
                    keeps_masking_in(ctx.text, ctx.markdown, edits, Some(&ctx.masks))
                }
                && keeps_teaser_lines(ctx, edits)
                && keeps_line_openings(ctx.text, edits)
        });
        finding.fix = edit.map(|edit| Fix {
            title: title(fr, faces_right, c),
            edits: vec![edit],
        });
        out.push(finding);
    }
}

/// The finding's message, in the draft's language: `c` missing `gap`'s no-break space after it
/// (`faces_right`) or before it.
fn message_text(fr: bool, faces_right: bool, c: &str, gap: Gap) -> String {
    match (fr, faces_right) {
        (true, _) => [
            "Il faut une espace insécable ",
            if faces_right { "après " } else { "avant " },
            c,
            " (ici ",
            gap.describe(true),
            ").",
        ]
        .concat(),
        (false, true) => [
            c,
            " must be followed by a no-break space (here ",
            gap.describe(false),
            ").",
        ]
        .concat(),
        (false, false) => [
            c,
            " must be preceded by a no-break space (here ",
            gap.describe(false),
            ").",
        ]
        .concat(),
    }
}

/// The fix's title, in the draft's language.
fn title_text(fr: bool, faces_right: bool, c: &str) -> String {
    if fr {
        [
            "Mettre une espace insécable ",
            if faces_right { "après " } else { "avant " },
            c,
        ]
        .concat()
    } else {
        [
            "Use a no-break space ",
            if faces_right { "after " } else { "before " },
            c,
        ]
        .concat()
    }
}

/// Each language, side and guillemet, as the index of its message and title in [`TEXTS`].
fn text_key(fr: bool, faces_right: bool, c: &str) -> Option<usize> {
    let mark = match c {
        "«" => 0,
        "»" => 1,
        _ => return None,
    };
    Some(usize::from(fr) * 4 + usize::from(faces_right) * 2 + mark)
}

/// Every message (by key, then gap) and title (by key), built once: a French draft has a
/// guillemet finding every 150 bytes, and allocating them was a fair share of the rule's time.
static TEXTS: std::sync::LazyLock<(Vec<String>, Vec<String>)> = std::sync::LazyLock::new(|| {
    let mut messages = Vec::new();
    let mut titles = Vec::new();
    for fr in [false, true] {
        for faces_right in [false, true] {
            for c in ["«", "»"] {
                debug_assert_eq!(text_key(fr, faces_right, c), Some(titles.len()));
                titles.push(title_text(fr, faces_right, c));
                for gap in Gap::ALL {
                    messages.push(message_text(fr, faces_right, c, gap));
                }
            }
        }
    }
    (messages, titles)
});

fn message(fr: bool, faces_right: bool, c: &str, gap: Gap) -> crate::finding::Str {
    match text_key(fr, faces_right, c) {
        Some(k) => TEXTS.0[k * Gap::ALL.len() + gap as usize].as_str().into(),
        None => message_text(fr, faces_right, c, gap).into(),
    }
}

fn title(fr: bool, faces_right: bool, c: &str) -> crate::finding::Str {
    match text_key(fr, faces_right, c) {
        Some(k) => TEXTS.1[k].as_str().into(),
        None => title_text(fr, faces_right, c).into(),
    }
}

/// Whether joining two lines of a Markdown draft, `space` in place of `range` (the line break
/// and the spaces around it), leaves what is masked on them as it was: the second line's start
/// means something (`>` quotes it) and an inline construct may close across the join (`<b«`
/// and `>` make a tag). Costs the two lines, once per line break found next to a guillemet.
fn join_keeps_masking(ctx: &Context, range: &std::ops::Range<usize>, space: char) -> bool {
    if !ctx.markdown {
        return true;
    }
    let text = ctx.text;
    // A `>` opening the second line quotes it (the analysis masks it there, not in a line).
    if text[range.end..].starts_with('>') {
        return false;
    }
    // The second line's bearing on list items goes with its start: a line at the margin ends
    // an item's reach, and indented code after it needs four columns again rather than the
    // item's content and four (found by the line-opening property test: `- é⏎»⏎⏎` then `a«`
    // indented by a tab; joined, that line was no longer code). Joined only when the join
    // changes nothing there.
    let is_break = |b: &u8| matches!(b, b'\n' | b'\r');
    let bytes = text.as_bytes();
    let first = bytes[..range.start]
        .iter()
        .rposition(is_break)
        .map_or(0, |k| k + 1);
    let second = bytes[range.clone()]
        .iter()
        .rposition(is_break)
        .map_or(range.start, |k| range.start + k + 1);
    let line = |from: usize| {
        let rest = &bytes[from..];
        &rest[..rest.iter().position(is_break).unwrap_or(rest.len())]
    };
    match list_reach(line(second)) {
        None => {}
        Some(false) if list_reach(line(first)) == Some(false) => {}
        Some(_) => return false,
    }
    let edit = Edit {
        range: range.clone(),
        replacement: space_text(space),
    };
    keeps_masking(text, true, &[edit])
}

/// Whether the character on the far side of `range` (after it when the guillemet faces right,
/// before it otherwise) reads the same as a quotation mark once `range` holds `space`.
fn keeps_reading(
    ctx: &Context,
    range: &std::ops::Range<usize>,
    faces_right: bool,
    space: char,
) -> bool {
    if faces_right {
        let mut after = ctx.prose[range.end..].chars();
        let Some(x) = after.next() else { return true };
        let was = ctx.prose[..range.end].chars().next_back();
        let next = after.next();
        crate::quotes::same_reading(x, (was, next), (Some(space), next))
    } else {
        let mut before = ctx.prose[..range.start].chars().rev();
        let Some(x) = before.next() else { return true };
        let was = ctx.prose[range.start..].chars().next();
        let prev = before.next();
        crate::quotes::same_reading(x, (prev, was), (prev, Some(space)))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{en, fixed, fr};

    const CODE: &str = "guillemet-spacing";

    #[test]
    fn ordinary_spaces_are_flagged_and_fixed() {
        let text = "Il a dit « non » hier.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2);
        assert!(f[0].message.contains("espace ordinaire"));
        assert_eq!(fixed(text, &f), "Il a dit «\u{a0}non\u{a0}» hier.");
    }

    #[test]
    fn missing_spaces_are_inserted() {
        let text = "Le mot «Sentinelle» revient.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2);
        assert!(f[0].message.contains("aucune espace"));
        assert_eq!(fixed(text, &f), "Le mot «\u{a0}Sentinelle\u{a0}» revient.");
    }

    #[test]
    fn a_list_marker_keeps_its_space() {
        // Found by the `analyze` fuzzer: made a no-break space, the space of `- ` no longer
        // opened a list item, and the line joined the paragraph above.
        // Indented by any whitespace, a vertical tab too (found by the fuzzer again).
        for text in [
            "Il a dit \"oui\n- » non\" hier.",
            "Il a dit \"oui\n\u{b}- » non\" hier.",
            "Il a dit \"oui\n\u{a0} 1. » non\" hier.",
        ] {
            let f =
                crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true);
            assert_eq!(f.len(), 1, "{f:?}");
            assert!(f[0].fix.is_none(), "{text:?}: {f:?}");
        }
        let text = "Il a dit \"oui\n- » non\" hier.";
        // In plain text the dash is only a dash.
        let f = fr(text, CODE);
        assert!(f.iter().all(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn a_line_keeps_its_indentation() {
        // Found by the line-opening property test: ` »` made `\u{a0}»` stood at the margin,
        // ended the reach of the list item above, and the indented `«` after the blank line
        // became code (hidden), leaving the last `»` alone.
        let text = "\n- \t\n »\n\n    «\r\n»";
        let md =
            crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true);
        let before = md
            .iter()
            .find(|f| &text[f.range.clone()] == "»")
            .expect("the first »");
        assert!(before.fix.is_none(), "{md:?}");
        // In plain text indentation means nothing: fixed.
        let text = "Il a dit :\n«\u{a0}oui\n » et rien de plus.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_some());
    }

    #[test]
    fn no_line_join_that_makes_a_teaser() {
        // Joined, `>>` and `»<<` make `>> »<<`, which reads as an arrows teaser (with no link).
        let text = "Il a dit non.\n>>\n»<<\n\nFin.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none());
        // Two lines of prose join as before.
        let text = "Le maire a dit hier « non\n» puis il est parti.\nIl a ajouté un mot.\n\nFin.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|f| f.fix.is_some()));
        // Found by the `analyze` fuzzer: the `<<` far from the join (past 256 bytes) counts too.
        let long = "é".repeat(200);
        let text = format!("Il a dit non.\n>> {long}\n» fin <<\n\nFin.");
        let f = fr(&text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none());
        let text = format!("Il a dit non.\n>> début\n» {long} <<\n\nFin.");
        let f = fr(&text, CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn no_fix_that_changes_what_markdown_masks() {
        // A no-break space is no space to masking: `<<\u{a0}»…>` reads as one tag, which
        // would hide the `»` (found by the property tests).
        let text = "«<< »[l](https://j.fr/a)> ";
        let f = crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true);
        let close = f.iter().find(|f| text[f.range.clone()].starts_with('»'));
        assert!(close.is_some_and(|f| f.fix.is_none()), "{f:?}");
    }

    #[test]
    fn no_line_join_before_a_line_that_starts_with_a_mark() {
        // `«⏎# : ` joined: the colon, no longer at a line's start, would ask for a space.
        // Nor `«⏎1. :` (found by the line-opening property test): a digit starts the line, but
        // digits and a dot before the colon are an opening the colon is exempt after.
        for text in ["«\n# : \n\nEt voilà.", "«\n1. : \n\nEt voilà."] {
            let f = fr(text, CODE);
            let open = f.iter().find(|f| text[f.range.clone()].starts_with('«'));
            assert!(open.is_some_and(|f| f.fix.is_none()), "{text:?}: {f:?}");
        }
        // A line that opens with a number and goes on in words is joined.
        let text = "Il a dit «\n12 jours plus tard » hier.\n\nFin.";
        let f = fr(text, CODE);
        let open = f.iter().find(|f| text[f.range.clone()].starts_with('«'));
        assert!(open.is_some_and(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn no_line_join_that_moves_where_a_list_item_ends() {
        let md = |text| {
            crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true)
        };
        // `»` at the margin ends the item's reach: joined to `- é`, the tab-indented line
        // below would continue the item instead of being code.
        let f = md("- é\n»\n\n\ta«");
        assert!(f.iter().all(|f| f.fix.is_none()), "{f:?}");
        // Between two lines at the margin, the join stands.
        let f = md("Il a dit «\nnon » hier.");
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|f| f.fix.is_some()), "{f:?}");
    }

    #[test]
    fn no_break_spaces_pass() {
        assert!(fr("Il a dit «\u{a0}non\u{a0}» et «\u{202f}oui\u{202f}».", CODE).is_empty());
    }

    #[test]
    fn tabs_and_line_breaks() {
        let text = "Il a dit «\tnon\n» hier.\n\nFin.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2);
        assert!(f[0].message.contains("tabulation"));
        assert!(f[1].message.contains("saut de ligne"));
        assert_eq!(fixed(text, &f), "Il a dit «\u{a0}non\u{a0}» hier.\n\nFin.");
    }

    #[test]
    fn line_break_between_paragraphs_is_not_joined() {
        let f = fr("Début «\nsuite »", CODE);
        assert!(
            f.iter()
                .all(|f| f.fix.is_none() || f.message.contains("ordinaire"))
        );
    }

    #[test]
    fn no_line_join_that_changes_what_markdown_masks() {
        let md = |text: &str| {
            crate::rules::testing::findings(text, CODE, crate::language::LangSetting::Fr, true)
        };
        // Found by the `analyze` fuzzer: `<b«` and `>` on the next line made one HTML tag,
        // which swallowed the `«`. And a `>` that quotes the next line must stay at its start.
        for text in ["Il a dit <b«\n>» hier.", "Il a dit «\n> non » hier."] {
            let f = md(text);
            assert!(!f.is_empty(), "{text}");
            assert!(
                f.iter()
                    .all(|f| f.fix.is_none() || !f.message.contains("saut de ligne")),
                "{text}: {f:?}"
            );
        }
        // An ordinary line break inside a paragraph is still joined.
        let text = "Il a dit «\nnon » hier.";
        assert_eq!(fixed(text, &md(text)), "Il a dit «\u{a0}non\u{a0}» hier.");
    }

    #[test]
    fn english_drafts_are_not_checked() {
        assert!(en("The word «non» again.", CODE).is_empty());
    }

    #[test]
    fn reopening_guillemet_faces_its_words() {
        let text = "« Premier temps.\n\n» Second temps », dit-il.";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 3);
        assert!(f[1].message.contains("après »"));
    }

    #[test]
    fn guillemets_in_code_are_ignored() {
        let f = crate::rules::testing::findings(
            "Tapez `«mot»` ici.",
            CODE,
            crate::language::LangSetting::Fr,
            true,
        );
        assert!(f.is_empty());
    }

    #[test]
    fn no_fix_that_changes_how_a_single_quote_reads() {
        // Found by the `analyze` fuzzer (strict mode): `‘«’` became `‘«\u{a0}’`, where `’`
        // after a space no longer closes the `‘`.
        let f = fr("Il a dit ‘«’ puis", CODE);
        assert!(!f.is_empty(), "{f:?}");
        assert!(f.iter().all(|f| f.fix.is_none()), "{f:?}");
    }
}
