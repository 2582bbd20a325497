//! Ctrl-C during a redeem. The token is spent the moment the server acts on it, so the first
//! SIGINT or SIGTERM does not abandon the request: cdx says it is finishing, waits for the answer
//! and saves it. A second signal abandons it.

use crate::failure::Failure;
use std::future::Future;

/// What a second signal leaves the user with.
pub const ABANDONED: &str = "Interrupted again: the redeem was abandoned. The token may have been redeemed: check `cdx consumer share list` before trying again.";

/// Runs `request` to completion through one SIGINT/SIGTERM; a second one abandons it with
/// [`ABANDONED`] (exit 130). Also returns whether a signal came (the caller saves what it got,
/// then exits 130).
pub async fn finish_through_one_signal<T>(
    request: impl Future<Output = Result<T, Failure>>,
) -> Result<(T, bool), Failure> {
    use tokio::signal::unix::{SignalKind, signal};
    // Without a handler (which should not happen) the default applies: the signal ends cdx.
    let mut interrupt = signal(SignalKind::interrupt()).ok();
    let mut terminate = signal(SignalKind::terminate()).ok();
    tokio::pin!(request);
    let mut interrupted = false;
    loop {
        let signalled = async {
            tokio::select! {
                () = next(&mut interrupt) => {}
                () = next(&mut terminate) => {}
            }
        };
        tokio::select! {
            result = &mut request => {
                return match result {
                    Ok(value) => Ok((value, interrupted)),
                    Err(f) if interrupted => Err(f.into_interrupted()),
                    Err(f) => Err(f),
                };
            }
            () = signalled => {
                if interrupted {
                    return Err(Failure::interrupted(ABANDONED));
                }
                interrupted = true;
                eprintln!(
                    "Interrupted: the redeem is finishing, so that the credentials it returns are not lost; cdx saves them and stops. Interrupt again to abandon it."
                );
            }
        }
    }
}

async fn next(signal: &mut Option<tokio::signal::unix::Signal>) {
    let received = match signal {
        Some(s) => s.recv().await.is_some(),
        None => false,
    };
    if !received {
        std::future::pending::<()>().await;
    }
}
