//! Data in Markdown pages: `figure`, `table`, `list` and `chart` shortcodes over the same
//! datasets the downloads are made from, so a figure in the annual report and the CSV always
//! agree. They read the loaded site and nothing else; the page renderer calls them, so the
//! publications (which load and check the data) and the charts (which only draw) depend on
//! neither this module nor the site.
//!
//! - `{{ figure(data="searches", year=2023, organisation="dyfed-powys", system="PNC") }}`:
//!   one number in the page's language. `data` is `searches`, `misuse`, `breaches`,
//!   `disciplinary`, `organisations` (a count, with an optional `filter`) or `recommendations`
//!   (a count, with an optional `status`: implemented, in-progress, not-started, overdue).
//! - `{{ table(data="organisations", columns="name,jurisdiction", filter="type=national-agency", caption="…", limit=20) }}`:
//!   a captioned table of a dataset; `name` picks `name_cy` on Welsh pages; coded values show
//!   their translated labels.
//! - `{{ list(data="organisations", filter="jurisdiction=scotland") }}`: a list of names linking
//!   to their pages.

mod chart;

use crate::datasets::columns::Values;
use crate::datasets::{Cell, Dataset, Kind, cell};
use crate::deps::{Read, record};
use crate::diagnostics::did_you_mean;
use crate::escape;
use crate::locale::Lang;
use crate::markdown::shortcodes::Shortcode;
use crate::markdown::{Expansion, ShortcodeError};
use crate::publications::Downloads;
use crate::site::Site;

/// Rows a table shortcode may show: larger tables belong in a download, or filtered.
pub const MAX_TABLE_ROWS: usize = 200;

pub const NAMES: &[&str] = &["figure", "table", "list", "chart", "lang"];

fn error(
    code: &Shortcode,
    span_of: Option<&str>,
    message: String,
    hint: Option<String>,
) -> ShortcodeError {
    ShortcodeError {
        message,
        span: span_of.map_or(code.span.clone(), |k| code.span_of(k)),
        hint,
    }
}

/// Arguments must be among `allowed`; `required` ones must be present.
pub fn check_args(
    code: &Shortcode,
    allowed: &[&str],
    required: &[&str],
) -> Result<(), ShortcodeError> {
    for key in code.args.keys() {
        if !allowed.contains(&key.as_str()) {
            let hint = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{} takes: {}", code.name, allowed.join(", ")),
            };
            return Err(error(
                code,
                Some(key),
                format!("{} has no argument `{key}`", code.name),
                Some(hint),
            ));
        }
    }
    for key in required {
        if !code.args.contains_key(*key) {
            return Err(error(
                code,
                None,
                format!("{} needs `{key}`", code.name),
                Some(format!("add {key}=\"…\"")),
            ));
        }
    }
    Ok(())
}

pub fn expand(
    site: &Site,
    downloads: &Downloads,
    lang: Lang,
    code: &Shortcode,
) -> Result<Expansion, ShortcodeError> {
    match code.name.as_str() {
        "figure" => figure(site, lang, code),
        "table" => table(site, downloads, lang, code),
        "list" => list(site, lang, code),
        "chart" => chart::shortcode(site, downloads, lang, code),
        "lang" => other_language(site, code),
        other => Err(error(
            code,
            None,
            format!("unknown shortcode `{other}`"),
            Some(match did_you_mean(other, NAMES.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("shortcodes are: {}", NAMES.join(", ")),
            }),
        )),
    }
}

/// `{{ lang(code="en", text="Open Space") }}`: a phrase in another language, marked so screen
/// readers switch voice (WCAG 3.1.2).
fn other_language(site: &Site, code: &Shortcode) -> Result<Expansion, ShortcodeError> {
    check_args(code, &["code", "text"], &["code", "text"])?;
    let language = code.text("code").unwrap_or_default();
    let known =
        crate::locale::by_code(&language).is_some() || site.config.language(&language).is_some();
    let valid_tag = !language.is_empty()
        && language.len() <= 8
        && language
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-');
    if !known && !valid_tag {
        return Err(error(
            code,
            Some("code"),
            format!("`{language}` is not a language code"),
            Some("use a BCP 47 code such as en, cy, ga or gd".into()),
        ));
    }
    Ok(Expansion {
        html: format!(
            "<span lang=\"{}\">{}</span>",
            escape::html(&language),
            escape::html(&code.text("text").unwrap_or_default())
        ),
        illustrative: false,
        warning: None,
    })
}

