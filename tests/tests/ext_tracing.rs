//! The per-operation `cdx` span records the attempt, status, request id and elapsed time, and
//! no secret.
//!
//! Alone in its test binary: a thread-local subscriber can miss spans whose callsite another
//! test thread registers at the same moment.

use cdx_ext::Operation;
use cdx_ext::{ConsumerShareFilter, ShareToken};
use cdx_sim::{Fault, FaultAction, SimConfig, Simulator};
use cdx_tests::clients::consumer_builder;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

/// The fields of every closed `cdx` span, as recorded.
#[derive(Clone, Default)]
struct Spans {
    open: Arc<Mutex<HashMap<u64, BTreeMap<String, String>>>>,
    closed: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_string(),
            format!("{value:?}").trim_matches('"').to_string(),
        );
    }
}

impl<S: tracing::Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() == "cdx" {
            let mut fields = BTreeMap::new();
            attrs.record(&mut Fields(&mut fields));
            self.open.lock().unwrap().insert(id.into_u64(), fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(fields);
        }
    }
}

#[tokio::test]
async fn the_operation_span_records_attempt_status_request_id_and_elapsed_time() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let c = consumer_builder(&sim).build().unwrap();
    // Two 503s, then the list succeeds on the third attempt.
    sim.inject(Fault {
        operation_id: Some(Operation::ListConsumerShares),
        times: 2,
        action: FaultAction::Status(503),
    });
    c.list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap();
    let token = ShareToken::new(&invite.token).unwrap();
    c.redeem(&token, None).await.unwrap();

    let closed = spans.closed.lock().unwrap().clone();
    assert_eq!(closed.len(), 2, "{closed:?}");
    let (list, redeem) = (&closed[0], &closed[1]);
    assert_eq!(list["operation"], "list_cdx_v1_consumer_shares");
    assert_eq!(list["method"], "GET");
    assert_eq!(list["attempt"], "3");
    assert_eq!(list["status"], "200");
    assert!(list["request_id"].starts_with("req-"), "{list:?}");
    assert!(list["elapsed_ms"].parse::<u64>().is_ok(), "{list:?}");
    assert_eq!(redeem["operation"], "redeem_cdx_v1_shared_token");
    assert_eq!(redeem["method"], "POST");
    assert_eq!(redeem["attempt"], "1");
    assert_eq!(redeem["status"], "200");
    let all = format!("{closed:?}");
    assert!(!all.contains(&invite.token), "no token in a span: {all}");
}
