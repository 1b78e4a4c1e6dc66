//! Safe extraction of a submission `.zip` into a fresh folder.
//!
//! Nothing is written until every entry has been looked at: an entry whose name is absolute
//! (`/etc/x`, `C:\x`) or climbs out of the folder (`../x`, `a/../../x`, zip-slip), a symbolic
//! link or other special file, an encrypted entry, more entries than the limit, or declared
//! sizes that add up past the limit refuse the whole archive. While extracting, the bytes
//! really written are counted too (a header may lie about its size). Names that are not UTF-8
//! are read as GB18030, as Chinese Windows zip tools write them.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::{Limits, PackageFault};
use crate::error::{Error, Problem, Result};

/// Unix file-type bits of an entry's mode.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

fn refuse(zip: &Path, fault: PackageFault) -> Error {
    Error::Malformed {
        path: zip.to_path_buf(),
        problem: Problem::Package(Box::new(fault)),
    }
}

/// An entry's name as text: UTF-8 when it is, else GB18030.
fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

/// The relative path an entry name stands for; `Ok(None)` for the archive's root itself.
///
/// ```text
/// "data/grids.shp"     → data/grids.shp
/// "a/../b.csv"         → b.csv
/// "../../etc/passwd"   → escapes
/// "/etc/passwd"        → absolute
/// ```
pub(super) fn safe_path(name: &str) -> std::result::Result<Option<PathBuf>, PackageFault> {
    let entry = name.to_string();
    if name.is_empty() || name.contains('\0') {
        return Err(PackageFault::ZipBadName { entry });
    }
    let norm = name.replace('\\', "/");
    let b = norm.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if norm.starts_with('/') || drive {
        return Err(PackageFault::ZipAbsolute { entry });
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in norm.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PackageFault::ZipEscapes { entry });
                }
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(parts.iter().collect()))
}

/// Extracts `zip` into the existing, empty folder `to`.
pub(super) fn extract(zip: &Path, to: &Path, limits: &Limits) -> Result<()> {
    crate::io::atomic::note_input(zip);
    let file = File::open(zip).map_err(|e| Error::io(zip, e))?;
    let unreadable = |e: zip::result::ZipError| {
        refuse(
            zip,
            PackageFault::ZipUnreadable {
                message: e.to_string(),
            },
        )
    };
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(unreadable)?;
    // The library keys entries by name: of two with one name, only one would be extracted.
    if archive.has_duplicate_names() {
        return Err(refuse(zip, PackageFault::ZipRepeatedName));
    }
    let count = archive.len();
    if count > limits.max_entries {
        return Err(refuse(
            zip,
            PackageFault::ZipTooManyEntries {
                count,
                limit: limits.max_entries,
            },
        ));
    }
    let too_large = || {
        refuse(
            zip,
            PackageFault::ZipTooLarge {
                limit: limits.max_bytes,
            },
        )
    };
    // First pass: every name, kind and declared size, before anything is written.
    let mut entries: Vec<(usize, PathBuf, bool)> = Vec::with_capacity(count);
    let mut declared: u64 = 0;
    for i in 0..count {
        let e = archive.by_index_raw(i).map_err(unreadable)?;
        let name = decode_name(e.name_raw());
        let kind = e.unix_mode().map(|m| m & S_IFMT).unwrap_or(0);
        if e.is_symlink() {
            return Err(refuse(zip, PackageFault::ZipLink { entry: name }));
        }
        if kind != 0 && kind != S_IFREG && kind != S_IFDIR {
            return Err(refuse(zip, PackageFault::ZipSpecial { entry: name }));
        }
        if e.encrypted() {
            return Err(refuse(zip, PackageFault::ZipEncrypted { entry: name }));
        }
        let rel = safe_path(&name).map_err(|f| refuse(zip, f))?;
        declared = declared.saturating_add(e.size());
        if declared > limits.max_bytes {
            return Err(too_large());
        }
        if let Some(rel) = rel {
            entries.push((i, rel, e.is_dir() || kind == S_IFDIR));
        }
    }
    // Second pass: extract, counting the bytes really written.
    let mut written: u64 = 0;
    for (i, rel, dir) in entries {
        let target = to.join(&rel);
        if dir {
            std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut out = match File::create_new(&target) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(refuse(
                    zip,
                    PackageFault::ZipDuplicate {
                        entry: rel.display().to_string(),
                    },
                ))
            }
            Err(e) => return Err(Error::io(&target, e)),
        };
        let mut entry = archive.by_index(i).map_err(unreadable)?;
        let budget = limits.max_bytes - written;
        let n = std::io::copy(&mut (&mut entry).take(budget.saturating_add(1)), &mut out).map_err(
            |e| {
                refuse(
                    zip,
                    PackageFault::ZipUnreadable {
                        message: e.to_string(),
                    },
                )
            },
        )?;
        written += n;
        if written > limits.max_bytes {
            return Err(too_large());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        let ok = |n: &str| safe_path(n).ok().flatten().map(|p| p.display().to_string());
        assert_eq!(ok("data/grids.shp").as_deref(), Some("data/grids.shp"));
        assert_eq!(ok("a/../b.csv").as_deref(), Some("b.csv"));
        assert_eq!(ok("./x/./y").as_deref(), Some("x/y"));
        assert_eq!(safe_path("./").ok(), Some(None));
        assert!(matches!(
            safe_path("../x"),
            Err(PackageFault::ZipEscapes { .. })
        ));
        assert!(matches!(
            safe_path("a/../../x"),
            Err(PackageFault::ZipEscapes { .. })
        ));
        assert!(matches!(
            safe_path("..\\..\\x"),
            Err(PackageFault::ZipEscapes { .. })
        ));
        assert!(matches!(
            safe_path("/etc/passwd"),
            Err(PackageFault::ZipAbsolute { .. })
        ));
        assert!(matches!(
            safe_path("C:\\x.txt"),
            Err(PackageFault::ZipAbsolute { .. })
        ));
        assert!(matches!(
            safe_path("a\0b"),
            Err(PackageFault::ZipBadName { .. })
        ));
    }

    #[test]
    fn gbk_names_are_decoded() {
        let (raw, _, _) = encoding_rs::GBK.encode("单元网格.shp");
        assert_eq!(decode_name(&raw), "单元网格.shp");
        assert_eq!(decode_name("部件.shp".as_bytes()), "部件.shp");
    }
}
