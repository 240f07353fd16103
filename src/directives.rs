//! Inline control: `<!-- copydesk-disable RULE -->` … `<!-- copydesk-enable RULE -->` and
//! `<!-- copydesk-disable-next-line RULE -->`. Several rules are separated by commas; no rule
//! means every rule. The comments work in Markdown and plain-text drafts alike.

use crate::finding::Edit;
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

/// Where a fix could make, unmake or move a directive comment, so that a fix never changes
/// what the directives silence (found by the `analyze` fuzzer: `quote-style` made the `<<>>` of
/// `<!--copydesk-disable an<<>>he-->` into `“”`, the comment, no longer cut by a `>`, became a
/// directive, was masked, and the draft, left without its English words, read as French).
///
/// A directive comment holds `copydesk-` and no `>` before its closing `-->`: a fix changes
/// one only by an edit between a `copydesk-` and the first `>` after it, just before a
/// `copydesk-` (where `<!--` and spaces open the comment), by a line break moved between a
/// directive and the end of the line after it (`disable-next-line`), or by writing a new
/// `copydesk-`.
#[derive(Debug, Default)]
pub struct Reach {
    /// Where each `copydesk-` starts.
    words: Vec<usize>,
    /// For each `copydesk-` that opens a comment (`<!--` and spaces before it): where it starts,
    /// the first `>` at or after it (or the draft's end), and the end of the line after that
    /// `>`'s line. Any other `copydesk-` becomes a directive only by an edit just before it.
    spans: Vec<(usize, usize, usize)>,
}

const WORD: &str = "copydesk-";

/// The searcher for [`WORD`], built once: fix-all asks whether edits write one for every pair
/// of touching edits, and building a searcher cost more than the search.
fn words_in(hay: &[u8]) -> memchr::memmem::FindIter<'_, 'static> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(WORD));
    FINDER.find_iter(hay)
}

impl Reach {
    pub fn new(text: &str) -> Reach {
        let bytes = text.as_bytes();
        let words: Vec<usize> = words_in(bytes).collect();
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        // The whitespace before each word is read once (words do not overlap it).
        let opens = |c: usize| text[..c].trim_end().ends_with("<!--");
        for &c in words.iter().filter(|&&c| opens(c)) {
            // Each search starts where the previous one ended (or further): linear.
            let (g, after) = match spans.last() {
                Some(&(_, g, after)) if g >= c => (g, after),
                _ => {
                    let g = memchr::memchr(b'>', &bytes[c..]).map_or(bytes.len(), |i| c + i);
                    (g, line_after_end(bytes, g))
                }
            };
            spans.push((c, g, after));
        }
        Reach { words, spans }
    }

    /// Whether applying `edits` (disjoint) leaves every directive comment as it was.
    pub fn keeps(&self, text: &str, edits: &[Edit]) -> bool {
        let sorted: std::borrow::Cow<[Edit]> = if edits.is_sorted_by_key(|e| e.range.start) {
            edits.into()
        } else {
            let mut v = edits.to_vec();
            v.sort_by_key(|e| (e.range.start, e.range.end));
            v.into()
        };
        let (Some(first), Some(last)) = (
            sorted.first().map(|e| e.range.start),
            sorted.iter().map(|e| e.range.end).max(),
        ) else {
            return true;
        };
        // Overlapping edits cannot be applied: nothing to keep.
        if sorted.windows(2).any(|w| w[1].range.start < w[0].range.end) {
            return false;
        }
        if writes_word(text, &sorted) {
            return false;
        }
        if self.words.is_empty() {
            return true;
        }
        // An edit in what may open the comment of the next `copydesk-` (`<!--` and spaces).
        if let Some(&c) = self.words.get(self.words.partition_point(|&c| c < last)) {
            let opener = text[last..c]
                .chars()
                .take(4096)
                .all(|ch| ch.is_whitespace() || matches!(ch, '<' | '!' | '-'));
            if opener {
                return false;
            }
        }
        // An edit between an opened `copydesk-` and its `>`, the first after it (spans are
        // sorted, and so are their `>`). A comment closes only with `-->`: where that `>`
        // lacks its `--` (or there is none), only an edit next to it, or one that writes a `>`
        // or a `-`, can close one.
        let mut j = self.spans.partition_point(|s| s.0 < last);
        while j > 0 && self.spans[j - 1].1 >= first {
            let g = self.spans[j - 1].1;
            let closed = g < text.len() && text[..g].ends_with("--");
            let next_to = sorted
                .iter()
                .any(|e| e.range.start <= g && e.range.end + 2 >= g);
            let writes = sorted.iter().any(|e| e.replacement.contains(['>', '-']));
            if closed || next_to || writes {
                return false;
            }
            while j > 0 && self.spans[j - 1].1 == g {
                j -= 1;
            }
        }
        // A line break added or removed from an opened `copydesk-` to the end of the line
        // after it (what `disable-next-line` silences).
        let bytes = text.as_bytes();
        sorted.iter().all(|e| {
            let breaks = memchr::memchr2(b'\n', b'\r', &bytes[e.range.clone()]).is_some()
                || e.replacement.contains(['\n', '\r']);
            let k = self.spans.partition_point(|s| s.0 <= e.range.end);
            !(breaks && k > 0 && self.spans[k - 1].2 >= e.range.start)
        })
    }
}

