//! Generates the bundled site's illustrative usage, conduct and data-quality figures.
//!
//! The source documents give no numbers of searches, misuse cases or quality scores, so the
//! bundled site carries sample data, labelled as illustrative wherever it is shown. This
//! generator makes it from `data/organisations.csv` and `data/reasons.toml`, seeded, so the
//! same inputs always give the same files:
//!
//! ```sh
//! cargo run --release --bin generate-leds-data -- [--root DIR] [--seed N] [--from 2021] [--years 5]
//! ```
//!
//! It writes `data/usage/searches-YYYY.csv` (one row per month × organisation × system ×
//! reason), `data/usage/conduct.csv` and `data/usage/quality.csv`. The shape is plausible, not
//! real: searches scale with the size of the organisation, move from PNC and PND to LEDS from
//! 2022, follow a mild seasonal cycle; misuse is rare; quality scores drift upwards.

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Generate illustrative LEDS usage, conduct and quality data (seeded)")]
struct Args {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long, default_value_t = 2019)]
    seed: u64,
    #[arg(long, default_value_t = 2021)]
    from: i32,
    #[arg(long, default_value_t = 5)]
    years: i32,
}

#[path = "seeded/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    /// Roughly normal, mean 0, sd 1 (sum of uniforms).
    fn normal(&mut self) -> f64 {
        (0..6).map(|_| self.unit()).sum::<f64>() - 3.0
    }

    fn poisson_like(&mut self, mean: f64) -> u64 {
        (mean + mean.sqrt() * self.normal()).round().max(0.0) as u64
    }
}

struct Org {
    id: String,
    kind: String,
    systems: Vec<String>,
    purposes: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let data = args.root.join("data");
    let mut reader = csv::Reader::from_path(data.join("organisations.csv"))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (id, kind, systems, purposes) =
        (col("id")?, col("type")?, col("systems")?, col("purposes")?);
    let split = |s: &str| {
        s.split(';')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
    };
    let mut orgs = Vec::new();
    for r in reader.records() {
        let r = r?;
        orgs.push(Org {
            id: r[id].to_string(),
            kind: r[kind].to_string(),
            systems: split(&r[systems]),
            purposes: split(&r[purposes]),
        });
    }
    let mut rng = Rng(args.seed);
    let usage = data.join("usage");
    std::fs::create_dir_all(&usage)?;
    let mut conduct = csv::Writer::from_path(usage.join("conduct.csv"))?;
    conduct.write_record([
        "period",
        "organisation",
        "misuse_cases",
        "breaches",
        "disciplinary_cases",
    ])?;
    let mut quality = csv::Writer::from_path(usage.join("quality.csv"))?;
    quality.write_record([
        "period",
        "organisation",
        "timeliness",
        "completeness",
        "conformity",
        "duplication",
        "integrity",
        "accuracy",
    ])?;
    // Each organisation's size and quality baseline stay fixed across years.
    let profiles: Vec<(f64, [f64; 6])> = orgs
        .iter()
        .map(|o| {
            let size = match o.kind.as_str() {
                "territorial-police" => 4000.0 + 30000.0 * rng.unit().powi(2),
                "specialist-police" | "national-agency" => 1500.0 + 4000.0 * rng.unit(),
                _ => 150.0 + 1200.0 * rng.unit(),
            };
            let base =
                [88.0, 90.0, 92.0, 95.0, 93.0, 91.0].map(|b: f64| b + 6.0 * rng.normal() * 0.5);
            (size, base)
        })
        .collect();
    for year in args.from..args.from + args.years {
        let mut searches = csv::Writer::from_path(usage.join(format!("searches-{year}.csv")))?;
        searches.write_record(["period", "organisation", "system", "reason", "searches"])?;
        for month in 1..=12 {
            let period = format!("{year}-{month:02}");
            // LEDS takes over from PNC and PND gradually from 2022.
            let t = ((year - 2022) as f64 * 12.0 + month as f64) / 36.0;
            let leds_share = t.clamp(0.0, 0.85);
            let season = 1.0 + 0.08 * ((month as f64 - 1.0) / 12.0 * std::f64::consts::TAU).cos();
            for (o, (size, base)) in orgs.iter().zip(&profiles) {
                for system in &o.systems {
                    let share = match system.as_str() {
                        "LEDS" => leds_share,
                        "PNC" => (1.0 - leds_share) * 0.7,
                        _ => (1.0 - leds_share) * 0.3,
                    };
                    if share <= 0.0 {
                        continue;
                    }
                    for (i, reason) in o.purposes.iter().enumerate() {
                        let weight = 1.0 / (i as f64 + 1.5);
                        let mean = size * share * season * weight * 0.5;
                        let n = rng.poisson_like(mean);
                        searches.write_record([
                            period.as_str(),
                            &o.id,
                            system,
                            reason,
                            &n.to_string(),
                        ])?;
                    }
                }
                let misuse = rng.poisson_like(size / 20000.0);
                let breaches = rng.poisson_like(size / 40000.0);
                let disciplinary = misuse.min(rng.poisson_like(misuse as f64 * 0.6));
                conduct.write_record([
                    period.as_str(),
                    &o.id,
                    &misuse.to_string(),
                    &breaches.to_string(),
                    &disciplinary.to_string(),
                ])?;
                let drift = (year - args.from) as f64 * 0.6 + month as f64 * 0.05;
                let scores: Vec<String> = base
                    .iter()
                    .map(|b| format!("{:.1}", (b + drift + rng.normal() * 0.8).clamp(60.0, 100.0)))
                    .collect();
                let mut row = vec![period.clone(), o.id.clone()];
                row.extend(scores);
                quality.write_record(&row)?;
            }
        }
        searches.flush()?;
    }
    conduct.flush()?;
    quality.flush()?;
    println!(
        "wrote illustrative data for {} organisations, {}–{}, into {}",
        orgs.len(),
        args.from,
        args.from + args.years - 1,
        usage.display()
    );
    Ok(())
}
