//! Writing files that hold credentials: atomically, owner-only, never overwriting unasked.
//!
//! [`write_secret_file`] writes a temporary file next to the target (created with mode 0600,
//! so the secret is never readable by others, not even for a moment), flushes and fsyncs it,
//! then renames it over the target: readers see the old file or the new one, never a partial
//! one. On any error the temporary file is removed. [`check_writable`] lets a caller validate
//! an output path before doing anything that cannot be repeated (such as redeeming a token).
//!
//! ```no_run
//! use cdx_ext::file::{Overwrite, check_writable, write_secret_file};
//! use std::path::Path;
//!
//! let path = Path::new("client.properties");
//! check_writable(path, Overwrite::Refuse)?;
//! // … redeem, render …
//! let text = "bootstrap.servers=pkc-abc.us-west-2.aws.confluent.cloud:9092\n";
//! write_secret_file(path, text.as_bytes(), Overwrite::Refuse)?;
//! # Ok::<(), cdx_ext::file::WriteError>(())
//! ```

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether an existing file at the target path may be replaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overwrite {
    /// Fail if the target exists (the default).
    #[default]
    Refuse,
    /// Atomically replace an existing file.
    Replace,
}

/// Why a file could not be written (or would not be). Names the path; never the contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The target exists and [`Overwrite::Refuse`] was given.
    #[error("{}: already exists (overwrite not requested)", .path.display())]
    Exists {
        /// The target path.
        path: PathBuf,
    },
    /// The target is a directory.
    #[error("{}: is a directory; give a file path", .path.display())]
    IsDirectory {
        /// The target path.
        path: PathBuf,
    },
    /// The path names no file: it ends with `/` (or is `.`, `..` or empty), so writing to it
    /// could only fail.
    #[error(
        "{}: names a directory, not a file (it ends with '/'); add a file name, e.g. {}",
        .path.display(),
        .path.join("client.properties").display()
    )]
    NoFileName {
        /// The target path.
        path: PathBuf,
    },
    /// The directory that should hold the target does not exist (or is not a directory).
    #[error(
        "{}: the directory {} does not exist (or is not a directory)",
        .path.display(),
        .dir.display()
    )]
    NoDirectory {
        /// The target path.
        path: PathBuf,
        /// Its parent directory.
        dir: PathBuf,
    },
    /// An I/O operation failed.
    #[error("{}: could not {action}: {source}", .path.display())]
    Io {
        /// The target path.
        path: PathBuf,
        /// What was being done, e.g. "create a temporary file in its directory".
        action: Action,
        /// The underlying error.
        source: io::Error,
    },
}

/// The step of writing a file that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Reading the target's or its directory's metadata.
    Inspect,
    /// Creating the temporary file.
    CreateTemporary,
    /// Writing, flushing or syncing the temporary file.
    Write,
    /// Renaming the temporary file to the target.
    Rename,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Inspect => "inspect it",
            Action::CreateTemporary => "create a temporary file in its directory",
            Action::Write => "write the temporary file",
            Action::Rename => "rename the temporary file to it",
        })
    }
}

