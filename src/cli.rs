//! The command line: `tryloyw build`, `tryloyw new`. Exit codes: 0 success, 1 the site has
//! errors (all reported), 2 usage errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildOptions, Failure};
use crate::diagnostics::Diagnostic;
use crate::scaffold;

#[derive(Parser)]
#[command(
    name = "tryloyw",
    version,
    about = "Build bilingual transparency sites: English and Welsh, accessible, printable, open data."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (public/ by default), replacing it only if the build succeeds.
    Build {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site. It must be new, empty, or a previous tryloyw output.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Override site.toml's base_url, for example for a staging server.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Skip the PDFs of print editions (faster builds while writing).
        #[arg(long)]
        no_pdf: bool,
    },
    /// Preview the site: build it, serve it on this computer and rebuild what changes.
    ///
    /// Pages reload in the browser after each rebuild; when a change breaks the site, the last
    /// good pages stay served with the errors shown over them.
    Serve {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Only this computer can connect unless you choose
        /// another, such as 0.0.0.0 for every network interface.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Skip the PDFs of print editions (otherwise made whenever editing pauses).
        #[arg(long)]
        no_pdf: bool,
    },
    /// Check a site for broken links and anchors, accessibility problems and missing twins.
    ///
    /// Builds the site into a temporary folder (or checks --output as it is) and reports each
    /// problem at its source. Rule levels can be set in check.toml at the site root.
    Check {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Check this already built folder as it is, instead of a fresh build.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// How to show the findings.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::check::Format,
        /// Also fetch every external link (needs the network).
        #[arg(long)]
        external: bool,
    },
    /// Create a new bilingual site that builds at once.
    New {
        /// The folder to create (it must not exist, or be empty).
        dir: PathBuf,
    },
    /// Report missing and out-of-date translations, and exchange them with translators.
    ///
    /// Without an action, lists every page, UI string and data text missing in a language, and
    /// every translation whose original changed since it was translated, with the changes.
    Translations {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", value_name = "DIR", global = true)]
        root: PathBuf,
        #[command(subcommand)]
        action: Option<TranslationsAction>,
    },
}

