//! The language server in-process, over a pipe, speaking real JSON-RPC.

mod common;

use common::{Client, codes_and_lines, seed_article, seed_expectation};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/brouillon.txt";

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

#[tokio::test]
async fn negotiates_position_encoding() {
    for (offered, chosen) in [
        (vec!["utf-16", "utf-8"], "utf-8"),
        (vec!["utf-32", "utf-16"], "utf-32"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let mut c = Client::in_process();
        let r = c.initialize(&offered).await;
        let caps = &r["result"]["capabilities"];
        assert_eq!(caps["positionEncoding"], chosen, "offered {offered:?}");
        assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
        assert_eq!(r["result"]["serverInfo"]["name"], "copydesk");
    }
}

/// The guillemet after an emoji, in each encoding: 😀 is 4 UTF-8 bytes, 2 UTF-16 units, 1 char.
#[tokio::test]
async fn positions_beyond_the_basic_plane_in_every_encoding() {
    for (enc, col, width) in [("utf-8", 5u64, 2u64), ("utf-16", 3, 1), ("utf-32", 2, 1)] {
        let mut c = Client::in_process();
        c.initialize(&[enc]).await;
        c.open(URI, "plaintext", "😀 «mot» reste.").await;
        let d = c.diagnostics(URI, 1).await;
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0]["range"]["start"], pos(0, col), "{enc}");
        assert_eq!(d[0]["range"]["end"], pos(0, col + width), "{enc}");
    }
}

#[tokio::test]
async fn diagnostics_carry_code_source_and_version() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    c.open(URI, "plaintext", "Le maire a dit « non » hier.")
        .await;
    let d = c.diagnostics(URI, 1).await;
    assert_eq!(d.len(), 2);
    for diag in &d {
        assert_eq!(diag["code"], "guillemet-spacing");
        assert_eq!(diag["source"], "copydesk");
        assert_eq!(diag["severity"], 2);
        assert!(diag["message"].as_str().unwrap().contains("espace"));
    }
}

#[tokio::test]
async fn incremental_changes_update_diagnostics() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    c.open(
        URI,
        "plaintext",
        "Le maire a dit « non » hier.\r\nLa suite.",
    )
    .await;
    assert_eq!(c.diagnostics(URI, 1).await.len(), 2);
    // Replace the ordinary space after « with a no-break space.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": pos(0, 16), "end": pos(0, 17)}, "text": "\u{a0}"}
        ]}),
    )
    .await;
    let d = c.diagnostics(URI, 2).await;
    assert_eq!(d.len(), 1, "{d:?}");
    // Type a question on the second line (after a CRLF).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [
            {"range": {"start": pos(1, 9), "end": pos(1, 9)}, "text": " Pourquoi ?"}
        ]}),
    )
    .await;
    let d = c.diagnostics(URI, 3).await;
    assert_eq!(
        codes_and_lines(&d),
        [
            ("guillemet-spacing".to_string(), 1),
            ("punctuation-spacing".to_string(), 2)
        ]
    );
    // A full-text change replaces everything.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": "Rien."}]}),
    )
    .await;
    assert!(c.diagnostics(URI, 4).await.is_empty());
}

#[tokio::test]
async fn combining_accents_and_no_break_spaces() {
    let mut c = Client::in_process();
    c.initialize(&["utf-16"]).await;
    // e + U+0301 is two UTF-16 units; U+00A0 and U+202F are correct spaces.
    c.open(
        URI,
        "plaintext",
        "Caf\u{65}\u{301} «\u{a0}bon\u{202f}» et «mal\u{a0}».",
    )
    .await;
    let d = c.diagnostics(URI, 1).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], pos(0, 17));
}

#[tokio::test]
async fn hover_explains_in_the_documents_language() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    c.open(URI, "plaintext", "Le maire a dit « non » hier.")
        .await;
    c.diagnostics(URI, 1).await;
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(0, 15)}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("guillemet-spacing"), "{value}");
    assert!(value.contains("espace insécable"), "{value}");
    assert!(value.contains("Correction"), "{value}");
    // Nothing to say elsewhere.
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(0, 3)}),
        )
        .await;
    assert!(r["result"].is_null(), "{r}");

    let en = "file:///tmp/draft.txt";
    c.open(
        en,
        "plaintext",
        "The mayor said «no» on Tuesday, the council said.",
    )
    .await;
    c.diagnostics(en, 1).await;
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": en}, "position": pos(0, 16)}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("quote-style") && value.contains("English"),
        "{value}"
    );
}

#[tokio::test]
async fn hover_on_a_teaser_says_whether_it_is_linked() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    let md = "file:///tmp/a.md";
    c.open(
        md,
        "markdown",
        "Le texte.\n\nÀ lire aussi : [Le port](https://j.example/port)\n",
    )
    .await;
    c.diagnostics(md, 1).await;
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": md}, "position": pos(2, 3)}),
        )
        .await;
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("https://j.example/port"),
        "{r}"
    );
}

