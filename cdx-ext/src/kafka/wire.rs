//! Values in the Confluent wire format (byte 0, a 4-byte big-endian schema id, the payload),
//! and Avro payloads decoded to JSON.

/// The schema id and the payload of a wire-format value.
pub(super) fn split(value: &[u8]) -> Option<(u32, &[u8])> {
    match value {
        [0, a, b, c, d, payload @ ..] => Some((u32::from_be_bytes([*a, *b, *c, *d]), payload)),
        _ => None,
    }
}

/// An Avro binary datum as JSON, read with its writer's schema (the registry's text).
pub(super) fn decode_avro(schema: &str, payload: &[u8]) -> Result<serde_json::Value, String> {
    let schema = apache_avro::Schema::parse_str(schema)
        .map_err(|e| format!("the schema is not Avro cdx can read ({e})"))?;
    let reader = apache_avro::reader::datum::GenericDatumReader::builder(&schema)
        .build()
        .map_err(|e| format!("the schema cannot be used ({e})"))?;
    let mut rest = payload;
    let value = reader
        .read_value(&mut rest)
        .map_err(|e| format!("the value does not decode with its schema ({e})"))?;
    if !rest.is_empty() {
        return Err(format!(
            "{} byte(s) follow the decoded value: it was not written with this schema",
            rest.len()
        ));
    }
    serde_json::Value::try_from(value).map_err(|e| format!("no JSON form ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_split_into_id_and_payload() {
        assert_eq!(split(&[0, 0, 0, 1, 2, b'x']), Some((258, &b"x"[..])));
        assert_eq!(split(&[0, 0, 0, 1]), None);
        assert_eq!(split(b"{\"a\":1}"), None);
    }

    #[test]
    fn avro_decodes_to_json() {
        let schema = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"}]}"#;
        // id 21 (zigzag 42), "ab" (length 2 zigzag 4).
        let json = decode_avro(schema, &[42, 4, b'a', b'b']).unwrap();
        assert_eq!(json, serde_json::json!({"id": 21, "item": "ab"}));
        assert!(decode_avro(schema, &[42]).is_err());
        assert!(decode_avro(schema, &[42, 4, b'a', b'b', 0]).is_err());
        assert!(decode_avro("{", &[]).is_err());
    }
}
