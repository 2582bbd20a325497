//! Rendered config files, read back by the real clients.
//!
//! - `java` and `spring-boot`: `tests/java/ConfigCheck.java` loads each file with
//!   `java.util.Properties.load(InputStream)` and tokenises `sasl.jaas.config` exactly as Kafka's
//!   `JaasConfig` does; the username and password (and every other setting) must read back
//!   byte for byte.
//! - `librdkafka` and `python`: `tests/python/check_librdkafka.py` loads each file into a real
//!   confluent-kafka `Consumer` on librdkafka's mock cluster (every key must be accepted and
//!   metadata fetched); `python` files are loaded by the very code their comments show,
//!   including the `SchemaRegistryClient`.
//! - Thousands of generated secrets go through Java in one JVM run; a few hundred through
//!   Python in one process; those a format cannot carry must be refused with the documented
//!   error instead.
//!
//! Java and Python are required: a missing one fails the test with `cargo xtask setup`.

use cdx_ext::Redemption;
use cdx_ext::config::{Field, Format, Problem, RenderError, RenderOptions, render};
use cdx_tests::expected::{ExpectedConfig, group_id};
use cdx_tests::parsers::{confluent_kafka_read, java_read};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::json;
use std::path::{Path, PathBuf};

const BOOTSTRAP: &str = "pkc-abc123.us-central1.gcp.confluent.cloud:9092";
const SR_URL: &str = "https://psrc-1a2xyz.us-central1.gcp.confluent.cloud";
const PREFIX: &str = "stream-share.ss-3vpvd";

/// The credentials (and options) one rendered file is made from.
#[derive(Clone, Debug)]
struct Case {
    key: String,
    secret: String,
    /// `None`: the share came without Schema Registry access.
    sr: Option<(String, String)>,
    suffix: Option<String>,
}

impl Case {
    fn new(key: &str, secret: &str, sr: Option<(&str, &str)>, suffix: Option<&str>) -> Self {
        Case {
            key: key.into(),
            secret: secret.into(),
            sr: sr.map(|(k, s)| (k.into(), s.into())),
            suffix: suffix.map(Into::into),
        }
    }

    /// The redemption, or `None` when `Redemption` itself refuses the credentials (a blank
    /// key, an empty secret).
    fn redemption(&self) -> Option<Redemption> {
        let mut v = json!({
            "api_version": "cdx/v1", "kind": "RedeemTokenResponse", "id": "ss-3vpvd",
            "api_key": self.key, "secret": self.secret,
            "kafka_bootstrap_url": format!("SASL_SSL://{BOOTSTRAP}"),
            "resources": [
                {"kind": "Topic", "topic": "Users"},
                {"kind": "Group", "group_prefix": PREFIX},
                {"kind": "Subject", "subject": "Users-value"}
            ]
        });
        if let Some((k, s)) = &self.sr {
            v["schema_registry_api_key"] = json!(k);
            v["schema_registry_secret"] = json!(s);
            v["schema_registry_url"] = json!(SR_URL);
        }
        let r = serde_json::from_value::<Redemption>(v).ok();
        let valid = !self.key.trim().is_empty() && !self.secret.is_empty();
        assert_eq!(r.is_some(), valid, "Redemption's own checks for {self:?}");
        r
    }

    fn options(&self) -> RenderOptions {
        RenderOptions {
            group_suffix: self.suffix.clone(),
            ..Default::default()
        }
    }

