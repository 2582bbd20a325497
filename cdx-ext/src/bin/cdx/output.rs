//! Printing results: aligned tables and key/value lists for people, the API's objects as JSON or
//! YAML for programs.

use crate::failure::Failure;
use cdx_ext::Secret;
use clap::ValueEnum;
use comfy_table::{ContentLineStyle, LineStyle, TableStyle};
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

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Tables and sentences.
    Human,
    /// JSON: the API's objects (list, describe, inspect), or cdx's redeem summary.
    Json,
    /// YAML: the same values as json.
    Yaml,
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

    /// A list: a table of `view`'s columns for people, the items as an array for programs.
    pub fn list<T: Serialize>(&self, items: &[T], view: &View<T>) -> Result<(), Failure> {
        if !self.machine(items)? {
            let rows: Vec<Vec<String>> = items.iter().map(view.row).collect();
            stdout(&table(view.columns, &rows))?;
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

/// How one kind of API object prints for people: a list's columns, and one object's cells in
/// that order. A describe prints the same cells as `Column: value` lines ([`View::fields`]).
pub struct View<T: 'static> {
    /// The column titles.
    pub columns: &'static [&'static str],
    /// One object's cells, one per column.
    pub row: fn(&T) -> Vec<String>,
}

impl<T> View<T> {
    /// One object's cells, each with its column title.
    pub fn fields(&self, item: &T) -> Vec<(&'static str, String)> {
        self.columns.iter().copied().zip((self.row)(item)).collect()
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

/// The Confluent CLI's table look: no outer border, ` | ` between cells, `-+-` under the header.
const TABLE_STYLE: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none().junction('|'))
    .header_separator(LineStyle::none().fill('-').junction('+'))
    .content_lines(ContentLineStyle::none().junction('|'));

/// An aligned table with a header row, columns as wide as their widest cell on a terminal
/// (display width: CJK and emoji take two columns). Cells are [`escape`]d.
pub fn table(columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(TABLE_STYLE).set_header(columns.to_vec());
    for row in rows {
        table.add_row(row.iter().map(|cell| escape(cell)).collect::<Vec<_>>());
    }
    // The last column has no border after it: its padding is trailing space.
    let mut out = table.trim_fmt();
    out.push('\n');
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_table_is_its_header() {
        assert_eq!(table(&["ID", "Name"], &[]), " ID | Name\n----+------\n");
    }

    #[test]
    fn cells_are_escaped_and_aligned_as_escaped() {
        let rows = vec![
            vec!["ss-1".to_string(), "a\u{1b}[2Jb".to_string()],
            vec!["ss-22".to_string(), "x\ny".to_string()],
        ];
        assert_eq!(
            table(&["ID", "Name"], &rows),
            concat!(
                " ID    | Name\n",
                "-------+-------------\n",
                " ss-1  | a\\u{1b}[2Jb\n",
                " ss-22 | x\\u{a}y\n",
            )
        );
    }
}
