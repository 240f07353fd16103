//! Arbitrary drafts, plain and Markdown, in French, English or detected: the analysis never
//! panics, its ranges are on character boundaries inside the text, and its fixes apply cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (config, markdown) = copydesk_fuzz::options(flags);
    copydesk_fuzz::check(&text, &config, markdown);
});
