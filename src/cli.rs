//! The command line: `copydesk check`, `rules`, `explain`, `lsp`.

use crate::analysis::{analyze, is_markdown_path};
use crate::config::Config;
use crate::finding::Severity;
use crate::language::{Lang, LangSetting};
use crate::positions::{Encoding, LineIndex};
use crate::rules::{self, RULES};
use crate::settings;
use clap::{Parser, Subcommand, ValueEnum};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

#[derive(Parser, Debug)]
#[command(
    name = "copydesk",
    version,
    about = "Checks news drafts the way a copy desk does: uncredited quotations, French guillemets and punctuation, teasers without links."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check drafts and print findings (exit 0: clean, 1: findings, 2: usage or read error).
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the drafts: fr, en or auto (detected per file). Overrides copydesk.toml.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<LangSetting>,
        /// Configuration file to use instead of the nearest copydesk.toml.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Files or folders to check (folders: their .txt and .md files); `-` reads standard input.
        #[arg(required = true)]
        paths: Vec<String>,
    },
    /// List every rule with its one-line summary.
    Rules {
        /// Language of the summaries: fr or en (default: from $LANG).
        #[arg(long, value_parser = parse_ui_lang)]
        lang: Option<Lang>,
    },
    /// Print a rule's explanation, as hovers show it.
    Explain {
        /// The rule's code, e.g. guillemet-spacing.
        code: String,
        /// Language of the explanation: fr or en (default: from $LANG).
        #[arg(long, value_parser = parse_ui_lang)]
        lang: Option<Lang>,
    },
    /// Serve the Language Server Protocol on standard input and output.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn parse_lang(s: &str) -> Result<LangSetting, String> {
    LangSetting::parse(s).ok_or_else(|| format!("unknown language `{s}`: use fr, en or auto"))
}

fn parse_ui_lang(s: &str) -> Result<Lang, String> {
    match LangSetting::parse(s) {
        Some(LangSetting::Fr) => Ok(Lang::Fr),
        Some(LangSetting::En) => Ok(Lang::En),
        _ => Err(format!("unknown language `{s}`: use fr or en")),
    }
}

/// The language for messages meant for the person at the terminal.
fn ui_lang(choice: Option<Lang>) -> Lang {
    choice.unwrap_or_else(|| {
        let env = std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default();
        if env.starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    })
}

/// One finding as the JSON format prints it: 1-based lines and columns in characters; the
/// end is exclusive (the column just after the last character).
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct JsonFinding {
    pub path: String,
    pub code: String,
    pub severity: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Runs the command line and returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check {
            format,
            lang,
            config,
            paths,
        } => {
            // Buffered: a 5 MB draft's JSON report went out one line per write call.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let options = CheckOptions {
                format,
                lang,
                config,
            };
            ExitCode::from(check(&paths, &options, &mut out, &mut std::io::stderr()))
        }
        Command::Rules { lang } => {
            let lang = ui_lang(lang);
            let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
            for rule in RULES {
                println!(
                    "{:width$}  {:11}  {}",
                    rule.code,
                    rule.default_severity.as_str(),
                    rule.summary.get(lang)
                );
            }
            ExitCode::SUCCESS
        }
        Command::Explain { code, lang } => match rules::by_code(&code) {
            Some(rule) => {
                println!("{}", rules::explain(rule, ui_lang(lang)));
                ExitCode::SUCCESS
            }
            None => {
                let known: Vec<&str> = RULES.iter().map(|r| r.code).collect();
                eprintln!(
                    "copydesk: no rule `{code}`; the rules are: {}",
                    known.join(", ")
                );
                ExitCode::from(2)
            }
        },
        Command::Lsp { .. } => crate::server::run_stdio(),
    }
}

/// What `copydesk check` was asked.
pub struct CheckOptions {
    pub format: Format,
    pub lang: Option<LangSetting>,
    /// `--config`: one file for every draft instead of the nearest copydesk.toml.
    pub config: Option<PathBuf>,
}

/// A loaded configuration and where its ignore globs are rooted.
struct Loaded {
    config: Config,
    ignore: GlobSet,
    root: PathBuf,
}

/// Configurations by file, loaded once each; problems are reported when first loaded.
struct Configs<'a> {
    options: &'a CheckOptions,
    cache: HashMap<Option<PathBuf>, Rc<Loaded>>,
    bad: bool,
}