fn apply(text: &str, edits: &[Value]) -> String {
    // Edits from the server use UTF-16 positions here; the test text is BMP-only per line.
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let col = p["character"].as_u64().unwrap() as usize;
        let start: usize = lines[..line].iter().map(|l| l.len() + 1).sum();
        start
            + lines[line]
                .char_indices()
                .nth(col)
                .map_or(lines[line].len(), |(i, _)| i)
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[tokio::test]
async fn quick_fixes_and_fix_all() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    let text = "Il a dit « non » puis \"jamais\" : voilà.";
    c.open(URI, "plaintext", text).await;
    let d = c.diagnostics(URI, 1).await;
    assert_eq!(d.len(), 4, "{d:?}");
    // The quick fix at the first guillemet.
    let r = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 9), "end": pos(0, 9)}, "context": {"diagnostics": []}}))
        .await;
    let actions = r["result"].as_array().unwrap();
    let quick: Vec<&Value> = actions
        .iter()
        .filter(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .collect();
    assert_eq!(quick.len(), 1, "{actions:?}");
    let disable: Vec<&Value> = actions
        .iter()
        .filter(|a| a["title"] == "Désactiver guillemet-spacing pour cette ligne")
        .collect();
    assert_eq!(disable.len(), 1, "{actions:?}");
    let edits = disable[0]["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(
        apply(text, edits),
        format!("<!-- copydesk-disable-next-line guillemet-spacing -->\n{text}")
    );
    assert_eq!(quick[0]["diagnostics"][0]["code"], "guillemet-spacing");
    let edits = quick[0]["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(
        apply(text, edits),
        "Il a dit «\u{a0}non » puis \"jamais\" : voilà."
    );
    // Fix-all, asked for by kind.
    let r = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 0), "end": pos(0, 0)}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}))
        .await;
    let actions = r["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.copydesk");
    let edits = actions[0]["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(
        apply(text, edits),
        "Il a dit «\u{a0}non\u{a0}» puis «\u{a0}jamais\u{a0}»\u{a0}: voilà."
    );
}

#[tokio::test]
async fn fix_all_is_resolved_when_the_client_can() {
    let mut c = Client::in_process();
    c.initialize_with(json!({"textDocument": {"codeAction": {
        "dataSupport": true,
        "resolveSupport": {"properties": ["edit"]},
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}}
    }}}))
    .await;
    let text = "Il a dit « non » puis \"jamais\" : voilà.";
    c.open(URI, "plaintext", text).await;
    c.diagnostics(URI, 1).await;
    let ask = |only: Option<&str>| {
        let mut context = json!({"diagnostics": []});
        if let Some(k) = only {
            context["only"] = json!([k]);
        }
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 0), "end": pos(0, 0)}, "context": context})
    };
    // Among all actions (the light bulb), fix-all comes without its edit.
    let r = c.request("textDocument/codeAction", ask(None)).await;
    let lazy = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "source.fixAll.copydesk")
        .cloned()
        .expect("fix-all offered");
    assert!(lazy.get("edit").is_none(), "{lazy}");
    let r = c.request("codeAction/resolve", lazy.clone()).await;
    let edits = r["result"]["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(
        apply(text, edits),
        "Il a dit «\u{a0}non\u{a0}» puis «\u{a0}jamais\u{a0}»\u{a0}: voilà."
    );
    assert!(r["result"].get("data").is_none(), "{r}");
    // Asked for by kind (fix on save), it comes whole.
    let r = c
        .request("textDocument/codeAction", ask(Some("source.fixAll")))
        .await;
    assert!(r["result"][0]["edit"]["changes"][URI].is_array(), "{r}");
    // A quick fix comes whole, and resolving it returns it as it is.
    let r = c
        .request("textDocument/codeAction", ask(Some("quickfix")))
        .await;
    let quick = r["result"][0].clone();
    let r = c.request("codeAction/resolve", quick.clone()).await;
    assert_eq!(r["result"], quick);
    // Edited since: the action is stale.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Il a dit « oui »."}]})).await;
    let r = c.request("codeAction/resolve", lazy.clone()).await;
    assert_eq!(r["error"]["code"], -32801, "{r}");
    // Data copydesk did not write is refused, and the server keeps serving.
    let mut forged = lazy.clone();
    forged["data"] = json!({"version": "two"});
    let r = c.request("codeAction/resolve", forged).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.request("textDocument/codeAction", ask(None)).await;
    assert!(r["result"].is_array(), "{r}");
}

