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
