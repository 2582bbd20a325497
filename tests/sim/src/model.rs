//! The simulated world: two organizations, shared resources, stream shares.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// Index of the provider organization in the state's `orgs`.
pub(crate) const PROVIDER: usize = 0;
/// Index of the consumer organization.
pub(crate) const CONSUMER: usize = 1;

/// The provider organization's id (the spec's example organization).
pub(crate) const PROVIDER_ORG_ID: &str = "9bb441c4-edef-46ac-8a41-c49e44a3fd9a";
pub(crate) const CONSUMER_ORG_ID: &str = "3f1e5c8a-7b2d-4e6f-9a0c-1d2e3f4a5b6c";

/// Where the simulated organizations' other resources (users, clusters) live.
pub(crate) const CLOUD_API: &str = "https://api.confluent.cloud";

pub(crate) struct Org {
    pub id: String,
    pub name: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    pub opted_in: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cloud {
    Aws,
    Azure,
    Gcp,
}

impl Cloud {
    pub(crate) fn parse(s: &str) -> Option<Cloud> {
        match s.to_ascii_uppercase().as_str() {
            "AWS" => Some(Cloud::Aws),
            "AZURE" => Some(Cloud::Azure),
            "GCP" => Some(Cloud::Gcp),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS",
            Cloud::Azure => "AZURE",
            Cloud::Gcp => "GCP",
        }
    }

    /// The redeem field that names a consumer account on this cloud.
    pub(crate) fn account_field(self) -> &'static str {
        match self {
            Cloud::Aws => "aws_account",
            Cloud::Azure => "azure_subscription",
            Cloud::Gcp => "gcp_project",
        }
    }

    pub(crate) fn region(self) -> &'static str {
        match self {
            Cloud::Aws => "us-west-2",
            Cloud::Azure => "eastus2",
            Cloud::Gcp => "us-central1",
        }
    }

    pub(crate) fn host_suffix(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Gcp => "gcp",
        }
    }

    pub(crate) fn zones(self) -> [&'static str; 3] {
        match self {
            Cloud::Aws => ["usw2-az1", "usw2-az2", "usw2-az3"],
            Cloud::Azure => ["1", "2", "3"],
            Cloud::Gcp => ["us-central1-a", "us-central1-b", "us-central1-c"],
        }
    }
}

pub(crate) struct Image {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A provider shared resource (`sr-…`): one per shared topic, reused by later invitations.
/// Consumers see it under the same id.
pub(crate) struct SharedResource {
    pub id: String,
    pub number: u32,
    pub org: usize,
    /// The CRN that identifies it (its first topic).
    pub crn: String,
    pub resources: Vec<String>,
    pub display_name: String,
    pub description: String,
    pub organization_description: String,
    pub organization_contact: Option<String>,
    pub environment: String,
    pub cluster: String,
    pub cloud: Cloud,
    /// Private-link cluster (see `Simulator::set_network`).
    pub private: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub images: BTreeMap<String, Image>,
    /// Shares that carry it, in creation order.
    pub shares: Vec<String>,
}

pub(crate) struct Redemption {
    pub org: usize,
    pub at: DateTime<Utc>,
    /// The private-link account given on redeem, if any.
    pub account: Option<(Cloud, String)>,
    pub service_account: String,
    pub api_key: String,
    pub secret: String,
    pub sr_api_key: String,
    pub sr_secret: String,
}

/// A stream share (`ss-…`): the provider's invitation and, once redeemed, the consumer's share.
pub(crate) struct Share {
    pub id: String,
    pub number: u32,
    /// The provider organization.
    pub org: usize,
    pub sr: String,
    pub email: String,
    pub delivery_method: String,
    pub token: String,
    pub topics: Vec<String>,
    pub subjects: Vec<String>,
    pub invited_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Forced expiry (`Simulator::expire_token`).
    pub expired: bool,
    pub redemption: Option<Redemption>,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub deleted_by_provider: bool,
    pub deleted_by_consumer: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Invited,
    Expired,
    Active,
    Deactivated,
}

impl Phase {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Phase::Invited => "INVITED",
            Phase::Expired => "EXPIRED",
            Phase::Active => "ACTIVE",
            Phase::Deactivated => "DEACTIVATED",
        }
    }
}

impl Share {
    /// Deactivates the share (a consumer leaving it, or its provider revoking it): DEACTIVATED
    /// from now on, listed only with `include_deleted`; the first deactivation's time is kept.
    pub(crate) fn deactivate(&mut self, now: DateTime<Utc>) {
        self.deactivated_at.get_or_insert(now);
        self.updated_at = now;
    }

    /// The prefix of the consumer groups a redemption may use.
    pub(crate) fn group_prefix(&self) -> String {
        format!("stream-share.{}", self.id)
    }

    pub(crate) fn phase(&self, now: DateTime<Utc>) -> Phase {
        if self.deactivated_at.is_some() {
            Phase::Deactivated
        } else if self.redemption.is_some() {
            Phase::Active
        } else if self.expired || now > self.expires_at {
            Phase::Expired
        } else {
            Phase::Invited
        }
    }

    /// Whether organization `org` (whose user has `email`) sees this share on the consumer side:
    /// unredeemed invitations are visible to the invited email, redeemed shares only to the
    /// organization that redeemed them.
    pub(crate) fn consumer_visible(&self, org: usize, email: &str) -> bool {
        match &self.redemption {
            Some(r) => r.org == org,
            None => self.email.eq_ignore_ascii_case(email),
        }
    }
}
