//! Who said it, end to end: the seed draft of SPEC §6 and small drafts of our own, through the
//! analysis and through the language server (hovers on quotations, the sources outline).

mod common;

use common::{Client, seed_article};
use copydesk::attribution::Speakers;
use copydesk::attribution::{Class, sources};
use copydesk::{Config, LangSetting, analyze, analyze_with};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/article.txt";

fn french() -> Config {
    Config {
        language: LangSetting::Fr,
        ..Config::default()
    }
}

/// 0-based line and UTF-16 column of byte `at` (the drafts here are in the BMP).
fn position(text: &str, at: usize) -> Value {
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": col})
}

#[test]
fn seed_quotations_are_all_credited_to_manuel_valls() {
    let Some(seed) = seed_article() else { return };
    let a = analyze_with(&seed, &french(), false, Speakers::Resolved);
    assert!(
        a.findings.iter().all(|f| f.code != "quote-unattributed"),
        "{:?}",
        a.findings
    );
    let speech: Vec<_> = a
        .quotes
        .quotations
        .iter()
        .zip(&a.attributions)
        .filter(|(q, at)| q.depth == 0 && at.class == Class::Speech)
        .collect();
    assert_eq!(speech.len(), 6);
    for (q, at) in &speech {
        let line = seed[..q.open.start].matches('\n').count() + 1;
        let speaker = at.speaker.as_ref().map(|s| &*s.name);
        if line == 3 || line == 6 {
            assert_eq!(speaker, Some("Manuel Valls"), "line {line}: {at:?}");
        }
        assert!(speaker.is_some(), "line {line}: {at:?}");
    }
    let outline = sources(&a.quotes, &a.paragraphs, &a.attributions);
    let total: usize = outline.iter().map(|s| s.quotations.len()).sum();
    assert_eq!(total, 6, "{outline:?}");
    assert!(outline.iter().all(|s| s.speaker.is_some()), "{outline:?}");
}

#[tokio::test]
async fn seed_hovers_and_outline_over_lsp() {
    let Some(seed) = seed_article() else { return };
    let mut c = Client::in_process();
    c.initialize_with(json!({"general": {"positionEncodings": ["utf-16"]}}))
        .await;
    c.open(URI, "plaintext", &seed).await;
    let a = analyze_with(&seed, &french(), false, Speakers::Resolved);
    for line in [3, 6] {
        let q = a
            .quotes
            .quotations
            .iter()
            .find(|q| seed[..q.open.start].matches('\n').count() + 1 == line)
            .expect("a quotation on the line");
        // Hover inside the quotation, a few characters after its opening mark.
        let at = q.open.end + 4;
        let r = c
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": position(&seed, at)}),
            )
            .await;
        let value = r["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(value.contains("Manuel Valls"), "line {line}: {r}");
    }
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let groups = r["result"].as_array().expect("symbols");
    let quotations: usize = groups
        .iter()
        .map(|g| g["children"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(quotations, 6, "{r}");
    assert!(groups.iter().any(|g| g["name"] == "Manuel Valls"), "{r}");
}

#[tokio::test]
async fn outline_groups_by_speaker_and_hovers_explain() {
    let text = "La maire, Jeanne Roux, a défendu le projet. « Nous tiendrons les délais », a-t-elle assuré.\n\n\
                « C'est un gâchis », tranche Paul Marchand, élu d'opposition. Le film « Les Vents » sort mardi.\n\n\
                « Personne ne nous a prévenus. »";
    let mut c = Client::in_process();
    c.initialize(&["utf-16"]).await;
    c.open(URI, "plaintext", text).await;
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let names: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Jeanne Roux", "Paul Marchand", "Sans attribution"],
        "{r}"
    );
    let hover = |needle: &str| {
        let at = text.find(needle).unwrap();
        json!({"textDocument": {"uri": URI}, "position": position(text, at)})
    };
    let r = c.request("textDocument/hover", hover("Les Vents")).await;
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.contains("Titre ou nom"), "{v}");
    let r = c.request("textDocument/hover", hover("Personne ne")).await;
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.contains("Citation sans attribution"), "{v}");
    let r = c
        .request("textDocument/hover", hover("Nous tiendrons"))
        .await;
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("Jeanne Roux") && v.contains("a-t-elle assuré"),
        "{v}"
    );
}

/// Random drafts built from the pieces attribution reads (marks, names, cues, pronouns,
/// punctuation, blank lines) never make it panic, in either language.
#[test]
fn random_drafts_never_panic() {
    const PIECES: &[&str] = &[
        "« ",
        " »",
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "<<",
        ">>",
        ", ",
        ". ",
        " : ",
        " ; ",
        " ? ",
        " ! ",
        "…",
        " — ",
        "\n",
        "\n\n",
        "a-t-il déclaré",
        "a-t-elle",
        "dit-il",
        "selon",
        "d'après",
        "Et d'ajouter",
        "Manuel Valls",
        "Mme Dupont",
        "M.",
        "Dr.",
        "le ministre",
        "la maire",
        "il",
        "elle",
        "ils",
        "on",
        "nous",
        "je",
        "said",
        "says",
        "told",
        "according to",
        "he",
        "she",
        "they",
        "Smith",
        "the mayor",
        "so-called",
        "le film",
        "surnommé",
        "qui",
        "who",
        "s'est félicité",
        "a été décrit",
        "peut-on lire",
        "de source policière",
        "l'",
        "d'",
        "Jean-Luc",
        "é",
        "😀",
        "\u{a0}",
        "\u{202f}",
        "x",
        "1",
        "2 000",
        "(",
        ")",
        "*",
        "#",
        "-",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..1500 {
        let n = (next() % 60) as usize;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            if next() % 3 == 0 {
                text.push(' ');
            }
        }
        for (lang, markdown) in [(LangSetting::Fr, false), (LangSetting::En, round % 2 == 0)] {
            let config = Config {
                language: lang,
                ..Config::default()
            };
            let a = analyze_with(&text, &config, markdown, Speakers::Resolved);
            assert_eq!(a.attributions.len(), a.quotes.quotations.len(), "{text:?}");
            let _ = sources(&a.quotes, &a.paragraphs, &a.attributions);
            // Resolving speakers never changes what is flagged.
            assert_eq!(
                a.findings,
                analyze(&text, &config, markdown).findings,
                "{text:?}"
            );
        }
    }
}
