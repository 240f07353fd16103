//! `punctuation-spacing`: French high punctuation `; ! ? :` takes a no-break space before it.

use super::typography::{
    Gap, is_no_break_space, keeps_line_openings, keeps_masking_in, opens_line, space_run_before,
    space_text,
};
use super::{Context, Rule, Text};
use crate::config::Region;
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::language::Lang;

pub static RULE: Rule = Rule {
    code: "punctuation-spacing",
    summary: Text {
        fr: "En français, ; ! ? et : sont précédés d'une espace insécable.",
        en: "In French, ; ! ? and : are preceded by a no-break space.",
    },
    explanation: Text {
        fr: "La typographie française sépare le point-virgule, le point d'exclamation et le point \
             d'interrogation du mot qui précède par une espace fine insécable (U+202F) ou une \
             espace insécable, et le deux-points par une espace insécable (U+00A0). Avec une \
             espace ordinaire, la ponctuation peut passer seule à la ligne ; sans espace, le texte \
             paraît tassé et étranger aux habitudes du lecteur. Les URL, adresses e-mail, heures \
             (10:30), rapports (3:1), le code et les cibles de liens ne sont pas concernés.\n\n\
             **Correction** : insérer l'espace insécable qui convient, ou remplacer l'espace \
             ordinaire par elle.",
        en: "French typography separates the semicolon, exclamation mark and question mark from \
             the word before them with a narrow no-break space (U+202F) or a no-break space, and \
             the colon with a no-break space (U+00A0). With an ordinary space the mark can wrap \
             alone onto the next line; with none, the text looks cramped to a French reader. URLs, \
             e-mail addresses, times (10:30), ratios (3:1), code and link targets are left \
             alone.\n\n**Fix**: insert the right no-break space, or replace the ordinary space \
             with it.",
    },
    default_severity: Severity::Information,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    if ctx.lang != Lang::Fr {
        return;
    }
    let bytes = ctx.prose.as_bytes();
    // The marks are ASCII: memchr finds them many bytes at a time (`; ! ?` in one pass, `:` in
    // another, merged in order).
    let mut three = memchr::memchr3_iter(b';', b'!', b'?', bytes).peekable();
    let mut colons = memchr::memchr_iter(b':', bytes).peekable();
    let marks = std::iter::from_fn(|| match (three.peek(), colons.peek()) {
        (Some(&n), Some(&c)) if c < n => colons.next(),
        (Some(_), _) => three.next(),
        (None, _) => colons.next(),
    })
    .map(|at| (at, &ctx.prose[at..at + 1]));
    for (at, mark) in marks {
        let c = mark.as_bytes()[0];
        let prev = ctx.prose[..at].chars().next_back();
        let next = ctx.prose[at + 1..].chars().next();
        let Some(prev) = prev else { continue };
        if glued(c, next) {
            continue;
        }
        if c == b':' && prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) {
            continue;
        }
        // `?!`, `…?`, `(?)`: the space goes before the first mark of a run only.
        if matches!(
            prev,
            ';' | '!' | '?' | ':' | '.' | '…' | '(' | '[' | '¡' | '¿'
        ) {
            continue;
        }
        let narrow = c != b':';
        // Quebec: no space at all before ; ! ?
        if narrow && ctx.config.region == Region::FrCa {
            if prev == ' ' || prev == '\t' || is_no_break_space(prev) {
                let start = space_run_before(ctx.text, at);
                let start = start
                    - ctx.text[..start]
                        .chars()
                        .next_back()
                        .filter(|&p| is_no_break_space(p))
                        .map_or(0, char::len_utf8);
                if opens_line(ctx.text, start) {
                    continue;
                }
                // After `«` (or a `»` that reopens a continued quotation, and so faces its
                // words) the space is the guillemet's own, which the guillemet rule asks for
                // (found by the `analyze` fuzzer: `«⏎»;`). After `‘` the space is what makes
                // the mark a stray one rather than an opening quotation mark (`crate::quotes`):
                // removing it would open a quotation that nothing closes.
                let space = ctx.prose[start..].chars().next();
                if ctx.text[..start].ends_with('«')
                    || ctx.text[..start].ends_with('»')
                        && ctx.quotes.reopens_at(ctx.prose, start - '»'.len_utf8())
                    || !keeps_reading(ctx, start, space, Some(c as char))
                {
                    continue;
                }
                let message = ["Au Québec, pas d'espace avant ", mark, "."].concat();
                let mut f = ctx.finding(&RULE, start..at + 1, message);
                let edits = vec![Edit {
                    range: start..at,
                    replacement: "".into(),
                }];
                if !glues_into_markup(ctx, start, c)
                    && keeps_masking_in(ctx.text, ctx.markdown, &edits, Some(&ctx.masks))
                {
                    f.fix = Some(Fix {
                        title: ["Retirer l'espace avant ", mark].concat().into(),
                        edits,
                    });
                }
                out.push(f);
            }
            continue;
        }
        if is_no_break_space(prev) {
            continue;
        }
        let (gap, range) = match prev {
            ' ' | '\t' => {
                let start = space_run_before(ctx.text, at);
                // Punctuation opening a line is not glued to a word.
                if opens_line(ctx.text, start) {
                    continue;
                }
                (
                    if prev == '\t' {
                        Gap::Tab
                    } else {
                        Gap::Ordinary
                    },
                    start..at,
                )
            }
            '\n' | '\r' => continue,
            _ => (Gap::None, at..at),
        };
        let space = if narrow {
            ctx.config.narrow_space()
        } else {
            ctx.config.wide_space()
        };
        let (message, title) = texts(mark, gap);
        let mut f = ctx.finding(&RULE, range.start..at + 1, message);
        // `“‘;`: the `‘` opens a quotation, and a space after it would make it a stray mark.
        let next = ctx.prose[range.start..].chars().next();
        let edits = vec![Edit {
            range: range.clone(),
            replacement: space_text(space),
        }];
        if keeps_reading(ctx, range.start, next, Some(space))
            && keeps_masking_in(ctx.text, ctx.markdown, &edits, Some(&ctx.masks))
        {
            f.fix = Some(Fix { title, edits });
        }
        out.push(f);
    }
}

