//! Showing a check's findings: as text (the build's diagnostic format, one per finding, then
//! the external links and a summary line) or as one JSON document.

use std::io::Write;
use std::path::PathBuf;

use super::{Finding, Format, Report};
use crate::diagnostics::{Diagnostic, Severity};

pub fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = anstream::stderr();
    for d in diags {
        let _ = writeln!(err, "{}", d.render(true));
    }
}

pub fn print_build_warnings(diags: &[Diagnostic]) {
    print_diagnostics(diags);
}

/// The page as the user can find it: in the `--output` folder, or just its path in the site.
fn page_shown(report: &Report, page: &str) -> String {
    match &report.output {
        Some(dir) => dir.join(page).display().to_string(),
        None => page.to_string(),
    }
}

fn as_diagnostic(report: &Report, f: &Finding) -> Diagnostic {
    let mut d = match f.severity {
        Severity::Error => Diagnostic::error(format!("{} [{}]", f.message, f.rule.name())),
        Severity::Warning => Diagnostic::warning(format!("{} [{}]", f.message, f.rule.name())),
    };
    let mut hint = f.hint.clone();
    if f.in_template {
        hint.push_str(" (this part of the page comes from the theme's templates)");
    }
    d = d.hint(hint);
    if let Some(source) = &f.source {
        d = d
            .at(source, f.span.clone())
            .label(format!("in {}", page_shown(report, &f.page)));
    }
    d
}

/// One finding as text: `path:line:column: error: message [rule]`, the source line, the hint.
pub fn render(report: &Report, f: &Finding, color: bool) -> String {
    let d = as_diagnostic(report, f);
    if f.source.is_some() {
        d.render(color)
    } else {
        format!("{}: {}", page_shown(report, &f.page), d.render(color))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn text(report: &Report, color: bool) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&render(report, f, color));
        out.push('\n');
    }
    if !report.external.is_empty() {
        let fetched = report.external.iter().any(|e| e.outcome.is_some());
        out.push_str(&format!(
            "External links ({}{}):\n",
            report.external.len(),
            if fetched {
                ""
            } else {
                "; not fetched: add --external to check them"
            }
        ));
        for e in &report.external {
            let status = match &e.outcome {
                None => String::new(),
                Some(Ok(code)) => format!(" → HTTP {code}"),
                Some(Err(_)) => " → failed".to_string(),
            };
            out.push_str(&format!(
                "  {} ({}){status}\n",
                e.url,
                plural(e.pages.len(), "page", "pages")
            ));
        }
    }
    out.push_str(&format!(
        "check: {} pages, {} errors, {} warnings\n",
        report.pages,
        report.errors(),
        report.warnings()
    ));
    out
}

pub fn print_text(report: &Report) {
    let _ = write!(anstream::stdout(), "{}", text(report, true));
}

pub fn json(report: &Report) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let (line, column) = match &f.source {
                Some(s) => {
                    let (l, c) = s.line_col(f.span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            serde_json::json!({
                "severity": f.severity,
                "rule": f.rule.name(),
                "message": f.message,
                "page": f.page,
                "source": f.source.as_ref().map(|s| s.path.display().to_string()),
                "line": line,
                "column": column,
                "hint": f.hint,
                "in_template": f.in_template,
            })
        })
        .collect();
    let external: Vec<serde_json::Value> = report
        .external
        .iter()
        .map(|e| {
            let (status, error) = match &e.outcome {
                None => (None, None),
                Some(Ok(code)) => (Some(*code), None),
                Some(Err(msg)) => (None, Some(msg.clone())),
            };
            serde_json::json!({
                "url": e.url,
                "pages": e.pages,
                "checked": e.outcome.is_some(),
                "status": status,
                "error": error,
            })
        })
        .collect();
    serde_json::json!({
        "pages": report.pages,
        "errors": report.errors(),
        "warnings": report.warnings(),
        "output": report.output.as_ref().map(|p: &PathBuf| p.display().to_string()),
        "findings": findings,
        "external_links": external,
    })
}

pub fn print_json(report: &Report) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, &json(report));
    let _ = writeln!(out);
}

/// The site did not build, so there is nothing to check: the build's errors, as the build
/// shows them (and in the JSON document, as findings of the rule `build`).
pub fn print_build_failure(diags: &[Diagnostic], format: Format) {
    print_diagnostics(diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    match format {
        Format::Text => {
            let _ = writeln!(
                anstream::stderr(),
                "check: the site does not build ({}); fix that first",
                plural(errors, "error", "errors")
            );
        }
        Format::Json => {
            let findings: Vec<serde_json::Value> = diags
                .iter()
                .map(|d| {
                    let mut v = d.to_json();
                    v["rule"] = "build".into();
                    v["source"] = v["file"].clone();
                    v
                })
                .collect();
            let doc = serde_json::json!({
                "pages": 0,
                "errors": errors,
                "warnings": warnings,
                "output": null,
                "findings": findings,
                "external_links": [],
            });
            let mut out = std::io::stdout().lock();
            let _ = serde_json::to_writer_pretty(&mut out, &doc);
            let _ = writeln!(out);
        }
    }
}
