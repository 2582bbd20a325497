//! Printing results: aligned tables and key/value lists for people, the API's objects as JSON or
//! YAML for programs.

use crate::args::Output;
use crate::failure::Failure;
use cdx_ext::Secret;
use serde::Serialize;
use std::io::Write as _;

/// Writes `text` to standard output. Every byte cdx prints on stdout goes through here: a reader
/// that stops early (`cdx ... | head -1`) ends the command quietly
/// ([`Failure::closed_stdout`]) instead of a panic from `print!`.
pub fn stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::closed_stdout(),
            _ => Failure::other(format!("cannot write to standard output: {e}")),
        })
}

/// Prints results in the chosen format.
#[derive(Clone, Copy, Debug)]
pub struct Printer(pub Output);

impl Printer {
    /// True when the output is for people (tables and sentences).
    pub fn is_human(&self) -> bool {
        self.0 == Output::Human
    }

    /// Prints a machine-readable value (JSON or YAML); `false` when the output is for humans.
    pub fn machine<T: Serialize + ?Sized>(&self, value: &T) -> Result<bool, Failure> {
        match self.0 {
            Output::Human => Ok(false),
            Output::Json => {
                let text = serde_json::to_string_pretty(value)
                    .map_err(|e| Failure::other(format!("printing JSON: {e}")))?;
                stdout(&format!("{text}\n"))?;
                Ok(true)
            }
            Output::Yaml => {
                let text = serde_norway::to_string(value)
                    .map_err(|e| Failure::other(format!("printing YAML: {e}")))?;
                stdout(&text)?;
                Ok(true)
            }
        }
    }

    /// A list: a table for people, the items as an array for programs.
    pub fn list<T: Serialize>(
        &self,
        items: &[T],
        columns: &[&str],
        row: impl Fn(&T) -> Vec<String>,
    ) -> Result<(), Failure> {
        if !self.machine(items)? {
            let rows: Vec<Vec<String>> = items.iter().map(row).collect();
            stdout(&table(columns, &rows))?;
        }
        Ok(())
    }

    /// One object: `Field: value` lines for people, the object for programs.
    pub fn object<T: Serialize>(&self, item: &T, fields: &[(&str, String)]) -> Result<(), Failure> {
        if !self.machine(item)? {
            stdout(&key_values(fields))?;
        }
        Ok(())
    }
}

/// Server text made safe for a terminal: control characters (ESC, BEL, CR, LF, ...) and the
/// invisible direction overrides print as escapes (`\u{1b}`), so a display name cannot clear
/// the screen, retitle the window, or forge a line.
pub fn escape(text: &str) -> String {
    escape_except(text, None)
}

/// [`escape`], keeping line breaks: for cdx's own multi-line messages, which quote server text.
pub fn escape_keeping_lines(text: &str) -> String {
    escape_except(text, Some('\n'))
}

fn escape_except(text: &str, keep: Option<char>) -> String {
    let unsafe_char = |c: char| {
        Some(c) != keep
            && (c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An aligned table with a header row. Cells are [`escape`]d.
pub fn table(columns: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape(cell)).collect())
        .collect();
    let rows = &rows[..];
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = columns.iter().map(|c| width(c)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c))))
            .collect();
        // One space of padding each side of a cell, as the separator line assumes.
        format!(" {}\n", padded.join(" | ").trim_end())
    };
    let mut out = line(columns.to_vec());
    out.push_str(&format!(
        "{}\n",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    ));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// `Key: value` lines, keys aligned. Values are [`escape`]d.
pub fn key_values(fields: &[(&str, String)]) -> String {
    let width = fields
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}:{} {}\n",
                " ".repeat(width - k.chars().count()),
                escape(v)
            )
        })
        .collect()
}

/// A secret as printed: masked unless the user asked to see it.
pub fn secret(value: &Secret, show: bool) -> String {
    if show {
        value.expose_secret().to_string()
    } else {
        MASK.to_string()
    }
}

/// What a masked secret prints as.
pub const MASK: &str = "******** (use --show-secrets)";

/// An optional value as a cell.
pub fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A timestamp as a cell (RFC 3339, seconds, UTC).
pub fn time(value: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    value
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