/// The finding's message and the fix's title for `mark` (`; ! ? :`) after `gap`: French only
/// (only French drafts are checked).
fn texts_of(mark: &str, gap: Gap) -> (String, String) {
    let kind = if mark == ":" {
        "une espace insécable"
    } else {
        "une espace fine insécable"
    };
    let message = [
        "Il faut ",
        kind,
        " avant ",
        mark,
        " (ici ",
        gap.describe(true),
        ").",
    ]
    .concat();
    (message, ["Mettre ", kind, " avant ", mark].concat())
}

const MARKS: [&str; 4] = [";", "!", "?", ":"];

/// Every message and title, by mark then gap, built once: allocating them for each finding
/// was a fair share of the rule's time.
static TEXTS: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
    MARKS
        .iter()
        .flat_map(|m| Gap::ALL.iter().map(|&g| texts_of(m, g)))
        .collect()
});

fn texts(mark: &str, gap: Gap) -> (crate::finding::Str, crate::finding::Str) {
    match MARKS.iter().position(|&m| m == mark) {
        Some(k) => {
            let (message, title) = &TEXTS[k * Gap::ALL.len() + gap as usize];
            (message.as_str().into(), title.as_str().into())
        }
        None => {
            let (message, title) = texts_of(mark, gap);
            (message.into(), title.into())
        }
    }
}

/// Whether mark `c` followed by `next` is glued to what follows, part of a token (10:30, a;b,
/// ?utm=, ![image], :-)): no space is asked for before it.
fn glued(c: u8, next: Option<char>) -> bool {
    next.is_some_and(|n| {
        n.is_alphanumeric()
            || matches!(n, '[' | '/' | '\\' | '=' | '&' | '_' | '\'' | '’')
            || (c != b'?' && c != b'!' && matches!(n, '(' | ')' | '-' | '.' | ':'))
    })
}

/// The kinds of character before a mark that this rule tells apart (see `check`).
fn before_kind(prev: Option<char>) -> u8 {
    match prev {
        None => 0,
        Some(';' | '!' | '?' | ':' | '.' | '…' | '(' | '[' | '¡' | '¿') => 1,
        Some(p) if is_no_break_space(p) => 2,
        Some(' ' | '\t') => 3,
        Some('\n' | '\r') => 4,
        Some(_) => 5,
    }
}

