//! Applying fixes: one at a time (a quick fix) or all the safe ones at once (fix-all).

use crate::analysis::Analysis;
use crate::config::Config;
use crate::finding::{Edit, Finding, Fix};
use std::collections::{BTreeMap, BTreeSet};

/// Applies one fix's edits to `text`.
pub fn apply_fix(text: &str, fix: &Fix) -> String {
    apply_edits(text, &fix.edits)
}

/// Applies non-overlapping edits (in any order) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for e in sorted {
        if e.range.start < at || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Fix-all: every safe fix of `analysis` (an analysis of `text` with `config`) at once, as
/// one edit list sorted by position, checked on its result.
///
/// The fixes are combined by [`combine`], whose checks read the text near each fix. Fixes
/// each safe alone can still, together, change how marks far apart pair (found by the
/// `analyze` fuzzer: two guillemet spaces of one Markdown quotation 320 bytes apart made a `»`
/// close another quotation). So the fixed text is analysed again with the same configuration,
/// as the editor will: where a rule finds more than before, the fixes of the paragraphs where
/// it does are dropped and the rest checked again. Fix-all never raises a rule's count; when
/// the rise cannot be traced to a paragraph's fixes in a few rounds, it offers nothing (the
/// quick fixes stay). It costs one analysis more than the draft's, so the server computes it
/// when asked (`codeAction/resolve`).
pub fn fix_all(text: &str, config: &Config, analysis: &Analysis) -> Vec<Edit> {
    const ROUNDS: usize = 4;
    let fixes: Vec<&Fix> = analysis
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .collect();
    let paragraph_of = |offset: usize| analysis.paragraphs.partition_point(|p| p.end <= offset);
    let before = tally(
        analysis.findings.iter().map(|f| (f.code, f.range.start)),
        &paragraph_of,
    );
    let mut dropped = vec![false; fixes.len()];
    for _ in 0..ROUNDS {
        let kept: Vec<usize> = (0..fixes.len()).filter(|&i| !dropped[i]).collect();
        let candidates: Vec<&Fix> = kept.iter().map(|&i| fixes[i]).collect();
        let (edits, chosen) = combine_fixes(text, analysis.markdown, &candidates);
        if edits.is_empty() {
            return edits;
        }
        let fixed = apply_edits(text, &edits);
        let again = crate::analysis::analyze(&fixed, config, analysis.markdown);
        let back = OffsetsBack::new(&edits);
        let after = tally(
            again
                .findings
                .iter()
                .map(|f| (f.code, back.map(f.range.start))),
            &paragraph_of,
        );
        // The paragraphs where a rule whose count rose finds more than before.
        let risen: Vec<&str> = after
            .totals
            .iter()
            .filter(|(code, n)| **n > before.totals.get(*code).copied().unwrap_or(0))
            .map(|(code, _)| *code)
            .collect();
        if risen.is_empty() {
            return edits;
        }
        let worse: BTreeSet<usize> = after
            .by_paragraph
            .iter()
            .filter(|((code, p), n)| {
                risen.contains(code)
                    && **n > before.by_paragraph.get(&(*code, *p)).copied().unwrap_or(0)
            })
            .map(|((_, p), _)| *p)
            .collect();
        // The paragraphs of the fixes taken, and which to drop: those in a worse paragraph, or
        // failing that, the nearest on either side of one.
        let places: Vec<(usize, BTreeSet<usize>)> = chosen
            .iter()
            .map(|&c| {
                let ps = candidates[c]
                    .edits
                    .iter()
                    .map(|e| paragraph_of(e.range.start))
                    .collect();
                (kept[c], ps)
            })
            .collect();
        let mut any = false;
        for (i, ps) in &places {
            if ps.iter().any(|p| worse.contains(p)) {
                dropped[*i] = true;
                any = true;
            }
        }
        if !any {
            let fixed_at: BTreeSet<usize> = places
                .iter()
                .flat_map(|(_, ps)| ps.iter().copied())
                .collect();
            let mut nearest: BTreeSet<usize> = BTreeSet::new();
            for &w in &worse {
                nearest.extend(fixed_at.range(..w).next_back());
                nearest.extend(fixed_at.range(w..).next());
            }
            for (i, ps) in &places {
                if ps.iter().any(|p| nearest.contains(p)) {
                    dropped[*i] = true;
                    any = true;
                }
            }
        }
        if !any {
            break;
        }
    }
    Vec::new()
}

