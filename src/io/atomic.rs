//! Outputs written whole or not at all: a temporary file in the target folder, then a rename.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The temporary name used while `path` is being written (same folder, so the rename
/// cannot cross file systems).
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp-gk", std::process::id()))
}

/// Writes `path` through `fill`: the bytes go to a temporary file that replaces `path`
/// only when `fill` succeeded and the data reached the disk. On failure the temporary
/// file is removed and an existing `path` is left as it was.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let p = dir.path().join("out.txt");
/// gridkeeper::io::atomic::write_with(&p, |w| {
///     use std::io::Write;
///     w.write_all(b"done")
/// })?;
/// assert_eq!(std::fs::read(&p)?, b"done");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        w.flush()?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_data()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Creates a folder and its parents.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}
