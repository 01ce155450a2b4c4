//! Errors and warnings about a spec, each tied to a file and a place in it.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The generator approximated something; the output is still usable.
    Warning,
    /// The generator cannot produce a client from this spec.
    Error,
}

/// Where in the spec a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// A JSON pointer into the document, such as `#/components/schemas/Organization/allOf/2`.
    pub pointer: Option<String>,
    /// 1-based line and column in the file, when the parser knows them.
    pub line_column: Option<(usize, usize)>,
}

/// One message about the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether generation can go on.
    pub severity: Severity,
    /// The spec file the message is about.
    pub file: String,
    /// The place in that file.
    pub location: Location,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Whether the generator left something out of the client (an operation, a parameter, a
    /// property, a schema), rather than approximating it.
    pub skipped: bool,
}

impl Diagnostic {
    /// An error at a JSON pointer.
    pub fn error_at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, Some(pointer.into()), message)
    }

    /// A warning at a JSON pointer: something was approximated.
    pub fn warning_at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, Some(pointer.into()), message)
    }

    /// A warning at a JSON pointer: something was left out of the client.
    pub fn skipped_at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let mut diagnostic = Self::warning_at(file, pointer, message);
        diagnostic.skipped = true;
        diagnostic
    }

    /// The same diagnostic as an error: what `--strict` makes of every warning.
    pub fn into_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }

    fn new(
        severity: Severity,
        file: &str,
        pointer: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            file: file.to_owned(),
            location: Location {
                pointer,
                line_column: None,
            },
            message: message.into(),
            skipped: false,
        }
    }

    /// An error at a line and column of the file.
    pub fn error_at_line(
        file: &str,
        line_column: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        let mut diagnostic = Self::new(Severity::Error, file, None, message);
        diagnostic.location.line_column = line_column;
        diagnostic
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.file)?;
        if let Some((line, column)) = self.location.line_column {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(pointer) = &self.location.pointer {
            write!(f, " at {pointer}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A list of diagnostics, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Adds one diagnostic, unless the same one is already there (a schema merged into several
    /// allOf types is lowered once per merge).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.0.contains(&diagnostic) {
            self.0.push(diagnostic);
        }
    }

    /// How many diagnostics say that something was left out of the client.
    pub fn skipped(&self) -> usize {
        self.0.iter().filter(|d| d.skipped).count()
    }

    /// The number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Appends one JSON-pointer segment, escaping `~` and `/` as RFC 6901 asks.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}
