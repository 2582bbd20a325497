//! What the steps' tests share: a fixture document, and running one step through its table
//! entry.

use serde_json::Value;

/// The head every fixture document starts with.
pub const HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

/// Parses a fixture document.
pub fn doc(yaml: &str) -> Value {
    crate::spec::parse(yaml).expect("fixture is valid YAML")
}

/// Runs the step named `$name` on a fixture, through its table entry: its post-condition must
/// flag the fixture before (so the check can fail) and pass after.
macro_rules! run_step {
    ($doc:expr, $name:ident) => {
        crate::normalise::fixture::run_step(&mut $doc, stringify!($name))
    };
}

/// See [`run_step!`].
pub fn run_step(doc: &mut Value, name: &str) {
    let step = super::STEPS
        .iter()
        .chain(super::GENERATOR_STEPS)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("`{name}` is no step"));
    assert!(
        !(step.check)(doc).is_empty(),
        "the fixture of `{name}` does not show the trait its post-condition checks"
    );
    (step.apply)(doc);
    let left = (step.check)(doc);
    assert!(left.is_empty(), "`{name}` left its trait behind: {left:#?}");
}