    /// The Schema Registry settings as written (`None` when the share has none; `sr` keys
    /// without a usable key count as none, as `Redemption::schema_registry` says).
    fn sr(&self) -> Option<(&str, &str)> {
        self.sr
            .as_ref()
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, s)| (k.as_str(), s.as_str()))
    }

    /// What its files must read back as.
    fn expected(&self) -> ExpectedConfig {
        ExpectedConfig {
            bootstrap: BOOTSTRAP.into(),
            key: self.key.clone(),
            secret: self.secret.clone(),
            schema_registry: self.sr().map(|(k, s)| (SR_URL.into(), k.into(), s.into())),
            group_prefix: PREFIX.into(),
            group_id: group_id(PREFIX, self.suffix.as_deref()),
            share_id: "ss-3vpvd".into(),
            topics: vec!["Users".into()],
            subjects: vec!["Users-value".into()],
        }
    }

    /// Every `(field, raw value)` a format writes as a value of its own.
    fn values(&self) -> Vec<(Field, &str)> {
        let mut v = vec![
            (Field::KafkaApiKey, self.key.as_str()),
            (Field::KafkaApiSecret, self.secret.as_str()),
        ];
        if let Some(s) = &self.suffix {
            v.push((Field::GroupSuffix, s.as_str()));
        }
        v
    }
}

/// Why `format` must refuse `case`, as `(fields that may be named, problems that may be
/// given)`, or `None` when the format can carry every value. Stated independently of the
/// renderer, from what each format's readers do.
fn must_refuse(case: &Case, format: Format) -> Option<(Vec<Field>, Vec<Problem>)> {
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    let mut refuse = |field, problem| {
        fields.push(field);
        problems.push(problem);
    };
    let has_sr = case.sr().is_some() && format != Format::Librdkafka;
    if let Some((k, _)) = case.sr().filter(|_| has_sr)
        && k.contains(':')
    {
        refuse(Field::SchemaRegistryApiKey, Problem::Colon);
    }
    match format {
        Format::Java | Format::Json => {}
        Format::SpringBoot => {
            let mut values = case.values();
            if let Some((k, s)) = case.sr() {
                values.extend([
                    (Field::SchemaRegistryApiKey, k),
                    (Field::SchemaRegistryApiSecret, s),
                ]);
            }
            for (field, v) in values {
                if v.contains("${") {
                    refuse(field, Problem::Placeholder);
                }
            }
        }
        Format::Librdkafka | Format::Python => {
            // Line-based, untrimmed by nobody: whole values must survive `strip()` and line
            // splitting; the user info is `key:secret`, so only its ends are trimmed.
            let line_break =
                |c: char| "\n\r\u{b}\u{c}\u{1c}\u{1d}\u{1e}\u{85}\u{2028}\u{2029}".contains(c);
            let mut values: Vec<(Field, &str, bool, bool)> = case
                .values()
                .into_iter()
                .map(|(f, v)| (f, v, true, true))
                .collect();
            // A group id's start is the (clean) prefix: only the suffix's end is an end.
            for v in &mut values {
                if v.0 == Field::GroupSuffix {
                    v.2 = false;
                }
            }
            if let Some((k, s)) = case.sr().filter(|_| has_sr) {
                values.push((Field::SchemaRegistryApiKey, k, true, false));
                values.push((Field::SchemaRegistryApiSecret, s, false, true));
            }
            for (field, v, start, end) in values {
                // The renderer names the first offending character's problem.
                if v.contains(line_break) {
                    refuse(field, Problem::LineBreak);
                }
                if v.contains(|c: char| c.is_control() && !line_break(c)) {
                    refuse(field, Problem::ControlCharacter);
                }
                if start && v.starts_with(char::is_whitespace) {
                    refuse(field, Problem::LeadingWhitespace);
                }
                if end && v.ends_with(char::is_whitespace) {
                    refuse(field, Problem::TrailingWhitespace);
                }
                // An empty secret is a value with no end to trim: nothing to refuse.
                if format == Format::Librdkafka && (v.contains("\\=") || v.contains("\\:")) {
                    refuse(field, Problem::KcatEscape);
                }
            }
        }
    }
    (!fields.is_empty()).then_some((fields, problems))
}

