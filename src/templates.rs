//! The theme's template functions and the choice of template for each page: what loading
//! needs to compile and check the theme, kept apart from the renderers that use them, so the
//! loaded site depends on no renderer.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tera::{Kwargs, State, Value};

use crate::config::Config;
use crate::content::{Content, Page, PageId};
use crate::diagnostics::Diagnostic;
use crate::publications::Data;
use crate::theme::{Strings, Theme};

/// A page as listings, breadcrumbs and `site_page()` show it.
#[derive(Serialize)]
pub struct Summary<'a> {
    title: &'a str,
    description: Option<&'a str>,
    path: &'a str,
    date: Option<String>,
    date_display: Option<String>,
    is_section: bool,
}

pub fn summary(page: &Page) -> Summary<'_> {
    Summary {
        title: &page.front.title,
        description: page.front.description.as_deref(),
        path: &page.path,
        date: page.date().map(|d| d.to_string()),
        date_display: page.date().map(|d| page.lang.long_date(d)),
        is_section: page.is_section,
    }
}

/// `{name}` placeholders in a UI string take the values of the call's other arguments, in one
/// pass (see [`crate::theme::i18n::fill`]).
fn fill_placeholders(text: &str, kwargs: &Kwargs) -> String {
    let values: Vec<(String, String)> = kwargs
        .iter()
        .map(|(name, value)| {
            let value = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            (name.to_string(), value)
        })
        .filter(|(name, _)| name != "key" && name != "lang")
        .collect();
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    crate::theme::i18n::fill(text, &pairs)
}

/// A Tera instance with the template functions: `t(key="...")` for UI strings in the page's
/// language (or `lang="cy"` to force one), and `site_page(key="accessibility.md")` for a
/// page's title and path in the page's language, or none.
pub fn template_functions(config: &Config, strings: &Strings, content: &Content) -> tera::Tera {
    let mut tera = tera::Tera::new();
    let strings = Arc::new(strings.clone());
    let languages = config.languages.clone();
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let key: String = kwargs.must_get("key")?;
        let code: String = match kwargs.get::<String>("lang")? {
            Some(c) => c,
            None => state.get::<String>("lang")?.unwrap_or_default(),
        };
        let lang = languages
            .iter()
            .find(|l| l.code == code)
            .ok_or_else(|| tera::Error::message(format!("t(): unknown language `{code}`")))?;
        // `count=` picks the sentence for the number's plural category.
        let count = kwargs.get::<i64>("count")?;
        let text = match count {
            Some(n) => strings.get_plural(lang, &key, n),
            None => strings.get(lang, &key),
        };
        let text = text.ok_or_else(|| {
            tera::Error::message(format!(
                "no UI string `{key}` for {code}; add it to every language in the theme's i18n/ folder"
            ))
        })?;
        let text = match count {
            Some(n) => text.replace("{count}", &lang.number(n)),
            None => text.to_string(),
        };
        Ok(fill_placeholders(&text, &kwargs))
    });
    let pages: Arc<HashMap<(String, String), (PageId, Value)>> = Arc::new(
        content
            .pages
            .iter()
            .enumerate()
            .map(|(id, p)| {
                let key = (p.key.clone(), p.lang.code.to_string());
                (key, (id, Value::from_serializable(&summary(p))))
            })
            .collect(),
    );
    tera.register_function(
        "site_page",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: String = kwargs.must_get("key")?;
            let code = state.get::<String>("lang")?.unwrap_or_default();
            // A page that is not there is not recorded: one that appears is a new page, and
            // a site with other pages is made again whole.
            Ok(match pages.get(&(key, code)) {
                Some((id, summary)) => {
                    crate::deps::record(crate::deps::Read::Summary(*id));
                    summary.clone()
                }
                None => Value::none(),
            })
        },
    );
    tera
}

/// The template a page renders with: its `template`, or index/section/page.html.
pub fn template_for(
    content: &Content,
    data: &Data,
    theme: &Theme,
    id: PageId,
) -> Result<String, Diagnostic> {
    let page = &content.pages[id];
    if page.front.template.is_none()
        && let Some(name) = &page.front.publication
        && let Some(t) = crate::publications::index_template(data, name.get_ref())
    {
        return Ok(t.to_string());
    }
    if let Some(t) = &page.front.template {
        if theme.tera.contains_template(t.get_ref()) {
            return Ok(t.get_ref().clone());
        }
        let mut names: Vec<&str> = theme.tera.get_template_names().collect();
        names.sort_unstable();
        let d = Diagnostic::error(format!("template `{}` not found", t.get_ref()))
            .at(&page.source, t.span())
            .label(format!("not in {}/templates", theme.shown_as));
        return Err(
            match crate::diagnostics::did_you_mean(t.get_ref(), names.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("the theme has: {}", names.join(", "))),
            },
        );
    }
    let name = if page.key == "_index.md" && theme.tera.contains_template("index.html") {
        "index.html"
    } else if page.is_section {
        "section.html"
    } else {
        "page.html"
    };
    Ok(name.to_string())
}
