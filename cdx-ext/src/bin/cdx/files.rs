//! Reading inputs the user names on the command line (tokens, saved redemptions), and telling
//! whether two paths name the same file.

use crate::failure::Failure;
use cdx_ext::ShareToken;
use clap::Args;
use std::io::{IsTerminal as _, Read};
use std::path::{Path, PathBuf};

/// Where the token comes from.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The token from the invitation email. Prefer --token-file, which keeps it out of shell
    /// history and the process list.
    // Tokens are base64url: one may well begin with '-'.
    #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: Option<String>,
    /// Read the token from this file, or from standard input with `-` (on a terminal, cdx asks
    /// for it without echoing it).
    #[arg(long, value_name = "PATH", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
}

/// The most bytes read from a token file or standard input: the longest token plus room for
/// the whitespace around it (a trailing newline, a CRLF, an editor's blank line). Reading stops
/// there, so a wrong path (a log, an image, a device) is refused at once instead of read whole.
const READ_LIMIT: usize = ShareToken::MAX_LEN + 64;

/// The token from the argument, `--token-file PATH`, or standard input (`--token-file -`).
pub fn read_token(args: &TokenArgs) -> Result<ShareToken, Failure> {
    let raw = match (&args.token, &args.token_file) {
        (Some(token), _) if looks_like_an_option(token) => {
            // TOKEN accepts a leading '-' (base64url tokens may start with one), so clap passes
            // a mistyped option through as a token; it is refused here, before it is sent.
            return Err(Failure::usage(format!(
                "unexpected argument {token:?}: it is not an option of this command, nor a share token (see --help)"
            )));
        }
        (Some(token), _) => token.clone(),
        (None, Some(path)) if path == Path::new("-") => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                // Without a prompt, cdx would wait in silence for input the user does not know
                // it wants. The token is a secret: read from the terminal without echo, as a
                // password is, never from argv.
                let line = rpassword::prompt_password(
                    "Paste the share token (hidden), then press Enter: ",
                )
                .map_err(|e| {
                    Failure::usage(format!("cannot read the token from the terminal: {e}"))
                })?;
                if line.len() > READ_LIMIT {
                    return Err(Failure::usage(format!(
                        "the line typed is longer than a share token can be ({READ_LIMIT} bytes)"
                    )));
                }
                line
            } else {
                let bytes = read_capped(stdin.lock()).map_err(|e| {
                    Failure::usage(format!("cannot read the token from standard input: {e}"))
                })?;
                text(bytes, "standard input")?
            }
        }
        (None, Some(path)) => {
            let what = format!("the token file {}", path.display());
            let bytes = std::fs::File::open(path)
                .and_then(read_capped)
                .map_err(|e| Failure::usage(format!("cannot read {what}: {e}")))?;
            text(bytes, &what)?
        }
        (None, None) => {
            return Err(Failure::usage(
                "no token given: pass it as an argument, or with --token-file PATH (--token-file - reads standard input)",
            ));
        }
    };
    Ok(ShareToken::new(raw)?)
}

/// `--forse`, `-x`, `--aws-acount=1`: short, lower-case words after dashes. A real token is
/// hundreds of characters of mixed-case base64url, so it never looks like this.
pub fn looks_like_an_option(arg: &str) -> bool {
    let name = arg.split('=').next().unwrap_or_default();
    arg.starts_with('-')
        && name.len() <= 40
        && name
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// At most [`READ_LIMIT`] bytes.
fn read_capped(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(READ_LIMIT as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The bytes read from `what` as text, refusing what cannot be a token.
fn text(bytes: Vec<u8>, what: &str) -> Result<String, Failure> {
    if bytes.len() >= READ_LIMIT {
        return Err(Failure::usage(format!(
            "invalid share token: {what} holds more than a token can be ({} bytes at most); pass only the token, or check that it is the right file",
            ShareToken::MAX_LEN
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        Failure::usage(format!(
            "invalid share token: {what} is not text (not UTF-8); pass only the token, or check that it is the right file"
        ))
    })
}

/// A path as the file system resolves it for writing: the canonical directory joined with the
/// file name. Two paths that differ in spelling (`a.json`, `./a.json`, `dir/../a.json`, a
/// symlinked directory) resolve alike. The file name is not resolved: a write replaces a
/// symlink by a new file rather than following it.
fn resolved(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| {
        // A directory that does not exist is refused elsewhere; compare its spelling.
        std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
    });
    match path.file_name() {
        Some(name) => dir.join(name),
        // `..` or `/`: no file name to join; the whole path is the best key.
        None => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// True when `a` and `b` name the same file (see [`resolved`]).
pub fn same_file(a: &Path, b: &Path) -> bool {
    resolved(a) == resolved(b)
}
