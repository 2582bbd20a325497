//! Reading inputs the user names on the command line (tokens, saved redemptions).

use crate::args::TokenArgs;
use crate::failure::Failure;
use cdx_ext::ShareToken;
use std::io::Read as _;
use std::path::Path;

/// The token from the argument, `--token-file PATH`, or standard input (`--token-file -`).
pub fn read_token(args: &TokenArgs) -> Result<ShareToken, Failure> {
    let raw = match (&args.token, &args.token_file) {
        (Some(token), _) => token.clone(),
        (None, Some(path)) if path == Path::new("-") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                Failure::usage(format!("cannot read the token from standard input: {e}"))
            })?;
            text
        }
        (None, Some(path)) => std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!(
                "cannot read the token file {}: {e}",
                path.display()
            ))
        })?,
        (None, None) => {
            return Err(Failure::usage(
                "no token given: pass it as an argument, or with --token-file PATH (--token-file - reads standard input)",
            ));
        }
    };
    Ok(ShareToken::new(raw)?)
}
