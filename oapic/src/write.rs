//! Bringing a directory in line with generated files: only changed files are written, files the
//! generator no longer produces are removed, and a failure leaves the old crate as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use generator::is_generated_header;

/// What has to change on disk.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to create or replace, with their new contents.
    pub writes: Vec<(PathBuf, String)>,
    /// Generated files that are no longer generated.
    pub removals: Vec<PathBuf>,
}

impl Plan {
    /// Whether the directory is already up to date.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removals.is_empty()
    }

    /// One line per stale file.
    pub fn describe(&self) -> String {
        let writes = self
            .writes
            .iter()
            .map(|(path, _)| format!("stale: {}", path.display()));
        let removals = self
            .removals
            .iter()
            .map(|path| format!("no longer generated: {}", path.display()));
        writes.chain(removals).collect::<Vec<_>>().join("\n")
    }

    /// Writes every new file beside its target first, then renames them all into place and
    /// removes old files. An error while writing leaves the directory untouched.
    pub fn apply(self) -> io::Result<()> {
        let mut staged = Vec::new();
        for (path, contents) in &self.writes {
            let temporary = temporary_path(path);
            let result = path
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::write(&temporary, contents));
            if let Err(error) = result {
                for (temporary, _) in &staged {
                    let _ = fs::remove_file(temporary);
                }
                let _ = fs::remove_file(&temporary);
                return Err(error);
            }
            staged.push((temporary, path));
        }
        for (temporary, path) in staged {
            fs::rename(temporary, path)?;
        }
        for path in self.removals {
            fs::remove_file(path)?;
        }
        Ok(())
    }
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".oapic-tmp");
    path.with_file_name(name)
}

/// Compares `files` (relative to `out_dir`) with what is on disk.
pub fn plan(out_dir: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<Plan> {
    let mut plan = Plan::default();
    for (relative, contents) in files {
        let path = out_dir.join(relative);
        let current = match fs::read_to_string(&path) {
            Ok(current) => Some(current),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) if error.kind() == io::ErrorKind::InvalidData => None,
            Err(error) => return Err(error),
        };
        if current.as_deref() != Some(contents.as_str()) {
            plan.writes.push((path, contents.clone()));
        }
    }
    for existing in generated_files_on_disk(out_dir)? {
        let relative = existing.strip_prefix(out_dir).unwrap_or(&existing);
        if !files.contains_key(relative) {
            plan.removals.push(existing);
        }
    }
    Ok(plan)
}

/// Files under `dir` that carry the generator's mark. Hidden folders, `target/` and folders of
/// other crates (with a `Cargo.toml` of their own) are not searched.
fn generated_files_on_disk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                let skipped = entry.file_name() == "target"
                    || entry.file_name().to_string_lossy().starts_with('.')
                    || path.join("Cargo.toml").exists();
                if !skipped {
                    pending.push(path);
                }
            } else if fs::read_to_string(&path)
                .is_ok_and(|text| text.lines().next().is_some_and(is_generated_header))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
