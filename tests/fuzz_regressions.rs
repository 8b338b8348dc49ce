//! Every input a fuzz target once failed on (`tests/fuzz-crashes/<target>/`) and every seed
//! (`fuzz/seeds/<target>/`), run again through the same code the fuzz targets run
//! (`tests/fuzzing/mod.rs`), so CI keeps them fixed without cargo-fuzz.

mod fuzzing;

use std::path::Path;

fn run_all(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for dir in [
        root.join("tests/fuzz-crashes").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            eprintln!("{}", file.display());
            run(&data);
            count += 1;
        }
    }
    assert!(count > 0, "no saved inputs for {target}");
}

#[test]
fn front_matter() {
    run_all("front_matter", fuzzing::front_matter);
}

#[test]
fn markdown() {
    run_all("markdown", fuzzing::markdown);
}

#[test]
fn toml_data() {
    run_all("toml_data", fuzzing::toml_data);
}

#[test]
fn csv_data() {
    run_all("csv_data", fuzzing::csv_data);
}

#[test]
fn chart() {
    run_all("chart", fuzzing::chart);
}
