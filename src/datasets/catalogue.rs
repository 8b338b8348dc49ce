//! `data/datasets.toml`: the catalogue details (title, description, version, date,
//! illustrative or not) of each dataset the publications produce.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::Meta;
use crate::content::PageDate;
use crate::data::{Loader, Text, text};
use crate::diagnostics::{Diagnostic, SourceFile};

pub const FILE: &str = "datasets.toml";

#[derive(Deserialize)]
struct RawEntry {
    title: Spanned<Text>,
    description: Spanned<Text>,
    version: Spanned<String>,
    published: PageDate,
    illustrative: bool,
}

#[derive(Deserialize)]
struct RawCatalogue {
    datasets: BTreeMap<String, Spanned<RawEntry>>,
}

#[derive(Default)]
pub struct Catalogue {
    entries: BTreeMap<String, Meta>,
    source: Option<SourceFile>,
}

impl Catalogue {
    pub fn load(loader: &Loader) -> (Catalogue, Vec<Diagnostic>) {
        if !loader.exists(FILE) {
            return (Catalogue::default(), Vec::new());
        }
        let (raw, source) = match loader.read_toml::<RawCatalogue>(FILE) {
            Ok(r) => r,
            Err(ds) => return (Catalogue::default(), ds),
        };
        let mut diags = Vec::new();
        let mut entries = BTreeMap::new();
        for (name, entry) in raw.datasets {
            let e = entry.into_inner();
            diags.extend(text::check(&source, &e.title, "title", loader.config));
            diags.extend(text::check(
                &source,
                &e.description,
                "description",
                loader.config,
            ));
            if !is_semver(e.version.get_ref()) {
                diags.push(
                    Diagnostic::error(format!("version `{}` is not a version number", e.version.get_ref()))
                        .at(&source, e.version.span())
                        .hint("use semantic versions such as \"1.0.0\"; raise the first number when columns change"),
                );
            }
            entries.insert(
                name,
                Meta {
                    title: e.title.into_inner(),
                    description: e.description.into_inner(),
                    version: e.version.into_inner(),
                    published: e.published.0,
                    illustrative: e.illustrative,
                },
            );
        }
        (
            Catalogue {
                entries,
                source: Some(source),
            },
            diags,
        )
    }

    /// A dataset's title in `lang` (its name when the catalogue has no entry).
    pub fn title(&self, name: &str, lang: crate::locale::Lang) -> String {
        self.entries
            .get(name)
            .map_or_else(|| name.to_string(), |m| m.title.get(lang).to_string())
    }

    /// The details of `name`, or an error saying where to add them. `from` names the data file
    /// that produces the dataset.
    pub fn meta(&self, name: &str, from: &str) -> Result<Meta, Diagnostic> {
        if let Some(m) = self.entries.get(name) {
            return Ok(m.clone());
        }
        let d = Diagnostic::error(format!(
            "dataset `{name}` (from {from}) has no entry in data/{FILE}"
        ))
        .hint(format!(
            "add [datasets.{name}] with title, description, version, published and illustrative"
        ));
        Err(match &self.source {
            Some(s) => d.in_file(s),
            None => d,
        })
    }
}

fn is_semver(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
