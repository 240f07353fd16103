//! Arbitrary `copydesk.toml` text and editor settings: reading never panics, problems point
//! inside the text, and the resulting configuration analyses a draft.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    copydesk_fuzz::check_config(data);
});