/// Findings counted per rule, and per rule and paragraph.
struct Tally<'a> {
    totals: BTreeMap<&'a str, usize>,
    by_paragraph: BTreeMap<(&'a str, usize), usize>,
}

fn tally<'a>(
    findings: impl Iterator<Item = (&'a str, usize)>,
    paragraph_of: &impl Fn(usize) -> usize,
) -> Tally<'a> {
    let mut t = Tally {
        totals: BTreeMap::new(),
        by_paragraph: BTreeMap::new(),
    };
    for (code, at) in findings {
        *t.totals.entry(code).or_default() += 1;
        *t.by_paragraph.entry((code, paragraph_of(at))).or_default() += 1;
    }
    t
}

/// Maps offsets in a text with edits applied back to the text before them: an offset inside
/// a replacement maps to the start of what it replaced.
struct OffsetsBack {
    /// Per edit (sorted): where its replacement starts and ends in the new text, and the
    /// range it replaced in the old one.
    spans: Vec<(usize, usize, usize, usize)>,
}

impl OffsetsBack {
    fn new(edits: &[Edit]) -> Self {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.range.start, e.range.end));
        let mut shift: isize = 0;
        let spans = sorted
            .into_iter()
            .map(|e| {
                let start = e.range.start.saturating_add_signed(shift);
                let end = start + e.replacement.len();
                shift += e.replacement.len() as isize - e.range.len() as isize;
                (start, end, e.range.start, e.range.end)
            })
            .collect();
        OffsetsBack { spans }
    }

    fn map(&self, at: usize) -> usize {
        let i = self.spans.partition_point(|s| s.0 <= at);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            None => at,
            Some((_, end, old_start, _)) if at < end => old_start,
            Some((_, end, _, old_end)) => old_end + (at - end),
        }
    }
}

/// Every safe fix of `findings` whose edits do not collide with an earlier one, as one edit
/// list sorted by position. Fixes are taken whole or not at all, so a pair of quotation marks is
/// never half replaced.
///
/// Each fix passed its rule's checks alone; two taken together can still change what masking
/// hides in `text` (found by the `analyze` fuzzer: in the Markdown `<a<<>>said<<>> >`, either
/// `<<>>` made `“”` leaves the tag as it reads, both make `<a“”said“” >` one tag that hides
/// `said`). So a fix near one already taken (within 256 bytes), when either may change masking,
/// is taken only if masking is kept with both (`typography::keeps_masking`); in a dense run
/// of such fixes (more than 64 taken nearby) it is left out, and fix-all run again takes it.
pub fn combine(text: &str, markdown: bool, findings: &[Finding]) -> Vec<Edit> {
    let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    combine_fixes(text, markdown, &fixes).0
}

