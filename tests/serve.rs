//! `tryloyw serve`: the incremental session gives the bytes a full build gives after every
//! kind of edit, and the real server, on a loopback port, serves them, announces reloads and
//! shows errors over the last good pages.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Fixture;
use tryloyw::serve::session::{Body, Options, Outputs, Rebuild, Scope, Session};

fn copy_bundled_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    for sub in ["content", "data", "themes"] {
        for entry in walkdir::WalkDir::new(repo.join(sub)) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(repo).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    dir
}

fn bytes(outputs: &Outputs) -> BTreeMap<String, Vec<u8>> {
    outputs
        .iter()
        .map(|(path, body)| {
            let b = match body {
                Body::Bytes(b) => b.to_vec(),
                Body::Embedded(b) => b.to_vec(),
                Body::File(p) => std::fs::read(p).unwrap(),
            };
            (path.clone(), b)
        })
        .collect()
}

fn session(root: &Path) -> Session {
    let (s, first) = Session::start(Options {
        root: root.to_path_buf(),
        base_url: None,
        drafts: false,
        pdf: false,
    });
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    s
}

/// The session's outputs are exactly what a fresh full build of the same files makes.
fn assert_same_as_full(s: &Session, root: &Path, after: &str) {
    let full = session(root);
    let (inc, full) = (bytes(s.outputs()), bytes(full.outputs()));
    let only_inc: Vec<&String> = inc.keys().filter(|k| !full.contains_key(*k)).collect();
    let only_full: Vec<&String> = full.keys().filter(|k| !inc.contains_key(*k)).collect();
    assert!(
        only_inc.is_empty() && only_full.is_empty(),
        "after {after}: only incremental {only_inc:?}, only full {only_full:?}"
    );
    let differ: Vec<&String> = inc.keys().filter(|k| inc[*k] != full[*k]).collect();
    assert!(
        differ.is_empty(),
        "after {after}: bytes differ in {differ:?}"
    );
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) -> PathBuf {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let new = f(text.clone());
    assert_ne!(text, new, "edit of {rel} changed nothing");
    std::fs::write(&path, new).unwrap();
    path
}

/// Edit a file and rebuild, which must succeed.
fn edited(s: &mut Session, root: &Path, rel: &str, f: impl FnOnce(String) -> String) -> Rebuild {
    let r = s.apply(&[edit(root, rel, f)]);
    ok(&r);
    r
}

