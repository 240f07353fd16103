use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    copydesk::cli::run(copydesk::cli::Cli::parse())
}
