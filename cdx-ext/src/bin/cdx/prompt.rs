//! Asking before destructive operations.

use crate::failure::Failure;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

/// Refuses a destructive command that could not be confirmed: no `--force` and no terminal to
/// ask on (a script, a pipe). Called before the client is built, so that the refusal's exit
/// status 2 keeps its promise that nothing was sent. `action` completes "Refusing to …", e.g.
/// `delete consumer share "ss-1"`.
pub fn ensure_confirmable(action: &str, force: bool) -> Result<(), Failure> {
    if force || std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "Refusing to {action} without confirmation: standard input is not a terminal to ask on, and --force was not given. Nothing was sent."
    )))
}

/// Asks `question` on the terminal; true for "y" or "yes". With `force`, does not ask. Callers
/// have already passed [`ensure_confirmable`]; without a terminal this refuses all the same.
fn confirm(question: &str, action: &str, force: bool) -> Result<bool, Failure> {
    if force {
        return Ok(true);
    }
    ensure_confirmable(action, force)?;
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::other(format!("reading the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// [`confirm`], saying [`DECLINED`] on stderr when the answer is no.
pub fn confirmed(question: &str, action: &str, force: bool) -> Result<bool, Failure> {
    let yes = confirm(question, action, force)?;
    if !yes {
        eprintln!("{DECLINED}");
    }
    Ok(yes)
}

/// What a declined confirmation prints (on stderr), as the Confluent CLI does. The command then
/// exits 0: declining is the user's choice, not a failure, and nothing was changed.
const DECLINED: &str = "Operation terminated.";
