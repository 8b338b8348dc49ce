//! Reasons for access (`data/reasons.toml`): the reason codes searches are recorded against
//! and organisations' purposes refer to.

use serde::Deserialize;
use toml::Spanned;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Publication, View};
use crate::data::{IdSet, Loader, Text, text};
use crate::datasets::columns::{Schema, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "reasons.toml";

#[derive(Deserialize)]
struct Raw {
    reasons: Vec<RawReason>,
}

#[derive(Deserialize)]
struct RawReason {
    id: Spanned<String>,
    name: Spanned<Text>,
    description: Spanned<Text>,
}

pub struct Reason {
    pub id: String,
    pub name: Text,
    pub description: Text,
}

pub struct Reasons {
    pub list: Vec<Reason>,
    source: SourceFile,
    ids: Vec<(String, std::ops::Range<usize>)>,
}

impl Reasons {
    pub fn get(&self, id: &str) -> Option<&Reason> {
        self.list.iter().find(|r| r.id == id)
    }

    pub fn ids(&self) -> IdSet {
        let mut set = IdSet::new("reason");
        for (id, span) in &self.ids {
            set.define(id, &self.source, span.clone());
        }
        set
    }
}

pub fn load(loader: &Loader) -> (Option<Reasons>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let mut diags = Vec::new();
    let mut set = IdSet::new("reason");
    let mut list = Vec::new();
    let mut ids = Vec::new();
    for r in raw.reasons {
        diags.extend(set.define(r.id.get_ref(), &source, r.id.span()));
        diags.extend(text::check(&source, &r.name, "name", loader.config));
        diags.extend(text::check(
            &source,
            &r.description,
            "description",
            loader.config,
        ));
        ids.push((r.id.get_ref().clone(), r.id.span()));
        list.push(Reason {
            id: r.id.into_inner(),
            name: r.name.into_inner(),
            description: r.description.into_inner(),
        });
    }
    (Some(Reasons { list, source, ids }), diags)
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "reasons",
    load: Load::Provides(|loader, ids| {
        let (reasons, diags) = load(loader);
        if let Some(r) = &reasons {
            ids.reasons = r.ids();
        }
        boxed((reasons, diags))
    }),
};

impl Publication for Reasons {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/reasons.html"
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let reasons: Vec<serde_json::Value> = self
            .list
            .iter()
            .map(|r| serde_json::json!({ "id": r.id, "name": r.name.get(lang), "description": r.description.get(lang) }))
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "reasons": reasons,
            "downloads": view.downloads("reasons", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        vec![
            data.catalogue
                .meta("reasons", "data/reasons.toml")
                .map(|meta| {
                    Schema::<&Reason>::new("reasons", words)
                        .column("id", Kind::String, |r| Cell::Text(r.id.clone()))
                        .text("name", |r| &r.name)
                        .text("description", |r| &r.description)
                        .dataset(meta, &self.list)
                }),
        ]
    }
}
