//! Kafka client configuration files rendered from a [`crate::Redemption`].
