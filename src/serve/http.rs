//! The preview server: outputs from memory, the live-reload script and its event stream, and
//! the error overlay. Everything comes from our own origin, so pages keep a strict Content
//! Security Policy in preview too: every response carries the published site's security headers
//! ([`crate::headers`]), less the HTTPS-only one.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::session::{Body, Outputs};
use crate::diagnostics::Diagnostic;

/// Prefix of the server's own files: no site path can start with it (dot-free, but reserved).
pub const PREFIX: &str = "/__tryloyw/";

const LIVE_JS: &str = include_str!("live.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");

/// What the server shows, replaced after each rebuild.
pub struct State {
    pub outputs: RwLock<Outputs>,
    /// The errors of the last rebuild; empty when it succeeded.
    pub errors: RwLock<Vec<Diagnostic>>,
    /// Counts rebuilds: a page that loaded before the latest one reloads when it connects.
    pub generation: RwLock<u64>,
    clients: Mutex<Vec<Sender<String>>>,
}

/// An event for the browsers: `reload`, or `css` for a stylesheet-only change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Reload,
    Css,
}

impl State {
    pub fn new(outputs: Outputs, errors: Vec<Diagnostic>) -> Self {
        State {
            outputs: RwLock::new(outputs),
            errors: RwLock::new(errors),
            generation: RwLock::new(0),
            clients: Mutex::new(Vec::new()),
        }
    }

    /// Tell every connected page; pages that went away are forgotten.
    pub fn broadcast(&self, event: Event) {
        let generation = {
            let mut g = self.generation.write().unwrap_or_else(|e| e.into_inner());
            *g += 1;
            *g
        };
        let name = match event {
            Event::Reload => "reload",
            Event::Css => "css",
        };
        let message = format!("event: {name}\ndata: {generation}\n\n");
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(message.clone()).is_ok());
    }

    fn generation(&self) -> u64 {
        *self.generation.read().unwrap_or_else(|e| e.into_inner())
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }
}

/// Answer requests until the server is dropped; each on its own thread, since event streams
/// stay open.
pub fn run(server: Arc<tiny_http::Server>, state: Arc<State>) {
    for request in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || respond(&state, request));
    }
}

fn respond(state: &State, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "text/plain", "only GET and HEAD"));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let response = match path.strip_prefix(PREFIX) {
        Some("events") => return events(state, request),
        Some("live.js") => text(200, "text/javascript; charset=utf-8", LIVE_JS),
        Some("overlay.css") => text(200, "text/css; charset=utf-8", OVERLAY_CSS),
        Some(_) => text(404, "text/plain", "not found"),
        None => page(state, &path),
    };
    let _ = request.respond(response);
}

/// Server-Sent Events: written straight to the socket so each event leaves at once.
fn events(state: &State, request: Request) {
    let rx = state.subscribe();
    let generation = state.generation();
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\n";
    if write!(w, "{head}event: hello\ndata: {generation}\n\n").is_err() || w.flush().is_err() {
        return;
    }
    loop {
        // A comment now and then finds out when the page has gone.
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(message.as_bytes()).is_err() || w.flush().is_err() {
            return;
        }
    }
}

fn page(state: &State, path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let outputs = state.outputs.read().unwrap_or_else(|e| e.into_inner());
    let key = path.trim_start_matches('/');
    let found = if key.is_empty() || key.ends_with('/') {
        outputs
            .get(&format!("{key}index.html"))
            .map(|b| (b, "index.html"))
    } else if !key.contains("..") {
        match outputs.get(key) {
            Some(b) => Some((b, key)),
            None if outputs.contains_key(&format!("{key}/index.html")) => {
                return redirect(&format!("/{key}/"));
            }
            None => None,
        }
    } else {
        None
    };
    let (status, body, name) = match found.and_then(|(b, name)| read(b).map(|bytes| (bytes, name)))
    {
        Some((bytes, name)) => (200, bytes, name.to_string()),
        None => {
            // The 404 page of the language the path is in.
            let lang_404 = key
                .split('/')
                .next()
                .map(|first| format!("{first}/404.html"))
                .filter(|p| outputs.contains_key(p));
            let page = lang_404.unwrap_or_else(|| "404.html".to_string());
            match outputs.get(&page).and_then(read) {
                Some(bytes) => (404, bytes, page),
                // Nothing built yet: a bare page, so the overlay can say why.
                None => {
                    let lang = if key.starts_with("cy/") { "cy" } else { "en" };
                    let bare = format!(
                        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>tryloyw serve</title></head><body></body></html>"
                    );
                    (404, bare.into_bytes(), "404.html".to_string())
                }
            }
        }
    };
    drop(outputs);
    let kind = content_type(&name);
    let body = if kind.starts_with("text/html") {
        let errors = state.errors.read().unwrap_or_else(|e| e.into_inner());
        inject(&String::from_utf8_lossy(&body), state.generation(), &errors).into_bytes()
    } else {
        body
    };
    with_headers(
        Response::from_data(body).with_status_code(StatusCode(status)),
        kind,
    )
}

fn read(body: &Body) -> Option<Vec<u8>> {
    match body {
        Body::Bytes(b) => Some(b.to_vec()),
        Body::Embedded(b) => Some(b.to_vec()),
        // A file deleted since the last rebuild is simply not found.
        Body::File(p) => std::fs::read(p).ok(),
    }
}

