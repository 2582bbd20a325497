//! The list commands' filters, the same for consumer and provider objects, and the library's
//! filters they make.

use cdx_ext::{
    ConsumerShareFilter, ConsumerSharedResourceFilter, ProviderShareFilter,
    ProviderSharedResourceFilter,
};
use clap::Args;

/// `share list`'s filters.
#[derive(Debug, Args)]
pub struct ShareFilterArgs {
    /// Only shares of this shared resource (sr-…).
    #[arg(long, value_name = "ID")]
    pub shared_resource: Option<String>,
    /// Include deleted and revoked shares.
    #[arg(long)]
    pub include_deleted: bool,
}

/// `resource list`'s filters.
#[derive(Debug, Args)]
pub struct ResourceFilterArgs {
    /// Only resources of this share (ss-…).
    #[arg(long, value_name = "ID")]
    pub stream_share: Option<String>,
    /// Include deactivated resources.
    #[arg(long)]
    pub include_deleted: bool,
}

impl ShareFilterArgs {
    /// The filter for consumer shares.
    pub fn consumer(self) -> ConsumerShareFilter {
        ConsumerShareFilter {
            shared_resource: self.shared_resource,
            include_deleted: self.include_deleted,
        }
    }

    /// The filter for provider shares.
    pub fn provider(self) -> ProviderShareFilter {
        ProviderShareFilter {
            shared_resource: self.shared_resource,
            crn: None,
            include_deleted: self.include_deleted,
        }
    }
}

impl ResourceFilterArgs {
    /// The filter for consumer shared resources.
    pub fn consumer(self) -> ConsumerSharedResourceFilter {
        ConsumerSharedResourceFilter {
            stream_share: self.stream_share,
            include_deleted: self.include_deleted,
        }
    }

    /// The filter for provider shared resources.
    pub fn provider(self) -> ProviderSharedResourceFilter {
        ProviderSharedResourceFilter {
            stream_share: self.stream_share,
            crn: None,
            include_deleted: self.include_deleted,
        }
    }
}