/// [`combine`] over `fixes`: the edits, and the indices in `fixes` of the fixes taken.
fn combine_fixes(text: &str, markdown: bool, fixes: &[&Fix]) -> (Vec<Edit>, Vec<usize>) {
    use crate::rules::typography::{AROUND, WindowMasks, keeps_masking_in, may_change_masking};
    const DENSE: usize = 64;
    let masks = WindowMasks::default();
    // Taken edits by start (at most one per start: two edits at one offset collide). They never
    // overlap, so only the last one starting before an edit's end can collide with it: a lookup,
    // not a scan of every edit taken so far. And the starts of those that may change masking.
    let mut taken: BTreeMap<usize, Edit> = BTreeMap::new();
    let mut masking: BTreeSet<usize> = BTreeSet::new();
    // The taken edits that join lines (replace a line break): start to end.
    let mut joins: BTreeMap<usize, usize> = BTreeMap::new();
    let collides = |taken: &BTreeMap<usize, Edit>, e: &Edit| {
        taken.contains_key(&e.range.start)
            || taken
                .range(..e.range.end.max(e.range.start + 1))
                .next_back()
                .is_some_and(|(_, t)| t.range.start < e.range.end && e.range.start < t.range.end)
    };
    // Each fix keeps the directive comments alone (`analysis`); taken together, two touching
    // edits could still write a `copydesk-`.
    let reach = crate::directives::Reach::new(text);
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| fixes[i].edits.iter().map(|e| e.range.start).min());
    let mut chosen = Vec::new();
    for i in order {
        let fix = fixes[i];
        let mut own: Vec<&Edit> = fix.edits.iter().collect();
        own.sort_by_key(|e| (e.range.start, e.range.end));
        // A fix whose own edits overlap is not safe to apply whole.
        let self_overlap = own
            .windows(2)
            .any(|w| w[1].range.start < w[0].range.end || w[1].range.start == w[0].range.start);
        if self_overlap || fix.edits.iter().any(|e| collides(&taken, e)) {
            continue;
        }
        let (Some(first), Some(last)) = (own.first(), own.iter().map(|e| e.range.end).max()) else {
            continue;
        };
        // Where an edit of this fix meets one taken, the quotation marks on either side must
        // read as each fix alone left them.
        let meets = own.iter().any(|e| {
            let before = taken
                .range(..e.range.start)
                .next_back()
                .map(|(_, t)| t)
                .filter(|t| t.range.end == e.range.start);
            let after = taken.get(&e.range.end).filter(|_| !e.range.is_empty());
            before.is_some_and(|t| !junction_reads_alike(text, t, e))
                || after.is_some_and(|t| !junction_reads_alike(text, e, t))
        });
        if meets {
            continue;
        }
        // One line join per line: several joins that each kept their lines' reading can
        // together make a line that reads otherwise (found by the property tests: `>>`, `»` and
        // `»>> Titre <<` joined into one arrows teaser). The next fix-all takes the others.
        let bytes = text.as_bytes();
        let breaks = |r: std::ops::Range<usize>| memchr::memchr2(b'\n', b'\r', &bytes[r]).is_some();
        let same_line = own.iter().any(|e| {
            breaks(e.range.clone())
                && (joins
                    .range(..e.range.start)
                    .next_back()
                    .is_some_and(|(_, &end)| !breaks(end..e.range.start))
                    || joins
                        .range(e.range.end..)
                        .next()
                        .is_some_and(|(&start, _)| !breaks(e.range.end..start)))
        });
        if same_line {
            continue;
        }
        let reach_from = first.range.start.saturating_sub(16);
        let mut close: Vec<Edit> = taken
            .range(reach_from..last.saturating_add(16))
            .map(|(_, e)| e.clone())
            .take(DENSE + 1)
            .collect();
        if !close.is_empty() {
            close.extend(own.iter().map(|e| (*e).clone()));
            close.sort_by_key(|e| (e.range.start, e.range.end));
            if close.len() > DENSE || !reach.keeps(text, &close) {
                continue;
            }
        }
        let marks: Vec<bool> = own
            .iter()
            .map(|e| may_change_masking(text, markdown, std::slice::from_ref(*e)))
            .collect();
        let around = first.range.start.saturating_sub(AROUND)..last.saturating_add(AROUND);
        // Checked when this fix or a taken one nearby may change masking (most fixes: neither,
        // and a lookup of the taken ones that may says so).
        if marks.contains(&true) || masking.range(around.clone()).next().is_some() {
            let near: Vec<&Edit> = taken
                .range(around)
                .map(|(_, e)| e)
                .take(DENSE + 1)
                .collect();
            if near.len() > DENSE {
                continue;
            }
            if !near.is_empty() {
                let mut both: Vec<Edit> = near.into_iter().cloned().collect();
                both.extend(own.iter().map(|e| (*e).clone()));
                both.sort_by_key(|e| (e.range.start, e.range.end));
                if !keeps_masking_in(text, markdown, &both, Some(&masks)) {
                    continue;
                }
            }
        }
        for (e, m) in own.into_iter().zip(marks) {
            if m {
                masking.insert(e.range.start);
            }
            if breaks(e.range.clone()) {
                joins.insert(e.range.start, e.range.end);
            }
            taken.insert(e.range.start, e.clone());
        }
        chosen.push(i);
    }
    (taken.into_values().collect(), chosen)
}

