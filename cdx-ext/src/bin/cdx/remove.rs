//! Deleting several shares at once, asked once: `consumer share delete` and `provider share
//! delete` (a revoke).

use crate::context::Context;
use crate::failure::Failure;
use crate::prompt::{confirmed, ensure_confirmable};
use cdx_ext::Client;
use clap::Args;
use std::collections::HashSet;

/// The ids to delete, and whether to ask.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Share ids (ss-…).
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub force: bool,
}

/// How one removal command is worded.
pub struct Removal {
    /// What is done, e.g. `delete` (the question and the refusal say it).
    pub verb: &'static str,
    /// What is removed, e.g. `consumer share`.
    pub noun: &'static str,
    /// What follows, for the question, e.g. `Its credentials stop working.`
    pub consequence: &'static str,
    /// The verb's past participle, for "Nothing was …", e.g. `deleted`.
    pub done: &'static str,
}

/// Removes every id, in the order first given, each once. Refuses (exit 2, before the client
/// is built) when it cannot ask and `--force` was not given; checks every id (`exists`) before
/// any is removed, so a mistyped id removes nothing; then asks once.
pub async fn remove_all(
    ctx: &Context,
    what: &Removal,
    DeleteArgs { ids, force }: DeleteArgs,
    exists: impl AsyncFn(&Client, &str) -> cdx_ext::Result<()>,
    remove: impl AsyncFn(&Client, &str) -> cdx_ext::Result<()>,
) -> Result<(), Failure> {
    let ids = distinct(ids);
    let listed = quoted(&ids);
    let action = format!("{} {} {listed}", what.verb, what.noun);
    ensure_confirmable(&action, force)?;
    let client = ctx.client()?;
    for id in &ids {
        exists(&client, id)
            .await
            .map_err(|e| Failure::from(e).with_note(&format!("Nothing was {}.", what.done)))?;
    }
    let question = format!(
        "{} {} {listed}? {}",
        capitalized(what.verb),
        what.noun,
        what.consequence
    );
    if !confirmed(&question, &action, force)? {
        return Ok(());
    }
    for id in &ids {
        remove(&client, id).await?;
        eprintln!("Deleted {} {id:?}.", what.noun);
    }
    Ok(())
}

/// The ids once each, in the order first given (trimmed, as the API takes them): deleting the
/// same share twice would fail the second time, after the first had succeeded.
fn distinct(ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.trim().to_string()))
        .collect()
}

/// Ids as the Confluent CLI lists them: `"ss-1", "ss-2"`.
fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_once_in_the_order_given() {
        let ids = ["ss-2", "ss-1", " ss-2 ", "ss-1"]
            .map(String::from)
            .to_vec();
        assert_eq!(distinct(ids), ["ss-2", "ss-1"]);
        assert_eq!(quoted(&["ss-1".into(), "ss-2".into()]), r#""ss-1", "ss-2""#);
        assert_eq!(capitalized("revoke"), "Revoke");
    }
}
