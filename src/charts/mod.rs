//! Accessible, bilingual SVG charts rendered at build time with plotters.
//!
//! Every chart is a `<figure>` holding an SVG with `role="img"`, a `<title>` and a generated
//! plain-language `<desc>` (range, highest, lowest, trend), its data table in a `<details>`
//! beside it, and a link to the CSV it comes from. Series differ by colour (the Analysis
//! Function's accessible palette), dash pattern, marker shape and a direct label, so colour is
//! never the only signal and charts print legibly in greyscale. Text is real `<text>` at 12 px
//! or more; there are no `style` attributes, so a strict Content-Security-Policy holds. Fonts
//! are measured with DejaVu Sans from the `dejavu` crate, never the build machine's fonts, so
//! the same data gives the same bytes.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::escape;
use crate::locale::Lang;
use crate::theme::i18n::fill;

/// Width and height of the drawing, in SVG user units. The figure scales to its container;
/// below 30rem it scrolls sideways rather than shrinking text under 12 px.
pub const WIDTH: u32 = 720;
pub const HEIGHT: u32 = 400;
/// Drawn at 15 so plotters' SVG font size (size / 1.24) rounds to 12.
const FONT: f64 = 15.0;
pub const MAX_SERIES: usize = 6;

/// The Analysis Function's categorical palette, in its recommended order.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0x12, 0x43, 0x6D),
    RGBColor(0x28, 0xA1, 0x97),
    RGBColor(0x80, 0x16, 0x50),
    RGBColor(0xF4, 0x6A, 0x25),
    RGBColor(0x3D, 0x3D, 0x3D),
    RGBColor(0xA2, 0x85, 0xD1),
];
const TEXT: RGBColor = RGBColor(0x0B, 0x0C, 0x0C);
const GRID: RGBColor = RGBColor(0xD8, 0xD8, 0xD8);
const AXIS: RGBColor = RGBColor(0x50, 0x5A, 0x5F);

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Line,
    Bar,
    HorizontalBar,
    Stacked,
    Grouped,
}

