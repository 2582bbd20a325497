//! Asking before destructive operations.

use crate::failure::Failure;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

/// Asks `question` on the terminal. With `force`, does not ask. Without a terminal (a script, a
/// pipe) and without `force`, refuses: a destructive command never runs unconfirmed.
pub fn confirm(question: &str, force: bool) -> Result<bool, Failure> {
    if force {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "{question} Not confirmed: there is no terminal to ask on. Pass --force to proceed without asking."
        )));
    }
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
