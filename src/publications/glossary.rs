//! A glossary (`data/glossary.toml`): the terms the site uses and what they mean, in every
//! language. Definitions are Markdown. Its dataset, `glossary`, has one row per term.
//!
//! ```toml
//! [[terms]]
//! id = "pnc"
//! term = { en = "Police National Computer", cy = "Cyfrifiadur Cenedlaethol yr Heddlu" }
//! definition = { en = "The national system of records …", cy = "Y system genedlaethol …" }
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Publication, View};
use crate::data::{IdSet, Loader, Text, text};
use crate::datasets::columns::{Schema, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "glossary.toml";

#[derive(Deserialize)]
struct Raw {
    terms: Vec<RawTerm>,
}

#[derive(Deserialize)]
struct RawTerm {
    id: Spanned<String>,
    term: Spanned<Text>,
    definition: Spanned<Text>,
}

pub struct Term {
    pub id: String,
    pub term: Text,
    pub definition: Text,
}

pub struct Glossary {
    pub terms: Vec<Term>,
    source: SourceFile,
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "glossary",
    load: Load::Uses(|loader, _| boxed(load(loader))),
};

pub fn load(loader: &Loader) -> (Option<Glossary>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let mut diags = Vec::new();
    let mut ids = IdSet::new("term");
    let mut terms = Vec::new();
    for t in raw.terms {
        diags.extend(ids.define(t.id.get_ref(), &source, t.id.span()));
        diags.extend(text::check(&source, &t.term, "term", loader.config));
        diags.extend(text::check(&source, &t.definition, "definition", loader.config));
        terms.push(Term {
            id: t.id.into_inner(),
            term: t.term.into_inner(),
            definition: t.definition.into_inner(),
        });
    }
    (Some(Glossary { terms, source }), diags)
}

impl Publication for Glossary {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/glossary.html"
    }

    fn index_print(&self) -> Option<&'static str> {
        Some("publications/glossary-print.html")
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        // In the alphabetical order of the page's language.
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by_key(|t| t.term.get(lang).to_lowercase());
        let terms: Vec<serde_json::Value> = terms
            .into_iter()
            .map(|t| {
                serde_json::json!({
                    "id": t.id,
                    "term": t.term.get(lang),
                    "definition": view.markdown(&t.definition, lang, &self.source),
                })
            })
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "terms": terms,
            "downloads": view.downloads("glossary", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        vec![data.catalogue.meta("glossary", "data/glossary.toml").map(|meta| {
            Schema::<&Term>::new("glossary", words)
                .column("id", Kind::String, |t| Cell::Text(t.id.clone()))
                .text("term", |t| &t.term)
                .text("definition", |t| &t.definition)
                .dataset(meta, &self.terms)
        })]
    }
}
