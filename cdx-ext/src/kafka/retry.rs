//! Retrying a Kafka request (the check's steps; peek's metadata and offsets) while the cluster
//! answers with an error Kafka defines as transient (a coordinator or leader being elected, a
//! broker restarting): a cluster that is settling must not get a ✗ (or a failed peek) that the
//! same command a second later would not give.
//!
//! Authentication and authorization failures are never retried: they are what the check looks
//! for, and the same key would be refused again.

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::time::{Duration, Instant};

/// The wait after the first transient answer; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_millis(500);
/// The most attempts of one request, whatever the deadline: a bound on a long step timeout.
const MAX_ATTEMPTS: usize = 64;

/// Whether Kafka (its protocol's retriable errors) or librdkafka (its local timeouts and lost
/// connections) defines `code` as transient.
///
/// `UnknownTopicOrPartition`, retriable for Kafka while metadata propagates, is left out: a
/// missing topic is one of the check's answers, and retrying would only delay it.
pub(crate) fn is_retriable(code: RDKafkaErrorCode) -> bool {
    use RDKafkaErrorCode as C;
    matches!(
        code,
        // librdkafka's own: no answer yet, a connection lost or not yet made.
        C::OperationTimedOut
            | C::TimedOutQueue
            | C::BrokerTransportFailure
            | C::AllBrokersDown
            | C::WaitingForCoordinator
            | C::Retry
            // Kafka's retriable protocol errors.
            | C::InvalidMessage
            | C::LeaderNotAvailable
            | C::NotLeaderForPartition
            | C::RequestTimedOut
            | C::BrokerNotAvailable
            | C::ReplicaNotAvailable
            | C::NetworkException
            | C::CoordinatorLoadInProgress
            | C::CoordinatorNotAvailable
            | C::NotCoordinator
            | C::NotEnoughReplicas
            | C::NotEnoughReplicasAfterAppend
            | C::NotController
            | C::KafkaStorageError
            | C::FetchSessionIdNotFound
            | C::InvalidFetchSessionEpoch
            | C::ListenerNotFound
            | C::FencedLeaderEpoch
            | C::UnknownLeaderEpoch
            | C::OffsetNotAvailable
            | C::PreferredLeaderNotAvailable
            | C::UnstableOffsetCommit
            | C::ThrottlingQuotaExceeded
    )
}

/// Whether `error` carries a code [`is_retriable`] accepts.
pub(crate) fn is_transient(error: &KafkaError) -> bool {
    error.rdkafka_error_code().is_some_and(is_retriable)
}

/// Calls `attempt` with the time left until `deadline` and returns its outcome, unless
/// `transient` says it is worth another try: then waits a short, growing backoff and tries
/// again. Gives the last outcome when no time is left for another try or after
/// [`MAX_ATTEMPTS`]. `attempt` runs at least once, even past the deadline (with zero time).
pub(crate) fn until_settled<T>(
    deadline: Instant,
    mut attempt: impl FnMut(Duration) -> T,
    mut transient: impl FnMut(&T) -> bool,
) -> T {
    let mut backoff = FIRST_BACKOFF;
    let mut attempts = 0;
    loop {
        let outcome = attempt(deadline.saturating_duration_since(Instant::now()));
        attempts += 1;
        if attempts >= MAX_ATTEMPTS || !transient(&outcome) {
            return outcome;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left <= backoff {
            return outcome;
        }
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinator_and_leader_elections_are_retriable() {
        for code in [
            RDKafkaErrorCode::NotCoordinator,
            RDKafkaErrorCode::CoordinatorLoadInProgress,
            RDKafkaErrorCode::CoordinatorNotAvailable,
            RDKafkaErrorCode::LeaderNotAvailable,
            RDKafkaErrorCode::NotLeaderForPartition,
            RDKafkaErrorCode::OperationTimedOut,
            RDKafkaErrorCode::AllBrokersDown,
        ] {
            assert!(is_retriable(code), "{code:?}");
        }
        assert!(is_transient(&KafkaError::OffsetFetch(
            RDKafkaErrorCode::NotCoordinator
        )));
    }

    #[test]
    fn refusals_and_answers_are_not_retriable() {
        for code in [
            RDKafkaErrorCode::Authentication,
            RDKafkaErrorCode::SaslAuthenticationFailed,
            RDKafkaErrorCode::SSL,
            RDKafkaErrorCode::TopicAuthorizationFailed,
            RDKafkaErrorCode::GroupAuthorizationFailed,
            RDKafkaErrorCode::ClusterAuthorizationFailed,
            RDKafkaErrorCode::UnknownTopicOrPartition,
            RDKafkaErrorCode::InvalidGroupId,
        ] {
            assert!(!is_retriable(code), "{code:?}");
        }
        assert!(!is_transient(&KafkaError::OffsetFetch(
            RDKafkaErrorCode::GroupAuthorizationFailed
        )));
        assert!(!is_transient(&KafkaError::Canceled));
    }

    #[test]
    fn a_transient_error_is_retried_until_the_answer() {
        let mut calls = 0;
        let outcome = until_settled(
            Instant::now() + Duration::from_secs(30),
            |_| {
                calls += 1;
                if calls < 3 {
                    Err(KafkaError::OffsetFetch(RDKafkaErrorCode::NotCoordinator))
                } else {
                    Ok(calls)
                }
            },
            |r| matches!(r, Err(e) if is_transient(e)),
        );
        assert_eq!(outcome.unwrap(), 3);
    }

    #[test]
    fn a_refusal_is_returned_at_once() {
        let mut calls = 0;
        let outcome: Result<(), _> = until_settled(
            Instant::now() + Duration::from_secs(30),
            |_| {
                calls += 1;
                Err(KafkaError::OffsetFetch(
                    RDKafkaErrorCode::GroupAuthorizationFailed,
                ))
            },
            |r| matches!(r, Err(e) if is_transient(e)),
        );
        assert_eq!(calls, 1);
        assert_eq!(
            outcome.unwrap_err().rdkafka_error_code(),
            Some(RDKafkaErrorCode::GroupAuthorizationFailed)
        );
    }

    #[test]
    fn retries_end_at_the_deadline_with_the_last_error() {
        let timeout = Duration::from_millis(300);
        let deadline = Instant::now() + timeout;
        let mut given = Vec::new();
        let outcome: Result<(), _> = until_settled(
            deadline,
            |left| {
                given.push(left);
                Err(KafkaError::OffsetFetch(
                    RDKafkaErrorCode::CoordinatorLoadInProgress,
                ))
            },
            |r| matches!(r, Err(e) if is_transient(e)),
        );
        assert_eq!(
            outcome.unwrap_err().rdkafka_error_code(),
            Some(RDKafkaErrorCode::CoordinatorLoadInProgress)
        );
        assert!(given.len() > 1, "{given:?}");
        assert!(given.len() < MAX_ATTEMPTS, "{given:?}");
        // Each attempt is given what is left of the step's time, less and less.
        assert!(given.iter().all(|d| *d <= timeout), "{given:?}");
        assert!(given.windows(2).all(|w| w[1] < w[0]), "{given:?}");
        // No wait outlasts the deadline (the slack is for a busy machine, not a speed target).
        assert!(
            Instant::now() < deadline + Duration::from_secs(5),
            "{given:?}"
        );
    }

    #[test]
    fn a_spent_deadline_still_gets_one_attempt() {
        let mut given = Vec::new();
        until_settled(Instant::now(), |left| given.push(left), |_| true);
        assert_eq!(given, [Duration::ZERO]);
    }
}