fn number_arg(code: &Shortcode, key: &str) -> Result<Option<i64>, ShortcodeError> {
    match code.args.get(key) {
        None => Ok(None),
        Some((crate::markdown::shortcodes::Arg::Number(n), _)) if n.fract() == 0.0 => {
            Ok(Some(*n as i64))
        }
        Some(_) => Err(error(
            code,
            Some(key),
            format!("`{key}` must be a whole number"),
            None,
        )),
    }
}

fn figure(site: &Site, lang: Lang, code: &Shortcode) -> Result<Expansion, ShortcodeError> {
    check_args(
        code,
        &["data", "year", "organisation", "system", "filter", "status"],
        &["data"],
    )?;
    let data = code.text("data").unwrap_or_default();
    let year = number_arg(code, "year")?.map(|y| y as i16);
    let org = code.text("organisation");
    if org.is_some() {
        record(Read::Publication("organisations"));
    }
    if let Some(o) = &org
        && let Some(m) = site
            .data
            .get::<crate::publications::organisations::Organisations>()
            .and_then(|orgs| {
                orgs.get(o)
                    .is_none()
                    .then(|| format!("no organisation with id `{o}`"))
            })
    {
        return Err(error(code, Some("organisation"), m, None));
    }
    let (value, illustrative) = match data.as_str() {
        "searches" | "misuse" | "breaches" | "disciplinary" => {
            record(Read::Publication("statistics"));
            let usage = site
                .data
                .get::<crate::publications::usage::Usage>()
                .ok_or_else(|| {
                    error(
                        code,
                        Some("data"),
                        "the site has no usage statistics".into(),
                        None,
                    )
                })?;
            let system = code.text("system");
            if let Some(s) = &system
                && !crate::publications::organisations::SYSTEMS.contains(&s.as_str())
            {
                return Err(error(
                    code,
                    Some("system"),
                    format!("no system `{s}`"),
                    Some("systems are PNC, PND and LEDS".into()),
                ));
            }
            let n = usage
                .figure(&data, year, org.as_deref(), system.as_deref())
                .ok_or_else(|| {
                    error(
                        code,
                        None,
                        format!("no {data} figure for that year and organisation"),
                        Some("check `year` against the years in data/usage/".into()),
                    )
                })?;
            let dataset = if data == "searches" {
                "searches"
            } else {
                "conduct"
            };
            (n as i64, is_illustrative(site, dataset))
        }
        "organisations" => {
            let d = dataset(site, code, "organisations")?;
            let rows = filtered(site, lang, code, d)?;
            (rows.len() as i64, d.meta.illustrative)
        }
        "recommendations" => {
            record(Read::Publication("inspections"));
            let inspections = site
                .data
                .get::<crate::publications::inspections::Inspections>()
                .ok_or_else(|| {
                    error(
                        code,
                        Some("data"),
                        "the site has no inspections".into(),
                        None,
                    )
                })?;
            let status = code.text("status");
            let n = inspections
                .years
                .iter()
                .flat_map(|y| y.inspections.iter().flat_map(|i| &i.recommendations))
                .filter(|r| {
                    status.as_deref().is_none_or(|s| {
                        crate::publications::inspections::tracked_status(r, site.data.today) == s
                    })
                })
                .count();
            (n as i64, is_illustrative(site, "recommendations"))
        }
        other => {
            return Err(error(
                code,
                Some("data"),
                format!("figure has no data `{other}`"),
                Some("figures are: searches, misuse, breaches, disciplinary, organisations, recommendations".into()),
            ));
        }
    };
    Ok(Expansion {
        html: format!("<span class=\"figure\">{}</span>", lang.number(value)),
        illustrative,
        warning: None,
    })
}

fn is_illustrative(site: &Site, dataset: &str) -> bool {
    site.page_data
        .datasets
        .iter()
        .find(|d| d.name == dataset)
        .inspect(|d| record(Read::Dataset(d.name)))
        .is_some_and(|d| d.meta.illustrative)
}

pub fn dataset<'a>(
    site: &'a Site,
    code: &Shortcode,
    name: &str,
) -> Result<&'a Dataset, ShortcodeError> {
    site.page_data
        .datasets
        .iter()
        .find(|d| d.name == name)
        .inspect(|d| record(Read::Dataset(d.name)))
        .ok_or_else(|| {
            let names: Vec<&str> = site.page_data.datasets.iter().map(|d| d.name).collect();
            error(
                code,
                Some("data"),
                format!("no dataset `{name}`"),
                Some(match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("datasets are: {}", names.join(", ")),
                }),
            )
        })
}

