//! `tryloyw new DIR`: a minimal bilingual site that builds at once with the built-in theme.

use std::path::Path;

use crate::diagnostics::Diagnostic;

const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("site.toml")),
    ("content/_index.md", include_str!("_index.md")),
    ("content/_index.cy.md", include_str!("_index.cy.md")),
    ("content/about.md", include_str!("about.md")),
    ("content/about.cy.md", include_str!("about.cy.md")),
];

pub fn create(dir: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(format!("cannot create a site in {}: {why}", dir.display()))
            .hint("name a folder that does not exist yet, or an empty one")
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| refuse(&e.to_string()))?;
        if entries.next().is_some() {
            return Err(refuse("it is not empty"));
        }
    }
    for (path, text) in FILES {
        let dest = dir.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| refuse(&e.to_string()))?;
        }
        std::fs::write(&dest, text).map_err(|e| refuse(&e.to_string()))?;
    }
    Ok(())
}