#[tokio::test]
async fn close_clears_diagnostics_and_unopened_documents_get_errors() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    c.open(URI, "plaintext", "«mot»").await;
    assert_eq!(c.diagnostics(URI, 1).await.len(), 2);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let msg = c
        .notification(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI
        })
        .await;
    assert_eq!(msg["params"]["diagnostics"], json!([]));
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(0, 0)}),
        )
        .await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    // The server still serves.
    c.open(URI, "plaintext", "« mot »").await;
    assert_eq!(c.diagnostics(URI, 1).await.len(), 2);
}

#[tokio::test]
async fn seed_article_over_lsp() {
    let Some(seed) = seed_article() else { return };
    let mut c = Client::in_process();
    c.initialize(&["utf-16"]).await;
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}))
        .await;
    let uri = "file:///tmp/seed-article.txt";
    c.open(uri, "plaintext", &seed).await;
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(codes_and_lines(&d), seed_expectation());
}

#[tokio::test]
async fn a_burst_of_edits_publishes_the_final_version_last() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    c.open(URI, "plaintext", "").await;
    for v in 2..=200 {
        let text = if v % 2 == 0 { "«" } else { "a" };
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": text}]})).await;
    }
    let n = final_diagnostics(&mut c, 0, 200).await;
    let text: String = (2..=200)
        .rev()
        .map(|v| if v % 2 == 0 { '«' } else { 'a' })
        .collect();
    let config = copydesk::Config {
        language: copydesk::LangSetting::Fr,
        ..Default::default()
    };
    assert_eq!(
        n,
        copydesk::analyze(&text, &config, false).findings.len(),
        "diagnostics of the final version"
    );
}

/// Reads publications until version `last`, checking that versions only go up after `seen`;
/// the number of diagnostics of the last one.
async fn final_diagnostics(c: &mut Client, mut seen: i64, last: i64) -> usize {
    loop {
        let m = c
            .notification(|m| m["method"] == "textDocument/publishDiagnostics")
            .await;
        let v = m["params"]["version"].as_i64().unwrap();
        assert!(v > seen, "version {v} published after {seen}");
        seen = v;
        if v == last {
            return m["params"]["diagnostics"].as_array().unwrap().len();
        }
    }
}

/// A burst of edits at both ends of a long draft (analysed in chunks, on several threads, once
/// the burst has settled): versions only go up, and the last one's diagnostics are a full
/// analysis's.
#[tokio::test]
async fn a_burst_of_edits_across_a_long_draft_publishes_the_final_version_last() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    let para = "Le maire a dit « non » hier soir, selon la mairie : « Rien n'est joué ».\n\n";
    let mut text = para.repeat(300_000 / para.len());
    let lines = text.lines().count() as u64;
    c.open(URI, "plaintext", &text).await;
    c.diagnostics(URI, 1).await;
    for v in 2..=60 {
        // At the start, then on the last line: every edit widens the changed region.
        let (at, insert) = if v % 2 == 0 {
            (0, "«")
        } else {
            (lines - 1, "x ")
        };
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"range": {"start": pos(at, 0), "end": pos(at, 0)}, "text": insert}]})).await;
        if v % 2 == 0 {
            text.insert_str(0, insert);
        } else {
            let (nl, _) = text.match_indices('\n').nth(lines as usize - 2).unwrap();
            text.insert_str(nl + 1, insert);
        }
    }
    let n = final_diagnostics(&mut c, 1, 60).await;
    let expected = copydesk::analyze(&text, &copydesk::Config::default(), false);
    assert_eq!(
        n,
        expected.findings.len(),
        "diagnostics of the final version"
    );
}

/// A draft long enough to be analysed in chunks: hovers and the outline resolve speakers on
/// the whole draft, their quotations in step with the chunks' diagnostics.
#[tokio::test]
async fn hover_resolves_speakers_in_a_draft_analysed_in_chunks() {
    let mut c = Client::in_process();
    c.initialize(&[]).await;
    // About 270 KB of narration without quotations, cut into chunks of its own (and long
    // enough for hovers to be answered from the analysis thread), then a quotation whose
    // pronoun stands for the person named two paragraphs before.
    let mut text = String::new();
    while text.len() < 270_000 {
        text.push_str("Les bateaux sont restés à quai toute la semaine à cause du vent.\n\n");
    }
    text.push_str("La préfète, Hélène Marchetti, est arrivée lundi à Valbrune.\n\n");
    text.push_str("Elle a visité le port.\n\n");
    text.push_str("« Nous rouvrirons le port vendredi », a-t-elle annoncé.\n");
    let line = text.lines().count() as u64 - 1;
    c.open(URI, "plaintext", &text).await;
    let d = c.diagnostics(URI, 1).await;
    assert!(d.iter().all(|d| d["code"] != "quote-unattributed"), "{d:?}");
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(line, 5)}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Hélène Marchetti"), "{value}");
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["result"][0]["name"], "Hélène Marchetti", "{r}");
}
