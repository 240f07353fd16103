//! House style: reading `copydesk.toml` and the editor's `copydesk` settings into a `Config`.
//!
//! Both sources share one set of keys. Reading never fails: a bad value is reported as a
//! `Problem` (with its line in the file) and the setting keeps its previous value, so a typo in
//! the style book never switches copydesk off. Precedence: defaults, then the file, then the
//! editor's settings.

use crate::config::{Config, Level, NBSP, NNBSP, Region};
use crate::finding::Severity;
use crate::language::LangSetting;
use crate::rules::RULES;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "copydesk.toml";

/// Keys at the top level of the file (and of the editor's `copydesk` section).
const TOP_KEYS: &[&str] = &[
    "language", "region", "nbsp", "rules", "cues", "teasers", "files",
];
/// Editor-only settings that belong to the editor extension, not to the analysis.
const EDITOR_KEYS: &[&str] = &["path", "trace", "server", "enable"];

/// Something wrong in a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file; `None` for editor settings.
    pub line: Option<usize>,
    /// The key, dotted (`rules.quote-style`); empty for a syntax error.
    pub key: String,
    pub message: String,
    /// Errors keep the previous value of a setting; warnings (unknown keys) change nothing.
    pub is_error: bool,
    /// Byte range in the file, for diagnostics on the file itself.
    pub span: Option<std::ops::Range<usize>>,
}

impl Problem {
    /// `copydesk.toml:LINE: message`, as the command line prints it.
    pub fn display(&self, path: &str) -> String {
        match self.line {
            Some(line) => format!("{path}:{line}: {}", self.message),
            None => format!("{path}: {}", self.message),
        }
    }
}

/// Reads `copydesk.toml` text over `base`.
pub fn from_toml(text: &str, base: &Config) -> (Config, Vec<Problem>) {
    let table = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span();
            let line = span.as_ref().map(|s| line_of(text, s.start));
            let message = format!(
                "not valid TOML: {}; the defaults stay in force",
                e.message().trim()
            );
            return (
                base.clone(),
                vec![Problem {
                    line,
                    key: String::new(),
                    message,
                    is_error: true,
                    span,
                }],
            );
        }
    };
    let mut spans = Vec::new();
    let value = to_json(table.get_ref(), "", &mut spans);
    let mut reader = Reader {
        problems: Vec::new(),
        spans: &spans,
        text: Some(text),
    };
    let config = reader.read(&value, base.clone());
    let mut problems = reader.problems;
    // Keys come back sorted by name; report them in the file's order.
    problems.sort_by_key(|p| p.span.as_ref().map(|s| s.start));
    (config, problems)
}

/// Reads the editor's `copydesk` settings (a JSON object) over `base`.
pub fn from_editor(value: &Value, base: &Config) -> (Config, Vec<Problem>) {
    if value.is_null() {
        return (base.clone(), Vec::new());
    }
    let mut reader = Reader {
        problems: Vec::new(),
        spans: &[],
        text: None,
    };
    let config = reader.read(value, base.clone());
    (config, reader.problems)
}

/// The nearest `copydesk.toml` in `dir` or its parents.
pub fn find_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// Converts a parsed TOML table to JSON, remembering the span of each dotted key.
fn to_json(
    table: &toml::de::DeTable,
    prefix: &str,
    spans: &mut Vec<(String, std::ops::Range<usize>)>,
) -> Value {
    let mut map = serde_json::Map::new();
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        spans.push((key.clone(), k.span()));
        let value = match v.get_ref() {
            toml::de::DeValue::Table(t) => to_json(t, &key, spans),
            other => scalar(other),
        };
        map.insert(k.get_ref().to_string(), value);
    }
    Value::Object(map)
}

fn scalar(v: &toml::de::DeValue) -> Value {
    use toml::de::DeValue;
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => Value::String(i.as_str().to_string()),
        DeValue::Float(f) => Value::String(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| scalar(x.get_ref())).collect()),
        DeValue::Table(t) => to_json(t, "", &mut Vec::new()),
    }
}

