//! `cdx consumer peek`: a few records of the shared topics, read without a consumer group and
//! without committing anything.

use crate::check::SourceArgs;
use crate::context::Context;
use crate::failure::Failure;
use crate::output;
use cdx_ext::kafka::{PeekOptions, PeekedRecord, StartOffset, escape_bytes, escape_text, peek};
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct PeekArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The topic to read (default: every shared topic).
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,
    /// The most records to print.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Where to start in each partition: earliest, latest (the newest records) or an offset.
    #[arg(long, value_name = "OFFSET", default_value = "earliest", value_parser = parse_offset)]
    pub offset: StartOffset,
}

fn parse_offset(s: &str) -> Result<StartOffset, String> {
    s.parse()
        .map_err(|e: cdx_ext::kafka::InvalidStartOffset| e.to_string())
}

pub async fn run(ctx: &Context, args: PeekArgs) -> Result<(), Failure> {
    let options = PeekOptions {
        topic: args.topic.clone(),
        limit: args.limit,
        offset: args.offset,
        ca_file: args.source.ca_file()?,
        timeout: args.source.step_timeout()?,
    };
    let (target, _) = args
        .source
        .target()
        .map_err(|(reason, hint)| Failure::usage(format!("{reason}\n  {hint}")))?;
    let peeked = peek(&target, &options)
        .await
        .map_err(|e| Failure::other(escape_text(&e.to_string())))?;
    let machine = json!({ "records": peeked.records, "timed_out": peeked.timed_out });
    if !ctx.printer.machine(&machine)? {
        let text: String = peeked.records.iter().map(record).collect();
        output::stdout(&text)?;
    }
    let n = peeked.records.len();
    if peeked.timed_out {
        eprintln!(
            "{n} record(s); the time ran out before the end of every partition (raise --step-timeout)."
        );
    } else if n == 0 {
        eprintln!("No records: the partitions are empty from that offset on.");
    } else {
        eprintln!("{n} record(s); no consumer group was used and no offset was committed.");
    }
    Ok(())
}

/// Bytes for a terminal, in quotes so that spaces at the ends show.
fn shown(bytes: &[u8]) -> String {
    format!("\"{}\"", escape_bytes(bytes).replace('"', "\\\""))
}

fn record(r: &PeekedRecord) -> String {
    let time = r
        .timestamp
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| "no timestamp".into());
    let mut out = format!(
        "{} partition {} offset {}  {time}\n",
        escape_text(&r.topic),
        r.partition,
        r.offset
    );
    out.push_str(&format!(
        "  key:   {}\n",
        r.key.as_deref().map_or("null".into(), shown)
    ));
    for (name, value) in &r.headers {
        out.push_str(&format!(
            "  header {}: {}\n",
            escape_text(name),
            value.as_deref().map_or("null".into(), shown)
        ));
    }
    match (&r.schema, r.value.as_deref()) {
        (Some(schema), Some(value)) => {
            let mut about = vec![format!("schema id {}", schema.id)];
            if let Some(subject) = &schema.subject {
                about.push(format!("subject {}", escape_text(subject)));
            }
            if let Some(kind) = &schema.schema_type {
                about.push(escape_text(kind));
            }
            let body = match &schema.decoded {
                Some(v) => escape_text(&v.to_string()),
                None => shown(&value[5..]),
            };
            out.push_str(&format!("  value ({}): {body}\n", about.join(", ")));
            if let Some(note) = &schema.note {
                out.push_str(&format!("    ({})\n", escape_text(note)));
            }
        }
        (_, value) => out.push_str(&format!(
            "  value: {}\n",
            value.map_or("null".into(), shown)
        )),
    }
    out
}
