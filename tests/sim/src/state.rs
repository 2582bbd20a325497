//! Shared server state and the mutations that HTTP handlers and the seeding API both use.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use crate::faults::{Fault, FaultAction};
use crate::model::{
    CONSUMER, CONSUMER_ORG_ID, Cloud, Org, PROVIDER, PROVIDER_ORG_ID, Share, SharedResource,
};
use crate::rate_limit::RateLimiter;
use crate::registry::Registry;
use crate::util::{self, CrnTarget};
use crate::{RecordedRequest, SimConfig};

/// Everything the server and the [`crate::Simulator`] handle share.
pub(crate) struct Shared {
    pub config: SimConfig,
    pub base_url: String,
    pub state: Mutex<State>,
    pub log: Mutex<Vec<RecordedRequest>>,
    pub faults: Mutex<VecDeque<Fault>>,
    pub rate: Mutex<RateLimiter>,
    /// The Schema Registry stand-in's schemas (real-Kafka mode).
    pub schema_registry: Registry,
    /// Binds page tokens to this simulator instance.
    pub page_nonce: String,
    requests: AtomicU64,
}

impl Shared {
    pub(crate) fn new(config: SimConfig, base_url: String) -> Shared {
        let orgs = vec![
            Org {
                id: PROVIDER_ORG_ID.into(),
                name: "Acme Streams Inc.".into(),
                user_id: "u-provider1".into(),
                user_name: "Pat Provider".into(),
                user_email: "pat.provider@acme.example".into(),
                opted_in: false,
            },
            Org {
                id: CONSUMER_ORG_ID.into(),
                name: "Example Consumer Corp.".into(),
                user_id: "u-consumer1".into(),
                user_name: "Jane Doe".into(),
                user_email: config.consumer_email.clone(),
                opted_in: false,
            },
        ];
        debug_assert_eq!(orgs[PROVIDER].id, PROVIDER_ORG_ID);
        debug_assert_eq!(orgs[CONSUMER].id, CONSUMER_ORG_ID);
        let nonce = util::random_token(8);
        Shared {
            rate: Mutex::new(RateLimiter::new(config.rate_limit)),
            schema_registry: Registry::default(),
            config,
            base_url,
            state: Mutex::new(State {
                orgs,
                resources: BTreeMap::new(),
                shares: BTreeMap::new(),
                tokens: HashMap::new(),
                next_share: 0,
                next_resource: 0,
                next_service_account: 0,
                seeded: 0,
                mail: Vec::new(),
            }),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(VecDeque::new()),
            page_nonce: nonce,
            requests: AtomicU64::new(0),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        now(&self.config)
    }

    /// `req-000001`, `req-000002`, …
    pub(crate) fn next_request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        format!("req-{n:06}")
    }

    /// Takes one use of the first queued fault that matches `operation`.
    pub(crate) fn take_fault(&self, operation: cdx_client::Operation) -> Option<FaultAction> {
        let mut faults = self.faults.lock().unwrap();
        let pos = faults
            .iter()
            .position(|f| f.times > 0 && f.operation_id.is_none_or(|op| op == operation))?;
        let fault = &mut faults[pos];
        fault.times -= 1;
        let action = fault.action.clone();
        if fault.times == 0 {
            faults.remove(pos);
        }
        Some(action)
    }
}

/// The current time: `fixed_now` if configured, else the clock (whole seconds).
pub(crate) fn now(config: &SimConfig) -> DateTime<Utc> {
    config.fixed_now.unwrap_or_else(|| {
        let t = Utc::now();
        DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
    })
}

pub(crate) struct State {
    pub orgs: Vec<Org>,
    pub resources: BTreeMap<String, SharedResource>,
    pub shares: BTreeMap<String, Share>,
    /// Invitation token → share id.
    pub tokens: HashMap<String, String>,
    next_share: u32,
    next_resource: u32,
    next_service_account: u32,
    /// How many shares `seed_consumer_shares` made (names their topics).
    pub seeded: usize,
    /// Invitation emails sent: (address, token), oldest first.
    pub mail: Vec<(String, String)>,
}