/// The live-reload script, and the error overlay when the last rebuild failed, in the
/// page's language.
pub fn inject(html: &str, generation: u64, errors: &[Diagnostic]) -> String {
    let script =
        format!("<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\" defer></script>");
    let mut head_extra = script;
    let mut body_extra = String::new();
    if !errors.is_empty() {
        head_extra.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{PREFIX}overlay.css\">"
        ));
        body_extra = overlay(errors, page_lang(html));
    }
    let mut out = String::with_capacity(html.len() + head_extra.len() + body_extra.len());
    // Every slice below starts or ends where `find` matched ASCII text: a char boundary.
    match html.find("</head>") {
        Some(i) => {
            out.push_str(&html[..i]);
            out.push_str(&head_extra);
            out.push_str(&html[i..]);
        }
        None => {
            out.push_str(&head_extra);
            out.push_str(html);
        }
    }
    if !body_extra.is_empty() {
        let at = out
            .find("<body")
            .and_then(|b| out[b..].find('>').map(|e| b + e + 1))
            .unwrap_or(out.len());
        out.insert_str(at, &body_extra);
    }
    out
}

fn page_lang(html: &str) -> &str {
    // Offsets of ASCII matches (and 5 past `lang=`), so every slice is on a char boundary.
    html.find("<html")
        .and_then(|i| html[i..].find("lang=").map(|j| i + j + 5))
        .map(|i| html[i..].trim_start_matches(['"', '\'']))
        .and_then(|rest| rest.split(['"', '\'', ' ', '>']).next())
        .unwrap_or("en")
}

/// The overlay: what broke, where, and that the last good pages are shown meanwhile.
fn overlay(errors: &[Diagnostic], lang: &str) -> String {
    let welsh = lang == "cy";
    let (title, note) = if welsh {
        (
            "Methodd yr adeiladu",
            "Mae’r fersiwn dda olaf o’r dudalen i’w gweld isod. Cywirwch y ffeil a’i chadw: bydd y dudalen yn ail-lwytho.",
        )
    } else {
        (
            "The build failed",
            "The last good version of the page is shown below. Fix the file and save it: the page will reload.",
        )
    };
    let count = match (welsh, errors.len()) {
        (true, n) => format!("gwallau: {n}"),
        (false, 1) => "1 error".to_string(),
        (false, n) => format!("{n} errors"),
    };
    let items: String = errors
        .iter()
        .map(|d| format!("<li><pre>{}</pre></li>", escape(&d.render(false))))
        .collect();
    format!(
        "<section class=\"tryloyw-overlay\" role=\"alert\" aria-labelledby=\"tryloyw-overlay-title\">\
         <h2 id=\"tryloyw-overlay-title\">{title} ({count})</h2><p>{note}</p><ol>{items}</ol></section>"
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn redirect(to: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut r = text(301, "text/plain", "moved");
    if let Ok(h) = Header::from_bytes(&b"Location"[..], to.as_bytes()) {
        r = r.with_header(h);
    }
    r
}

fn text(status: u16, kind: &str, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(
        Response::from_data(body.as_bytes().to_vec()).with_status_code(StatusCode(status)),
        kind,
    )
}

fn with_headers(
    mut r: Response<std::io::Cursor<Vec<u8>>>,
    kind: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let security = crate::headers::for_plain_http().map(|h| (h.name, h.value));
    for (name, value) in [("Content-Type", kind), ("Cache-Control", "no-store")]
        .into_iter()
        .chain(security)
    {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            r = r.with_header(h);
        }
    }
    r
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// `%C5%B5` → `ŵ`; malformed escapes stay as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    // `bytes[i]` only while `i < bytes.len()`; the two after a `%` through `get`.
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_welsh_paths() {
        assert_eq!(percent_decode("/cy/%C5%B5yl/"), "/cy/ŵyl/");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }

    #[test]
    fn every_response_has_the_sites_security_headers_but_hsts() {
        for r in [
            text(404, "text/plain", "not found"),
            redirect("/a/"),
            with_headers(Response::from_data(Vec::new()), "text/html"),
        ] {
            let get = |name: &str| {
                r.headers()
                    .iter()
                    .find(|h| h.field.to_string().eq_ignore_ascii_case(name))
                    .map(|h| h.value.to_string())
            };
            assert_eq!(
                get("Content-Security-Policy").as_deref(),
                Some(crate::headers::CONTENT_SECURITY_POLICY)
            );
            assert_eq!(get("X-Content-Type-Options").as_deref(), Some("nosniff"));
            assert!(get("Permissions-Policy").is_some());
            assert!(get("Referrer-Policy").is_some());
            assert_eq!(
                get("Strict-Transport-Security"),
                None,
                "HSTS over plain HTTP"
            );
        }
    }

    #[test]
    fn injects_script_and_overlay_in_the_page_language() {
        let html = "<!doctype html><html lang=\"cy\"><head><title>x</title></head><body class=\"a\"><p>hi</p></body></html>";
        let clean = inject(html, 3, &[]);
        assert!(clean.contains("live.js\" data-generation=\"3\" defer></script></head>"));
        assert!(!clean.contains("tryloyw-overlay"));
        let broken = inject(html, 4, &[Diagnostic::error("bad <thing>")]);
        assert!(broken.contains("<body class=\"a\"><section class=\"tryloyw-overlay\""));
        assert!(broken.contains("Methodd yr adeiladu (gwallau: 1)"));
        assert!(broken.contains("bad &lt;thing&gt;"));
    }
}
