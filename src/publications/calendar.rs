//! The publication calendar (`data/calendar.toml`, seed 003 Appendix A): what is due when,
//! and whether it was published or is late, judged against the build date.

use serde::Deserialize;
use toml::Spanned;

use super::registry::{Load, PublicationKind, boxed};
use super::{Data, Ids, Publication, View};
use crate::content::PageDate;
use crate::data::{IdSet, Loader, Text, parse_month, text};
use crate::datasets::columns::{Schema, Values, Words};
use crate::datasets::{Cell, Dataset, Kind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::locale::Lang;

pub const FILE: &str = "calendar.toml";

#[derive(Deserialize)]
struct Raw {
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawItem {
    id: Spanned<String>,
    due: Spanned<String>,
    title: Spanned<Text>,
    description: Spanned<Text>,
    responsible: Spanned<String>,
    #[serde(default)]
    published: Option<PageDate>,
    #[serde(default)]
    link: Option<Spanned<String>>,
}

pub struct Entry {
    pub id: String,
    pub due: (i16, i8),
    pub title: Text,
    pub description: Text,
    pub responsible: String,
    pub published: Option<jiff::civil::Date>,
    pub link: Option<String>,
}

pub struct Calendar {
    pub entries: Vec<Entry>,
    source: SourceFile,
}

pub fn load(loader: &Loader, ids: &Ids) -> (Option<Calendar>, Vec<Diagnostic>) {
    if !loader.exists(FILE) {
        return (None, Vec::new());
    }
    let (raw, source) = match loader.read_toml::<Raw>(FILE) {
        Ok(r) => r,
        Err(ds) => return (None, ds),
    };
    let mut diags = Vec::new();
    let mut seen = IdSet::new("calendar item");
    let mut entries = Vec::new();
    for i in raw.items {
        diags.extend(seen.define(i.id.get_ref(), &source, i.id.span()));
        diags.extend(text::check(&source, &i.title, "title", loader.config));
        diags.extend(text::check(
            &source,
            &i.description,
            "description",
            loader.config,
        ));
        if let Some(m) = ids.owner_missing(i.responsible.get_ref()) {
            diags.push(Diagnostic::error(m).at(&source, i.responsible.span()));
        }
        let due = parse_month(i.due.get_ref()).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error(format!("invalid month `{}`", i.due.get_ref()))
                    .at(&source, i.due.span())
                    .hint("write months as \"YYYY-MM\""),
            );
            (0, 1)
        });
        if let Some(l) = &i.link
            && !l.get_ref().starts_with("@/")
            && let Some(m) = super::link_problem("link", l.get_ref())
        {
            diags.push(
                Diagnostic::error(m)
                    .at(&source, l.span())
                    .hint("a link is a page of this site (`@/page.md`) or an https:// address, such as https://www.gov.uk/"),
            );
        }
        entries.push(Entry {
            id: i.id.into_inner(),
            due,
            title: i.title.into_inner(),
            description: i.description.into_inner(),
            responsible: i.responsible.into_inner(),
            published: i.published.map(|d| d.0),
            link: i.link.map(Spanned::into_inner),
        });
    }
    entries.sort_by_key(|e| e.due);
    (Some(Calendar { entries, source }), diags)
}

/// published, due or late: a month counts as passed once the next month has begun.
pub fn status(e: &Entry, today: jiff::civil::Date) -> &'static str {
    if e.published.is_some() {
        "published"
    } else if (today.year(), today.month()) > e.due {
        "late"
    } else {
        "due"
    }
}

impl Calendar {
    /// The next items due (not yet published, not yet late), for the home page.
    pub fn upcoming(&self, view: &View, lang: Lang, n: usize) -> Vec<serde_json::Value> {
        self.entries
            .iter()
            .filter(|e| status(e, view.data.today) == "due")
            .take(n)
            .map(|e| self.entry(view, lang, e))
            .collect()
    }

    fn entry(&self, view: &View, lang: Lang, e: &Entry) -> serde_json::Value {
        let s = status(e, view.data.today);
        let link = e.link.as_ref().and_then(|l| match l.strip_prefix("@/") {
            Some(key) => view.pages.get(&(key.to_string(), lang.code)).cloned(),
            None => Some(l.clone()),
        });
        serde_json::json!({
            "id": e.id,
            "due": super::usage::month_name(lang, e.due),
            "due_iso": format!("{}-{:02}", e.due.0, e.due.1),
            "title": e.title.get(lang),
            "description": e.description.get(lang),
            "responsible": super::actions::owner_name(view, &e.responsible, lang),
            "published": e.published.map(|d| view.date(d, lang)),
            "status": view.t(lang, &format!("calendar.status.{s}")),
            "status_id": s,
            "link": link,
        })
    }
}

/// This publication type, for [`super::PUBLICATIONS`].
pub const KIND: PublicationKind = PublicationKind {
    name: "calendar",
    load: Load::Uses(|loader, ids| boxed(load(loader, ids))),
};

impl Publication for Calendar {
    fn source(&self) -> &SourceFile {
        &self.source
    }

    fn index_template(&self) -> &'static str {
        "publications/calendar.html"
    }

    fn index(&self, view: &View, lang: Lang) -> tera::Value {
        let mut years: Vec<(i16, Vec<serde_json::Value>)> = Vec::new();
        for e in &self.entries {
            let value = self.entry(view, lang, e);
            match years.last_mut() {
                Some((y, list)) if *y == e.due.0 => list.push(value),
                _ => years.push((e.due.0, vec![value])),
            }
        }
        let count = |s: &str| {
            view.number(
                self.entries
                    .iter()
                    .filter(|e| status(e, view.data.today) == s)
                    .count() as i64,
                lang,
            )
        };
        tera::Value::from_serializable(&serde_json::json!({
            "years": years.iter().map(|(y, items)| serde_json::json!({ "year": y, "items": items })).collect::<Vec<_>>(),
            "published": count("published"),
            "late": count("late"),
            "due": count("due"),
            "today": view.date(view.data.today, lang),
            "illustrative": view.is_illustrative("calendar"),
            "downloads": view.downloads("calendar", lang),
        }))
    }

    fn datasets(&self, data: &Data, words: Words) -> Vec<Result<Dataset, Diagnostic>> {
        let today = data.today;
        vec![
            data.catalogue
                .meta("calendar", "data/calendar.toml")
                .map(|meta| {
                    Schema::<&Entry>::new("calendar", words)
                        .column("id", Kind::String, |e| Cell::Text(e.id.clone()))
                        .column("due", Kind::YearMonth, |e| {
                            Cell::Text(format!("{}-{:02}", e.due.0, e.due.1))
                        })
                        .text("title", |e| &e.title)
                        .column("responsible", Kind::String, |e| {
                            Cell::Text(e.responsible.clone())
                        })
                        .values(Values::Owner)
                        .column("published", Kind::Date, |e| {
                            e.published
                                .map_or(Cell::Empty, |d| Cell::Text(d.to_string()))
                        })
                        .optional()
                        .column("status", Kind::String, move |e| {
                            Cell::Text(status(e, today).into())
                        })
                        .values(Values::Strings("calendar.status"))
                        .dataset(meta, &self.entries)
                }),
        ]
    }
}
