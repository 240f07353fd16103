//! Inline control: `<!-- copydesk-disable RULE -->` … `<!-- copydesk-enable RULE -->` and
//! `<!-- copydesk-disable-next-line RULE -->`. Several rules are separated by commas; no rule
//! means every rule. The comments work in Markdown and plain-text drafts alike.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*copydesk-(disable-next-line|disable|enable)\b([^>]*?)\s*-->")
        .expect("directive pattern")
});

/// A span of the draft where some rules (or all, when `rules` is empty) are silenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub range: Range<usize>,
    pub rules: Vec<String>,
}

/// The directive comments themselves (to mask them from prose) and the spans they silence.
pub fn parse(text: &str, lines: &[Range<usize>]) -> (Vec<Range<usize>>, Vec<Silence>) {
    if !text.contains("copydesk-") {
        return (Vec::new(), Vec::new());
    }
    let mut comments = Vec::new();
    let mut silences = Vec::new();
    // Open `disable` spans: (start, rule or "" for all).
    let mut open: Vec<(usize, String)> = Vec::new();
    for m in DIRECTIVE.captures_iter(text) {
        let whole = m.get(0).expect("match");
        comments.push(whole.range());
        let rules: Vec<String> = m[2]
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        match &m[1] {
            "disable-next-line" => {
                let line = lines.partition_point(|l| l.end < whole.end());
                if let Some(next) = lines.get(line + 1) {
                    silences.push(Silence {
                        range: next.clone(),
                        rules,
                    });
                }
            }
            "disable" => {
                if rules.is_empty() {
                    open.push((whole.end(), String::new()));
                } else {
                    open.extend(rules.into_iter().map(|r| (whole.end(), r)));
                }
            }
            _ => {
                let closes = |r: &String| rules.is_empty() || rules.contains(r) || r.is_empty();
                let mut k = 0;
                while k < open.len() {
                    if closes(&open[k].1) {
                        let (start, rule) = open.remove(k);
                        silences.push(Silence {
                            range: start..whole.start(),
                            rules: rule_list(rule),
                        });
                    } else {
                        k += 1;
                    }
                }
            }
        }
    }
    for (start, rule) in open {
        silences.push(Silence {
            range: start..text.len(),
            rules: rule_list(rule),
        });
    }
    (comments, silences)
}

fn rule_list(rule: String) -> Vec<String> {
    if rule.is_empty() {
        Vec::new()
    } else {
        vec![rule]
    }
}

/// Whether a finding of `code` starting at `at` is silenced.
pub fn is_silenced(silences: &[Silence], code: &str, at: usize) -> bool {
    silences.iter().any(|s| {
        s.range.start <= at
            && at < s.range.end.max(s.range.start + 1)
            && (s.rules.is_empty() || s.rules.iter().any(|r| r == code))
    })
}

/// The comment that silences `code` on the line starting at `line_start`, with that line's
/// indentation, to insert before it.
pub fn disable_next_line(text: &str, line_start: usize, code: &str, newline: &str) -> String {
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    format!("{indent}<!-- copydesk-disable-next-line {code} -->{newline}")
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::config::Config;
    use crate::language::LangSetting;

    fn codes(text: &str) -> Vec<(&'static str, usize)> {
        let config = Config {
            language: LangSetting::Fr,
            ..Config::default()
        };
        let idx = crate::positions::LineIndex::new(text);
        analyze(text, &config, false)
            .findings
            .iter()
            // The one-letter quotations of these tests are typography fodder, not speech.
            .filter(|f| f.code != "quote-unattributed")
            .map(|f| {
                (
                    f.code,
                    idx.position(f.range.start, crate::positions::Encoding::Utf32)
                        .0
                        + 1,
                )
            })
            .collect()
    }

    #[test]
    fn disable_and_enable_a_rule() {
        let text = "« a »\n<!-- copydesk-disable guillemet-spacing -->\n« b » ?\n<!-- copydesk-enable guillemet-spacing -->\n« c »";
        let got = codes(text);
        assert!(
            got.iter()
                .all(|(c, l)| *c != "guillemet-spacing" || *l != 3),
            "{got:?}"
        );
        assert!(got.contains(&("punctuation-spacing", 3)));
        assert!(got.contains(&("guillemet-spacing", 5)));
    }

    #[test]
    fn next_line_several_rules_and_all() {
        let text = "<!-- copydesk-disable-next-line guillemet-spacing, punctuation-spacing -->\n« b » ?\n« c » ?\n<!-- copydesk-disable -->\n« d » ?";
        let got = codes(text);
        assert_eq!(got.iter().filter(|(_, l)| *l == 2).count(), 0, "{got:?}");
        assert_eq!(got.iter().filter(|(_, l)| *l == 3).count(), 3, "{got:?}");
        assert_eq!(got.iter().filter(|(_, l)| *l == 5).count(), 0, "{got:?}");
    }

    #[test]
    fn the_comments_are_not_prose_in_plain_text() {
        // The comment's own `--` and words must not look like prose to the rules.
        let text = "<!-- copydesk-disable-next-line quote-style -->\nIl a dit \"non\".";
        assert!(codes(text).is_empty(), "{:?}", codes(text));
    }
}