/// A column name as written in a shortcode: `name` means `name_cy` on a Welsh page.
fn column_index(d: &Dataset, lang: Lang, name: &str) -> Option<usize> {
    let localised = format!("{name}_{}", lang.code);
    d.fields
        .iter()
        .position(|f| f.name == localised)
        .or_else(|| d.fields.iter().position(|f| f.name == name))
}

pub fn column(
    d: &Dataset,
    lang: Lang,
    code: &Shortcode,
    key: &str,
    name: &str,
) -> Result<usize, ShortcodeError> {
    column_index(d, lang, name).ok_or_else(|| {
        let names: Vec<String> = d.fields.iter().map(|f| f.name.clone()).collect();
        error(
            code,
            Some(key),
            format!("dataset `{}` has no column `{name}`", d.name),
            Some(match did_you_mean(name, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("its columns are: {}", names.join(", ")),
            }),
        )
    })
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Num(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Empty => String::new(),
    }
}

/// The dataset's rows matching `filter="col=value;col2=value"` (values in lists match any item).
pub fn filtered(
    site: &Site,
    lang: Lang,
    code: &Shortcode,
    d: &Dataset,
) -> Result<Vec<Vec<Cell>>, ShortcodeError> {
    let _ = site;
    let mut conditions = Vec::new();
    if let Some(filter) = code.text("filter") {
        for part in filter.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| {
                error(
                    code,
                    Some("filter"),
                    format!("filter `{part}` is not `column=value`"),
                    Some("`column^=start` matches the start of a value".into()),
                )
            })?;
            let (name, prefix) = match name.strip_suffix('^') {
                Some(n) => (n, true),
                None => (name, false),
            };
            let i = column(d, lang, code, "filter", name.trim())?;
            conditions.push((i, value.trim().to_string(), prefix));
        }
    }
    let keep = |row: &[Cell]| {
        conditions.iter().all(|(i, v, prefix)| {
            let text = cell_text(cell(row, *i));
            if *prefix {
                text.starts_with(v.as_str())
            } else {
                text == *v || text.split(';').any(|item| item == v)
            }
        })
    };
    let mut rows = Vec::new();
    match &d.rows {
        // Only the rows kept are copied.
        crate::datasets::Rows::Memory(all) => {
            rows.extend(all.iter().filter(|r| keep(r)).cloned());
        }
        crate::datasets::Rows::Stream(source) => source(&mut |row: Vec<Cell>| {
            if keep(&row) {
                rows.push(row);
            }
        }),
    }
    Ok(rows)
}

/// A coded value's label in the page's language (`scotland` → `Yr Alban`), as its column
/// declares (see [`Values`]); the value itself when there is none.
pub fn value_label(site: &Site, lang: Lang, values: Values, value: &str) -> String {
    let data = &site.data;
    let organisation = || {
        record(Read::Publication("organisations"));
        data.get::<crate::publications::organisations::Organisations>()
            .and_then(|o| o.get(value))
            .map(|o| o.name.get(lang).to_string())
    };
    let body = || {
        record(Read::Publication("oversight"));
        data.get::<crate::publications::regulators::Regulators>()
            .and_then(|r| r.get(value))
            .map(|b| b.name.get(lang).to_string())
    };
    let label = match values {
        Values::Raw => None,
        Values::Strings(namespace) => site
            .theme
            .strings
            .get(lang, &format!("{namespace}.{value}"))
            .map(str::to_string),
        Values::Organisation => organisation(),
        Values::Reason => {
            record(Read::Publication("reasons"));
            data.get::<crate::publications::reasons::Reasons>()
                .and_then(|r| r.get(value))
                .map(|r| r.name.get(lang).to_string())
        }
        Values::Body => body(),
        Values::Owner => body().or_else(organisation),
        Values::Quarter => Some(crate::publications::inspections::quarter_label(
            &site.theme.strings,
            lang,
            value,
        )),
    };
    label.unwrap_or_else(|| value.to_string())
}