struct Reader<'a> {
    problems: Vec<Problem>,
    spans: &'a [(String, std::ops::Range<usize>)],
    text: Option<&'a str>,
}

impl Reader<'_> {
    fn problem(&mut self, key: &str, message: String, is_error: bool) {
        let span = self
            .spans
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s.clone());
        let line = match (self.text, &span) {
            (Some(text), Some(s)) => Some(line_of(text, s.start)),
            _ => None,
        };
        self.problems.push(Problem {
            line,
            key: key.to_string(),
            message,
            is_error,
            span,
        });
    }

    fn unknown(&mut self, key: &str, valid: &[&str]) {
        let name = key.rsplit('.').next().unwrap_or(key);
        let closest = valid
            .iter()
            .map(|v| (strsim::jaro_winkler(name, v), *v))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match closest {
            Some((_, v)) => format!("; did you mean `{v}`?"),
            None => format!("; valid keys here: {}", valid.join(", ")),
        };
        self.problem(key, format!("unknown key `{key}`{hint}"), false);
    }

    fn read(&mut self, value: &Value, mut config: Config) -> Config {
        let Some(map) = value.as_object() else {
            self.problem(
                "",
                "the copydesk settings must be a table of keys".to_string(),
                true,
            );
            return config;
        };
        let rule_codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        for (key, v) in map {
            match key.as_str() {
                "language" => match v.as_str().and_then(LangSetting::parse) {
                    Some(lang) => config.language = lang,
                    None if v.is_null() || v == "" => {}
                    None => self.problem(key, format!("`language` must be \"fr\", \"en\" or \"auto\", not {v}"), true),
                },
                "region" => match v.as_str().and_then(Region::parse) {
                    Some(region) => config.region = region,
                    None if v.is_null() || v == "" => {}
                    None => self.problem(key, format!("`region` must be \"fr-FR\", \"fr-CA\" or \"fr-CH\", not {v}"), true),
                },
                "nbsp" => match v.as_str().and_then(parse_space) {
                    Some(c) => config.nbsp = Some(c),
                    None if v.is_null() || v == "" => {}
                    None => self.problem(key, format!("`nbsp` must be \"U+00A0\" (no-break space) or \"U+202F\" (narrow no-break space), not {v}"), true),
                },
                "rules" => match v.as_object() {
                    Some(rules) => {
                        for (code, level) in rules {
                            self.rule(&format!("rules.{code}"), code, level, &rule_codes, &mut config);
                        }
                    }
                    None => self.problem(key, "`rules` must be a table: [rules] followed by `rule-code = \"off\"` lines".to_string(), true),
                },
                "cues" => self.cues(v, &mut config),
                "teasers" => self.teasers(v, &mut config),
                "files" => self.files(v, &mut config),
                code if rule_codes.contains(&code) => self.rule(code, code, v, &rule_codes, &mut config),
                k if EDITOR_KEYS.contains(&k) => {}
                _ => {
                    let mut valid: Vec<&str> = TOP_KEYS.to_vec();
                    valid.extend(&rule_codes);
                    self.unknown(key, &valid);
                }
            }
        }
        config
    }

    fn rule(&mut self, key: &str, code: &str, v: &Value, codes: &[&str], config: &mut Config) {
        if !codes.contains(&code) {
            self.unknown(key, codes);
            return;
        }
        let level = match v {
            Value::Bool(false) => Some(Level::Off),
            Value::Bool(true) => {
                config.levels.remove(code);
                None
            }
            Value::String(s) if s == "off" => Some(Level::Off),
            Value::String(s) => match Severity::parse(s) {
                Some(sev) => Some(Level::On(sev)),
                None => {
                    self.problem(key, format!("`{key}` must be \"error\", \"warning\", \"info\", \"hint\" or \"off\", not {v}"), true);
                    return;
                }
            },
            Value::Null => None,
            _ => {
                self.problem(key, format!("`{key}` must be \"error\", \"warning\", \"info\", \"hint\" or \"off\", not {v}"), true);
                return;
            }
        };
        if let Some(level) = level {
            config.levels.insert(code.to_string(), level);
        }
    }

    fn strings(&mut self, key: &str, v: &Value) -> Option<Vec<String>> {
        let list = v.as_array().and_then(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        if list.is_none() && !v.is_null() {
            self.problem(
                key,
                format!("`{key}` must be a list of strings, like [\"a\", \"b\"]"),
                true,
            );
        }
        list
    }

    /// The string lists of a small table such as `[cues]`, by key; other keys are reported.
    fn lists(&mut self, table: &str, v: &Value, keys: &[&str]) -> Vec<(String, Vec<String>)> {
        let Some(map) = v.as_object() else {
            let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            let message = format!(
                "`{table}` must be a table with the lists {}",
                names.join(", ")
            );
            self.problem(table, message, true);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, list) in map {
            let key = format!("{table}.{k}");
            if !keys.contains(&k.as_str()) {
                self.unknown(&key, keys);
            } else if let Some(l) = self.strings(&key, list) {
                out.push((k.clone(), l));
            }
        }
        out
    }

    fn cues(&mut self, v: &Value, config: &mut Config) {
        for (k, list) in self.lists("cues", v, &["fr", "en"]) {
            if k == "fr" {
                config.cues_fr = list;
            } else {
                config.cues_en = list;
            }
        }
    }

    fn teasers(&mut self, v: &Value, config: &mut Config) {
        for (_, list) in self.lists("teasers", v, &["markers"]) {
            config.teaser_markers = list
                .iter()
                .map(|m| m.trim().to_lowercase())
                .filter(|m| !m.is_empty())
                .collect();
        }
    }

    fn files(&mut self, v: &Value, config: &mut Config) {
        for (_, globs) in self.lists("files", v, &["ignore"]) {
            let bad: Vec<&str> = globs
                .iter()
                .filter(|g| globset::Glob::new(g).is_err())
                .map(String::as_str)
                .collect();
            if bad.is_empty() {
                config.ignore = globs;
            } else {
                let message = format!("`files.ignore` has invalid globs: {}", bad.join(", "));
                self.problem("files.ignore", message, true);
            }
        }
    }
}

