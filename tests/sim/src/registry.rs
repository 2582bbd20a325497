//! The Schema Registry stand-in's schemas (kept in the simulator's state; served by
//! `schema_registry.rs`).

use std::sync::Mutex;

/// One registered schema.
#[derive(Clone, Debug)]
pub(crate) struct Schema {
    pub id: u32,
    pub subject: String,
    pub version: u32,
    /// `AVRO`, `JSON` or `PROTOBUF`.
    pub schema_type: String,
    pub schema: String,
}

/// The stand-in's state: its URL (once served) and the schemas registered.
#[derive(Default)]
pub(crate) struct Registry {
    pub url: std::sync::OnceLock<String>,
    pub schemas: Mutex<Vec<Schema>>,
}

impl Registry {
    /// Registers `schema` under `subject` (the next version); returns its id (1, 2, …).
    pub(crate) fn register(&self, subject: &str, schema_type: &str, schema: &str) -> u32 {
        let mut schemas = self.schemas.lock().unwrap();
        let id = schemas.len() as u32 + 1;
        let version = schemas.iter().filter(|s| s.subject == subject).count() as u32 + 1;
        schemas.push(Schema {
            id,
            subject: subject.to_string(),
            version,
            schema_type: schema_type.to_string(),
            schema: schema.to_string(),
        });
        id
    }
}
