//! The HTTP security headers of a published site. One definition: the build writes them to
//! `_headers` (the file Netlify and Cloudflare Pages read), `tryloyw serve` sends them with every
//! response, and the README gives the same lines for nginx and Apache.
//!
//! The pages need nothing but their own origin: no scripts, no inline styles or scripts, no
//! third-party requests (the browser test in `tests/a11y` loads every page under this policy and
//! fails on any violation). `serve` adds its live-reload script and event stream from the same
//! origin, so the same policy covers it.

/// Everything from the site's own origin; nothing inline, no `eval`, no plugins, no framing,
/// no `<base>` elsewhere, forms only to the site. Not even `data:` images: Markdown refuses
/// `data:` addresses (see `markdown::sanitize`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Powerful browser features the site never uses, switched off for it and anything it embeds.
/// Only names Chromium knows: an unknown one is a console error on every page.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), browsing-topics=(), \
     camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), \
     gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), \
     picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), \
     usb=(), xr-spatial-tracking=()";

pub struct Header {
    pub name: &'static str,
    pub value: &'static str,
    /// Sent only over HTTPS: RFC 6797 §7.2 forbids `Strict-Transport-Security` over plain
    /// HTTP, which is what `serve` speaks.
    pub https_only: bool,
}

const fn header(name: &'static str, value: &'static str) -> Header {
    Header {
        name,
        value,
        https_only: false,
    }
}

/// The headers, in the order they are written.
pub const HEADERS: &[Header] = &[
    header("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    header("Referrer-Policy", "strict-origin-when-cross-origin"),
    header("X-Content-Type-Options", "nosniff"),
    // The older browsers' form of `frame-ancestors 'none'`.
    header("X-Frame-Options", "DENY"),
    header("Cross-Origin-Opener-Policy", "same-origin"),
    header("Permissions-Policy", PERMISSIONS_POLICY),
    Header {
        name: "Strict-Transport-Security",
        value: "max-age=63072000; includeSubDomains",
        https_only: true,
    },
];

/// The headers a plain-HTTP server may send (all but the HTTPS-only ones).
pub fn for_plain_http() -> impl Iterator<Item = &'static Header> {
    HEADERS.iter().filter(|h| !h.https_only)
}

/// The `_headers` file: every path gets every header.
pub fn headers_file() -> String {
    let mut out = String::from(
        "# Security headers for every page, written by tryloyw (Netlify and Cloudflare Pages\n\
         # read this file). To change them, put your own _headers in static/.\n/*\n",
    );
    for h in HEADERS {
        out.push_str(&format!("  {}: {}\n", h.name, h.value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives() -> Vec<&'static str> {
        CONTENT_SECURITY_POLICY.split("; ").collect()
    }

    #[test]
    fn the_policy_is_strict() {
        let d = directives();
        for wanted in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ] {
            assert!(d.contains(&wanted), "{wanted} missing: {d:?}");
        }
        let sources: Vec<&str> = d.iter().flat_map(|x| x.split(' ').skip(1)).collect();
        for banned in [
            "'unsafe-inline'",
            "'unsafe-eval'",
            "'unsafe-hashes'",
            "*",
            "http:",
            "https:",
        ] {
            assert!(!sources.contains(&banned), "{banned} in the policy: {d:?}");
        }
        // Each directive once, and no script or style source beyond default-src.
        let names: Vec<&str> = d
            .iter()
            .map(|x| x.split(' ').next().unwrap_or(""))
            .collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("script-src") || n.starts_with("style-src"))
        );
    }

    #[test]
    fn headers_file_lists_every_header_for_every_path() {
        let file = headers_file();
        let lines: Vec<&str> = file.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.first(), Some(&"/*"));
        assert_eq!(lines.len(), HEADERS.len() + 1);
        for name in [
            "Content-Security-Policy",
            "Referrer-Policy",
            "X-Content-Type-Options",
            "Permissions-Policy",
            "Strict-Transport-Security",
        ] {
            assert!(
                lines.iter().any(|l| l.starts_with(&format!("  {name}: "))),
                "{name} missing:\n{file}"
            );
        }
        assert!(file.contains("  X-Content-Type-Options: nosniff\n"));
    }

    #[test]
    fn plain_http_leaves_out_only_hsts() {
        let names: Vec<&str> = for_plain_http().map(|h| h.name).collect();
        assert_eq!(names.len(), HEADERS.len() - 1);
        assert!(!names.contains(&"Strict-Transport-Security"));
        assert!(names.contains(&"Content-Security-Policy"));
    }
}
