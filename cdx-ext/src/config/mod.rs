//! Kafka client configuration files rendered from a [`crate::Redemption`].
//!
//! [`render`] turns a redemption into the text of a client configuration file in one of five
//! [`Format`]s. Every value is written so that the format's real reader gives it back byte for
//! byte (Java `.properties` escaping and Kafka's JAAS quoting for `java` and `spring-boot`; raw
//! lines for `librdkafka` and `python`; JSON strings for `json`). A format that cannot carry a
//! value refuses with a [`RenderError`] that names the field and the problem, never the value.
//!
//! Write the result with [`crate::file::write_secret_file`]: it holds credentials.
//!
//! ```
//! use cdx_ext::Redemption;
//! use cdx_ext::config::{Format, RenderOptions, render};
//!
//! let redemption: Redemption = serde_json::from_value(serde_json::json!({
//!     "id": "ss-12345", "api_key": "KEY", "secret": "s3cret",
//!     "kafka_bootstrap_url": "SASL_SSL://pkc-abc.us-west-2.aws.confluent.cloud:9092",
//!     "resources": [{"kind": "Group", "group_prefix": "stream-share.ss-12345"}]
//! }))?;
//! let options = RenderOptions { group_suffix: Some(".billing".into()), ..Default::default() };
//! let text = render(&redemption, Format::Librdkafka, &options)?;
//! assert!(text.contains("\ngroup.id=stream-share.ss-12345.billing\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod header;
mod jaas;
mod java;
mod json;
mod librdkafka;
mod properties;
mod python;
mod spring_boot;

use crate::Redemption;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A client configuration file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Java `.properties` for the Apache Kafka Java clients (also Clojure, Groovy, Kotlin and
    /// Scala): JAAS login, Schema Registry keys, and the Confluent Console's sample comments.
    Java,
    /// `key=value` lines for clients built on librdkafka (C/C++, Go, .NET, Node.js, Rust
    /// rdkafka, kcat): only keys librdkafka accepts, so no Schema Registry settings.
    Librdkafka,
    /// An INI file for Python's `configparser`: a `[kafka]` section for confluent-kafka's
    /// `Consumer` and a `[schema_registry]` section for its `SchemaRegistryClient`.
    Python,
    /// A Spring Boot `application.properties` with `spring.kafka.*` keys.
    SpringBoot,
    /// A JSON document: the librdkafka settings and the Schema Registry settings as two maps,
    /// plus the share id, topics, subjects and consumer group prefix.
    Json,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 5] = [
        Format::Java,
        Format::Librdkafka,
        Format::Python,
        Format::SpringBoot,
        Format::Json,
    ];

    /// The format's name, as [`FromStr`] reads it and [`fmt::Display`] writes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Java => "java",
            Format::Librdkafka => "librdkafka",
            Format::Python => "python",
            Format::SpringBoot => "spring-boot",
            Format::Json => "json",
        }
    }

    /// The usual file name for the format, e.g. `client.properties`.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Java => "client.properties",
            Format::Librdkafka => "client.config",
            Format::Python => "client.ini",
            Format::SpringBoot => "application.properties",
            Format::Json => "client.json",
        }
    }

    /// A short description of who reads the format.
    pub fn description(self) -> &'static str {
        match self {
            Format::Java => "Apache Kafka Java clients (Java, Clojure, Groovy, Kotlin, Scala)",
            Format::Librdkafka => {
                "clients built on librdkafka (C/C++, Go, .NET, Node.js, Rust rdkafka, kcat)"
            }
            Format::Python => {
                "Python clients using confluent-kafka (Consumer, SchemaRegistryClient)"
            }
            Format::SpringBoot => "Spring Boot with Spring for Apache Kafka",
            Format::Json => "programs: the settings as JSON maps",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown config format {given:?}; expected one of: java, librdkafka, python, spring-boot, json"
)]
pub struct UnknownFormat {
    /// The name as given.
    pub given: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFormat {
                given: s.to_string(),
            })
    }
}

/// Choices the caller makes when rendering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Appended to the share's consumer group prefix to write an actual `group.id`: `.billing`
    /// or `billing` both give `<prefix>.billing` (a `.` is added unless the suffix starts with
    /// `.`, `-` or `_`); without it the file only explains the prefix rule.
    pub group_suffix: Option<String>,
    /// The name the file is saved under, for the comments that show how to load it (the
    /// `python` example opens it by name). Default: [`Format::default_file_name`].
    pub file_name: Option<String>,
}

