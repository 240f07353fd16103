//! How the attribution engine reads a draft: its sentences, the cues found in each (with the
//! phrase that names the speaker), and every quotation's attribution.
//!
//! Run: `cargo run --example attribution_trace -- fr "« Non », a-t-il dit."` (or `en`; `-` reads
//! the draft from standard input; a third argument reads it as Markdown).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: attribution_trace fr|en TEXT|- [markdown]");
        std::process::exit(2);
    }
    let lang = if args[1] == "en" {
        copydesk::Lang::En
    } else {
        copydesk::Lang::Fr
    };
    let text = if args[2] == "-" {
        std::io::read_to_string(std::io::stdin()).unwrap_or_default()
    } else {
        args[2].clone()
    };
    print!(
        "{}",
        copydesk::attribution::trace(&text, lang, args.get(3).is_some())
    );
}
