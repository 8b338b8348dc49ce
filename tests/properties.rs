//! Property tests: the parsers of user input never panic, and every diagnostic points inside
//! the file it names.

use proptest::prelude::*;
use tryloyw::content::front_matter;
use tryloyw::diagnostics::{Diagnostic, SourceFile};
use tryloyw::markdown;

fn spans_in_bounds(diags: &[Diagnostic]) {
    for d in diags {
        if let Some(s) = &d.source {
            assert!(
                d.span.start <= d.span.end && d.span.end <= s.text.len(),
                "{d:?}"
            );
            let _ = d.render(false);
        }
    }
}

/// Text that looks like front matter often enough to reach the TOML and date code paths.
fn page_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("title = \"T\"".to_string()),
        Just("date = 2019-02-30".to_string()),
        Just("slug = \"Ŵ ŷ\"".to_string()),
        Just("[extra]".to_string()),
        Just("weight = \"x\"".to_string()),
        "[a-z]{1,6} = [0-9\"a-z\\[\\]{}=.-]{0,8}",
        "\\PC{0,12}",
    ];
    (
        prop::collection::vec(line, 0..6),
        any::<bool>(),
        "\\PC{0,40}",
    )
        .prop_map(|(lines, close, body)| {
            let mut s = String::from("+++\n");
            s.push_str(&lines.join("\n"));
            if close {
                s.push_str("\n+++\n");
            }
            s.push_str(&body);
            s
        })
}

proptest! {
    #[test]
    fn front_matter_never_panics(text in page_text()) {
        let source = SourceFile::new("p.md", text);
        if let Err(diags) = front_matter::parse(&source) {
            spans_in_bounds(&diags);
        }
    }

    #[test]
    fn front_matter_never_panics_on_any_text(text in "\\PC{0,200}") {
        let source = SourceFile::new("p.md", text);
        if let Err(diags) = front_matter::parse(&source) {
            spans_in_bounds(&diags);
        }
    }

    #[test]
    fn markdown_never_panics(text in "([#>|`*\\[\\]()@/:!-]|\\PC){0,300}") {
        let source = SourceFile::new("p.md", text.clone());
        let resolve = |k: &str| (k == "a.md").then(|| "/a/".to_string());
        let shortcode = |c: &markdown::shortcodes::Shortcode| Err(markdown::ShortcodeError { message: "x".into(), span: c.span.clone(), hint: None });
        let env = markdown::Env { resolve: &resolve, note_title: "N", warning_title: "W", table_label: "T", shortcode: &shortcode, raw_html: markdown::RawHtml::Sanitise };
        let (rendered, diags) = markdown::render(&source, 0..text.len(), &env);
        spans_in_bounds(&diags);
        prop_assert!(!rendered.html.contains(" style="));
    }

    #[test]
    fn line_col_is_total(text in "\\PC{0,50}", offset in 0usize..80) {
        let f = SourceFile::new("x", text);
        let (line, col) = f.line_col(offset);
        prop_assert!(line >= 1 && col >= 1);
    }
}
