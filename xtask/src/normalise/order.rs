//! The last steps: a canonical order of paths and components, so the generated code depends
//! only on what the document says, not on the order a tool wrote it in.

use serde_json::Value;

/// Quirk: progenitor emits the client's methods in the order of `paths`, so an upstream download
/// that merely lists the same paths in another order (the public spec groups them by tag, the
/// Go SDK's copy alphabetically) would reshuffle the whole generated file. Paths are sorted, so
/// the generated code depends only on what the document says, not on its layout.
pub fn sort_paths(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        let mut entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        paths.extend(entries);
    }
}

/// Post-condition: the paths are in order.
pub fn paths_sorted(doc: &Value) -> Vec<String> {
    let keys = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.keys());
    unsorted("paths", keys)
}

/// Layout: the Go SDK copy lists its schemas in the order openapi-generator met them, the whole
/// document by API group, the canonical import alphabetically. The open enums and unions are
/// generated in the order of the components, so another order would reshuffle the generated
/// file. Every component section is sorted by name.
pub fn sort_components(doc: &mut Value) {
    let Some(comps) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for section in comps.values_mut() {
        if let Some(entries) = section.as_object_mut() {
            let mut sorted: Vec<(String, Value)> = std::mem::take(entries).into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            entries.extend(sorted);
        }
    }
}

/// Post-condition: every component section is in order.
pub fn components_sorted(doc: &Value) -> Vec<String> {
    let sections = doc.get("components").and_then(Value::as_object);
    sections
        .into_iter()
        .flatten()
        .filter_map(|(name, section)| Some((name, section.as_object()?)))
        .flat_map(|(name, section)| unsorted(&format!("components.{name}"), section.keys()))
        .collect()
}

fn unsorted<'a>(what: &str, keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let keys: Vec<&String> = keys.collect();
    let first = keys.windows(2).find(|w| w[0] > w[1]);
    first
        .map(|w| format!("{what}: {} comes before {}", w[0], w[1]))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests;