/// `U+00A0`, `U+202F`, the character itself, or a name.
fn parse_space(s: &str) -> Option<char> {
    let t = s.trim().to_ascii_lowercase();
    match t.as_str() {
        "u+00a0" | "00a0" | "nbsp" | "\u{a0}" => Some(NBSP),
        "u+202f" | "202f" | "nnbsp" | "narrow" | "\u{202f}" => Some(NNBSP),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Config, Vec<Problem>) {
        from_toml(text, &Config::default())
    }

    #[test]
    fn every_key() {
        let (c, p) = read(
            "language = \"fr\"\nregion = \"fr-CA\"\nnbsp = \"U+202F\"\n\n[rules]\nquote-style = \"error\"\nteaser-unlinked = \"off\"\n\n[cues]\nfr = [\"martèle\"]\nen = [\"quipped\"]\n\n[teasers]\nmarkers = [\"Sur le même sujet\"]\n\n[files]\nignore = [\"archives/**\"]\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.language, LangSetting::Fr);
        assert_eq!(c.region, Region::FrCa);
        assert_eq!(c.nbsp, Some(NNBSP));
        assert_eq!(c.levels["quote-style"], Level::On(Severity::Error));
        assert_eq!(c.levels["teaser-unlinked"], Level::Off);
        assert_eq!(c.cues_fr, ["martèle"]);
        assert_eq!(c.cues_en, ["quipped"]);
        assert_eq!(c.teaser_markers, ["sur le même sujet"]);
        assert_eq!(c.ignore, ["archives/**"]);
    }

    #[test]
    fn the_rules_use_the_keys() {
        use crate::analysis::analyze;
        let codes = |toml: &str, text: &str| -> Vec<(&'static str, String)> {
            let (c, p) = read(toml);
            assert!(p.is_empty(), "{p:?}");
            let a = analyze(text, &c, false);
            a.findings
                .into_iter()
                .map(|f| {
                    (
                        f.code,
                        f.fix
                            .map(|x| x.edits[0].replacement.to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect()
        };
        // Extra teaser markers.
        let text = "Texte.\nSur le même sujet : la piscine ferme\n";
        assert!(
            codes("language = \"fr\"", text)
                .iter()
                .all(|(c, _)| *c != "teaser-unlinked")
        );
        assert!(
            codes(
                "language = \"fr\"\n[teasers]\nmarkers = [\"Sur le même sujet\"]",
                text
            )
            .iter()
            .any(|(c, _)| *c == "teaser-unlinked")
        );
        // Switzerland: narrow no-break spaces in fixes; an explicit nbsp wins over the region.
        let text = "Il a dit « non ».";
        assert!(
            codes("language = \"fr\"\nregion = \"fr-CH\"", text)
                .iter()
                .all(|(_, r)| r == "\u{202f}")
        );
        assert!(
            codes(
                "language = \"fr\"\nregion = \"fr-CH\"\nnbsp = \"U+00A0\"",
                text
            )
            .iter()
            .all(|(_, r)| r == "\u{a0}")
        );
        // Language.
        assert!(
            codes("language = \"en\"", text)
                .iter()
                .any(|(c, _)| *c == "quote-style")
        );
        // Severity.
        let (c, _) = read("[rules]\nguillemet-spacing = \"error\"");
        assert!(
            analyze(text, &c, false)
                .findings
                .iter()
                .all(|f| f.severity == Severity::Error)
        );
    }

    #[test]
    fn rule_codes_at_the_top_level() {
        let (c, p) = read("punctuation-spacing = \"off\"\nnbsp = \"U+202F\"\n");
        assert!(p.is_empty());
        assert_eq!(c.levels["punctuation-spacing"], Level::Off);
    }

    #[test]
    fn bad_values_keep_the_defaults_and_name_line_and_key() {
        let (c, p) = read("language = \"de\"\n\n[rules]\nquote-style = \"loud\"\n");
        assert_eq!(c, Config::default());
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].line, p[0].key.as_str()), (Some(1), "language"));
        assert_eq!(
            (p[1].line, p[1].key.as_str()),
            (Some(4), "rules.quote-style")
        );
        assert!(p.iter().all(|p| p.is_error));
        assert_eq!(
            p[1].display("copydesk.toml"),
            format!("copydesk.toml:4: {}", p[1].message)
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let (_, p) = read("langage = \"fr\"\n[rules]\nguillemet-spacin = \"off\"\n");
        assert_eq!(p.len(), 2);
        assert!(
            p[0].message.contains("did you mean `language`"),
            "{}",
            p[0].message
        );
        assert!(
            p[1].message.contains("did you mean `guillemet-spacing`"),
            "{}",
            p[1].message
        );
        assert!(!p[0].is_error);
    }

    #[test]
    fn syntax_errors_are_located() {
        let (c, p) = read("language = \"fr\"\nnbsp = \n");
        assert_eq!(c, Config::default());
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("not valid TOML"));
    }

    #[test]
    fn editor_settings_win_over_the_file() {
        let (file, _) = read("language = \"fr\"\nnbsp = \"U+202F\"\n");
        let (c, p) = from_editor(
            &serde_json::json!({"language": "en", "path": "/usr/bin/copydesk", "trace": {"server": "off"}}),
            &file,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.language, LangSetting::En);
        assert_eq!(c.nbsp, Some(NNBSP));
        // Unset editor values (null, "") leave the file's value.
        let (c, _) = from_editor(&serde_json::json!({"language": null, "nbsp": ""}), &file);
        assert_eq!(c.language, LangSetting::Fr);
        assert_eq!(c.nbsp, Some(NNBSP));
    }
}