impl State {
    /// Creates an invitation from `org` to `email` for `resources` (CRNs that
    /// [`util::parse_crn`] accepts, at least one of them a topic). The shared resource is the
    /// existing one of `org` for the first topic's CRN, or a new one. Returns (share, resource).
    pub(crate) fn create_share(
        &mut self,
        config: &SimConfig,
        org: usize,
        email: &str,
        delivery_method: &str,
        resources: &[String],
    ) -> (String, String) {
        let now = now(config);
        let mut topics = Vec::new();
        let mut subjects = Vec::new();
        let mut crns: Vec<String> = Vec::new();
        let mut env = None;
        let mut cluster = None;
        for crn in resources {
            if crns.contains(crn) {
                continue;
            }
            crns.push(crn.clone());
            match util::parse_crn(crn) {
                Some(CrnTarget::Topic {
                    name,
                    environment,
                    cluster: c,
                }) => {
                    if topics.is_empty() {
                        env = environment;
                        cluster = c;
                    }
                    topics.push(name);
                }
                Some(CrnTarget::Subject { name }) => subjects.push(name),
                None => {}
            }
        }
        let key = crns
            .iter()
            .find(|c| matches!(util::parse_crn(c), Some(CrnTarget::Topic { .. })))
            .or(crns.first())
            .cloned()
            .unwrap_or_default();

        let existing = self
            .resources
            .values()
            .find(|r| r.org == org && r.crn == key)
            .map(|r| r.id.clone());
        let sr_id = match existing {
            Some(id) => {
                let sr = self.resources.get_mut(&id).expect("existing resource");
                for crn in &crns {
                    if !sr.resources.contains(crn) {
                        sr.resources.push(crn.clone());
                        sr.updated_at = now;
                    }
                }
                id
            }
            None => {
                self.next_resource += 1;
                let number = self.next_resource;
                let id = format!("sr-{number:05}");
                let display = topics
                    .first()
                    .or(subjects.first())
                    .cloned()
                    .unwrap_or_else(|| id.clone());
                self.resources.insert(
                    id.clone(),
                    SharedResource {
                        id: id.clone(),
                        number,
                        org,
                        crn: key,
                        resources: crns,
                        description: format!("The {display} data stream"),
                        display_name: display,
                        organization_description: format!(
                            "{} shares data streams.",
                            self.orgs[org].name
                        ),
                        organization_contact: Some(self.orgs[org].user_email.clone()),
                        environment: env.unwrap_or_else(|| "env-00001".into()),
                        cluster: cluster.unwrap_or_else(|| "lkc-00001".into()),
                        cloud: Cloud::Aws,
                        private: false,
                        created_at: now,
                        updated_at: now,
                        images: BTreeMap::new(),
                        shares: Vec::new(),
                    },
                );
                id
            }
        };

        self.next_share += 1;
        let number = self.next_share;
        let id = format!("ss-{number:05}");
        let token = loop {
            let t = util::random_token(120);
            if !self.tokens.contains_key(&t) {
                break t;
            }
        };
        self.tokens.insert(token.clone(), id.clone());
        self.mail.push((email.to_string(), token.clone()));
        self.resources
            .get_mut(&sr_id)
            .expect("resource")
            .shares
            .push(id.clone());
        self.shares.insert(
            id.clone(),
            Share {
                id: id.clone(),
                number,
                org,
                sr: sr_id.clone(),
                email: email.to_string(),
                delivery_method: delivery_method.to_string(),
                token,
                topics,
                subjects,
                invited_at: now,
                expires_at: now + config.token_ttl,
                expired: false,
                redemption: None,
                deactivated_at: None,
                deleted_by_provider: false,
                deleted_by_consumer: false,
                updated_at: now,
            },
        );
        (id, sr_id)
    }

    /// `sa-00001`, … (the service account behind a redeemed share's credentials).
    pub(crate) fn next_service_account(&mut self) -> String {
        self.next_service_account += 1;
        format!("sa-{:05}", self.next_service_account)
    }
}
