//! The other files a spec refers to (`$ref: common.yaml#/…`), and where they are found.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Reads the files that a spec's `$ref`s name.
pub trait SpecFiles {
    /// The text of the file at `path`, which is relative to the directory of the spec file
    /// (`schemas/pet.yaml`, `../common.yaml`).
    fn read(&self, path: &Path) -> io::Result<String>;
}

/// Reads referenced files from a directory on disk: the directory of the spec file.
#[derive(Debug, Clone)]
pub struct DiskFiles {
    base_dir: PathBuf,
}

impl DiskFiles {
    /// Files are read relative to `base_dir`.
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        Self {
            base_dir: base_dir.into(),
        }
    }
}

impl SpecFiles for DiskFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(self.base_dir.join(path))
    }
}

/// Reads no file: every reference to another file is a warning. For fuzzing and tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl SpecFiles for NoFiles {
    fn read(&self, _path: &Path) -> io::Result<String> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "reading other files is turned off",
        ))
    }
}

/// The path of the file that `reference` (the part of a `$ref` before `#`) names, written in
/// a file at `from`; both are relative to the spec's directory. `%20`-style escapes are decoded
/// and `.`/`..` are resolved by text, so the same file always gets the same path.
pub(super) fn resolve(from: &Path, reference: &str) -> PathBuf {
    let decoded = super::pointer::percent_decode(reference);
    let joined = from
        .parent()
        .map_or_else(|| PathBuf::from(&decoded), |dir| dir.join(&decoded));
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_name =
                    matches!(normal.components().next_back(), Some(Component::Normal(_)));
                if last_is_name {
                    normal.pop();
                } else {
                    normal.push("..");
                }
            }
            other => normal.push(other),
        }
    }
    normal
}

/// Whether the part of a `$ref` before `#` is a URL (`https://…`, `file:…`) rather than a path.
pub(super) fn is_url(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut characters = scheme.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && scheme.len() > 1
        && characters.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A path written with `/` whatever the platform, for messages and origins.
pub(super) fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_the_referring_file() {
        let main = Path::new("openapi.yaml");
        assert_eq!(resolve(main, "common.yaml"), PathBuf::from("common.yaml"));
        assert_eq!(
            resolve(main, "./schemas/Pet.yaml"),
            PathBuf::from("schemas/Pet.yaml")
        );
        let nested = Path::new("schemas/Pet.yaml");
        assert_eq!(
            resolve(nested, "../common.yaml"),
            PathBuf::from("common.yaml")
        );
        assert_eq!(
            resolve(nested, "Tag.yaml"),
            PathBuf::from("schemas/Tag.yaml")
        );
        assert_eq!(resolve(main, "../up.yaml"), PathBuf::from("../up.yaml"));
        assert_eq!(
            resolve(main, "my%20file.yaml"),
            PathBuf::from("my file.yaml")
        );
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://example.com/spec.yaml"));
        assert!(is_url("http://example.com"));
        assert!(is_url("file:///tmp/spec.yaml"));
        assert!(!is_url("common.yaml"));
        assert!(!is_url("./a:b.yaml"));
        assert!(!is_url(""));
    }

    #[test]
    fn paths_are_displayed_with_slashes() {
        assert_eq!(
            display(Path::new("/tmp/specs/common.yaml")),
            "/tmp/specs/common.yaml"
        );
        assert_eq!(display(Path::new("specs/common.yaml")), "specs/common.yaml");
    }

    #[test]
    fn no_files_reads_nothing() {
        assert!(NoFiles.read(Path::new("common.yaml")).is_err());
    }
}
