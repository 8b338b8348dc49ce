//! `tryloyw serve`: build once, serve from memory on the loopback interface, watch the
//! site's files and rebuild only what a change touches (see [`session`]).

mod http;
mod reads;
pub mod session;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::diagnostics::Diagnostic;
pub use http::inject;
use http::{Event, State};
use session::{Options, Rebuild, Scope, Session};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub pdf: bool,
}

/// Events that arrive this close together are one save (editors write a file in steps).
const SETTLE: Duration = Duration::from_millis(10);
/// PDFs are made again once the files have been quiet this long.
const PDF_PAUSE: Duration = Duration::from_millis(1500);

/// Folders under the site root that are watched, with `site.toml` beside them.
const WATCHED: [&str; 4] = ["content", "data", "themes", "static"];

pub fn run(opts: ServeOptions) -> Result<(), Diagnostic> {
    let root = opts.root.canonicalize().map_err(|e| {
        Diagnostic::error(format!("cannot open {}: {e}", opts.root.display()))
            .hint("give --root a folder holding site.toml")
    })?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let server = tiny_http::Server::http(addr).map_err(|e| {
        Diagnostic::error(format!("cannot listen on {addr}: {e}"))
            .hint("another program may be using the port: choose another with --port")
    })?;
    let addr = server.server_addr().to_ip().unwrap_or(addr);
    let (tx, rx) = mpsc::channel();
    let events = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (inotify's open and close): only writes count, or
        // every rebuild would start another.
        if let Ok(e) = event
            && !matches!(e.kind, notify::EventKind::Access(_))
        {
            let _ = events.send(Message::Changed(e.paths));
        }
    })
    .map_err(|e| Diagnostic::error(format!("cannot watch {}: {e}", root.display())))?;
    // Only what the site reads: not `public/`, nor a bundled site's `target/`.
    watch(&mut watcher, &root);

    let (mut session, first) = Session::start(Options {
        root: root.clone(),
        base_url: Some(format!("http://{addr}")),
        drafts: opts.drafts,
        pdf: opts.pdf,
    });
    report(&session, &first);
    let state = Arc::new(State::new(
        session.outputs().clone(),
        session.errors().to_vec(),
    ));
    let server = Arc::new(server);
    {
        let state = state.clone();
        let server = server.clone();
        std::thread::spawn(move || http::run(server, state));
    }
    println!(
        "Serving {} at http://{addr}/ (Welsh: http://{addr}/cy/). Watching for changes; Ctrl+C stops.",
        root.display()
    );

    let mut pdfs_running = false;
    loop {
        let timeout = if session.pdfs_pending() && !pdfs_running {
            PDF_PAUSE
        } else {
            Duration::from_secs(3600)
        };
        let mut changed = match rx.recv_timeout(timeout) {
            Ok(Message::Changed(paths)) => paths,
            Ok(Message::Pdfs(made)) => {
                pdfs_running = false;
                let done = session.accept_pdfs(made);
                if done.scope != Scope::Nothing {
                    publish(&state, &session, &done, false);
                    report(&session, &done);
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {
                // The editor paused: make the PDFs on another thread.
                if let Some(job) = session.pdf_job() {
                    pdfs_running = true;
                    let tx = tx.clone();
                    std::thread::spawn(move || tx.send(Message::Pdfs(job.run())));
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let mut later = Vec::new();
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            match more {
                Message::Changed(paths) => changed.extend(paths),
                pdfs => later.push(pdfs),
            }
        }
        // PDFs that finished meanwhile are of older files: dropped, and made again later.
        if !later.is_empty() {
            pdfs_running = false;
        }
        // A watched folder created after start (a first `static/`) is watched from now on.
        if changed.iter().any(|p| p.parent() == Some(root.as_path())) {
            watch(&mut watcher, &root);
        }
        let rebuild = session.apply(&changed);
        if rebuild.scope == Scope::Nothing {
            continue;
        }
        publish(&state, &session, &rebuild, true);
        report(&session, &rebuild);
    }
}

enum Message {
    Changed(Vec<PathBuf>),
    Pdfs(session::PdfsMade),
}

fn watch(watcher: &mut notify::RecommendedWatcher, root: &Path) {
    let _ = watcher.watch(root, RecursiveMode::NonRecursive);
    for dir in WATCHED {
        let dir = root.join(dir);
        if dir.is_dir() {
            let _ = watcher.watch(&dir, RecursiveMode::Recursive);
        }
    }
}

/// Hand the new outputs (or the errors) to the server and tell the browsers.
fn publish(state: &State, session: &Session, rebuild: &Rebuild, announce: bool) {
    let failed = !rebuild.errors.is_empty();
    let had_errors = {
        let mut errors = state.errors.write().unwrap_or_else(|e| e.into_inner());
        let had = !errors.is_empty();
        *errors = session.errors().to_vec();
        had
    };
    if !rebuild.changed.is_empty() {
        *state.outputs.write().unwrap_or_else(|e| e.into_inner()) = session.outputs().clone();
    }
    if !announce {
        return;
    }
    if failed || had_errors || rebuild.changed.iter().any(|p| !p.ends_with(".css")) {
        state.broadcast(Event::Reload);
    } else if rebuild.css_only || !rebuild.changed.is_empty() {
        state.broadcast(Event::Css);
    }
}

/// One line per rebuild; the whole of every error.
fn report(session: &Session, r: &Rebuild) {
    let now = jiff::Zoned::now().strftime("%H:%M:%S");
    let ms = r.elapsed.as_secs_f64() * 1000.0;
    let what = match r.inputs.as_slice() {
        [] => match r.scope {
            Scope::Pages => "PDFs".to_string(),
            _ => "first build".to_string(),
        },
        [one] => one.clone(),
        [one, rest @ ..] => format!("{one} and {} more", rest.len()),
    };
    if !r.errors.is_empty() {
        // anstream drops the colours when stderr is not a terminal.
        let mut err = anstream::stderr();
        for d in &r.errors {
            let _ = writeln!(err, "{}", d.render(true));
        }
        let _ = writeln!(
            err,
            "{now} {what}: {} — still serving the last good build; fix and save to retry",
            plural(r.errors.len(), "error")
        );
        return;
    }
    let scope = match r.scope {
        Scope::Pages | Scope::Nothing => "",
        Scope::Templates => " (templates)",
        Scope::Statics => " (static files)",
        Scope::Data => " (pages showing data)",
        Scope::Strings => " (pages showing UI strings that changed)",
        Scope::Site => " (whole site)",
    };
    println!(
        "{now} {what}: {} rendered, {} changed{scope} in {ms:.0} ms{}",
        plural(r.rendered, "file"),
        plural(r.changed.len(), "output"),
        if session.warnings().is_empty() || r.scope != Scope::Site {
            String::new()
        } else {
            format!(", {}", plural(session.warnings().len(), "warning"))
        }
    );
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