/// Whether `edits` (another rule's fix) leave every `; ! ? :` next to them read as before by
/// this rule: the kind of character before a mark just after an edit, and whether a mark just
/// before an edit stays glued to what follows (found by the `analyze` fuzzer and the property
/// tests: `‘r:’` became `« r: »`, `<<\u{a0}: >>` became `“:”`, each then asking for a space).
pub(crate) fn keeps_marks(text: &str, edits: &[Edit]) -> bool {
    let is_mark = |b: u8| matches!(b, b';' | b'!' | b'?' | b':');
    edits.iter().all(|e| {
        let after_ok = match text[e.range.end..].bytes().next() {
            Some(m) if is_mark(m) => {
                let was = text[..e.range.end].chars().next_back();
                let now = e
                    .replacement
                    .chars()
                    .next_back()
                    .or_else(|| text[..e.range.start].chars().next_back());
                before_kind(was) == before_kind(now)
            }
            _ => true,
        };
        let before_ok = match text[..e.range.start].bytes().next_back() {
            Some(m) if is_mark(m) => {
                let was = text[e.range.start..].chars().next();
                let now = e
                    .replacement
                    .chars()
                    .next()
                    .or_else(|| text[e.range.end..].chars().next());
                glued(m, was) == glued(m, now)
            }
            _ => true,
        };
        after_ok && before_ok
    }) && keeps_line_openings(text, edits)
}

/// Whether removing the space that starts at `start` would glue mark `c` into Markdown markup
/// that masking hides: `<!` and `<?` open a comment or a declaration, `&amp ;` would become an
/// entity (found by the `analyze` fuzzer: `< !--` turned into a comment that swallowed text).
fn glues_into_markup(ctx: &Context, start: usize, c: u8) -> bool {
    if !ctx.markdown {
        return false;
    }
    let before = &ctx.text[..start];
    if before.ends_with('<') {
        return true;
    }
    let name = before.trim_end_matches(|ch: char| ch.is_ascii_alphanumeric() || ch == '#');
    c == b';' && name.len() < before.len() && name.ends_with('&')
}