/// Renders `case` to `format`: `Some(text)`, or `None` when it was refused as [`must_refuse`]
/// says it must be (anything else fails the test).
fn render_or_refuse(
    case: &Case,
    r: &Redemption,
    format: Format,
    options: &RenderOptions,
) -> Option<String> {
    let result = render(r, format, options);
    match (result, must_refuse(case, format)) {
        (Ok(text), None) => Some(text),
        (
            Err(RenderError::Unrepresentable {
                format: f,
                field,
                problem,
            }),
            Some((fields, problems)),
        ) => {
            assert_eq!(f, format);
            assert!(
                fields.contains(&field) && problems.contains(&problem),
                "{format}: refused for {field}/{problem:?}, expected one of {fields:?}/{problems:?}: {case:?}"
            );
            let message = RenderError::Unrepresentable {
                format: f,
                field,
                problem,
            }
            .to_string();
            for (_, v) in case.values() {
                assert!(
                    v.len() < 6 || !message.contains(v),
                    "the error shows a value: {message}"
                );
            }
            None
        }
        (Ok(_), Some(why)) => panic!("{format} should have refused ({why:?}): {case:?}"),
        (Err(e), _) => panic!("{format} refused a value it can carry: {e}: {case:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The cases

/// Hand-picked credentials that break naive writers.
fn tricky_secrets() -> Vec<&'static str> {
    vec![
        "ABCD+hzdHX2aTWVT5+OcD0CPhzMPl+ScjpjBdPN8b1RZu2h9efHeZULkLACpVmko",
        "it's",
        "say \"hi\"",
        "back\\slash",
        "\\",
        "\\\\",
        "trailing\\",
        "\\0\\12\\377\\400\\u0041\\n",
        "\\u0041",
        "\\uD83D",
        "// not a comment",
        "/* nor this */",
        "a/b",
        "semi;colon",
        "k=v:w#x!y",
        "=starts",
        ":starts",
        "#starts",
        "!starts",
        " leading space",
        "trailing space ",
        "\ttab",
        "new\nline",
        "cr\rlf\r\n",
        "\u{c}form feed",
        "nul\u{0}byte",
        "del\u{7f}",
        "caf\u{e9}",
        "\u{ff}\u{100}\u{20ac}",
        "\u{1F600}",
        "\u{10FFFF}",
        "\u{FEFF}bom",
        "\u{2028}",
        "%(interp)s %%",
        "${placeholder}",
        "back\\=slash\\:",
        "'single' \"double\" '",
    ]
}

fn fixed_cases() -> Vec<Case> {
    let sr = Some((
        "EXAMPLE6THZZR5GY",
        "g13tSFeALOM2nPpaF+V368MG+JNPxOoUbDKlFTPB2kRabTgf3vO9",
    ));
    let mut cases = vec![
        Case::new("ABCDEFGHIJKLMNOP", "kafka-s3cret", sr, None),
        Case::new("ABCDEFGHIJKLMNOP", "kafka-s3cret", sr, Some(".billing")),
        Case::new("ABCDEFGHIJKLMNOP", "kafka-s3cret", None, None),
        Case::new("ABCDEFGHIJKLMNOP", "kafka-s3cret", None, Some("-0")),
        Case::new("KEY", "s", Some(("SRKEY", "")), Some(".\u{e9}\"\\'/")),
    ];
    for secret in tricky_secrets() {
        cases.push(Case::new(
            "KEY",
            secret,
            Some(("SRKEY", secret)),
            Some(".app"),
        ));
        cases.push(Case::new(secret, "s3cret", Some((secret, "sr")), None));
    }
    cases
}

/// Secrets made of the characters that matter to the formats, plus any character at all;
/// `line_safe` leaves out control characters and line breaks (which only `java`, `spring-boot`
/// and `json` can carry), so that most cases render to `librdkafka` and `python` too.
fn secret_strategy(line_safe: bool) -> BoxedStrategy<String> {
    let mut special = vec![
        '"',
        '\'',
        '\\',
        '/',
        '*',
        '=',
        ':',
        '#',
        '!',
        ';',
        ' ',
        '$',
        '{',
        '}',
        '%',
        'u',
        '0',
        '3',
        '7',
        '8',
        'n',
        'D',
        '\u{a0}',
        '\u{e9}',
        '\u{ff}',
        '\u{100}',
        '\u{20ac}',
        '\u{3000}',
        '\u{FEFF}',
        '\u{1F600}',
    ];
    if !line_safe {
        special.extend([
            '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{0}', '\u{1e}', '\u{7f}', '\u{85}', '\u{2028}',
        ]);
    }
    let special = prop::sample::select(special);
    let any_char = any::<char>().prop_filter("line-safe", move |c| {
        !line_safe || !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    });
    let controls = if line_safe { 0 } else { 1 };
    let char = prop_oneof![
        4 => prop::char::range('!', '~'),
        4 => special,
        controls => prop::char::range('\u{0}', '\u{1f}'),
        1 => prop::char::range('\u{a0}', '\u{7ff}'),
        1 => prop::char::range('\u{10000}', '\u{10FFFF}'),
        1 => any_char,
    ];
    prop_oneof![
        1 => Just(String::new()),
        30 => prop::collection::vec(char, 1..24).prop_map(String::from_iter),
    ]
    .boxed()
}

fn suffix_strategy() -> impl Strategy<Value = Option<String>> {
    let char = prop::sample::select(vec![
        'a',
        'z',
        '0',
        '.',
        '-',
        '_',
        '"',
        '\\',
        '\'',
        '/',
        '$',
        '{',
        '=',
        ':',
        '#',
        '!',
        ';',
        '\u{e9}',
        '\u{1F600}',
    ]);
    prop::option::of(prop::collection::vec(char, 1..6).prop_map(String::from_iter))
}

/// `count` generated cases, the same on every run (proptest with a deterministic RNG).
fn generated_cases(count: usize, line_safe: bool) -> Vec<Case> {
    let secret = || secret_strategy(line_safe);
    let strategy = (
        secret(),
        secret(),
        prop::option::weighted(0.8, (secret(), secret())),
        suffix_strategy(),
    );
    let mut runner = TestRunner::deterministic();
    let mut cases: Vec<Case> = tricky_secrets()
        .into_iter()
        .map(|s| Case::new(s, s, Some((s, s)), Some(".x")))
        .collect();
    while cases.len() < count {
        let (key, secret, sr, suffix) = strategy.new_tree(&mut runner).unwrap().current();
        cases.push(Case {
            key,
            secret,
            sr,
            suffix,
        });
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// The tests

/// A file in failures: its path and the case it was rendered from.
fn shown(case: &Case, path: &Path) -> String {
    format!("{} ({case:?})", path.display())
}

/// Renders every case to the formats, writes the files under `dir` and returns
/// `(case index, format, path)` for those not refused. Every other `python` file is saved under
/// a name of its own (with a quote and a space), which its comments' example must open.
fn write_files(cases: &[Case], formats: &[Format], dir: &Path) -> Vec<(usize, Format, PathBuf)> {
    let mut files = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(r) = case.redemption() else { continue };
        for &format in formats {
            let mut options = case.options();
            let name = match format {
                Format::Python if i % 2 == 1 => {
                    let name = format!("Jane's shared \"{i}\".ini");
                    options.file_name = Some(name.clone());
                    name
                }
                _ => format.default_file_name().to_string(),
            };
            let Some(text) = render_or_refuse(case, &r, format, &options) else {
                continue;
            };
            let case_dir = dir.join(format!("{i}-{format}"));
            std::fs::create_dir_all(&case_dir).unwrap();
            let path = case_dir.join(name);
            std::fs::write(&path, text).unwrap();
            files.push((i, format, path));
        }
    }
    files
}

#[test]
fn java_reads_back_java_and_spring_boot_files() {
    let cases = fixed_cases();
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&cases, &[Format::Java, Format::SpringBoot], dir.path());
    assert!(files.len() > cases.len(), "most fixed cases render");
    let paths: Vec<PathBuf> = files.iter().map(|f| f.2.clone()).collect();
    for ((i, format, path), read) in files.iter().zip(java_read(&paths)) {
        cases[*i]
            .expected()
            .assert_java_read(*format, &read, &shown(&cases[*i], path));
    }
}

#[test]
fn confluent_kafka_loads_librdkafka_and_python_files() {
    let cases = fixed_cases();
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&cases, &[Format::Librdkafka, Format::Python], dir.path());
    assert!(files.len() >= 10, "the plain cases render");
    let jobs: Vec<(Format, PathBuf)> = files.iter().map(|f| (f.1, f.2.clone())).collect();
    for ((i, format, path), read) in files.iter().zip(confluent_kafka_read(&jobs)) {
        cases[*i]
            .expected()
            .assert_confluent_kafka_read(*format, &read, &shown(&cases[*i], path));
    }
}

#[test]
fn the_json_format_carries_every_value() {
    for case in fixed_cases().iter().chain(&generated_cases(500, false)) {
        let Some(r) = case.redemption() else { continue };
        if let Some(text) = render_or_refuse(case, &r, Format::Json, &case.options()) {
            case.expected().assert_json(&text, &format!("{case:?}"));
        }
    }
}

#[test]
fn generated_secrets_read_back_through_java() {
    let cases = generated_cases(2500, false);
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&cases, &[Format::Java, Format::SpringBoot], dir.path());
    assert!(
        files.len() >= 3500,
        "{} files: most cases must render",
        files.len()
    );
    let paths: Vec<PathBuf> = files.iter().map(|f| f.2.clone()).collect();
    let reads = java_read(&paths);
    for ((i, format, path), read) in files.iter().zip(reads) {
        cases[*i]
            .expected()
            .assert_java_read(*format, &read, &shown(&cases[*i], path));
    }
}