/// Whether the characters on either side of the junction of `left` and `right` (edits that
/// touch: `left` ends where `right` starts) read as quotation marks as they do with either edit
/// alone (found by the property tests: `<<` made `‘` and a no-break space put after it, for the
/// colon that follows, made the `‘` a stray mark).
fn junction_reads_alike(text: &str, left: &Edit, right: &Edit) -> bool {
    let at = left.range.end;
    let before_left = text[..left.range.start].chars().next_back();
    let after_right = text[right.range.end..].chars().next();
    // The last character the left edit leaves, and the one before it.
    let (l, l_prev) = match left.replacement.chars().next_back() {
        Some(c) => (
            Some(c),
            left.replacement[..left.replacement.len() - c.len_utf8()]
                .chars()
                .next_back()
                .or(before_left),
        ),
        None => (before_left, text[..left.range.start].chars().rev().nth(1)),
    };
    // The first character the right edit leaves, and the one after it.
    let (r, r_next) = match right.replacement.chars().next() {
        Some(c) => (
            Some(c),
            right.replacement[c.len_utf8()..]
                .chars()
                .next()
                .or(after_right),
        ),
        None => (after_right, text[right.range.end..].chars().nth(1)),
    };
    // Alone, each edit saw the text's own character across the junction.
    let l_alone_next = text[at..].chars().next();
    let r_alone_prev = text[..at].chars().next_back();
    l.is_none_or(|l| crate::quotes::same_reading(l, (l_prev, l_alone_next), (l_prev, r)))
        && r.is_none_or(|r| crate::quotes::same_reading(r, (r_alone_prev, r_next), (l, r_next)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string().into(),
        }
    }

    #[test]
    fn edits_apply_in_any_order() {
        assert_eq!(
            apply_edits(
                "abcdef",
                &[edit(4..5, "E"), edit(0..0, ">"), edit(1..3, "")]
            ),
            ">adEf"
        );
    }

    fn finding(edits: Vec<Edit>) -> Finding {
        Finding {
            code: "x",
            range: 0..0,
            severity: crate::finding::Severity::Warning,
            message: "".into(),
            fix: Some(Fix {
                title: "".into(),
                edits,
            }),
        }
    }

    #[test]
    fn fix_all_skips_colliding_fixes_whole() {
        let f = [
            finding(vec![edit(0..2, "A"), edit(8..9, "B")]),
            finding(vec![edit(1..3, "C")]), // overlaps 0..2
            finding(vec![edit(3..3, "D"), edit(9..9, "E")]), // 9..9 touches the end of 8..9: fine
            finding(vec![edit(3..4, "F")]), // same start as 3..3
            finding(vec![edit(5..6, "G")]),
        ];
        let all = combine("abcdefghij", false, &f);
        let starts: Vec<usize> = all.iter().map(|e| e.range.start).collect();
        assert_eq!(starts, [0, 3, 5, 8, 9]);
    }

    #[test]
    fn fix_all_stays_fast_with_many_fixes() {
        let f: Vec<Finding> = (0..100_000)
            .map(|i| finding(vec![edit(2 * i..2 * i + 1, "x")]))
            .collect();
        let t = crate::thread_cpu_time();
        let text = "a ".repeat(100_000);
        assert_eq!(combine(&text, true, &f).len(), 100_000);
        let used = crate::thread_cpu_time() - t;
        assert!(used.as_secs_f64() < 2.0, "{used:?} of CPU");
    }

    #[test]
    fn fix_all_keeps_masking_with_fixes_taken_together() {
        // Either `<<>>` made `“”` alone leaves the tag `<a<<>` as it reads; both together make
        // `<a“”said“” >` one tag, which hides `said` (and the draft then reads as French).
        let text = "e: <a<<>>said<<>> >";
        let config = crate::config::Config::default();
        let a = crate::analyze(text, &config, true);
        let fixes: Vec<_> = a.findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        assert_eq!(fixes.len(), 2, "{a:?}");
        for fix in &fixes {
            assert!(crate::rules::typography::keeps_masking(
                text, true, &fix.edits
            ));
        }
        let all = combine(text, true, &a.findings);
        assert_eq!(apply_edits(text, &all), "e: <a“”said<<>> >");
        // In plain text nothing is masked: both are taken.
        let a = crate::analyze(text, &config, false);
        let all = combine(text, false, &a.findings);
        assert_eq!(apply_edits(text, &all), "e: <a“”said“” >");
    }

    #[test]
    fn fix_all_keeps_the_reading_of_marks_where_two_fixes_meet() {
        // `<<` made `‘` by quote-style, and punctuation-spacing's no-break space before the
        // colon right after it: together `‘ :`, a stray `‘`, and the nesting below it changes.
        let text = "«« <<:”“”>> Titre <<";
        let config = crate::config::Config::default();
        let a = crate::analyze(text, &config, false);
        let fixed = apply_edits(text, &combine(text, false, &a.findings));
        assert!(fixed.contains("‘:"), "{fixed:?}");
        let count =
            |a: &crate::Analysis, code: &str| a.findings.iter().filter(|f| f.code == code).count();
        let again = crate::analyze(&fixed, &config, false);
        assert!(
            count(&again, "quote-nesting") <= count(&a, "quote-nesting"),
            "{fixed:?}"
        );
    }

    #[test]
    fn fix_all_joins_one_line_break_per_line() {
        // Each guillemet's join alone keeps its lines; both make `>> » »>> Titre <<`, which
        // reads as an arrows teaser.
        let text = " »\n\n>>\r\n»\n»>> Titre <<";
        let config = crate::config::Config::default();
        let a = crate::analyze(text, &config, false);
        let edits = combine(text, false, &a.findings);
        assert_eq!(edits.len(), 1, "{edits:?}");
        let fixed = apply_edits(text, &edits);
        let again = crate::analyze(&fixed, &config, false);
        assert!(
            again.findings.iter().all(|f| f.code != "teaser-unlinked"),
            "{fixed:?}"
        );
    }

    fn count(a: &crate::Analysis, code: &str) -> usize {
        a.findings.iter().filter(|f| f.code == code).count()
    }

    #[test]
    fn fix_all_drops_fixes_that_together_change_how_marks_pair() {
        // Found by the property tests (fuzz/known until fix-all checked its result): the
        // no-break spaces inside `« ` and before the `»` 320 bytes on, each safe alone, together
        // make the `»` close another quotation.
        let text = format!(">> Titre <<« {}[l](https://j.fr/a) »> ««“", "é".repeat(150));
        let config = crate::config::Config::default();
        let a = crate::analyze(&text, &config, true);
        let nesting = count(&a, "quote-nesting");
        let unchecked = apply_edits(&text, &combine(&text, true, &a.findings));
        assert!(count(&crate::analyze(&unchecked, &config, true), "quote-nesting") > nesting);
        let edits = fix_all(&text, &config, &a);
        let fixed = apply_edits(&text, &edits);
        let again = crate::analyze(&fixed, &config, true);
        for f in &a.findings {
            assert!(
                count(&again, f.code) <= count(&a, f.code),
                "{f:?} {fixed:?}"
            );
        }
        for f in &again.findings {
            assert!(
                count(&again, f.code) <= count(&a, f.code),
                "{f:?} {fixed:?}"
            );
        }
        // The fixes of other paragraphs are still taken.
        let two = format!("{text}\n\nIl a dit : «oui».\n");
        let a = crate::analyze(&two, &config, true);
        let edits = fix_all(&two, &config, &a);
        assert!(
            edits.iter().any(|e| e.range.start > text.len()),
            "{edits:?}"
        );
    }

    #[test]
    fn offsets_map_back_through_edits() {
        // "abcdef": "b" → "XYZ", "d" deleted, "" → "!" inserted at 5.
        let edits = [edit(1..2, "XYZ"), edit(3..4, ""), edit(5..5, "!")];
        let back = OffsetsBack::new(&edits);
        let fixed = apply_edits("abcdef", &edits);
        assert_eq!(fixed, "aXYZce!f");
        let expected = [0, 1, 1, 1, 2, 4, 5, 5, 6];
        for (at, want) in expected.iter().enumerate() {
            assert_eq!(back.map(at), *want, "offset {at} of {fixed:?}");
        }
    }
}