impl RenderOptions {
    /// Checks the options that can be checked without a redemption: the group suffix must be
    /// non-empty, without whitespace or control characters. Lets a caller refuse bad options
    /// before anything irreversible (such as redeeming a token); [`render`] checks them again,
    /// and also that the suffix does not repeat the share's prefix.
    pub fn check(&self) -> Result<(), RenderError> {
        let Some(suffix) = self.group_suffix.as_deref() else {
            return Ok(());
        };
        let problem = if suffix.is_empty() {
            Problem::Empty
        } else {
            match suffix.chars().find(|c| c.is_control() || c.is_whitespace()) {
                None => return Ok(()),
                Some(c) if is_line_break(c) => Problem::LineBreak,
                Some(c) if c.is_control() && c != '\t' => Problem::ControlCharacter,
                Some(_) => Problem::Whitespace,
            }
        };
        Err(RenderError::InvalidGroupSuffix { problem })
    }
}

/// A field of the redemption (or of the options) that a [`RenderError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The Kafka bootstrap server.
    BootstrapServer,
    /// The Kafka API key (the SASL/PLAIN username).
    KafkaApiKey,
    /// The Kafka API secret (the SASL/PLAIN password).
    KafkaApiSecret,
    /// The Schema Registry URL.
    SchemaRegistryUrl,
    /// The Schema Registry API key.
    SchemaRegistryApiKey,
    /// The Schema Registry API secret.
    SchemaRegistryApiSecret,
    /// The share's consumer group prefix.
    GroupPrefix,
    /// The consumer group suffix from [`RenderOptions::group_suffix`].
    GroupSuffix,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::BootstrapServer => "Kafka bootstrap server",
            Field::KafkaApiKey => "Kafka API key",
            Field::KafkaApiSecret => "Kafka API secret",
            Field::SchemaRegistryUrl => "Schema Registry URL",
            Field::SchemaRegistryApiKey => "Schema Registry API key",
            Field::SchemaRegistryApiSecret => "Schema Registry API secret",
            Field::GroupPrefix => "consumer group prefix",
            Field::GroupSuffix => "consumer group suffix",
        })
    }
}

/// What is wrong with a value; phrased to follow "it", e.g. "it contains a line break".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// A line break (LF, CR, VT, FF, NEL, U+2028, U+2029, …): line-based formats end the value there.
    LineBreak,
    /// Another control character (NUL, tab, ESC, DEL, …).
    ControlCharacter,
    /// Leading whitespace, which the format's readers trim.
    LeadingWhitespace,
    /// Trailing whitespace, which the format's readers trim.
    TrailingWhitespace,
    /// Whitespace anywhere (not allowed in a consumer group suffix).
    Whitespace,
    /// Empty.
    Empty,
    /// A `:` in the Schema Registry API key: `basic.auth.user.info` is split at the first `:`.
    Colon,
    /// `${`, which Spring resolves as a property placeholder.
    Placeholder,
    /// `\=` or `\:`, which kcat's `-F` reader turns into `=` or `:`.
    KcatEscape,
    /// The group suffix starts with the group prefix (the whole group id was given).
    RepeatsGroupPrefix,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::LineBreak => "contains a line break, which this format cannot carry",
            Problem::ControlCharacter => {
                "contains a control character, which this format cannot carry"
            }
            Problem::LeadingWhitespace => {
                "starts with whitespace, which readers of this format trim"
            }
            Problem::TrailingWhitespace => {
                "ends with whitespace, which readers of this format trim"
            }
            Problem::Whitespace => "contains whitespace",
            Problem::Empty => "is empty",
            Problem::Colon => "contains ':', which would end the user name in basic.auth.user.info",
            Problem::Placeholder => {
                "contains '${', which Spring resolves as a property placeholder"
            }
            Problem::KcatEscape => "contains '\\=' or '\\:', which kcat's -F reader unescapes",
            Problem::RepeatsGroupPrefix => {
                "starts with the consumer group prefix; pass only the part that follows the prefix"
            }
        })
    }
}

/// Why a redemption could not be rendered. Never shows the value at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The format cannot carry a value exactly.
    #[error("cannot write the {field} into a {format} config file: it {problem} (value not shown)")]
    Unrepresentable {
        /// The format asked for.
        format: Format,
        /// The field whose value cannot be written.
        field: Field,
        /// What about the value is the problem.
        problem: Problem,
    },
    /// [`RenderOptions::group_suffix`] is not usable.
    #[error("invalid consumer group suffix: it {problem}")]
    InvalidGroupSuffix {
        /// What is wrong with it.
        problem: Problem,
    },
    /// A group suffix was given, but the share has no consumer group prefix (or an empty one).
    #[error(
        "a consumer group suffix was given, but the share came without a consumer group prefix (none, or an empty one), so no group.id can be derived; ask the provider which group ids the share allows"
    )]
    NoGroupPrefix,
}

