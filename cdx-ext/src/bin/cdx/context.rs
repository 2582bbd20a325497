//! What every command gets: the parsed global options, and the client they configure.

use crate::failure::Failure;
use crate::output::Printer;
use crate::retry_notice::retry_notice;
use cdx_ext::{Client, ClientBuilder, RetryNotice};
use std::time::Duration;

/// The parsed global options.
pub struct Context {
    /// `--api-url`, when given and not empty.
    pub api_url: Option<String>,
    /// `--timeout`, in seconds.
    pub timeout: Option<u64>,
    /// How results are printed.
    pub printer: Printer,
}

impl Context {
    /// A client from the environment's credentials, telling the user on stderr when it waits.
    pub fn client(&self) -> Result<Client, Failure> {
        let mut builder = ClientBuilder::from_env()?;
        if let Some(url) = &self.api_url {
            builder = builder.base_url(url.clone());
        }
        if let Some(seconds) = self.timeout {
            let timeout = Duration::from_secs(seconds);
            builder = builder
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)));
        }
        Ok(builder.on_retry(announce_retry).build()?)
    }
}

fn announce_retry(notice: &RetryNotice) {
    eprintln!("{}", retry_notice(notice));
}