/// Whether the character before `at` reads the same (as a quotation mark or as none) when the
/// character after it becomes `new` instead of `old`: spaces decide whether `‘` opens.
fn keeps_reading(ctx: &Context, at: usize, old: Option<char>, new: Option<char>) -> bool {
    let mut before = ctx.prose[..at].chars().rev();
    match before.next() {
        Some(c) => {
            let prev = before.next();
            crate::quotes::same_reading(c, (prev, old), (prev, new))
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Region};
    use crate::language::LangSetting;
    use crate::rules::testing::{en, fixed, fr};

    const CODE: &str = "punctuation-spacing";

    /// This rule's findings on `text` in Quebec.
    fn quebec(text: &str, markdown: bool) -> Vec<crate::finding::Finding> {
        let config = Config {
            language: LangSetting::Fr,
            region: Region::FrCa,
            ..Config::default()
        };
        crate::analysis::analyze(text, &config, markdown)
            .findings
            .into_iter()
            .filter(|f| f.code == CODE)
            .collect()
    }

    #[test]
    fn ordinary_space_and_none() {
        let text = "Pourquoi ? Parce que: voilà ; enfin!";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 4);
        assert_eq!(
            fixed(text, &f),
            "Pourquoi\u{202f}? Parce que\u{a0}: voilà\u{202f}; enfin\u{202f}!"
        );
    }

    #[test]
    fn no_break_spaces_pass() {
        assert!(fr("Pourquoi\u{202f}? Ainsi\u{a0}: oui\u{a0}!", CODE).is_empty());
    }

    #[test]
    fn tokens_are_left_alone() {
        for text in [
            "Rendez-vous à 10:30 précises.",
            "Score final 3:1 pour Lyon.",
            "Voir https://exemple.fr/a?b=c;d:e et redaction@journal.fr.",
            "?Début de ligne",
            "Une ligne\n: suite",
            "Bien joué ;-) et :)",
        ] {
            assert!(fr(text, CODE).is_empty(), "{text}");
        }
    }

    #[test]
    fn runs_of_marks_take_one_space() {
        let text = "Il hésite ?! Vraiment… ?";
        let f = fr(text, CODE);
        assert_eq!(f.len(), 2);
        assert_eq!(fixed(text, &f), "Il hésite\u{202f}?! Vraiment…\u{202f}?");
    }

    #[test]
    fn code_and_link_targets_are_left_alone() {
        let f = crate::rules::testing::findings(
            "Tapez `a:b` ou [ici](https://x.fr/?q=1) .",
            CODE,
            LangSetting::Fr,
            true,
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn english_is_not_checked() {
        assert!(en("Why? Because: that's it!", CODE).is_empty());
    }

    #[test]
    fn quebec_wants_no_space_before_question_marks() {
        let text = "Vraiment ? Oui: non!";
        let f = quebec(text, false);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(fixed(text, &f), "Vraiment? Oui\u{a0}: non!");
    }

    #[test]
    fn quebec_leaves_the_space_after_an_opening_guillemet() {
        // Found by the `analyze` fuzzer: the guillemet fix put a no-break space in `«!`, and this
        // rule then asked to remove it.
        for text in ["Il a crié «\u{a0}! » puis", "Il a crié « ! » puis"] {
            let f = quebec(text, false);
            assert!(f.is_empty(), "{text}: {f:?}");
        }
    }

    #[test]
    fn quebec_leaves_the_space_after_a_reopening_guillemet() {
        // Found by the `analyze` fuzzer: `«⏎»;`, the `»` that reopens the quotation faces its
        // words; the guillemet fix put a no-break space after it, and this rule then asked to
        // remove it.
        for text in [
            "«\n»\u{a0};",
            "Il a prévenu\u{a0}: « Nous partirons.\n\n»\u{a0}! Et vite », a-t-il dit.",
        ] {
            let f = quebec(text, false);
            assert!(f.is_empty(), "{text}: {f:?}");
        }
        // After a `»` that closes, the space is the punctuation's: removed.
        let text = "Il a dit « non » ; puis il est parti.";
        let f = quebec(text, false);
        assert_eq!(fixed(text, &f), "Il a dit « non »; puis il est parti.");
    }

    #[test]
    fn quebec_removes_no_space_that_would_make_markup() {
        // Found by the `analyze` fuzzer (strict mode): in Markdown, `< !--` lost its space and
        // became a comment, which masked what followed.
        let config = Config {
            language: LangSetting::Fr,
            region: Region::FrCa,
            ..Config::default()
        };
        for text in [
            "Voir < !-- la note",
            "Voir <\u{202f}? oui",
            "Prix &amp ; taxes",
        ] {
            let f = quebec(text, true);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert!(f[0].fix.is_none(), "{text}: {f:?}");
            // Plain text has no markup: the space goes.
            let f = crate::analysis::analyze(text, &config, false).findings;
            assert!(
                f.iter().any(|f| f.code == CODE && f.fix.is_some()),
                "{text}"
            );
        }
    }

    #[test]
    fn quebec_keeps_the_space_that_makes_a_single_quote_stray() {
        // Found by the `analyze` fuzzer (strict mode): `‘ ;` became `‘;`, where the `‘` opens a
        // quotation, and fix-all raised `quote-unbalanced`.
        let config = Config {
            language: LangSetting::Fr,
            region: Region::FrCa,
            ..Config::default()
        };
        let text = "Il a dit ‘ ; puis";
        let a = crate::analysis::analyze(text, &config, false);
        assert!(
            a.findings.iter().all(|f| f.code != CODE),
            "{:?}",
            a.findings
        );
        assert!(a.findings.iter().all(|f| f.code != "quote-unbalanced"));
    }

    #[test]
    fn no_fix_that_makes_an_opening_single_quote_stray() {
        // Found by the `analyze` fuzzer (strict mode): `“‘;<<’>>` became `“‘\u{202f};<<’>>`,
        // where the space after `‘` makes it a stray mark, and the quotations paired differently.
        let f = fr("Il a dit “‘; puis’ voilà", CODE);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].fix.is_none(), "{f:?}");
    }

    #[test]
    fn the_space_after_a_list_marker_is_markdown() {
        // Found by the `analyze` fuzzer (strict mode): `* :` became `*\u{a0}:`, which is no
        // longer a list item, so the line joined the paragraph above and its quotation marks
        // paired differently.
        for text in [
            "Liste\n\n* : deux",
            "Liste\n- ; un\n> ! trois\n12. ? quatre",
            "Liste\n\u{b}- ; un\n\u{3000}* ! deux",
        ] {
            assert!(fr(text, CODE).is_empty(), "{text}");
        }
        // Prose that merely starts with a digit still gets the space.
        assert_eq!(fr("Score 3 : 1", CODE).len(), 1);
    }

    #[test]
    fn an_edit_in_a_lines_opening_keeps_its_first_mark_there() {
        let edit = |range: std::ops::Range<usize>, s: &str| crate::finding::Edit {
            range,
            replacement: s.to_string().into(),
        };
        // `.>> :` opens its line (no space asked before the colon); `. » :` does not.
        let text = "<<oui.\n.>> : la suite";
        assert!(!super::keeps_marks(text, &[edit(8..10, "\u{a0}»")]));
        // Mid-line, or with no mark after the opening: the edit stands.
        let text = "Il a dit <<oui>> : la suite";
        assert!(super::keeps_marks(text, &[edit(13..15, "\u{a0}»")]));
        let text = "<<oui.\n.>> la suite";
        assert!(super::keeps_marks(text, &[edit(8..10, "\u{a0}»")]));
    }
}
