//! The security headers a build writes, and that the README documents for other servers.

mod common;

use common::Fixture;

fn site() -> Fixture {
    Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nFirst version.\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nFersiwn gyntaf.\n",
        ),
    ])
}

#[test]
fn the_build_writes_the_security_headers_unless_the_site_has_its_own() {
    let site = site();
    site.build_ok();
    let headers = site.read("_headers");
    let mut lines = headers.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("/*"));
    let csp = lines
        .clone()
        .find_map(|l| l.strip_prefix("  Content-Security-Policy: "))
        .expect("a Content-Security-Policy");
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-"), "{csp}");
    for name in [
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Permissions-Policy",
        "Strict-Transport-Security",
    ] {
        assert!(
            lines.clone().any(|l| l.starts_with(&format!("  {name}: "))),
            "{name} missing:\n{headers}"
        );
    }
    let manifest = site.read(".tryloyw-manifest");
    assert!(manifest.lines().any(|l| l == "_headers"), "{manifest}");

    site.write("static/_headers", "/*\n  X-Mine: yes\n");
    site.build_ok();
    assert_eq!(site.read("_headers"), "/*\n  X-Mine: yes\n");
}

/// The README's nginx and Apache lines (or, until they move there, the snippet's) are the
/// headers the build writes, value for value.
#[test]
fn the_documented_server_configurations_send_the_same_headers() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs: String = ["README.md", "docs-snippets/security-headers.md"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(repo.join(p)).ok())
        .collect();
    for h in tryloyw::headers::HEADERS {
        for line in [
            format!("add_header {} \"{}\" always;", h.name, h.value),
            format!("Header always set {} \"{}\"", h.name, h.value),
        ] {
            assert!(docs.contains(&line), "not documented: {line}");
        }
    }
}
