//! Applying fixes: one at a time (a quick fix) or all the safe ones at once (fix-all).

use crate::finding::{Edit, Finding, Fix};

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

/// Every safe fix of `findings` whose edits do not collide with an earlier one, as one edit
/// list sorted by position. Fixes are taken whole or not at all, so a pair of quotation marks is
/// never half replaced.
pub fn fix_all(findings: &[Finding]) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    let mut fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min());
    for fix in fixes {
        let collides = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                (t.range.start < e.range.end && e.range.start < t.range.end)
                    || (t.range.start == e.range.start)
            })
        });
        if !collides {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string(),
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
}
