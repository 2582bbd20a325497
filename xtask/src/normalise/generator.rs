//! Steps for the generator only (see [`super::GENERATOR_STEPS`]), after the normalised spec is
//! written.

use super::components::find_in_schemas;
use crate::spec::for_each_schema_mut;
use serde_json::{Value, json};

/// The pattern upstream puts on resource CRNs.
const CRN_PATTERN: &str = "^crn://.+$";

/// Cost: after [`super::repair::relax_response_constraints`], the spec's only `pattern`s are
/// the request-side `^crn://.+$` on resource CRNs. typify enforces a pattern with the `regress`
/// regex engine, which then costs everyone who builds the client about 4 CPU-seconds (2 s of a
/// cold build on 2 cores) for what is a prefix check. For the generator, that pattern becomes
/// `minLength: 7` (the prefix plus one character, which the generated type still checks);
/// cdx-ext checks the `crn://` prefix before sending, and the API validates CRNs anyway. Any
/// other pattern is kept.
pub fn crn_patterns_as_prefixes(doc: &mut Value) {
    for_each_schema_mut(doc, &mut |s, _| {
        if s.get("pattern") == Some(&json!(CRN_PATTERN)) {
            s.remove("pattern");
            s.entry("minLength").or_insert(json!(7));
        }
    });
}

/// Post-condition: no schema has the CRN pattern.
pub fn no_crn_patterns(doc: &Value) -> Vec<String> {
    find_in_schemas(doc, &mut |s, _| {
        (s.get("pattern") == Some(&json!(CRN_PATTERN)))
            .then(|| "a schema keeps the CRN pattern".to_string())
    })
}

#[cfg(test)]
mod tests;