fn ok(r: &Rebuild) {
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

/// The bundled site's "Transparency" page, retitled "Being transparent".
fn retitle_transparency(s: &mut Session, root: &Path) -> Rebuild {
    edited(s, root, "content/code-of-practice/transparency.md", |t| {
        t.replacen(
            "title = \"Transparency\"",
            "title = \"Being transparent\"",
            1,
        )
    })
}

#[test]
fn incremental_rebuilds_equal_full_builds_over_a_sequence_of_edits() {
    let dir = copy_bundled_site();
    let root = dir.path();
    let mut s = session(root);
    let total = s.outputs().len();

    // A page's text: that page, its print edition, nothing else.
    let r = edited(&mut s, root, "content/code-of-practice/aims.md", |t| {
        t + "\nA sentence added while previewing.\n"
    });
    assert_eq!(r.scope, Scope::Pages);
    assert!(r.rendered <= 3, "rendered {} outputs", r.rendered);
    assert!(
        r.changed
            .contains(&"code-of-practice/aims/index.html".to_string())
    );
    assert!(
        r.changed
            .iter()
            .any(|c| c.starts_with("code-of-practice/print/")),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a body edit");

    // A Welsh page's text.
    let r = edited(&mut s, root, "content/about-leds.cy.md", |t| {
        t + "\nBrawddeg newydd.\n"
    });
    assert_eq!(r.scope, Scope::Pages);
    assert_eq!(r.changed.len(), 1, "{:?}", r.changed);
    assert_same_as_full(&s, root, "a Welsh body edit");

    // A title: the pages that show it change too (the section's list, the neighbours' links,
    // the print edition), not the rest of the site.
    let r = retitle_transparency(&mut s, root);
    assert_eq!(r.scope, Scope::Pages);
    assert!(r.rendered < total / 4, "rendered {} of {total}", r.rendered);
    for listing in [
        "code-of-practice/index.html",
        "code-of-practice/transparency/index.html",
        "code-of-practice/organisational-standards/index.html",
        "code-of-practice/print/index.html",
    ] {
        assert!(
            r.changed.contains(&listing.to_string()),
            "{listing}: {:?}",
            r.changed
        );
    }
    assert_same_as_full(&s, root, "a title edit");

    // The title of a page in the menu: every page of its language shows it.
    let r = edited(&mut s, root, "content/about-leds.cy.md", |t| {
        t.replacen("title = \"", "title = \"Y ", 1)
    });
    assert_eq!(r.scope, Scope::Pages);
    assert!(r.changed.contains(&"cy/index.html".to_string()));
    assert!(!r.changed.contains(&"index.html".to_string()));
    assert_same_as_full(&s, root, "a menu title edit");

    // A date moves the page among its siblings: the whole site.
    let r = edited(&mut s, root, "content/code-of-practice/aims.md", |t| {
        t.replacen("date = 2026-11-22", "date = 2020-01-01", 1)
    });
    assert_eq!(r.scope, Scope::Site);
    assert_same_as_full(&s, root, "a date edit");

    // A template used by some pages only.
    let r = edited(&mut s, root, "themes/default/templates/page.html", |t| {
        t.replacen(
            "{% block main %}",
            "{% block main %}<p>Edited template.</p>",
            1,
        )
    });
    assert_eq!(r.scope, Scope::Templates);
    assert!(r.rendered < total / 2, "rendered {} of {total}", r.rendered);
    assert!(!r.changed.is_empty());
    assert_same_as_full(&s, root, "a template edit");

    // A template that print editions render inside print.html.
    let p = edit(
        root,
        "themes/default/templates/publications/dpia-year-body.html",
        |t| {
            t.replacen(
                "<h2 class=\"heading-m\" id=\"summary\">",
                "<h2 class=\"heading-m\" id=\"summary\">Edited: ",
                1,
            )
        },
    );
    let r = s.apply(&[p]);
    ok(&r);
    assert_eq!(r.scope, Scope::Templates);
    assert!(
        r.changed
            .iter()
            .any(|c| c.starts_with("dpia/") && c.contains("/print/")),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a template print editions use");

    // A stylesheet: swapped without a reload.
    let r = edited(&mut s, root, "themes/default/static/css/style.css", |t| {
        t + "\n.x { color: #000; }\n"
    });
    assert!(r.css_only);
    assert_eq!(r.changed, vec!["css/style.css".to_string()]);
    assert_same_as_full(&s, root, "a stylesheet edit");

    // Data.
    let r = edited(&mut s, root, "data/faq.toml", |t| {
        t.replacen("\"What LEDS is\"", "\"What LEDS is, briefly\"", 1)
    });
    assert_eq!(r.scope, Scope::Data);
    assert!(r.rendered < total / 2, "rendered {} of {total}", r.rendered);
    assert!(
        r.changed.iter().any(|c| c.starts_with("public-guide/")),
        "{:?}",
        r.changed
    );
    assert!(!r.changed.contains(&"about-leds/index.html".to_string()));
    assert_same_as_full(&s, root, "a data edit");

    // Usage figures: the statistics pages, their charts and the datasets.
    let r = edited(&mut s, root, "data/usage/conduct.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let last = lines.len() - 1;
        let cells: Vec<&str> = lines[last].split(',').collect();
        let bumped: Vec<String> = cells
            .iter()
            .map(|c| match c.parse::<u64>() {
                Ok(n) => (n + 7).to_string(),
                Err(_) => (*c).to_string(),
            })
            .collect();
        lines[last] = bumped.join(",");
        lines.join("\n") + "\n"
    });
    assert_eq!(r.scope, Scope::Data);
    assert!(
        r.changed.iter().any(|c| c.ends_with(".csv")),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a usage data edit");

    // A UI string one template shows: the pages that show it, nothing else.
    let r = edited(
        &mut s,
        root,
        "themes/default/i18n/en/publications.toml",
        |t| t.replacen("topics = \"Topics\"", "topics = \"Questions by topic\"", 1),
    );
    assert_eq!(r.scope, Scope::Strings);
    assert!(r.rendered <= 4, "rendered {} outputs", r.rendered);
    assert!(
        r.changed
            .contains(&"public-guide/questions/index.html".to_string()),
        "{:?}",
        r.changed
    );
    assert!(
        !r.changed.iter().any(|c| c.starts_with("cy/")),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a UI string edit");

    // A dataset column's words: its files, described anew, and what shows them.
    let r = edited(&mut s, root, "themes/default/i18n/cy/columns.toml", |t| {
        t.replacen(
            "question.description = \"Cwestiwn\"",
            "question.description = \"Y cwestiwn\"",
            1,
        )
    });
    assert_eq!(r.scope, Scope::Strings);
    assert!(
        r.changed.iter().any(|c| c.ends_with("datapackage.json")),
        "{:?}",
        r.changed
    );
    assert!(!r.changed.contains(&"about-leds/index.html".to_string()));
    assert_same_as_full(&s, root, "a column's words edited");

    // A string on every Welsh page.
    let r = edited(&mut s, root, "themes/default/i18n/cy.toml", |t| {
        t.replacen("Neidio i'r prif gynnwys", "Neidio i'r cynnwys", 1)
    });
    assert_eq!(r.scope, Scope::Strings);
    assert!(r.changed.contains(&"cy/index.html".to_string()));
    assert!(!r.changed.contains(&"index.html".to_string()));
    assert_same_as_full(&s, root, "a string on every Welsh page");

    // An organisation's name is in section listings: every page is rendered again.
    edited(&mut s, root, "data/organisations.csv", |t| {
        t.replacen(
            "Civil Nuclear Constabulary",
            "Civil Nuclear Constabulary (CNC)",
            1,
        )
    });
    assert_same_as_full(&s, root, "renaming an organisation");

    // A new page and its twin, then both deleted.
    let en = root.join("content/new-page.md");
    let cy = root.join("content/new-page.cy.md");
    std::fs::write(&en, "+++\ntitle = \"New\"\n+++\nNew text.\n").unwrap();
    std::fs::write(
        &cy,
        "+++\ntitle = \"Newydd\"\nslug = \"newydd\"\n+++\nTestun newydd.\n",
    )
    .unwrap();
    let r = s.apply(&[en.clone(), cy.clone()]);
    ok(&r);
    assert!(r.changed.contains(&"cy/newydd/index.html".to_string()));
    assert_same_as_full(&s, root, "adding pages");
    std::fs::remove_file(&cy).unwrap();
    std::fs::remove_file(&en).unwrap();
    let r = s.apply(&[cy, en.clone()]);
    ok(&r);
    assert!(!s.outputs().contains_key("cy/newydd/index.html"));
    assert_same_as_full(&s, root, "deleting pages");

    // Broken, the last good outputs stay; fixed, everything is as a full build.
    let before = bytes(s.outputs());
    let en = root.join("content/about-leds.md");
    let good = std::fs::read_to_string(&en).unwrap();
    std::fs::write(&en, "+++\ntitle = \n+++\n").unwrap();
    let r = s.apply(std::slice::from_ref(&en));
    assert!(!r.errors.is_empty());
    assert!(
        r.errors[0]
            .render(false)
            .contains("content/about-leds.md:2:"),
        "{:?}",
        r.errors
    );
    assert_eq!(
        bytes(s.outputs()),
        before,
        "a failed rebuild changed the outputs"
    );
    // Another page edited while the site is broken: still broken, still the old pages.
    let p = edit(root, "content/contact.md", |t| t + "\nMore.\n");
    let r = s.apply(&[p]);
    assert!(!r.errors.is_empty(), "an unrelated edit hid the error");
    std::fs::write(&en, good).unwrap();
    let r = s.apply(&[en]);
    ok(&r);
    assert!(s.errors().is_empty());
    assert_same_as_full(&s, root, "fixing the page");
}

/// A page that shows another page's title through `site_page()`, with the key in its front
/// matter (so no template names the page): it follows the other page's title, and a data edit
/// leaves it, like every page that shows no data, alone.
#[test]
fn what_a_page_reads_decides_what_is_made_again() {
    let dir = copy_bundled_site();
    let root = dir.path();
    std::fs::write(
        root.join("themes/default/templates/see-also.html"),
        "{% extends \"page.html\" %}{% block main %}\
         {% set other = site_page(key=page.extra.see_also) %}\
         <p class=\"see-also\"><a href=\"{{ other.path }}\">{{ other.title }}</a></p>\
         {% endblock main %}",
    )
    .unwrap();
    std::fs::write(
        root.join("content/see-also.md"),
        "+++\ntitle = \"See also\"\ntemplate = \"see-also.html\"\n\
         [extra]\nsee_also = \"code-of-practice/transparency.md\"\n+++\nText.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/see-also.cy.md"),
        "+++\ntitle = \"Gweler hefyd\"\nslug = \"gweler-hefyd\"\ntemplate = \"see-also.html\"\n\
         [extra]\nsee_also = \"code-of-practice/transparency.md\"\n+++\nTestun.\n",
    )
    .unwrap();
    let mut s = session(root);
    assert!(
        String::from_utf8_lossy(&bytes(s.outputs())["see-also/index.html"])
            .contains(">Transparency</a>")
    );

    let r = retitle_transparency(&mut s, root);
    assert_eq!(r.scope, Scope::Pages);
    assert!(
        r.changed.contains(&"see-also/index.html".to_string()),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a title another page reads");

    // A question's wording: the FAQ pages (English and Welsh) and the dataset catalogue pages
    // that show the FAQ download's size, not the other pages that show data.
    let r = edited(&mut s, root, "data/faq.toml", |t| {
        t.replacen("\"What LEDS is\"", "\"What LEDS is, briefly\"", 1)
    });
    assert_eq!(r.scope, Scope::Data);
    assert!(
        r.rendered <= 6,
        "rendered {} outputs: {:?}",
        r.rendered,
        r.changed
    );
    assert!(
        r.changed.iter().any(|c| c.starts_with("public-guide/")),
        "{:?}",
        r.changed
    );
    assert_same_as_full(&s, root, "a FAQ edit");
}

#[test]
fn editor_noise_is_not_a_change() {
    let f = Fixture::new(&[
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nText.\n"),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\n+++\nTestun.\n",
        ),
    ]);
    let mut s = session(f.root());
    for junk in [
        "content/.about.md.swp",
        "content/about.md~",
        "content/#about.md#",
        "content/4913",
        "public/index.html",
    ] {
        f.write(junk, "x");
        let r = s.apply(&[f.root().join(junk)]);
        assert_eq!(r.scope, Scope::Nothing, "{junk}");
    }
    // `sed -i` writes a temporary file and renames it over the page.
    for temporary in [
        "content/sedAb12Cd",
        "data/sedXy34Zw",
        "themes/default/templates/x.tmp",
    ] {
        let r = s.apply(&[f.root().join(temporary)]);
        assert_eq!(r.scope, Scope::Nothing, "{temporary}");
    }
    // A file the site had, deleted, is a change.
    f.remove("content/about.cy.md");
    let r = s.apply(&[f.root().join("content/about.cy.md")]);
    assert_eq!(r.scope, Scope::Site);
}

#[test]
fn a_renamed_folder_rebuilds_the_site() {
    let f = Fixture::new(&[
        ("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n"),
        (
            "content/guide/_index.cy.md",
            "+++\ntitle = \"Canllaw\"\n+++\n",
        ),
        ("content/guide/one.md", "+++\ntitle = \"One\"\n+++\nOne.\n"),
        ("content/guide/one.cy.md", "+++\ntitle = \"Un\"\n+++\nUn.\n"),
    ]);
    let mut s = session(f.root());
    assert!(s.outputs().contains_key("guide/one/index.html"));
    std::fs::rename(
        f.root().join("content/guide"),
        f.root().join("content/help"),
    )
    .unwrap();
    let r = s.apply(&[
        f.root().join("content/guide"),
        f.root().join("content/help"),
    ]);
    ok(&r);
    assert!(!s.outputs().contains_key("guide/one/index.html"));
    assert!(s.outputs().contains_key("help/one/index.html"));
    assert_same_as_full(&s, f.root(), "renaming a folder");
}

// ---- the server, over HTTP on a loopback port ----

struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(root: &Path) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["serve", "--no-pdf", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, log) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let server = Server { child, port, log };
    wait_for_line(&server, &format!("http://127.0.0.1:{port}/"));
    server
}

fn wait_for_line(server: &Server, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match server.log.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("the server never printed `{needle}`");
}

/// GET a path: status, headers (lower-case names) and body.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_string())
}

/// The event stream, one `event:` name at a time.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__tryloyw/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = tx.send(name.to_string());
            }
        }
    });
    assert_eq!(next_event(&rx), "hello");
    rx
}