fn table(
    site: &Site,
    downloads: &Downloads,
    lang: Lang,
    code: &Shortcode,
) -> Result<Expansion, ShortcodeError> {
    check_args(
        code,
        &["data", "columns", "filter", "caption", "limit"],
        &["data"],
    )?;
    let d = dataset(site, code, &code.text("data").unwrap_or_default())?;
    let columns: Vec<usize> = match code.text("columns") {
        Some(list) => list
            .split(',')
            .map(|c| column(d, lang, code, "columns", c.trim()))
            .collect::<Result<_, _>>()?,
        None => (0..d.fields.len()).collect(),
    };
    let mut rows = filtered(site, lang, code, d)?;
    if let Some(limit) = number_arg(code, "limit")? {
        rows.truncate(limit.max(0) as usize);
    }
    if rows.len() > MAX_TABLE_ROWS {
        return Err(error(
            code,
            None,
            format!("this table would have {} rows", rows.len()),
            Some(format!(
                "show at most {MAX_TABLE_ROWS}: add a `filter` or `limit`, and link to the download for the rest"
            )),
        ));
    }
    let caption = code
        .text("caption")
        .unwrap_or_else(|| d.meta.title.get(lang).to_string());
    let id = format!("table-{}-{}", d.name, code.span.start);
    let mut html = format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}\"><table><caption id=\"{id}\">{}</caption><thead><tr>",
        escape::html(&caption)
    );
    let numeric = |i: usize| matches!(d.fields[i].kind, Kind::Integer | Kind::Number);
    for &i in &columns {
        let class = if numeric(i) {
            " class=\"align-right\""
        } else {
            ""
        };
        // The short heading ("Title", "Lead inspectorate"): the description ("Title in
        // English", "Lead inspectorate (body id)") is about the file, for the datapackage.
        html.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            escape::html(d.fields[i].label.get(lang))
        ));
    }
    html.push_str("</tr></thead><tbody>");
    for row in &rows {
        html.push_str("<tr>");
        for (n, &i) in columns.iter().enumerate() {
            let value = match (cell(row, i), d.fields[i].kind) {
                // Years and ids are names, not quantities: no thousands separator.
                (Cell::Int(v), _) if matches!(d.fields[i].name.as_str(), "year" | "id") => {
                    v.to_string()
                }
                (Cell::Int(v), _) => lang.number(*v),
                (Cell::Num(v), _) => format!("{v:.1}"),
                (Cell::Text(s), Kind::YearMonth) => crate::data::parse_month(s).map_or_else(
                    || s.clone(),
                    |m| crate::publications::usage::month_name(lang, m),
                ),
                (Cell::Text(s), Kind::Date) => {
                    crate::data::parse_date(s).map_or_else(|| s.clone(), |d| lang.long_date(d))
                }
                (Cell::Text(s), _) if d.fields[i].list => {
                    let labels: Vec<String> = crate::data::csvfile::list(s)
                        .map(|v| value_label(site, lang, d.fields[i].values, v))
                        .collect();
                    labels.join(", ")
                }
                (Cell::Text(s), _) => value_label(site, lang, d.fields[i].values, s),
                (other, _) => cell_text(other),
            };
            let class = if numeric(i) {
                " class=\"align-right\""
            } else {
                ""
            };
            let tag = if n == 0 { "th scope=\"row\"" } else { "td" };
            let close = if n == 0 { "th" } else { "td" };
            html.push_str(&format!("<{tag}{class}>{}</{close}>", escape::html(&value)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html.push_str(&download_links(site, downloads, lang, d));
    Ok(Expansion {
        html,
        illustrative: d.meta.illustrative,
        warning: None,
    })
}

fn list(site: &Site, lang: Lang, code: &Shortcode) -> Result<Expansion, ShortcodeError> {
    check_args(code, &["data", "filter", "column"], &["data"])?;
    let d = dataset(site, code, &code.text("data").unwrap_or_default())?;
    let shown = column(
        d,
        lang,
        code,
        "column",
        &code.text("column").unwrap_or_else(|| "name".into()),
    )?;
    let id_column = column_index(d, lang, "id");
    let rows = filtered(site, lang, code, d)?;
    let mut html = String::from("<ul>");
    for row in &rows {
        let text = escape::html(&cell_text(cell(row, shown)));
        let path =
            id_column.and_then(|i| site.page_data.link(d.name, &cell_text(cell(row, i)), lang));
        match path {
            Some(p) => html.push_str(&format!(
                "<li><a href=\"{}\">{text}</a></li>",
                escape::html(&p)
            )),
            None => html.push_str(&format!("<li>{text}</li>")),
        }
    }
    html.push_str("</ul>");
    Ok(Expansion {
        html,
        illustrative: d.meta.illustrative,
        warning: None,
    })
}

/// "Download this data: CSV, 12 KB, JSON, 30 KB" for a dataset, in the page's language.
pub fn download_links(site: &Site, downloads: &Downloads, lang: Lang, d: &Dataset) -> String {
    record(Read::Dataset(d.name));
    crate::publications::download_html(
        downloads.get(d.name).map(Vec::as_slice),
        d.meta.illustrative,
        &|key| site.theme.strings.get(lang, key).unwrap_or(key).to_string(),
    )
}
