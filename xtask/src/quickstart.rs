//! `cargo xtask quickstart`: runs the README's quickstart commands as written (the `sh` blocks of
//! its "Install" and "Generate your first client" sections), from the repository root, in one
//! shell, so that the README cannot drift from what works.
//!
//! `cargo install` puts `oapic` under `target/quickstart/` (on `PATH` for the commands) instead of
//! `~/.cargo/bin`, and every build uses the workspace's `target/` directory, so that dependency
//! builds are shared; the commands themselves are not changed.

use std::path::Path;
use std::process::Command;

/// The README sections whose first `sh` block is run, in order.
const SECTIONS: &[&str] = &["## Install", "## Generate your first client"];

/// Runs the quickstart; `Ok(false)` when a command fails.
pub fn run(root: &Path) -> Result<bool, String> {
    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|error| format!("README.md: {error}"))?;
    let mut script = vec!["set -eux".to_owned()];
    for section in SECTIONS {
        script.extend(first_sh_block(&readme, section)?);
    }
    // The README generates into a directory of its own: start from none, as a new user would.
    for line in &script {
        for word in line
            .split_whitespace()
            .skip_while(|word| *word != "--out")
            .skip(1)
            .take(1)
        {
            if word.starts_with('/') {
                crate::remove_dir(Path::new(word))?;
            }
        }
    }
    let install_root = root.join("target/quickstart");
    let path = format!(
        "{}:{}",
        install_root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    println!(
        "quickstart: running the README's commands:\n{}",
        script[1..].join("\n")
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(script.join("\n"))
        .current_dir(root)
        .env("CARGO_INSTALL_ROOT", &install_root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("PATH", path)
        .status()
        .map_err(|error| format!("cannot run sh: {error}"))?;
    if status.success() {
        println!("quickstart: every command of the README's quickstart succeeded");
    } else {
        eprintln!("quickstart: a command of the README's quickstart failed ({status})");
    }
    Ok(status.success())
}

/// The lines of the first ```` ```sh ```` block after the heading `section`, comments dropped.
fn first_sh_block(readme: &str, section: &str) -> Result<Vec<String>, String> {
    let after = readme
        .split_once(&format!("\n{section}\n"))
        .map(|(_, after)| after)
        .ok_or_else(|| format!("README.md has no `{section}` section"))?;
    let block = after
        .split_once("```sh\n")
        .and_then(|(_, block)| block.split_once("\n```"))
        .map(|(block, _)| block)
        .ok_or_else(|| format!("README.md's `{section}` has no sh block"))?;
    Ok(block
        .lines()
        .map(|line| {
            line.split(" #")
                .next()
                .unwrap_or(line)
                .trim_end()
                .to_owned()
        })
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::first_sh_block;

    #[test]
    fn the_blocks_are_read_from_their_sections() {
        let readme = "# x\n\n## Install\n\n```sh\ncargo install --path oapic  # the CLI\n```\n\n\
                      ## Other\n\n```sh\nnot this\n```\n";
        assert_eq!(
            first_sh_block(readme, "## Install").expect("a block"),
            ["cargo install --path oapic"]
        );
        assert!(first_sh_block(readme, "## Missing").is_err());
    }
}
