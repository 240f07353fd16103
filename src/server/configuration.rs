//! The house style in the editor: `copydesk.toml` files found beside the drafts, overlaid by
//! the editor's `copydesk` settings (initialization options, then `workspace/configuration`).

use crate::config::Config;
use crate::settings::{self, Problem};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::Uri;

/// A `copydesk.toml` as last read.
pub struct FileConfig {
    pub config: Config,
    pub problems: Vec<Problem>,
    pub text: String,
}

#[derive(Default)]
pub struct Configuration {
    /// Options the client passed at initialization.
    pub init_options: Value,
    /// The `copydesk` section of the editor's settings.
    pub editor: Value,
    files: HashMap<PathBuf, Arc<FileConfig>>,
}

/// A configuration file read for the first time (or again), whose problems the server reports.
pub struct Loaded {
    pub path: PathBuf,
    pub file: Arc<FileConfig>,
}

impl Configuration {
    /// The configuration of a draft, and any configuration file read to build it.
    pub fn for_document(&mut self, uri: &Uri) -> (Arc<Config>, Option<Loaded>, Vec<Problem>) {
        let dir = uri
            .to_file_path()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let mut loaded = None;
        let mut config = Config::default();
        if let Some(path) = dir.as_deref().and_then(settings::find_file) {
            let file = match self.files.get(&path) {
                Some(f) => f.clone(),
                None => {
                    let f = Arc::new(read(&path));
                    self.files.insert(path.clone(), f.clone());
                    loaded = Some(Loaded {
                        path: path.clone(),
                        file: f.clone(),
                    });
                    f
                }
            };
            config = file.config.clone();
        }
        let (config, mut problems) = settings::from_editor(&self.init_options, &config);
        let (config, more) = settings::from_editor(&self.editor, &config);
        problems.extend(more);
        (Arc::new(config), loaded, problems)
    }

    /// Forgets a configuration file so that the next draft reads it again.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    pub fn forget_all(&mut self) {
        self.files.clear();
    }
}

fn read(path: &Path) -> FileConfig {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let (config, problems) = settings::from_toml(&text, &Config::default());
            FileConfig {
                config,
                problems,
                text,
            }
        }
        Err(e) => FileConfig {
            config: Config::default(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: format!(
                    "cannot read {}: {e}; the defaults stay in force",
                    path.display()
                ),
                is_error: true,
                span: None,
            }],
            text: String::new(),
        },
    }
}
