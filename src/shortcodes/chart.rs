//! `{{ chart(data="searches", kind="line", x="period", y="searches", series="system",
//! filter="period^=2023", title="…") }}`: a chart of any dataset, summing `y` by `x` and
//! `series`, declared in Markdown and checked like any data.

use std::collections::BTreeMap;

use super::{cell_text, check_args, column, dataset, download_links, filtered, value_label};
use crate::charts::{Chart, Kind, MAX_SERIES, Outcome, Series, render};
use crate::datasets::columns::Values;
use crate::datasets::{Cell, Kind as FieldKind, cell};
use crate::locale::Lang;
use crate::markdown::shortcodes::Shortcode;
use crate::markdown::{Expansion, ShortcodeError};
use crate::site::Site;

fn error(
    code: &Shortcode,
    key: Option<&str>,
    message: String,
    hint: Option<String>,
) -> ShortcodeError {
    ShortcodeError {
        message,
        span: key.map_or(code.span.clone(), |k| code.span_of(k)),
        hint,
    }
}

fn cell_number(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(n) => Some(*n as f64),
        Cell::Num(n) => Some(*n),
        Cell::Text(s) => s.parse().ok(),
        _ => None,
    }
}

/// Every month from the first to the last, so missing months show as gaps.
fn months_between(first: &str, last: &str) -> Vec<String> {
    match (
        crate::data::parse_month(first),
        crate::data::parse_month(last),
    ) {
        (Some(a), Some(b)) => crate::data::months(a, b)
            .into_iter()
            .map(|(y, m)| format!("{y}-{m:02}"))
            .collect(),
        _ => vec![first.to_string(), last.to_string()],
    }
}

pub fn shortcode(
    site: &Site,
    downloads: &crate::publications::Downloads,
    lang: Lang,
    code: &Shortcode,
) -> Result<Expansion, ShortcodeError> {
    check_args(
        code,
        &[
            "data", "kind", "x", "y", "series", "filter", "title", "subtitle",
        ],
        &["data", "kind", "x", "y"],
    )?;
    let kind_name = code.text("kind").unwrap_or_default();
    let kind = Kind::parse(&kind_name).ok_or_else(|| {
        error(
            code,
            Some("kind"),
            format!("no chart kind `{kind_name}`"),
            Some(format!("kinds are: {}", Kind::NAMES.join(", "))),
        )
    })?;
    let d = dataset(site, code, &code.text("data").unwrap_or_default())?;
    let x = column(d, lang, code, "x", &code.text("x").unwrap_or_default())?;
    let y = column(d, lang, code, "y", &code.text("y").unwrap_or_default())?;
    if !matches!(d.fields[y].kind, FieldKind::Integer | FieldKind::Number) {
        return Err(error(
            code,
            Some("y"),
            format!("`{}` is not a number column", d.fields[y].name),
            Some("y must be a column of numbers".into()),
        ));
    }
    let series_col = match code.text("series") {
        Some(s) => Some(column(d, lang, code, "series", &s)?),
        None => None,
    };
    let rows = filtered(site, lang, code, d)?;
    // x value → series value → sum
    let mut sums: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for row in &rows {
        let Some(v) = cell_number(cell(row, y)) else {
            continue;
        };
        let s = series_col.map_or_else(String::new, |c| cell_text(cell(row, c)));
        *sums
            .entry(cell_text(cell(row, x)))
            .or_default()
            .entry(s)
            .or_default() += v;
    }
    let x_kind = d.fields[x].kind;
    let ordinal = matches!(
        x_kind,
        FieldKind::YearMonth | FieldKind::Integer | FieldKind::Date
    );
    let mut keys: Vec<String> = sums.keys().cloned().collect();
    if x_kind == FieldKind::YearMonth
        && let (Some(first), Some(last)) = (keys.first().cloned(), keys.last().cloned())
    {
        keys = months_between(&first, &last);
    }
    let mut series_names: Vec<String> = sums.values().flat_map(|m| m.keys().cloned()).collect();
    series_names.sort();
    series_names.dedup();
    // A stable order, so a series keeps its colour and dash from chart to chart: the systems
    // in their fixed order, anything else alphabetically.
    let position = |s: &str| {
        crate::publications::organisations::SYSTEMS
            .iter()
            .position(|x| *x == s)
    };
    series_names.sort_by(|a, b| position(a).cmp(&position(b)).then_with(|| a.cmp(b)));
    if series_names.len() > MAX_SERIES {
        return Err(error(
            code,
            series_col.map(|_| "series"),
            format!(
                "this chart would have {} series; at most {} can be told apart",
                series_names.len(),
                MAX_SERIES
            ),
            Some("add a `filter`, or chart another column as `series`".into()),
        ));
    }
    if !ordinal {
        // Bars of unordered categories read best largest first.
        keys.sort_by(|a, b| {
            let t = |k: &str| sums.get(k).map_or(0.0, |m| m.values().sum::<f64>());
            t(b).total_cmp(&t(a))
        });
    }
    let category_values = d.fields[x].values;
    let category = |k: &str| match x_kind {
        FieldKind::YearMonth => crate::data::parse_month(k).map_or(k.to_string(), |m| {
            crate::publications::usage::month_name(lang, m)
        }),
        _ => value_label(site, lang, category_values, k),
    };
    let series_values = series_col.map_or(Values::Raw, |c| d.fields[c].values);
    let measure_field = &d.fields[y];
    let measure = match &measure_field.unit {
        Some(unit) => format!(
            "{} ({})",
            measure_field.description.get(lang),
            unit.get(lang)
        ),
        None => measure_field.description.get(lang).to_string(),
    };
    let series: Vec<Series> = series_names
        .iter()
        .map(|s| Series {
            name: if s.is_empty() {
                measure_field.description.get(lang).to_string()
            } else {
                value_label(site, lang, series_values, s)
            },
            values: keys
                .iter()
                .map(|k| sums.get(k).and_then(|m| m.get(s)).copied())
                .collect(),
        })
        .collect();
    let categories: Vec<String> = keys.iter().map(|k| category(k)).collect();
    let t = |key: &str| site.theme.strings.get(lang, key).unwrap_or(key).to_string();
    let subtitle = code.text("subtitle").unwrap_or_else(|| {
        crate::theme::i18n::fill(
            &t("chart.subtitle"),
            &[
                ("measure", &measure),
                ("by", &d.fields[x].label.get(lang).to_lowercase()),
                ("from", categories.first().map_or("", String::as_str)),
                ("to", categories.last().map_or("", String::as_str)),
            ],
        )
    });
    let chart = Chart {
        id: format!("chart-{}", code.span.start),
        kind,
        title: code
            .text("title")
            .unwrap_or_else(|| d.meta.title.get(lang).to_string()),
        subtitle,
        measure,
        category_label: d.fields[x].label.get(lang).to_string(),
        ordinal,
        categories,
        series,
        lang,
    };
    match render(&chart, &t, &download_links(site, downloads, lang, d)) {
        Ok(Outcome::Chart(html)) => Ok(Expansion {
            html,
            illustrative: d.meta.illustrative,
            warning: None,
        }),
        Ok(Outcome::Empty(html)) => Ok(Expansion {
            html,
            illustrative: false,
            warning: Some("this chart has no data: check its `filter`".into()),
        }),
        Err(message) => Err(error(
            code,
            None,
            message,
            Some("add a `filter`, or chart another column".into()),
        )),
    }
}