fn next_event(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("no event from the server")
}

/// Save as most editors do: write a hidden file beside it, then rename it over the file, so
/// the watcher never sees half a file (even on a loaded CI machine).
fn save(f: &Fixture, rel: &str, text: &str) {
    let path = f.root().join(rel);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let temp = path.with_file_name(format!(".{name}.saving"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &path).unwrap();
}

#[test]
fn the_server_serves_reloads_and_shows_errors_in_the_page_language() {
    let f = Fixture::new(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nFirst text.\n",
        ),
        (
            "content/about.cy.md",
            "+++\ntitle = \"Amdanom\"\nslug = \"amdanom\"\n+++\nTestun cyntaf.\n",
        ),
        ("static/site.css", "body { color: #000; }\n"),
    ]);
    let server = start(f.root());
    let port = server.port;

    let (status, head, body) = get(port, "/about/");
    assert_eq!(status, 200);
    assert!(body.contains("First text."));
    // The published site's policy and security headers, less HSTS (never over plain HTTP).
    let csp = tryloyw::headers::CONTENT_SECURITY_POLICY.to_lowercase();
    assert!(head.contains(&format!("content-security-policy: {csp}")));
    assert!(head.contains("x-content-type-options: nosniff"));
    assert!(!head.contains("strict-transport-security"));
    // The reload script is a file of our own origin, never inline.
    assert!(body.contains("<script src=\"/__tryloyw/live.js\""));
    assert!(!body.contains("<script>"));
    let (status, head, js) = get(port, "/__tryloyw/live.js");
    assert_eq!(status, 200);
    assert!(head.contains("text/javascript"));
    assert!(js.contains("EventSource(\"/__tryloyw/events\")"));
    assert_eq!(get(port, "/about").0, 301);
    assert_eq!(get(port, "/no-such-page/").0, 404);
    assert_eq!(get(port, "/../site.toml").0, 404);

    let rx = events(port);

    // A text edit: one line in the terminal, a reload, the new text served.
    save(
        &f,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nSecond text.\n",
    );
    assert_eq!(next_event(&rx), "reload");
    let line = wait_for_line(&server, "content/about.md");
    assert!(line.contains("1 file rendered"), "{line}");
    assert!(get(port, "/about/").2.contains("Second text."));

    // A stylesheet: swapped in place.
    save(&f, "static/site.css", "body { color: #111; }\n");
    assert_eq!(next_event(&rx), "css");
    assert!(get(port, "/site.css").2.contains("#111"));

    // Swap files are not edits: the next event is the real one below.
    f.write("content/.about.md.swp", "junk");
    f.write("content/about.md~", "junk");

    // Broken: the last good page, with the error over it, in each page's language.
    save(
        &f,
        "content/about.md",
        "+++\ntitle = \"About\n+++\nThird.\n",
    );
    assert_eq!(next_event(&rx), "reload");
    wait_for_line(&server, "still serving the last good build");
    let (status, _, body) = get(port, "/about/");
    assert_eq!(status, 200);
    assert!(body.contains("Second text."), "the last good page is gone");
    assert!(body.contains("The build failed"));
    assert!(body.contains("content/about.md:2:"), "no file:line:col");
    let (_, _, cy) = get(port, "/cy/amdanom/");
    assert!(cy.contains("Methodd yr adeiladu"));
    assert!(cy.contains("content/about.md:2:"));

    // Fixed: the overlay goes.
    save(
        &f,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nFourth.\n",
    );
    assert_eq!(next_event(&rx), "reload");
    let body = get(port, "/about/").2;
    assert!(body.contains("Fourth."));
    assert!(!body.contains("tryloyw-overlay"));

    // Deleted with its twin: gone (the watcher may see the two files apart, and the first
    // alone is an error: a page without its twin).
    f.remove("content/about.cy.md");
    f.remove("content/about.md");
    let mut gone = false;
    for _ in 0..3 {
        assert_eq!(next_event(&rx), "reload");
        if get(port, "/about/").0 == 404 {
            gone = true;
            break;
        }
    }
    assert!(gone, "a deleted page is still served");
    assert_eq!(get(port, "/cy/amdanom/").0, 404);
}

