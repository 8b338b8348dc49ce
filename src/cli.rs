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
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => run_build(BuildOptions {
            root,
            output,
            base_url,
            drafts,
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