impl Configs<'_> {
    /// The configuration for a draft in `dir`.
    fn for_dir(&mut self, dir: &Path, err: &mut dyn Write) -> Rc<Loaded> {
        let file = match &self.options.config {
            Some(p) => Some(p.clone()),
            None => settings::find_file(dir),
        };
        if let Some(loaded) = self.cache.get(&file) {
            return loaded.clone();
        }
        let mut config = Config::default();
        if let Some(path) = &file {
            let shown = path.display().to_string();
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let (c, problems) = settings::from_toml(&text, &config);
                    for p in &problems {
                        let line = p.line.map(|l| format!(":{l}")).unwrap_or_default();
                        let level = if p.is_error { "" } else { "warning: " };
                        let _ = writeln!(err, "{shown}{line}: {level}{}", p.message);
                        self.bad |= p.is_error;
                    }
                    config = c;
                }
                Err(e) => {
                    let _ = writeln!(
                        err,
                        "copydesk: cannot read configuration {shown}: {e}; using the defaults"
                    );
                    self.bad = true;
                }
            }
        }
        if let Some(lang) = self.options.lang {
            config.language = lang;
        }
        let mut builder = GlobSetBuilder::new();
        for g in &config.ignore {
            if let Ok(glob) = Glob::new(g) {
                builder.add(glob);
            }
        }
        let root = file
            .as_ref()
            .and_then(|f| f.parent())
            .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
        let loaded = Rc::new(Loaded {
            config,
            ignore: builder.build().unwrap_or_else(|_| GlobSet::empty()),
            root,
        });
        self.cache.insert(file, loaded.clone());
        loaded
    }
}

/// Drafts copydesk reads when given a folder.
fn is_draft(path: &Path) -> bool {
    let name = path.to_string_lossy();
    is_markdown_path(&name) || name.to_ascii_lowercase().ends_with(".txt")
}

/// The drafts under a folder, sorted, skipping hidden folders and build output.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, err: &mut dyn Write) -> bool {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "copydesk: cannot read folder {}: {e}", dir.display());
            return false;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut ok = true;
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                ok &= walk(&p, out, err);
            }
        } else if is_draft(&p) {
            out.push(p);
        }
    }
    ok
}

/// Checks `paths`, writes findings to `out` and problems to `err`; returns the exit status.
pub fn check(
    paths: &[String],
    options: &CheckOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut read_error = false;
    let mut findings_at_warning = false;
    let mut json = Vec::new();
    let mut configs = Configs {
        options,
        cache: HashMap::new(),
        bad: false,
    };
    let mut drafts: Vec<String> = Vec::new();
    for path in paths {
        let p = Path::new(path);
        if path != "-" && p.is_dir() {
            let mut found = Vec::new();
            read_error |= !walk(p, &mut found, err);
            drafts.extend(found.into_iter().map(|f| f.to_string_lossy().to_string()));
        } else {
            drafts.push(path.clone());
        }
    }
    for path in &drafts {
        let p = Path::new(path);
        let dir = if path == "-" {
            PathBuf::from(".")
        } else {
            p.parent().map_or_else(
                || PathBuf::from("."),
                |d| {
                    if d.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        d.to_path_buf()
                    }
                },
            )
        };
        let loaded = configs.for_dir(&dir, err);
        if path != "-" {
            let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            let root = std::path::absolute(&loaded.root).unwrap_or_else(|_| loaded.root.clone());
            let relative = absolute.strip_prefix(&root).unwrap_or(p);
            if loaded.ignore.is_match(relative) || loaded.ignore.is_match(p) {
                continue;
            }
        }
        let text = match read_draft(path) {
            Ok(text) => text,
            Err(message) => {
                let _ = writeln!(err, "copydesk: {message}");
                read_error = true;
                continue;
            }
        };
        let shown = if path == "-" {
            "<stdin>"
        } else {
            path.as_str()
        };
        let analysis = analyze(&text, &loaded.config, is_markdown_path(path));
        let index = LineIndex::new(&text);
        // Findings come sorted by start: cursors keep the conversions linear on one huge line.
        let (mut starts, mut ends) = (index.cursor(Encoding::Utf32), index.cursor(Encoding::Utf32));
        for f in &analysis.findings {
            if f.severity <= Severity::Warning {
                findings_at_warning = true;
            }
            let (line, col) = starts.position(f.range.start);
            let (end_line, end_col) = ends.position(f.range.end);
            match options.format {
                Format::Text => {
                    let _ = writeln!(
                        out,
                        "{shown}:{}:{}: {}[{}] {}",
                        line + 1,
                        col + 1,
                        f.severity.as_str(),
                        f.code,
                        f.message
                    );
                }
                Format::Json => json.push(JsonFinding {
                    path: shown.to_string(),
                    code: f.code.to_string(),
                    severity: f.severity.as_str().to_string(),
                    message: f.message.to_string(),
                    line: line + 1,
                    column: col + 1,
                    end_line: end_line + 1,
                    end_column: end_col + 1,
                }),
            }
        }
        // Each file's lines before the next file's errors on stderr.
        let _ = out.flush();
    }
    if options.format == Format::Json {
        let _ = serde_json::to_writer_pretty(&mut *out, &json);
        let _ = writeln!(out);
    }
    let _ = out.flush();
    if read_error || configs.bad {
        2
    } else if findings_at_warning {
        1
    } else {
        0
    }
}

/// Reads a draft, naming the file and the reason when it cannot.
fn read_draft(path: &str) -> Result<String, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
                _ => e.to_string(),
            };
            format!("cannot read {path}: {reason}")
        })?
    };
    let shown = if path == "-" { "standard input" } else { path };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("cannot read {shown}: not UTF-8 (invalid byte at offset {at}); convert it with `iconv -f LATIN1 -t UTF-8`")
    })
}
