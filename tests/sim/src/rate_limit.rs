//! Fixed-window rate limiting per API key (or bearer token).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::RateLimit;

/// Without a configured limit the `X-RateLimit-*` headers describe this nominal window, which is
/// never enforced.
pub(crate) const NOMINAL: RateLimit = RateLimit {
    limit: 10_000,
    window: Duration::from_secs(60),
};

/// What the `X-RateLimit-*` headers say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets (relative, at least 1).
    pub reset: u64,
}

pub(crate) struct RateLimiter {
    config: Option<RateLimit>,
    windows: HashMap<String, (Instant, u32)>,
}

impl RateLimiter {
    pub(crate) fn new(config: Option<RateLimit>) -> RateLimiter {
        RateLimiter {
            config,
            windows: HashMap::new(),
        }
    }

    /// Counts one request of `key`. `Err` when it is over the limit (the request is refused).
    pub(crate) fn check(&mut self, key: &str) -> Result<RateInfo, RateInfo> {
        let cfg = self.config.unwrap_or(NOMINAL);
        let now = Instant::now();
        let entry = self.windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= cfg.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let left = cfg.window.saturating_sub(now.duration_since(entry.0));
        let reset = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let info = RateInfo {
            limit: cfg.limit,
            remaining: cfg.limit.saturating_sub(entry.1),
            reset: reset.max(1),
        };
        if self.config.is_some() && entry.1 > cfg.limit {
            Err(info)
        } else {
            Ok(info)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_window() {
        let mut rl = RateLimiter::new(Some(RateLimit {
            limit: 2,
            window: Duration::from_secs(30),
        }));
        assert_eq!(rl.check("a").unwrap().remaining, 1);
        assert_eq!(rl.check("a").unwrap().remaining, 0);
        let over = rl.check("a").unwrap_err();
        assert!(over.reset >= 1 && over.reset <= 30);
        assert!(rl.check("b").is_ok());
    }

    #[test]
    fn unlimited() {
        let mut rl = RateLimiter::new(None);
        for _ in 0..20_000 {
            assert!(rl.check("a").is_ok());
        }
    }
}