/// Renders `redemption` as a configuration file in `format`.
///
/// The output is deterministic and ends with a newline. It holds credentials: write it with
/// [`crate::file::write_secret_file`].
pub fn render(
    redemption: &Redemption,
    format: Format,
    options: &RenderOptions,
) -> Result<String, RenderError> {
    let group_id = group_id(redemption, options)?;
    let input = Input {
        redemption,
        group_id,
        file_name: options.file_name.as_deref(),
    };
    match format {
        Format::Java => java::render(&input),
        Format::Librdkafka => librdkafka::render(&input),
        Format::Python => python::render(&input),
        Format::SpringBoot => spring_boot::render(&input),
        Format::Json => json::render(&input),
    }
}

/// What every format renders from: the redemption and the checked `group.id`, if any.
struct Input<'a> {
    redemption: &'a Redemption,
    group_id: Option<Value<'a>>,
    /// [`RenderOptions::file_name`].
    file_name: Option<&'a str>,
}

/// `<prefix><suffix>` when a suffix was given, after checking the suffix.
fn group_id<'a>(
    redemption: &'a Redemption,
    options: &'a RenderOptions,
) -> Result<Option<Value<'a>>, RenderError> {
    options.check()?;
    let Some(suffix) = options.group_suffix.as_deref() else {
        return Ok(None);
    };
    let prefix = redemption
        .group_prefix()
        .ok_or(RenderError::NoGroupPrefix)?;
    if !prefix.is_empty() && suffix.starts_with(prefix) {
        return Err(RenderError::InvalidGroupSuffix {
            problem: Problem::RepeatsGroupPrefix,
        });
    }
    Ok(Some(Value::from_parts(vec![
        (Some(Field::GroupPrefix), prefix.into()),
        (None, crate::redemption::group_separator(suffix).into()),
        (Some(Field::GroupSuffix), suffix.into()),
    ])))
}

/// The Schema Registry settings every format writes: the URL and `basic.auth.user.info`.
struct SchemaRegistry<'a> {
    url: Value<'a>,
    user_info: Value<'a>,
}

/// The redemption's Schema Registry settings, if it has any. The key must not contain `:`:
/// the Java and Python clients split `basic.auth.user.info` at the first `:`.
fn schema_registry<'a>(
    redemption: &'a Redemption,
    format: Format,
) -> Result<Option<SchemaRegistry<'a>>, RenderError> {
    let Some(sr) = redemption.schema_registry() else {
        return Ok(None);
    };
    if sr.api_key.contains(':') {
        return Err(RenderError::Unrepresentable {
            format,
            field: Field::SchemaRegistryApiKey,
            problem: Problem::Colon,
        });
    }
    Ok(Some(SchemaRegistry {
        url: Value::field(Field::SchemaRegistryUrl, sr.url),
        user_info: Value::from_parts(vec![
            (Some(Field::SchemaRegistryApiKey), sr.api_key.into()),
            (None, ":".into()),
            (
                Some(Field::SchemaRegistryApiSecret),
                sr.api_secret.expose_secret().into(),
            ),
        ]),
    }))
}

/// Characters that some reader of a line-based format takes as the end of a line (Python's
/// `str.splitlines` is the widest).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A setting's value, made of parts that remember which field they came from, so that a
/// format that refuses the value can say which field is at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Value<'a> {
    parts: Vec<(Option<Field>, Cow<'a, str>)>,
}

impl<'a> Value<'a> {
    /// Fixed text that is not any field's.
    fn literal(text: impl Into<Cow<'a, str>>) -> Self {
        Self::from_parts(vec![(None, text.into())])
    }

    /// One field's value.
    fn field(field: Field, text: impl Into<Cow<'a, str>>) -> Self {
        Self::from_parts(vec![(Some(field), text.into())])
    }

    fn from_parts(parts: Vec<(Option<Field>, Cow<'a, str>)>) -> Self {
        Self { parts }
    }

    /// The whole value.
    fn text(&self) -> String {
        self.parts.iter().map(|(_, t)| t.as_ref()).collect()
    }

    /// The field of the part holding byte `offset` of [`Value::text`] (in a literal part, the
    /// next field's: an error must name something).
    fn field_at(&self, offset: usize) -> Field {
        let mut start = 0;
        let mut found = None;
        for (field, text) in &self.parts {
            if offset < start + text.len() {
                found = *field;
                if found.is_some() {
                    break;
                }
            }
            start += text.len();
        }
        found
            .or_else(|| self.parts.iter().find_map(|(f, _)| *f))
            .unwrap_or(Field::BootstrapServer)
    }
}

/// One line of a key/value file, before the format writes it.
#[derive(Clone, Debug)]
enum Line<'a> {
    /// A comment (without the comment marker); the writer makes it safe.
    Comment(Cow<'a, str>),
    /// An empty line.
    Blank,
    /// A setting.
    Entry {
        /// The key, as the client knows it.
        key: Cow<'static, str>,
        /// The raw value (the format escapes it).
        value: Value<'a>,
    },
}

impl<'a> Line<'a> {
    fn comment(text: impl Into<Cow<'a, str>>) -> Self {
        Line::Comment(text.into())
    }

