//! Tryloyw: a static site generator for bilingual public transparency publications.
//!
//! The pipeline: [`site::load`] (config, theme, content; every problem collected) →
//! [`render::render_into`] (a pure, parallel function of the loaded site, writing each page as
//! it is made into an [`output::Staging`] folder) → [`output::Staging::finish`] (the new folder
//! swapped in only on success).

// Diagnostics travel only on the error path, so their size in `Result` does not matter.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod charts;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod datasets;
pub mod deps;
pub mod diagnostics;
pub mod escape;
pub mod headers;
pub mod locale;
pub mod markdown;
pub mod output;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod print;
pub mod publications;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod templates;
pub mod theme;
mod tomlfile;
pub mod translations;
pub mod walk;