#[derive(Subcommand)]
enum TranslationsAction {
    /// Record in each translation which version of its original it translates.
    Mark {
        /// Translated pages to mark, such as content/about.cy.md.
        files: Vec<PathBuf>,
        /// Mark every translation.
        #[arg(long)]
        all: bool,
    },
    /// Write the missing and out-of-date pages and UI strings to a CSV file for translators.
    Export {
        /// The CSV file to write (standard output if not given).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the translations from a filled-in CSV file into the site's files.
    Import {
        /// The CSV file, as `export` wrote it, with the translation column filled in.
        file: PathBuf,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            no_pdf,
        } => run_build(BuildOptions {
            root,
            output,
            base_url,
            drafts,
            pdf: !no_pdf,
        }),
        Command::Check {
            root,
            output,
            format,
            external,
        } => crate::check::run(&crate::check::CheckOptions {
            root,
            output,
            format,
            external,
        }),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            no_pdf,
        } => {
            let opts = crate::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                pdf: !no_pdf,
            };
            match crate::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    print_diagnostics(&[d]);
                    ExitCode::from(2)
                }
            }
        }
        Command::Translations { root, action } => run_translations(&root, action),
        Command::New { dir } => match scaffold::create(&dir) {
            Ok(()) => {
                println!(
                    "Created a new site in {}.\nBuild it with: tryloyw build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diagnostics(&[d]);
                ExitCode::from(2)
            }
        },
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = anstream::stderr();
    for d in diags {
        let _ = writeln!(err, "{}", d.render(true));
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn run_build(opts: BuildOptions) -> ExitCode {
    match build::build(&opts) {
        Ok(summary) => {
            print_diagnostics(&summary.warnings);
            let per_lang: Vec<String> = summary
                .pages
                .iter()
                .map(|(name, n)| format!("{n} {name}"))
                .collect();
            let total: usize = summary.pages.iter().map(|(_, n)| n).sum();
            println!(
                "Built {} ({}) and {} in {} ms into {}{}",
                plural(total, "page", "pages"),
                per_lang.join(", "),
                plural(summary.files - total, "other file", "other files"),
                summary.elapsed.as_millis(),
                summary.output.display(),
                if summary.warnings.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", with {}",
                        plural(summary.warnings.len(), "warning", "warnings")
                    )
                }
            );
            for (name, translated, fallback, stale) in &summary.parity {
                let mut line = format!(
                    "{name}: {translated} of {} pages translated",
                    translated + fallback
                );
                if *fallback > 0 {
                    line.push_str(&format!(", {fallback} shown in the original language"));
                }
                if *stale > 0 {
                    line.push_str(&format!(", {stale} out of date"));
                }
                if *fallback > 0 || *stale > 0 {
                    line.push_str(" (details: tryloyw translations)");
                }
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Site(diags)) => {
            print_diagnostics(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let target = build::output_dir(&opts.root, opts.output.as_deref());
            let _ = writeln!(
                anstream::stderr(),
                "Build failed with {}; {} was left as it was.",
                plural(errors, "error", "errors"),
                target.display()
            );
            ExitCode::from(1)
        }
        Err(Failure::Usage(d)) => {
            print_diagnostics(&[d]);
            ExitCode::from(2)
        }
    }
}

/// "2 files backed up to .tryloyw/backups/20260122T140512Z/", when files were replaced.
fn print_backups(backup: Option<&crate::translations::Backups>) {
    if let Some(b) = backup {
        println!(
            "{} backed up to {}/",
            plural(b.files, "file", "files"),
            b.folder.display()
        );
    }
}

fn run_translations(root: &std::path::Path, action: Option<TranslationsAction>) -> ExitCode {
    use crate::translations;
    let failed = |diags: Vec<Diagnostic>| {
        print_diagnostics(&diags);
        ExitCode::from(1)
    };
    match action {
        None => match translations::report(root) {
            Ok(report) => {
                let _ = write!(anstream::stdout(), "{}", report.render(true));
                if report.is_complete() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(d) => failed(d),
        },
        Some(TranslationsAction::Mark { files, all }) => {
            if files.is_empty() && !all {
                print_diagnostics(&[Diagnostic::error(
                    "name the translations to mark, or use --all",
                )]);
                return ExitCode::from(2);
            }
            match translations::mark(root, &files, all) {
                Ok(marked) => {
                    for m in &marked.files {
                        println!("marked {}", m.display());
                    }
                    println!(
                        "{}",
                        plural(
                            marked.files.len(),
                            "translation marked",
                            "translations marked"
                        )
                    );
                    print_backups(marked.backup.as_ref());
                    ExitCode::SUCCESS
                }
                Err(d) => failed(d),
            }
        }
        Some(TranslationsAction::Export { output }) => match translations::export(root) {
            Ok(rows) => {
                let written = match &output {
                    Some(path) => {
                        std::fs::File::create(path).and_then(|f| translations::write_csv(&rows, f))
                    }
                    None => translations::write_csv(&rows, std::io::stdout()),
                };
                match written {
                    Ok(()) => {
                        eprintln!(
                            "{}",
                            plural(rows.len(), "text to translate", "texts to translate")
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => failed(vec![Diagnostic::error(format!(
                        "cannot write the CSV file: {e}"
                    ))]),
                }
            }
            Err(d) => failed(d),
        },
        Some(TranslationsAction::Import { file }) => match translations::import(root, &file) {
            Ok(r) => {
                println!(
                    "{} created, {} updated, {} added; {} still to translate",
                    plural(r.pages_created, "page", "pages"),
                    plural(r.pages_updated, "page", "pages"),
                    plural(r.strings_added, "UI string", "UI strings"),
                    r.skipped
                );
                print_backups(r.backup.as_ref());
                ExitCode::SUCCESS
            }
            Err(d) => failed(d),
        },
    }
}
