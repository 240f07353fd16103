//! Sentence boundaries within a paragraph.
//!
//! A sentence ends at `.`, `!`, `?` or `…` followed by a space and a capital (or a quotation
//! mark, or the end of the paragraph). Abbreviations (`M.`, `Mme`, `Dr.`, `Mr.`, `p.`) and
//! initials do not end a sentence, and neither does punctuation inside an open quotation: the
//! words around a quotation belong to the same sentence as the quotation itself.

use std::ops::Range;

/// Abbreviations that end with a period without ending the sentence (lower-cased, no period).
const ABBREVIATIONS: &[&str] = &[
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "cf", "etc",
    "p", "pp", "env", "av", "apr", "j.-c", "n°", "no", "vol", "chap", "éd", "ed", "coll", "art",
    "al", "ndlr", "réf", "tél", "mr", "mrs", "ms", "prof", "gen", "gov", "sen", "rep", "rev",
    "sgt", "capt", "lt", "col", "jr", "sr", "inc", "corp", "ltd", "co", "vs", "e.g", "i.e", "no",
    "jan", "feb", "aug", "sept", "oct", "nov", "dec", "u.s", "u.k", "st-", "ste-",
];

fn is_opening_quote(c: char) -> bool {
    matches!(c, '«' | '“' | '‘' | '"')
}

/// Sentences of `text[para]`, as byte ranges in `text` (trimmed of surrounding whitespace).
pub fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[para.clone()];
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut depth: i32 = 0;
    let mut straight_open = false;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        match c {
            '«' | '“' => depth += 1,
            '»' | '”' | '"' => {
                let closing = c != '"' || straight_open;
                if c == '"' {
                    straight_open = !straight_open;
                }
                if !closing {
                    depth += 1;
                    k += 1;
                    continue;
                }
                depth = (depth - 1).max(0);
                // `« C'est fini. » Il part.`: a quotation ending its own sentence ends the
                // sentence when the next word starts a new one.
                let end = i + c.len_utf8();
                let before = s[..i].trim_end().chars().next_back();
                let next = s[end..].trim_start().chars().next();
                if depth == 0
                    && before.is_some_and(|b| matches!(b, '.' | '!' | '?' | '…'))
                    && next.is_some_and(|n| n.is_uppercase() || is_opening_quote(n))
                {
                    push_trimmed(&mut out, para.start, s, start..end);
                    start = end;
                }
            }
            '.' | '!' | '?' | '…' if depth == 0 => {
                // Take the whole run of closing punctuation.
                let mut j = k + 1;
                while j < chars.len()
                    && matches!(
                        chars[j].1,
                        '.' | '!' | '?' | '…' | ')' | '»' | '”' | '"' | '’'
                    )
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
                let next = chars[j..]
                    .iter()
                    .find(|&&(_, n)| !n.is_whitespace())
                    .map(|&(_, n)| n);
                let spaced = j == chars.len() || chars[j].1.is_whitespace();
                let capital_next = next.is_none_or(|n| {
                    n.is_uppercase()
                        || n.is_numeric()
                        || is_opening_quote(n)
                        || n == '-'
                        || n == '—'
                        || n == '>'
                });
                if spaced && capital_next && !(c == '.' && is_abbreviation(&s[..i])) {
                    push_trimmed(&mut out, para.start, s, start..end);
                    start = end;
                }
                k = j;
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    push_trimmed(&mut out, para.start, s, start..s.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, base: usize, s: &str, r: Range<usize>) {
    let piece = &s[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if piece.trim().is_empty() {
        return;
    }
    out.push(base + r.start + lead..base + r.end - trail);
}

/// Whether the word just before a period is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '°'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.is_empty() {
        return false;
    }
    // A single capital letter is an initial (J. Dupont).
    let mut cs = word.chars();
    if let (Some(first), None) = (cs.next(), cs.next()) {
        return first.is_uppercase();
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentences(s, 0..s.len())
            .into_iter()
            .map(|r| &s[r])
            .collect()
    }

    #[test]
    fn french_abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("M. Dupont est arrivé. Mme Durand et le Dr. Petit aussi. Fin."),
            [
                "M. Dupont est arrivé.",
                "Mme Durand et le Dr. Petit aussi.",
                "Fin."
            ]
        );
    }

    #[test]
    fn quotations_stay_in_their_sentence() {
        assert_eq!(
            split("« C'est fini. Nous partons ! », a-t-il lancé. Puis il est sorti."),
            [
                "« C'est fini. Nous partons ! », a-t-il lancé.",
                "Puis il est sorti."
            ]
        );
    }

    #[test]
    fn question_and_initials() {
        assert_eq!(
            split("Qui ? J. Martin. Lui."),
            ["Qui ?", "J. Martin.", "Lui."]
        );
    }

    #[test]
    fn english() {
        assert_eq!(
            split("Mr. Smith left. \"It's over.\" He said so."),
            ["Mr. Smith left.", "\"It's over.\"", "He said so."]
        );
    }
}