/// With PDFs: made after the pages (when editing pauses), and then everything, PDFs and the
/// pages that link to them with their sizes, is what `tryloyw build` writes.
#[cfg(feature = "pdf")]
#[test]
fn pdfs_made_later_give_what_build_writes() {
    let dir = copy_bundled_site();
    let root = dir.path();
    let (mut s, first) = Session::start(Options {
        root: root.to_path_buf(),
        base_url: None,
        drafts: false,
        pdf: true,
    });
    ok(&first);
    assert!(!s.outputs().keys().any(|k| k.ends_with(".pdf")));
    assert!(s.pdfs_pending());
    ok(&s.refresh_pdfs());
    assert!(!s.pdfs_pending());
    assert_same_as_build(&s, root);

    let r = edited(&mut s, root, "content/code-of-practice/aims.md", |t| {
        t + "\nA sentence for the printed edition.\n"
    });
    assert_eq!(r.scope, Scope::Pages);
    assert!(s.pdfs_pending());
    let r = s.refresh_pdfs();
    ok(&r);
    assert!(
        r.changed.iter().any(|c| c.ends_with(".pdf")),
        "{:?}",
        r.changed
    );
    assert_same_as_build(&s, root);
}

#[cfg(feature = "pdf")]
fn assert_same_as_build(s: &Session, root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_tryloyw"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let mut built = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&target) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&target).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != ".tryloyw-manifest" {
                built.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let served = bytes(s.outputs());
    let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&served), keys(&built));
    let differ: Vec<&String> = served.keys().filter(|k| served[*k] != built[*k]).collect();
    assert!(differ.is_empty(), "differ from the build: {differ:?}");
}
