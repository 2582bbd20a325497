//! Parsing the command line so that a mistyped option gets clap's "unexpected argument / did you
//! mean" and no error ever shows a share token.
//!
//! TOKEN takes values that begin with '-' (base64url tokens may), so clap alone would take
//! `--froce` as the token, and then report the real token as the unexpected argument. The line is
//! therefore parsed a second time with TOKEN refusing leading dashes; when that parse stumbles
//! on something shaped like an option, its error is the one shown.

use crate::args::Cli;
use crate::files::looks_like_an_option;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory as _, Parser as _};
use std::ffi::OsString;

/// The parsed command line; on a usage error, prints it (without tokens) and exits 2.
pub fn parse() -> Cli {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let lenient = Cli::try_parse_from(&argv);
    if let Err(e) = &lenient
        && matches!(
            e.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        e.exit();
    }
    let strict = strict(Cli::command()).try_get_matches_from(&argv);
    let error = match (lenient, strict) {
        (_, Err(e)) if mistyped_option(&e, &argv) => e,
        (Ok(cli), _) => return cli,
        (Err(e), _) => e,
    };
    let text = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        error.render().ansi().to_string()
    } else {
        error.render().to_string()
    };
    eprint!("{}", without_tokens(&text, &argv));
    std::process::exit(error.exit_code());
}

/// `command` with every TOKEN argument refusing values that begin with '-'.
fn strict(command: clap::Command) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut command = if command.get_arguments().any(|a| a.get_id() == "token") {
        command.mut_arg("token", |a| a.allow_hyphen_values(false))
    } else {
        command
    };
    for name in names {
        command = command.mut_subcommand(name, strict);
    }
    command
}

/// An unknown argument shaped like an option (`--froce`), not like a token. clap names only the
/// first letter of a short cluster (`-q` of `-qX…`), so the command-line word it came from must
/// be option-shaped too: a token may begin with '-' and a letter.
fn mistyped_option(e: &clap::Error, argv: &[OsString]) -> bool {
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return false;
    };
    e.kind() == ErrorKind::UnknownArgument
        && argv
            .iter()
            .filter_map(|word| word.to_str())
            .any(|word| word.starts_with(arg.as_str()) && looks_like_an_option(word))
}

/// `text` with every argument that could be a share token (long, not an option, not a path)
/// replaced: clap quotes the arguments it did not expect.
fn without_tokens(text: &str, argv: &[OsString]) -> String {
    let mut text = text.to_string();
    for arg in argv.iter().skip(1).filter_map(|a| a.to_str()) {
        let bare = arg.split_once('=').map_or(arg, |(_, v)| v);
        for candidate in [arg, bare] {
            if candidate.len() >= 32 && !looks_like_an_option(candidate) && !candidate.contains('/')
            {
                text = text.replace(candidate, "<redacted: possibly a share token>");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict_error(args: &[&str]) -> (clap::Error, Vec<OsString>) {
        let argv: Vec<OsString> = ["cdx", "consumer", "redeem"]
            .iter()
            .chain(args)
            .map(OsString::from)
            .collect();
        let error = strict(Cli::command())
            .try_get_matches_from(&argv)
            .expect_err("the strict parse refuses a leading dash");
        (error, argv)
    }

    #[test]
    fn a_token_beginning_with_a_dash_and_a_letter_is_not_a_mistyped_option() {
        // base64url: about one token in 64 begins with '-'; clap reports its first letter alone.
        let token = "-qXyz-abc0123456789abcdefghijklmnopqrstuvwxyz0123";
        let (error, argv) = strict_error(&[token, "--public"]);
        assert_eq!(error.kind(), ErrorKind::UnknownArgument);
        assert!(!mistyped_option(&error, &argv));
        assert!(
            Cli::try_parse_from(&argv).is_ok(),
            "the lenient parse takes it"
        );
    }

    #[test]
    fn a_mistyped_option_is_still_reported_as_one() {
        let (error, argv) = strict_error(&["--froce", "TOKEN"]);
        assert!(mistyped_option(&error, &argv));
        let (error, argv) = strict_error(&["-z", "TOKEN"]);
        assert!(mistyped_option(&error, &argv));
    }
}
