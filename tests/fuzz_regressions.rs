//! Every input that made a fuzz target fail, replayed in the normal test suite with the fuzz
//! targets' own checks (the file is shared with `fuzz/`, see docs/robustness.md).
//!
//! - `tests/fuzz-regressions/analyze/*`: raw inputs of the `analyze` target (first byte: options).
//! - the edit sessions and positions below: minimised inputs of `incremental_edits` and
//!   `positions`, written out by hand from the fuzzer's report.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod invariants;

use std::path::Path;

#[test]
fn analyze_crash_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/analyze");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("the regression folder") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let Some((&flags, rest)) = data.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let (config, markdown) = invariants::options(flags);
        // Every option byte, not only the one that failed: a fix for one mode must hold in all.
        invariants::check(&text, &config, markdown, true);
        for flags in 0..24u8 {
            let (config, markdown) = invariants::options(flags);
            invariants::check(&text, &config, markdown, true);
        }
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

/// The `config` target's checks on its seeds (`fuzz/seeds/config-*`) and on every input it
/// failed on (`tests/fuzz-regressions/config/*`).
#[test]
fn config_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["fuzz/seeds", "tests/fuzz-regressions/config"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if dir == "fuzz/seeds" && !name.starts_with("config-") {
                continue;
            }
            invariants::check_config(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n > 0, "no config inputs");
}

/// The seed that covers every key of `copydesk.toml` reads without a problem and changes every
/// setting, so the fuzzer starts from a file that reaches every branch of the reader.
#[test]
fn config_seed_covers_every_key() {
    use copydesk::Config;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/config-every-key.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let (c, problems) = copydesk::settings::from_toml(&text, &Config::default());
    assert!(problems.is_empty(), "{problems:?}");
    let d = Config::default();
    assert_ne!(c.language, d.language);
    assert_ne!(c.region, d.region);
    assert_ne!(c.nbsp, d.nbsp);
    assert_eq!(
        c.levels.len(),
        copydesk::rules::RULES.len() - 1,
        "{:?}",
        c.levels
    );
    assert!(!c.cues_fr.is_empty() && !c.cues_en.is_empty());
    assert_ne!(c.teaser_markers, d.teaser_markers);
    assert_ne!(c.ignore, d.ignore);
}

/// Minimises an `analyze` input that fails the checks (strict included), for any option byte:
/// `FUZZ_INPUT=fuzz/artifacts/analyze/crash-… cargo test --test fuzz_regressions -- --ignored
/// minimise --nocapture` prints the smallest failing text and writes it to `$FUZZ_INPUT.min`.
/// Faster than `cargo fuzz tmin` for strict findings, and it tries every option byte.
#[test]
#[ignore]
fn minimise_analyze_input() {
    let Ok(input) = std::env::var("FUZZ_INPUT") else {
        return;
    };
    let data = std::fs::read(&input).expect("FUZZ_INPUT");
    let fails = |flags: u8, text: &str| {
        let (config, markdown) = invariants::options(flags);
        std::panic::catch_unwind(|| invariants::check(text, &config, markdown, true)).is_err()
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let text = String::from_utf8_lossy(&data[1..]).into_owned();
    let flags = std::iter::once(data[0])
        .chain(0..24)
        .find(|&f| fails(f, &text))
        .expect("the input passes the checks");
    // Delete ever smaller runs of characters while the input still fails.
    let mut chars: Vec<char> = text.chars().collect();
    let mut chunk = chars.len().div_ceil(2).max(1);
    loop {
        let mut i = 0;
        let mut progress = false;
        while i < chars.len() {
            let mut shorter = chars.clone();
            shorter.drain(i..(i + chunk).min(chars.len()));
            if fails(flags, &shorter.iter().collect::<String>()) {
                chars = shorter;
                progress = true;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 && !progress {
            break;
        }
        if !progress {
            chunk /= 2;
        }
    }
    std::panic::set_hook(hook);
    let text: String = chars.iter().collect();
    eprintln!("option byte {flags:#04x}, text {text:?}");
    let mut out = vec![flags];
    out.extend_from_slice(text.as_bytes());
    std::fs::write(format!("{input}.min"), out).unwrap();
}

/// `incremental_edits` sessions that failed, minimised by `cargo fuzz tmin` and written out
/// from `cargo fuzz fmt`.
#[test]
fn incremental_edits_sessions() {
    use invariants::Change;
    let sessions: Vec<(u8, &str, Vec<Change>)> = vec![
        (
            // Markdown with code fences (analysed whole): a would-be chunk read alone saw a
            // quotation its merged chunk did not, which tripped a debug assertion meant for kept
            // chunks only.
            45,
            "--\ntitle: `---\ntitle: \"x\"\n\"x\"\n---\n# Titre\n\nTapez `ien](tps://j.fr/\u{1}\0\0\u{0}1 \"t\") : voilà !\n\n```\n« : \"x\"\n-re\n\nT iJ, ou ``a ` b et [lien](oilà !\n\n```\n« code »\n```\n\n> « Cité » en bloc.\n\n<",
            vec![Change {
                full: false,
                start: (47, 47),
                end: (106, 46),
                text: "fr/p\n][p]\n\n[\n\n```\n« code e * :".to_string(),
            }],
        ),
        (
            // A Markdown code span ran over a blank line written with lone CRs, where the
            // incremental engine cut the draft: masking saw line feeds only.
            45,
            "--\ntcolon afte speit `«mt oici%À lire z\r\ratnbsp;:e (`L",
            vec![],
        ),
        (
            // A Markdown code span ran over a form-feed line, which ends a paragraph and
            // where the engine cut the draft: masking took only spaces and tabs for blank.
            35,
            "copydesnalik\u{c}\nde\".pn at di`logpdfdf\nd 1\n\u{c}\nde\"n`",
            vec![],
        ),
        (
            // A teaser alone on its line (`À lire aussi :`) takes its title from beyond a
            // blank line: the chunk grows over the would-be cut, and must be read as it grew.
            72,
            "e said “yes, ‘ma| a | b |\n|---|:-:|\nquer aux autres vecteurs de piraterie en se concentrant sur ce",
            vec![Change {
                full: false,
                start: (32, 113),
                end: (117, 105),
                text: " die: <a href=\"/x\">X</a>ponse rvendredi. Pour toute réclaes cyclabre démissionne <<\nÀ lire aussi :\n\nLe".to_string(),
            }],
        ),
    ];
    for (flags, initial, changes) in sessions {
        invariants::check_edits(initial, &changes, flags);
    }
}