/// The directory a path's file lives in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Refuses a path that names no file: `out/`, `out/.`, `.`, `..`, or nothing.
fn require_file_name(path: &Path) -> Result<(), WriteError> {
    let text = path.as_os_str().as_encoded_bytes();
    let names_no_file = text.is_empty()
        || text.ends_with(b"/")
        || text.ends_with(b"/.")
        || text == b"."
        || path.file_name().is_none();
    if names_no_file {
        return Err(WriteError::NoFileName {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Checks, without writing anything that stays, that [`write_secret_file`] could write `path`:
/// the target does not exist (unless `overwrite` is [`Overwrite::Replace`]) and is not a
/// directory, and its directory exists and a file can be created in it. A path ending with
/// `/` is refused ([`WriteError::NoFileName`]) even when no such directory exists.
pub fn check_writable(path: &Path, overwrite: Overwrite) -> Result<(), WriteError> {
    require_file_name(path)?;
    let io_error = |action, source| WriteError::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    match std::fs::symlink_metadata(path) {
        Ok(_) if path.is_dir() => {
            return Err(WriteError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        Ok(_) if overwrite == Overwrite::Refuse => {
            return Err(WriteError::Exists {
                path: path.to_path_buf(),
            });
        }
        Ok(_) => {}
        // Not there, or a parent is not a directory: the directory check below says which.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) => {}
        Err(e) => return Err(io_error(Action::Inspect, e)),
    }
    let dir = directory_of(path);
    if !dir.is_dir() {
        return Err(WriteError::NoDirectory {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
        });
    }
    // Creating (and at once removing) a temporary file proves the directory is writable.
    temporary_in(dir)
        .map(drop)
        .map_err(|e| io_error(Action::CreateTemporary, e))
}

fn temporary_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    // On Unix, tempfile creates the file with mode 0600 (O_EXCL), before any byte is written.
    tempfile::Builder::new()
        .prefix(".cdx-")
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Writes `contents` to `path` atomically, readable and writable by the owner only (0600).
///
/// The bytes go to a temporary file in the same directory, which is flushed, fsynced and then
/// renamed to `path` (with [`Overwrite::Refuse`], by a rename that fails if `path` exists, so a
/// file that appears meanwhile is not clobbered either). On any error the temporary file is
/// removed and an existing target is left untouched.
pub fn write_secret_file(
    path: &Path,
    contents: &[u8],
    overwrite: Overwrite,
) -> Result<(), WriteError> {
    let io_error = |action, source| WriteError::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    require_file_name(path)?;
    if path.is_dir() {
        return Err(WriteError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let dir = directory_of(path);
    if !dir.is_dir() {
        return Err(WriteError::NoDirectory {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
        });
    }
    let mut temporary = temporary_in(dir).map_err(|e| io_error(Action::CreateTemporary, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error(Action::Write, e))?;
    }
    // Dropping `temporary` on an error below deletes the file.
    temporary
        .write_all(contents)
        .and_then(|()| temporary.flush())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| io_error(Action::Write, e))?;
    let persisted = match overwrite {
        Overwrite::Refuse => temporary.persist_noclobber(path),
        Overwrite::Replace => temporary.persist(path),
    };
    // A failed persist hands the temporary file back inside the error; dropping it deletes it.
    persisted.map_err(|e| match e.error.kind() {
        io::ErrorKind::AlreadyExists if overwrite == Overwrite::Refuse => WriteError::Exists {
            path: path.to_path_buf(),
        },
        _ if path.is_dir() => WriteError::IsDirectory {
            path: path.to_path_buf(),
        },
        _ => io_error(Action::Rename, e.error),
    })?;
    // Make the rename itself durable; a failure here does not undo the write.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    #[cfg(unix)]
    fn new_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("client.properties");
        write_secret_file(&path, b"secret=1\n", Overwrite::Refuse).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"secret=1\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(entries(dir.path()), ["client.properties"]);
    }

    #[test]
    fn existing_files_are_kept_unless_overwrite_is_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("client.config");
        std::fs::write(&path, b"old").unwrap();
        let err = write_secret_file(&path, b"new", Overwrite::Refuse).unwrap_err();
        assert!(matches!(err, WriteError::Exists { .. }), "{err:?}");
        assert!(
            err.to_string()
                .ends_with("client.config: already exists (overwrite not requested)"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(
            entries(dir.path()),
            ["client.config"],
            "no temporary file left"
        );
        assert!(matches!(
            check_writable(&path, Overwrite::Refuse),
            Err(WriteError::Exists { .. })
        ));
    }

    #[test]
    #[cfg(unix)]
    fn overwrite_replaces_atomically_with_a_new_owner_only_file() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("client.json");
        std::fs::write(&path, b"old contents").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let old_inode = std::fs::metadata(&path).unwrap().ino();
        // A reader holding the old file keeps seeing the old contents: the file was replaced
        // by a rename, not rewritten in place.
        let old = std::fs::File::open(&path).unwrap();
        check_writable(&path, Overwrite::Replace).unwrap();
        write_secret_file(&path, b"new", Overwrite::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(mode(&path), 0o600);
        assert_ne!(std::fs::metadata(&path).unwrap().ino(), old_inode);
        assert_eq!(
            std::io::read_to_string(old).unwrap(),
            "old contents",
            "the old file was not truncated"
        );
        assert_eq!(entries(dir.path()), ["client.json"]);
    }

    #[test]
    fn a_missing_directory_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("client.ini");
        for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
            let err = check_writable(&path, overwrite).unwrap_err();
            assert!(matches!(err, WriteError::NoDirectory { .. }), "{err:?}");
            let err = write_secret_file(&path, b"x", overwrite).unwrap_err();
            assert!(matches!(err, WriteError::NoDirectory { .. }), "{err:?}");
            assert!(err.to_string().contains("does not exist"), "{err}");
        }
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_target_fails_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("client.properties");
        std::fs::create_dir(&target).unwrap();
        for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
            let err = write_secret_file(&target, b"x", overwrite).unwrap_err();
            assert!(matches!(err, WriteError::IsDirectory { .. }), "{err:?}");
            let err = check_writable(&target, overwrite).unwrap_err();
            assert!(matches!(err, WriteError::IsDirectory { .. }), "{err:?}");
        }
        assert_eq!(entries(dir.path()), ["client.properties"]);
        assert!(entries(&target).is_empty());
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        // A name too long for the file system passes the checks, but the rename fails after
        // the temporary file was written.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x".repeat(300));
        for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
            // The check catches it first, for root too (NAME_MAX is not a permission).
            let err = check_writable(&path, overwrite).unwrap_err();
            assert!(
                matches!(
                    err,
                    WriteError::Io {
                        action: Action::Inspect,
                        ..
                    }
                ),
                "{err:?}"
            );
            let err = write_secret_file(&path, b"secret", overwrite).unwrap_err();
            assert!(
                matches!(
                    err,
                    WriteError::Io {
                        action: Action::Rename,
                        ..
                    }
                ),
                "{err:?}"
            );
            assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
        }
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn an_unwritable_directory_is_reported_by_the_check() {
        // procfs accepts no new files from anyone: unlike a directory without write
        // permission, this fails for root too (CI runs as root).
        let path = Path::new("/proc/client.properties");
        for err in [
            check_writable(path, Overwrite::Refuse).unwrap_err(),
            write_secret_file(path, b"x", Overwrite::Refuse).unwrap_err(),
        ] {
            assert!(
                matches!(
                    err,
                    WriteError::Io {
                        action: Action::CreateTemporary,
                        ..
                    }
                ),
                "{err:?}"
            );
            assert!(err.to_string().contains("temporary file"), "{err}");
        }
        assert!(!path.exists());
    }

    #[test]
    fn a_parent_that_is_a_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("client.properties");
        std::fs::write(&file, b"old").unwrap();
        let path = file.join("client.ini");
        for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
            let err = check_writable(&path, overwrite).unwrap_err();
            assert!(matches!(err, WriteError::NoDirectory { .. }), "{err:?}");
            let err = write_secret_file(&path, b"x", overwrite).unwrap_err();
            assert!(matches!(err, WriteError::NoDirectory { .. }), "{err:?}");
        }
        assert_eq!(std::fs::read(&file).unwrap(), b"old");
        assert_eq!(entries(dir.path()), ["client.properties"]);
    }

    #[test]
    fn a_bare_file_name_means_the_current_directory() {
        assert_eq!(directory_of(Path::new("client.json")), Path::new("."));
        assert_eq!(directory_of(Path::new("a/client.json")), Path::new("a"));
    }
}