impl Kind {
    pub const NAMES: &[&str] = &["line", "bar", "hbar", "stacked", "grouped"];

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "line" => Kind::Line,
            "bar" => Kind::Bar,
            "hbar" => Kind::HorizontalBar,
            "stacked" => Kind::Stacked,
            "grouped" => Kind::Grouped,
            _ => return None,
        })
    }

    fn key(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::Bar => "bar",
            Kind::HorizontalBar => "hbar",
            Kind::Stacked => "stacked",
            Kind::Grouped => "grouped",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` is a gap, never zero.
    pub values: Vec<Option<f64>>,
}

#[derive(Clone, Debug)]
pub struct Chart {
    /// Unique on its page: ids of the title, description and caption derive from it.
    pub id: String,
    pub kind: Kind,
    /// The headline: what the chart shows, as a sentence.
    pub title: String,
    /// What, where, when, units.
    pub subtitle: String,
    /// The measure on the value axis, with its unit: "Searches", "Score (%)".
    pub measure: String,
    /// The heading of the category column in the data table: "Month", "Organisation".
    pub category_label: String,
    pub categories: Vec<String>,
    /// Categories have an order (months, years): the description then says how values moved.
    pub ordinal: bool,
    pub series: Vec<Series>,
    pub lang: Lang,
}

/// Localised words a chart needs.
pub trait Words {
    fn word(&self, key: &str) -> String;
}

impl<F: Fn(&str) -> String> Words for F {
    fn word(&self, key: &str) -> String {
        self(key)
    }
}

pub enum Outcome {
    Chart(String),
    /// No data: a message in place of the chart (and the caller warns).
    Empty(String),
}

fn register_font() {
    static FONT_ONCE: Once = Once::new();
    FONT_ONCE.call_once(|| {
        // The bytes come from a crate and are a valid font; failure would be a packaging bug.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The chart as HTML (figure, SVG, data table), or a message when there is nothing to show.
/// Errors are problems of the declaration (too many series).
pub fn render(chart: &Chart, words: &dyn Words, download: &str) -> Result<Outcome, String> {
    if chart.series.len() > MAX_SERIES {
        return Err(format!(
            "a chart can show at most {MAX_SERIES} series, and this one has {}",
            chart.series.len()
        ));
    }
    let has_data = chart
        .series
        .iter()
        .any(|s| s.values.iter().any(Option::is_some));
    if chart.categories.is_empty() || !has_data {
        return Ok(Outcome::Empty(format!(
            "<p class=\"chart-empty\">{}</p>",
            escape::html(&words.word("chart.empty"))
        )));
    }
    register_font();
    let svg = draw(chart).map_err(|e| format!("could not draw the chart: {e}"))?;
    let desc = describe(chart, words);
    let svg = finish_svg(&svg, chart, &desc);
    let id = escape::html(&chart.id);
    let html = format!(
        "<figure class=\"chart\" aria-labelledby=\"{id}-caption\">\
         <figcaption id=\"{id}-caption\"><span class=\"chart__title\">{title}</span> \
         <span class=\"chart__subtitle\">{subtitle}</span></figcaption>\
         <div class=\"chart__image\">{svg}</div>\
         <details class=\"details\"><summary class=\"details__summary\">{show}</summary>{table}</details>\
         {download}</figure>",
        title = escape::html(&chart.title),
        subtitle = escape::html(&chart.subtitle),
        show = escape::html(&words.word("data.show_data")),
        table = data_table(chart),
    );
    Ok(Outcome::Chart(html))
}

fn format_value(lang: Lang, v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        lang.number(v as i64)
    } else {
        let rounded = (v * 10.0).round() / 10.0;
        let whole = lang.number(rounded.trunc() as i64);
        let tenth = ((rounded.abs().fract()) * 10.0).round() as i64;
        if rounded < 0.0 && rounded.trunc() == 0.0 {
            format!("-{whole}.{tenth}")
        } else {
            format!("{whole}.{tenth}")
        }
    }
}

/// The data table shown beside the chart: categories down, series across.
fn data_table(chart: &Chart) -> String {
    let mut html = format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-table\"><table><caption id=\"{id}-table\">{title}</caption><thead><tr><th scope=\"col\">{cat}</th>",
        id = escape::html(&chart.id),
        title = escape::html(&chart.title),
        cat = escape::html(&chart.category_label),
    );
    for s in &chart.series {
        html.push_str(&format!(
            "<th scope=\"col\" class=\"align-right\">{}</th>",
            escape::html(&s.name)
        ));
    }
    html.push_str("</tr></thead><tbody>");
    for (i, c) in chart.categories.iter().enumerate() {
        html.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape::html(c)));
        for s in &chart.series {
            let v = s
                .values
                .get(i)
                .copied()
                .flatten()
                .map_or_else(|| "–".to_string(), |v| format_value(chart.lang, v));
            html.push_str(&format!("<td class=\"align-right\">{v}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

/// A plain-language summary for `<desc>`: what it shows, and each series' range and trend.
/// Values go into the sentences with [`fill`], once: a name holding `{max}` stays as written.
pub fn describe(chart: &Chart, words: &dyn Words) -> String {
    let lang = chart.lang;
    // A series may have a value for a category the chart does not name; it is called nothing.
    let category = |i: usize| chart.categories.get(i).map_or("", String::as_str);
    let first = chart.categories.first().map_or("", String::as_str);
    let last = chart.categories.last().map_or("", String::as_str);
    let kind = words.word(&format!("chart.kind.{}", chart.kind.key()));
    let mut out = fill(
        &words.word("chart.summary"),
        &[
            ("kind", &kind),
            ("measure", &chart.measure),
            ("from", first),
            ("to", last),
        ],
    );
    for s in &chart.series {
        let points: Vec<(usize, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        let Some(&(first_i, first_v)) = points.first() else {
            continue;
        };
        let &(last_i, last_v) = points.last().unwrap_or(&(first_i, first_v));
        let max = points
            .iter()
            .copied()
            .fold((first_i, first_v), |a, b| if b.1 > a.1 { b } else { a });
        let min = points
            .iter()
            .copied()
            .fold((first_i, first_v), |a, b| if b.1 < a.1 { b } else { a });
        let trend_key = if points.len() < 2 || (last_v - first_v).abs() < f64::EPSILON {
            "chart.trend_flat"
        } else if last_v > first_v {
            "chart.trend_up"
        } else {
            "chart.trend_down"
        };
        // A trend only means something along an order (time); not across sorted categories.
        let trend = if chart.ordinal {
            fill(
                &words.word(trend_key),
                &[
                    ("first", &format_value(lang, first_v)),
                    ("last", &format_value(lang, last_v)),
                    ("from", category(first_i)),
                    ("to", category(last_i)),
                ],
            )
        } else {
            String::new()
        };
        let summary = words.word(if chart.ordinal {
            "chart.series_summary"
        } else {
            "chart.series_summary_unordered"
        });
        out.push(' ');
        out.push_str(&fill(
            &summary,
            &[
                ("series", &s.name),
                ("max", &format_value(lang, max.1)),
                ("max_at", category(max.0)),
                ("min", &format_value(lang, min.1)),
                ("min_at", category(min.0)),
                ("trend", &trend),
            ],
        ));
    }
    if chart
        .series
        .iter()
        .any(|s| s.values.iter().any(Option::is_none))
        && chart.kind == Kind::Line
    {
        out.push(' ');
        out.push_str(&words.word("chart.gaps"));
    }
    out
}

/// Value axis range: always includes zero; never empty.
fn value_range(chart: &Chart) -> (f64, f64) {
    let stacked = matches!(chart.kind, Kind::Stacked);
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for i in 0..chart.categories.len() {
        if stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in &chart.series {
                match s.values.get(i).copied().flatten() {
                    Some(v) if v >= 0.0 => pos += v,
                    Some(v) => neg += v,
                    None => {}
                }
            }
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for s in &chart.series {
                if let Some(v) = s.values.get(i).copied().flatten() {
                    hi = hi.max(v);
                    lo = lo.min(v);
                }
            }
        }
    }
    if hi == lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

/// Shorten long labels (very long organisation names) so they never run into the plot; the
/// data table keeps the full text.
fn fit(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

fn draw(chart: &Chart) -> DrawResult<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        match chart.kind {
            Kind::HorizontalBar => draw_hbar(chart, &root)?,
            // Bars whose names would be shortened or skipped below them (Welsh names are
            // often longer) lie on their side, where every name has room.
            Kind::Bar | Kind::Grouped if !names_fit_below(chart) => draw_hbar(chart, &root)?,
            _ => draw_vertical(chart, &root)?,
        }
        root.present()?;
    }
    Ok(buf)
}

/// Labels below a vertical chart: at most 16 characters, about 8 units a character at 12 px,
/// with a gap between them.
const BELOW_MAX_CHARS: usize = 16;

fn label_slots(plot_width: u32, longest: usize) -> usize {
    (plot_width as usize / (longest * 8 + 24)).max(1)
}

/// Whether every category name fits, whole, below a vertical bar chart.
fn names_fit_below(chart: &Chart) -> bool {
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(1);
    longest <= BELOW_MAX_CHARS && label_slots(WIDTH - 120, longest) >= chart.categories.len()
}

fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&TEXT)
}

/// Dash lengths per series (solid first), for line charts.
const DASHES: [(u32, u32); 6] = [(0, 0), (10, 5), (3, 4), (14, 4), (6, 3), (2, 6)];

fn draw_vertical<DB: DrawingBackend>(
    chart: &Chart,
    root: &DrawingArea<DB, plotters::coord::Shift>,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let n = chart.categories.len();
    let (lo, hi) = value_range(chart);
    let is_line = chart.kind == Kind::Line;
    let x_range = if is_line {
        0.0..((n.max(2) - 1) as f64)
    } else {
        0.0..n as f64
    };
    // Room on the right for direct labels at the end of lines.
    let right = if is_line { 130 } else { 20 };
    let mut cc = ChartBuilder::on(root)
        .margin_top(16)
        .margin_left(10)
        .margin_right(right)
        .margin_bottom(10)
        .x_label_area_size(48)
        .y_label_area_size(90)
        .build_cartesian_2d(x_range, lo..hi)?;
    let lang = chart.lang;
    // Space labels by their width so they never touch (lines with many points skip some).
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count().min(BELOW_MAX_CHARS))
        .max()
        .unwrap_or(1);
    let label_every = n.div_ceil(label_slots(WIDTH - 100 - right, longest)).max(1);
    let categories = &chart.categories;
    let x_fmt = |x: &f64| {
        let i = if is_line { x.round() } else { x.floor() };
        // Lines are labelled at their points; bars at the middle of their band, once.
        let off_point = if is_line {
            (x - i).abs() > 1e-6
        } else {
            (x - i - 0.5).abs() > 1e-6
        };
        if off_point || i < 0.0 {
            return String::new();
        }
        let i = i as usize;
        // Only positions of a category are labelled, so `categories[i]` below is in range.
        if i >= n || !i.is_multiple_of(label_every) {
            return String::new();
        }
        fit(&categories[i], BELOW_MAX_CHARS)
    };
    let y_fmt = |y: &f64| format_value(lang, *y);
    cc.configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .x_labels(if is_line { n } else { n * 2 + 1 })
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(font(FONT))
        .y_desc(chart.measure.as_str())
        .axis_desc_style(font(FONT))
        .draw()?;
    let count = chart.series.len().max(1);
    match chart.kind {
        Kind::Line => {
            for (si, s) in chart.series.iter().enumerate() {
                let colour = PALETTE[si % PALETTE.len()];
                let style = colour.stroke_width(3);
                // Consecutive known values form a run; a gap ends it.
                let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for (i, v) in s.values.iter().enumerate() {
                    match v {
                        Some(v) => runs
                            .last_mut()
                            .map(|r| r.push((i as f64, *v)))
                            .unwrap_or(()),
                        None => runs.push(Vec::new()),
                    }
                }
                for run in runs.into_iter().filter(|r| !r.is_empty()) {
                    let (dash, gap) = DASHES[si % DASHES.len()];
                    if dash == 0 {
                        cc.draw_series(LineSeries::new(run.clone(), style))?;
                    } else {
                        cc.draw_series(DashedLineSeries::new(run.clone(), dash, gap, style))?;
                    }
                    // Markers only where few points, so shapes stay readable.
                    if n <= 24 || run.len() == 1 {
                        draw_markers(&mut cc, &run, si, colour)?;
                    }
                }
                // A direct label at the end of the line, clear of its last marker.
                if let Some((i, v)) = s
                    .values
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(i, v)| v.map(|v| (i, v)))
                {
                    let style = font(FONT).pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Center,
                    ));
                    cc.draw_series(std::iter::once(
                        EmptyElement::at((i as f64, v))
                            + Text::new(fit(&s.name, 14), (10, 0), style),
                    ))?;
                }
            }
        }
        Kind::Bar | Kind::Grouped | Kind::Stacked => {
            let stacked = chart.kind == Kind::Stacked;
            let mut base_pos = vec![0.0; n];
            let mut base_neg = vec![0.0; n];
            for (si, s) in chart.series.iter().enumerate() {
                let colour = PALETTE[si % PALETTE.len()];
                // One value per category; any beyond them has nowhere to go.
                for (i, v) in s.values.iter().enumerate().take(n) {
                    let Some(v) = *v else { continue };
                    let (x0, x1, y0, y1) = if stacked {
                        let base = if v >= 0.0 {
                            &mut base_pos[i]
                        } else {
                            &mut base_neg[i]
                        };
                        let y0 = *base;
                        *base += v;
                        (i as f64 + 0.15, i as f64 + 0.85, y0, *base)
                    } else {
                        let w = 0.7 / count as f64;
                        let x0 = i as f64 + 0.15 + w * si as f64;
                        (x0, x0 + w, 0.0, v)
                    };
                    cc.draw_series(std::iter::once(Rectangle::new(
                        [(x0, y0), (x1, y1)],
                        colour.filled(),
                    )))?;
                    // A white edge keeps stacked segments apart in greyscale.
                    cc.draw_series(std::iter::once(Rectangle::new(
                        [(x0, y0), (x1, y1)],
                        WHITE.stroke_width(1),
                    )))?;
                }
            }
            if chart.series.len() > 1 {
                draw_legend(root, chart)?;
            }
        }
        Kind::HorizontalBar => {}
    }
    Ok(())
}

fn draw_markers<DB: DrawingBackend, CT: plotters::coord::CoordTranslate<From = (f64, f64)>>(
    cc: &mut ChartContext<DB, CT>,
    run: &[(f64, f64)],
    series: usize,
    colour: RGBColor,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let style = colour.filled();
    match series % 3 {
        0 => {
            cc.draw_series(run.iter().map(|p| Circle::new(*p, 5, style)))?;
        }
        1 => {
            cc.draw_series(run.iter().map(|p| TriangleMarker::new(*p, 6, style)))?;
        }
        _ => {
            cc.draw_series(
                run.iter()
                    .map(|p| EmptyElement::at(*p) + Rectangle::new([(-4, -4), (4, 4)], style)),
            )?;
        }
    }
    Ok(())
}

/// A legend across the top for bar charts with several series: swatch, then name.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let mut x = 100i32;
    for (si, s) in chart.series.iter().enumerate() {
        let colour = PALETTE[si % PALETTE.len()];
        root.draw(&Rectangle::new([(x, 2), (x + 14, 14)], colour.filled()))?;
        let name = fit(&s.name, 22);
        root.draw(&Text::new(name.clone(), (x + 20, 1), font(FONT)))?;
        x += 40 + (name.chars().count() as i32) * 8;
    }
    Ok(())
}

fn draw_hbar<DB: DrawingBackend>(
    chart: &Chart,
    root: &DrawingArea<DB, plotters::coord::Shift>,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let n = chart.categories.len();
    let (lo, hi) = value_range(chart);
    // Room for labels up to half the width; longer ones are shortened to fit it.
    let max_chars = ((WIDTH / 2 - 16) / 8) as usize;
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .min(max_chars);
    let label_width = (longest as u32 * 8 + 16).clamp(60, WIDTH / 2);
    let mut cc = ChartBuilder::on(root)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(label_width)
        .build_cartesian_2d(lo..hi, 0.0..n as f64)?;
    let lang = chart.lang;
    let categories = &chart.categories;
    let y_fmt = |y: &f64| {
        let i = y.floor();
        // Labels sit at the middle of each band, top to bottom in category order.
        // Only the middle of a band is labelled, so the index below is in range.
        if (y - i - 0.5).abs() > 1e-6 || i < 0.0 || i as usize >= n {
            return String::new();
        }
        fit(&categories[n - 1 - i as usize], max_chars)
    };
    let x_fmt = |x: &f64| format_value(lang, *x);
    cc.configure_mesh()
        .disable_y_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .y_labels(n * 2 + 1)
        .x_labels(5)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt)
        .label_style(font(FONT))
        .x_desc(chart.measure.as_str())
        .axis_desc_style(font(FONT))
        .draw()?;
    let count = chart.series.len().max(1);
    for (si, s) in chart.series.iter().enumerate() {
        let colour = PALETTE[si % PALETTE.len()];
        for (i, v) in s.values.iter().enumerate().take(n) {
            let Some(v) = *v else { continue };
            let row = (n - 1 - i) as f64;
            let h = 0.7 / count as f64;
            let y0 = row + 0.15 + h * si as f64;
            cc.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y0), (v, y0 + h)],
                colour.filled(),
            )))?;
        }
    }
    if chart.series.len() > 1 {
        draw_legend(root, chart)?;
    }
    Ok(())
}

/// Give plotters' SVG the accessible root, title and description; round sizes; drop noise.
fn finish_svg(svg: &str, chart: &Chart, desc: &str) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let body_end = svg.rfind("</svg>").unwrap_or(svg.len());
    let mut body = String::with_capacity(svg.len());
    let mut rest = &svg[body_start..body_end];
    // Round font sizes; plotters writes them as size / 1.24. (Every index here comes from
    // finding ASCII text, so it falls between characters; plotters escapes `"` in text.)
    while let Some(i) = rest.find("font-size=\"") {
        body.push_str(&rest[..i + 11]);
        rest = &rest[i + 11..];
        let end = rest.find('"').unwrap_or(0);
        let size: f64 = rest[..end].parse().unwrap_or(12.0);
        body.push_str(&format!("{}", size.round().max(12.0)));
        rest = &rest[end..];
    }
    body.push_str(rest);
    // Plotters puts a line break after each tag and text; a line break inside a label stays.
    let body = body
        .replace(" opacity=\"1\"", "")
        .replace(">\n", ">")
        .replace("\n<", "<");
    let id = escape::html(&chart.id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"chart__svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{body}</svg>",
        escape::html(&chart.title),
        escape::html(desc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::{ENGLISH, WELSH};

    fn words(key: &str) -> String {
        match key {
            "chart.summary" => "{kind} of {measure}, {from} to {to}.".into(),
            "chart.series_summary" => {
                "{series}: highest {max} in {max_at}, lowest {min} in {min_at}, {trend}.".into()
            }
            "chart.trend_up" => "up from {first} to {last}".into(),
            "chart.trend_down" => "down from {first} to {last}".into(),
            "chart.trend_flat" => "level".into(),
            "chart.gaps" => "Gaps mean no data.".into(),
            "chart.kind.line" => "Line chart".into(),
            other => other.into(),
        }
    }

    fn chart(kind: Kind, series: Vec<Series>) -> Chart {
        Chart {
            id: "c1".into(),
            kind,
            title: "Searches rose".into(),
            subtitle: "Searches by month".into(),
            measure: "Searches".into(),
            category_label: "Month".into(),
            categories: vec!["Jan".into(), "Feb".into(), "Mar".into()],
            ordinal: true,
            series,
            lang: &ENGLISH,
        }
    }

    fn html(c: &Chart) -> String {
        match render(c, &words, "").unwrap() {
            Outcome::Chart(h) => h,
            Outcome::Empty(h) => h,
        }
    }

    #[test]
    fn bars_with_long_names_lie_on_their_side_with_every_name_whole() {
        let mut c = chart(
            Kind::Bar,
            vec![Series {
                name: "Argymhellion".into(),
                values: vec![Some(10.0), Some(0.0), Some(3.0), Some(1.0), Some(0.0)],
            }],
        );
        c.lang = &WELSH;
        c.categories = [
            "Wedi'i roi ar waith",
            "Ar y gweill",
            "Heb ddechrau",
            "Yn hwyr",
            "Wedi'i dynnu'n ôl",
        ]
        .map(String::from)
        .to_vec();
        let svg = html(&c);
        for name in [
            "Wedi&#39;i roi ar waith",
            "Ar y gweill",
            "Yn hwyr",
            "Wedi&#39;i dynnu&#39;n ôl",
        ] {
            let plain = name.replace("&#39;", "'");
            assert!(
                svg.contains(name) || svg.contains(&plain),
                "{name} missing or shortened"
            );
        }
        assert!(!svg.contains('…'));
        assert!(!names_fit_below(&c));
        // Short names stay below upright bars.
        c.categories = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
        assert!(names_fit_below(&c));
    }

    #[test]
    fn palette_has_three_to_one_contrast_with_white() {
        fn lum(c: &RGBColor) -> f64 {
            let f = |v: u8| {
                let s = v as f64 / 255.0;
                if s <= 0.03928 {
                    s / 12.92
                } else {
                    ((s + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
        }
        for c in &PALETTE {
            let ratio = 1.05 / (lum(c) + 0.05);
            assert!(ratio >= 3.0, "{c:?} has {ratio:.2}:1");
        }
    }

    #[test]
    fn accessible_svg_without_styles_and_deterministic() {
        let c = chart(
            Kind::Line,
            vec![Series {
                name: "PNC".into(),
                values: vec![Some(1.0), None, Some(3.0)],
            }],
        );
        let a = html(&c);
        assert_eq!(a, html(&c));
        assert!(a.contains("role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(a.contains("<title id=\"c1-title\">Searches rose</title>"));
        assert!(a.contains("<desc id=\"c1-desc\">Line chart of Searches, Jan to Mar. PNC: highest 3 in Mar, lowest 1 in Jan, up from 1 to 3. Gaps mean no data.</desc>"), "{a}");
        assert!(!a.contains("style="));
        assert!(a.contains("<text"));
        assert!(!a.contains("font-size=\"11"), "text is at least 12 px");
        assert!(a.contains("<details"));
        assert!(
            a.contains("<td class=\"align-right\">–</td>"),
            "gap shown as a dash, not zero"
        );
    }

    #[test]
    fn names_print_as_written() {
        let c = chart(
            Kind::Line,
            vec![Series {
                name: "Team {max}\nnorth".into(),
                values: vec![Some(1.0), Some(2.0), Some(3.0)],
            }],
        );
        let a = html(&c);
        assert!(
            a.contains("Team {max} north: highest 3 in Mar")
                || a.contains("Team {max}\nnorth: highest 3 in Mar"),
            "a placeholder in a name is not filled: {a}"
        );
        assert!(
            a.contains(">Team {max}\nno…"),
            "the line break stays in the label: {a}"
        );
    }

    #[test]
    fn edge_cases() {
        let empty = chart(
            Kind::Bar,
            vec![Series {
                name: "A".into(),
                values: vec![None, None, None],
            }],
        );
        assert!(matches!(
            render(&empty, &words, "").unwrap(),
            Outcome::Empty(_)
        ));
        let zeros = chart(
            Kind::Bar,
            vec![Series {
                name: "A".into(),
                values: vec![Some(0.0); 3],
            }],
        );
        assert!(html(&zeros).contains("<svg"));
        let negative = chart(
            Kind::Stacked,
            vec![
                Series {
                    name: "A".into(),
                    values: vec![Some(-5.0), Some(2.0), Some(3.0)],
                },
                Series {
                    name: "B".into(),
                    values: vec![Some(1.0), Some(-2.0), Some(3.0)],
                },
            ],
        );
        assert!(html(&negative).contains("<svg"));
        let mut single = chart(
            Kind::Line,
            vec![Series {
                name: "A".into(),
                values: vec![Some(4.0)],
            }],
        );
        single.categories.truncate(1);
        assert!(html(&single).contains("<svg"));
        let many = chart(
            Kind::Line,
            (0..100)
                .map(|i| Series {
                    name: format!("S{i}"),
                    values: vec![Some(1.0); 3],
                })
                .collect(),
        );
        assert!(
            render(&many, &words, "")
                .err()
                .unwrap()
                .contains("at most 6 series")
        );
        let mut long = chart(
            Kind::HorizontalBar,
            vec![Series {
                name: "A".into(),
                values: vec![Some(1.0), Some(2.0), Some(3.0)],
            }],
        );
        long.categories[0] = "The Very Long Name of an Organisation That Goes On and On".into();
        long.lang = &WELSH;
        let h = html(&long);
        assert!(h.contains("…"), "long labels are shortened in the drawing");
        assert!(
            h.contains("The Very Long Name of an Organisation That Goes On and On</th>"),
            "and kept whole in the table"
        );
    }
}
