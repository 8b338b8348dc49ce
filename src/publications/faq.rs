//! Public guide questions and answers (`data/faq.toml`), grouped by topic; answers are
//! Markdown.

use serde::Deserialize;
use toml::Spanned;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Publication, View};
use crate::data::{IdSet, Loader, Text, text};
use crate::datasets::columns::{Schema, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "faq.toml";

#[derive(Deserialize)]
struct Raw {
    topics: Vec<RawTopic>,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
struct RawTopic {
    id: Spanned<String>,
    title: Spanned<Text>,
}

#[derive(Deserialize)]
struct RawQuestion {
    id: Spanned<String>,
    topic: Spanned<String>,
    question: Spanned<Text>,
    answer: Spanned<Text>,
}

pub struct Faq {
    pub topics: Vec<(String, Text)>,
    /// (id, topic, question, answer)
    pub questions: Vec<(String, String, Text, Text)>,
    source: SourceFile,
}

pub fn load(loader: &Loader) -> (Option<Faq>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let mut diags = Vec::new();
    let mut topic_ids = IdSet::new("topic");
    let mut topics = Vec::new();
    for t in raw.topics {
        diags.extend(topic_ids.define(t.id.get_ref(), &source, t.id.span()));
        diags.extend(text::check(&source, &t.title, "title", loader.config));
        topics.push((t.id.into_inner(), t.title.into_inner()));
    }
    let mut question_ids = IdSet::new("question");
    let mut questions = Vec::new();
    for q in raw.questions {
        diags.extend(question_ids.define(q.id.get_ref(), &source, q.id.span()));
        diags.extend(topic_ids.check(&source, &q.topic));
        diags.extend(text::check(&source, &q.question, "question", loader.config));
        diags.extend(text::check(&source, &q.answer, "answer", loader.config));
        questions.push((
            q.id.into_inner(),
            q.topic.into_inner(),
            q.question.into_inner(),
            q.answer.into_inner(),
        ));
    }
    (
        Some(Faq {
            topics,
            questions,
            source,
        }),
        diags,
    )
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "faq",
    load: Load::Uses(|loader, _| boxed(load(loader))),
};

impl Publication for Faq {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/faq.html"
    }

    fn index_print(&self) -> Option<&'static str> {
        Some("publications/faq-print.html")
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let topics: Vec<serde_json::Value> = self
            .topics
            .iter()
            .map(|(id, title)| {
                let questions: Vec<serde_json::Value> = self
                    .questions
                    .iter()
                    .filter(|q| &q.1 == id)
                    .map(|(qid, _, q, a)| {
                        serde_json::json!({ "id": qid, "question": q.get(lang), "answer": view.markdown(a, lang, &self.source) })
                    })
                    .collect();
                serde_json::json!({ "id": id, "title": title.get(lang), "questions": questions })
            })
            .collect();
        tera::Value::from_serializable(&serde_json::json!({
            "topics": topics,
            "downloads": view.downloads("faq", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        type Question = (String, String, Text, Text);
        vec![data.catalogue.meta("faq", "data/faq.toml").map(|meta| {
            Schema::<&Question>::new("faq", words)
                .column("id", Kind::String, |q| Cell::Text(q.0.clone()))
                .column("topic", Kind::String, |q| Cell::Text(q.1.clone()))
                .text("question", |q| &q.2)
                .text("answer", |q| &q.3)
                .dataset(meta, &self.questions)
        })]
    }
}