#[test]
fn generated_secrets_read_back_through_confluent_kafka_or_are_refused() {
    // Secrets of any characters: mostly refused (control characters, trimmed whitespace), and
    // every refusal must be one `must_refuse` expects. Then a few hundred line-safe secrets,
    // which mostly render, through Python in one run.
    let formats = [Format::Librdkafka, Format::Python];
    let dir = tempfile::tempdir().unwrap();
    let any = generated_cases(2500, false);
    let any_files = write_files(&any, &formats, &dir.path().join("any"));
    let cases = generated_cases(200, true);
    let files = write_files(&cases, &formats, &dir.path().join("line-safe"));
    assert!(
        any_files.len() > 50 && files.len() > 250,
        "{} and {} files rendered",
        any_files.len(),
        files.len()
    );
    let jobs: Vec<(Format, PathBuf)> = files
        .iter()
        .chain(any_files.iter().take(60))
        .map(|f| (f.1, f.2.clone()))
        .collect();
    let reads = confluent_kafka_read(&jobs);
    let checked = files
        .iter()
        .map(|f| (&cases, f))
        .chain(any_files.iter().take(60).map(|f| (&any, f)));
    for ((cases, (i, format, path)), read) in checked.zip(reads) {
        cases[*i]
            .expected()
            .assert_confluent_kafka_read(*format, &read, &shown(&cases[*i], path));
    }
}

#[test]
fn written_files_are_owner_only_and_read_back() {
    use cdx_ext::file::{Overwrite, write_secret_file};
    let case = &fixed_cases()[1];
    let r = case.redemption().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Format::Java.default_file_name());
    let text = render(&r, Format::Java, &case.options()).unwrap();
    write_secret_file(&path, text.as_bytes(), Overwrite::Refuse).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let read = java_read(std::slice::from_ref(&path));
    case.expected()
        .assert_java_read(Format::Java, &read[0], &shown(case, &path));
}