/// The end of the line after the one holding byte `at` (with its line break).
fn line_after_end(bytes: &[u8], at: usize) -> usize {
    let mut end = at;
    for _ in 0..2 {
        match memchr::memchr2(b'\n', b'\r', &bytes[end.min(bytes.len())..]) {
            Some(i) => {
                end += i;
                // CR LF is one line break.
                end += if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            None => return bytes.len(),
        }
    }
    end
}

/// Whether the edits write a `copydesk-` that was not there: one that takes in an edit's
/// replacement or where it joins the text around it. `edits` are sorted and disjoint.
fn writes_word(text: &str, edits: &[Edit]) -> bool {
    let in_word = |b: u8| {
        matches!(
            b,
            b'c' | b'o' | b'p' | b'y' | b'd' | b'e' | b's' | b'k' | b'-'
        )
    };
    let bytes = text.as_bytes();
    // The window read last: touching edits share one, read once.
    let mut read = 0..0;
    edits.iter().enumerate().any(|(i, e)| {
        // Most fixes write spaces or quotation marks next to other characters: no `copydesk-`
        // can take them in. (Touching edits are read together below.)
        let touches = |j: usize| {
            edits
                .get(j)
                .is_some_and(|o| o.range.end == e.range.start || e.range.end == o.range.start)
        };
        let clear = if e.replacement.is_empty() {
            !(e.range.start > 0
                && in_word(bytes[e.range.start - 1])
                && bytes.get(e.range.end).is_some_and(|&b| in_word(b)))
        } else {
            !e.replacement.bytes().any(in_word)
        };
        if clear && !(i > 0 && touches(i - 1)) && !touches(i + 1) {
            return false;
        }
        // The text around the edit (and any edit it reaches), before and after.
        // Sorted and disjoint, the edits that reach it are a run on either side of this one.
        let (mut lo, mut hi) = (
            e.range.start.saturating_sub(WORD.len()),
            e.range.end + WORD.len(),
        );
        for o in edits[..i].iter().rev() {
            if o.range.end < lo {
                break;
            }
            lo = lo.min(o.range.start);
        }
        for o in &edits[i + 1..] {
            if o.range.start > hi {
                break;
            }
            hi = hi.max(o.range.end);
        }
        hi = hi.min(text.len());
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        if read == (lo..hi) {
            return false;
        }
        read = lo..hi;
        // The edits inside the window: a run too (their starts and ends are both sorted).
        let from = edits.partition_point(|o| o.range.start < lo);
        let to = edits.partition_point(|o| o.range.end <= hi).max(from);
        let after = crate::rules::typography::with_edits(text, lo..hi, &edits[from..to]);
        let count = |s: &str| words_in(s.as_bytes()).count();
        count(&after) != count(&text[lo..hi])
    })
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

    fn edit(range: std::ops::Range<usize>, to: &str) -> crate::finding::Edit {
        crate::finding::Edit {
            range,
            replacement: to.to_string().into(),
        }
    }

    #[test]
    fn no_fix_may_make_or_change_a_directive() {
        use super::Reach;
        // Found by the `analyze` fuzzer: `<<>>` made `“”` leaves the comment without a `>`.
        let text = "<!--copydesk-disable an<<>>he-->«,";
        let reach = Reach::new(text);
        assert!(!reach.keeps(text, &[edit(23..25, "“"), edit(25..27, "”")]));
        // After the comment's `>`, and before it with words between: kept.
        assert!(reach.keeps(text, &[edit(34..34, "\u{a0}")]));
        let text = "« a »\n<!-- copydesk-disable quote-style -->\n« b »";
        let reach = Reach::new(text);
        assert!(reach.keeps(text, &[edit(2..3, "\u{a0}")]));
        // In the spaces that open the comment, or inside it: not kept.
        assert!(!reach.keeps(text, &[edit(12..13, "")]));
        assert!(!reach.keeps(text, &[edit(30..31, "")]));
        // A line join from the comment to the end of the line after it moves what
        // `disable-next-line` silences; further on it does not.
        let text =
            "<!-- copydesk-disable-next-line quote-style -->\nIl a dit\n\"non\".\nFin « x\n».";
        let reach = Reach::new(text);
        assert!(!reach.keeps(text, &[edit(47..48, " ")]));
        assert!(!reach.keeps(text, &[edit(56..57, " ")]));
        let join = text.rfind('\n').unwrap();
        assert!(reach.keeps(text, &[edit(join..join + 1, "\u{a0}")]));
    }

    #[test]
    fn no_fix_may_write_the_directive_word() {
        use super::Reach;
        let text = "copy desk-disable copydesk";
        let reach = Reach::new(text);
        // Joined: `copydesk-disable`. A space made a no-break space: nothing written.
        assert!(!reach.keeps(text, &[edit(4..5, "")]));
        assert!(reach.keeps(text, &[edit(4..5, "\u{a0}")]));
        // Two touching edits read together.
        let text = "copyXdesk- et plus";
        assert!(!Reach::new(text).keeps(text, &[edit(3..4, "y"), edit(4..5, "")]));
        // A chain of touching edits is read as one window: `cop`, `yd`, `esk-` written apart.
        let text = "Xa Xb Xc plus";
        let chain = [edit(0..1, "cop"), edit(1..3, "yd"), edit(3..6, "esk-")];
        assert!(!Reach::new(text).keeps(text, &chain));
        // Edits that overlap cannot be applied: never kept.
        let text = "« a » et « b »";
        assert!(!Reach::new(text).keeps(text, &[edit(2..4, "x"), edit(3..5, "y")]));
    }
}
