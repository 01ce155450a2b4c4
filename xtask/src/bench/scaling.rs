//! `cargo xtask bench --scaling N,N,…`: how the generated crate grows with the spec. For each
//! size it generates the crate of a synthetic spec ([`crate::synthetic`]) of N operations and
//! N/4 schemas, and measures its size and its `cargo check` (dependencies prebuilt,
//! `CARGO_INCREMENTAL=0`), with every feature and with one tag's; the table goes to
//! [`REPORT`].

use std::path::Path;
use std::time::Instant;

use generator::Options;

use super::{Build, Builder, CrateSize, Machine, tag_features, touch};

/// Where the report goes, relative to the workspace root.
pub(super) const REPORT: &str = "BENCHMARKS-SCALING.md";
/// The package name of the generated crates.
const CRATE_NAME: &str = "synthetic-client";
/// Peak memory targets of `cargo check` for the largest spec (about 11,000 operations): with
/// every feature, and with one tag's.
const FULL_TARGET_MIB: f64 = 8192.0;
const SINGLE_TAG_TARGET_MIB: f64 = 2048.0;

/// One size measured.
struct Row {
    operations: usize,
    schemas: usize,
    types: usize,
    generate_seconds: f64,
    size: CrateSize,
    full: Build,
    tag: String,
    single: Build,
}

/// Measures every size of `sizes` (operations), each build `build_runs` times, and writes the
/// report.
pub(super) fn run(
    root: &Path,
    sizes: &[usize],
    build_runs: usize,
    command_line: &str,
) -> Result<bool, String> {
    let work = root.join("target").join("bench").join("scaling");
    let mut rows = Vec::new();
    for (position, &operations) in sizes.iter().enumerate() {
        let schemas = (operations / 4).max(1);
        println!("bench: synthetic spec of {operations} operations and {schemas} schemas");
        let text = crate::synthetic::spec(operations, schemas);
        let crate_dir = work.join(format!("synthetic-{operations}"));
        crate::remove_dir(&crate_dir)?;
        let options = Options::new(CRATE_NAME)
            .spec_file(format!(
                "cargo xtask synthetic --operations {operations} --schemas {schemas}"
            ))
            .regenerate_command(command_line.to_owned());
        let started = Instant::now();
        let generated =
            generator::generate(&text, &options).map_err(|errors| errors.to_string())?;
        let generate_seconds = started.elapsed().as_secs_f64();
        oapic::write::plan(&crate_dir, &generated.files)
            .and_then(oapic::write::Plan::apply)
            .map_err(|error| format!("{}: {error}", crate_dir.display()))?;
        let lock = crate_dir.join("Cargo.lock");
        std::fs::copy(root.join("Cargo.lock"), &lock)
            .map_err(|error| format!("{}: {error}", lock.display()))?;
        let size = CrateSize::of(&crate_dir)?;
        let builder = Builder {
            crate_dir: crate_dir.clone(),
            target_dir: work.join("target"),
            report: work.join("time.txt"),
            runs: build_runs,
        };
        let tag = tag_features(&crate_dir)?
            .into_iter()
            .next()
            .ok_or("the synthetic crate has no tag feature")?;
        let single_args = ["check", "--no-default-features", "--features", tag.as_str()];
        if position == 0 {
            println!("bench: checking the dependencies (not measured)");
            builder.warm(&["check"], false)?;
            builder.warm(&single_args, false)?;
        }
        let lib = crate_dir.join("src/lib.rs");
        println!("bench: cargo check, every feature");
        let full = builder.measure(&["check"], false, |_| touch(&lib))?;
        println!("bench: cargo check, only `{tag}`");
        let single = builder.measure(&single_args, false, |_| touch(&lib))?;
        rows.push(Row {
            operations,
            schemas,
            types: generated.types,
            generate_seconds,
            size,
            full,
            tag,
            single,
        });
    }
    let markdown = markdown(&rows, build_runs, command_line, &Machine::here());
    println!("{markdown}");
    let path = root.join(REPORT);
    std::fs::write(&path, &markdown).map_err(|error| format!("{}: {error}", path.display()))?;
    println!("bench: wrote {}", path.display());
    Ok(true)
}

fn markdown(rows: &[Row], build_runs: usize, command_line: &str, machine: &Machine) -> String {
    let mut lines = vec![
        "# Benchmarks: how the generated crate grows with the spec".to_owned(),
        String::new(),
        format!(
            "Written by `{command_line}` on {}. Machine: {}, {} cores available, {} memory; {}. \
             Each check is the median of {build_runs} run(s) of `cargo check` of the crate alone \
             (`CARGO_INCREMENTAL=0`, dependencies prebuilt, `/usr/bin/time -v`); the machine is \
             shared, so wall times are noisy, peak memory much less so.",
            machine.date, machine.cpu, machine.cores, machine.memory, machine.rustc
        ),
        String::new(),
        "The specs come from `cargo xtask synthetic --operations N --schemas N/4`: CRUD groups \
         of five operations (paging query parameters, JSON bodies, a 404 and a `default` error \
         each), twenty operations a tag, objects of a dozen properties of every common kind with \
         references, lists and `allOf`."
            .to_owned(),
        String::new(),
        "| operations | schemas | types | generation | files | lines | lines per operation | \
         check: wall | check: peak RSS | one tag: wall | one tag: peak RSS |"
            .to_owned(),
        "|---|---|---|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    for row in rows {
        lines.push(format!(
            "| {} | {} | {} | {:.2} s | {} | {} | {:.0} | {:.1} s | {:.0} MiB | {:.1} s | {:.0} MiB |",
            row.operations,
            row.schemas,
            row.types,
            row.generate_seconds,
            row.size.files,
            row.size.lines,
            row.size.lines as f64 / row.operations as f64,
            row.full.wall,
            row.full.peak_mib,
            row.single.wall,
            row.single.peak_mib
        ));
    }
    if let Some(largest) = rows.iter().max_by_key(|row| row.operations) {
        lines.push(String::new());
        lines.push(format!(
            "Targets, for the largest spec measured ({} operations; the target is for about \
             11,000): `cargo check` within {:.0} MiB with every feature: {:.0} MiB, {}; within \
             {:.0} MiB with one tag (`{}`): {:.0} MiB, {}.",
            largest.operations,
            FULL_TARGET_MIB,
            largest.full.peak_mib,
            super::verdict(largest.full.peak_mib <= FULL_TARGET_MIB),
            SINGLE_TAG_TARGET_MIB,
            largest.tag,
            largest.single.peak_mib,
            super::verdict(largest.single.peak_mib <= SINGLE_TAG_TARGET_MIB),
        ));
        let per_operation: Vec<f64> = rows
            .iter()
            .map(|row| row.size.lines as f64 / row.operations as f64)
            .collect();
        let fewest = per_operation.iter().copied().fold(f64::INFINITY, f64::min);
        let most = per_operation.iter().copied().fold(0.0, f64::max);
        lines.push(String::new());
        lines.push(format!(
            "Generated lines per operation: from {fewest:.0} to {most:.0} across the sizes."
        ));
    }
    lines.push(String::new());
    lines.join("\n")
}