    fn entry(key: &'static str, value: Value<'a>) -> Self {
        Line::Entry {
            key: key.into(),
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn redemption() -> Redemption {
        serde_json::from_value(crate::fixtures::redeem_answer()).unwrap()
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        let err = "yaml".parse::<Format>().unwrap_err();
        assert!(err.to_string().contains("spring-boot"), "{err}");
    }

    #[test]
    fn group_suffix_is_checked() {
        let r = redemption();
        let with = |s: &str| {
            render(
                &r,
                Format::Java,
                &RenderOptions {
                    group_suffix: Some(s.into()),
                    ..Default::default()
                },
            )
        };
        for (suffix, problem) in [
            ("", Problem::Empty),
            (".a b", Problem::Whitespace),
            (".a\tb", Problem::Whitespace),
            (".a\u{3000}b", Problem::Whitespace),
            (".a\nb", Problem::LineBreak),
            (".a\u{2028}b", Problem::LineBreak),
            (".a\u{1b}b", Problem::ControlCharacter),
            ("stream-share.ss-12345.app", Problem::RepeatsGroupPrefix),
        ] {
            assert_eq!(
                with(suffix),
                Err(RenderError::InvalidGroupSuffix { problem }),
                "{suffix:?}"
            );
        }
        let options = |s: &str| RenderOptions {
            group_suffix: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(
            options(" x").check(),
            Err(RenderError::InvalidGroupSuffix {
                problem: Problem::Whitespace
            })
        );
        assert_eq!(options("stream-share.ss-12345.app").check(), Ok(()));
        assert_eq!(RenderOptions::default().check(), Ok(()));
        for suffix in [".app", "app"] {
            let text = with(suffix).unwrap();
            assert!(
                text.contains("\ngroup.id=stream-share.ss-12345.app\n"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_suffix_without_a_prefix_is_refused() {
        let mut v = serde_json::to_value(redemption()).unwrap();
        v["resources"] = json!([]);
        let r: Redemption = serde_json::from_value(v).unwrap();
        let options = RenderOptions {
            group_suffix: Some(".app".into()),
            ..Default::default()
        };
        for f in Format::ALL {
            assert_eq!(render(&r, f, &options), Err(RenderError::NoGroupPrefix));
            assert!(render(&r, f, &RenderOptions::default()).is_ok());
        }
    }

    #[test]
    fn errors_name_the_field_not_the_value() {
        // A Kafka secret librdkafka's line-based file cannot hold: the renderer's own error.
        let mut v = serde_json::to_value(redemption()).unwrap();
        v["secret"] = json!("pa55\nWORD-not-shown");
        let r: Redemption = serde_json::from_value(v).unwrap();
        let err = render(&r, Format::Librdkafka, &RenderOptions::default()).unwrap_err();
        assert_eq!(
            err,
            RenderError::Unrepresentable {
                format: Format::Librdkafka,
                field: Field::KafkaApiSecret,
                problem: Problem::LineBreak,
            }
        );
        let message = err.to_string();
        assert_eq!(
            message,
            "cannot write the Kafka API secret into a librdkafka config file: it contains a line \
             break, which this format cannot carry (value not shown)"
        );
        for part in ["pa55", "WORD-not-shown"] {
            assert!(!message.contains(part), "{message}");
            assert!(!format!("{err:?}").contains(part), "{err:?}");
        }
    }

    #[test]
    fn value_parts_know_their_field() {
        let v = Value::from_parts(vec![
            (None, "u=\"".into()),
            (Some(Field::KafkaApiKey), "k".into()),
            (None, "\" p=\"".into()),
            (Some(Field::KafkaApiSecret), "s".into()),
            (None, "\"".into()),
        ]);
        assert_eq!(v.text(), "u=\"k\" p=\"s\"");
        assert_eq!(v.field_at(3), Field::KafkaApiKey);
        assert_eq!(v.field_at(9), Field::KafkaApiSecret);
        assert_eq!(v.field_at(0), Field::KafkaApiKey);
    }
}
