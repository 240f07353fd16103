//! copydesk: checks news drafts the way a copy desk does.
//!
//! The analysis core (everything but `server` and `cli`) knows nothing of the Language Server
//! Protocol: text goes in, findings with byte ranges and safe fixes come out.

pub mod analysis;
pub mod attribution;
pub mod cli;
pub mod config;
pub mod directives;
pub mod finding;
pub mod fixes;
pub mod incremental;
pub mod language;
pub mod positions;
pub mod prose;
pub mod quotes;
pub mod rules;
pub mod server;
pub mod settings;
pub mod teasers;

pub use analysis::{Analysis, analyze, analyze_with};
pub use config::Config;
pub use finding::{Edit, Finding, Fix, Severity};
pub use language::{Lang, LangSetting};

/// The CPU time the calling thread has used, for the unit tests that guard against quadratic
/// work (a few seconds where linear code takes milliseconds). Unlike wall time it leaves out
/// waiting for a core, so a loaded machine does not fail them. Linux reports it in
/// `/proc/thread-self/schedstat`; elsewhere the wall time since the first call stands in.
#[cfg(test)]
pub(crate) fn thread_cpu_time() -> std::time::Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(std::time::Duration::from_nanos)
        .unwrap_or_else(|| START.get_or_init(std::time::Instant::now).elapsed())
}
