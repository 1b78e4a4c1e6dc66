//! Outputs written whole or not at all: a temporary file in the target folder, then a rename.
//!
//! Inside [`all_or_nothing`] the renames wait until the whole run has succeeded: a command
//! that fails halfway (exit code 2) leaves every output of an earlier run as it was, and no
//! temporary file behind. A run killed outright (`SIGKILL`) cannot clean up: its
//! `.NAME.PID.tmp-gk` files are removed by the next run that writes into their folder, once
//! their process is gone (on Linux).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Problem, Result};

/// The files read by the [`all_or_nothing`] runs going on (by canonical path), with the
/// number of such runs: an output that would replace one of them is refused. Shared by all
/// threads, since inputs are read on rayon's.
static READ: Mutex<(usize, BTreeSet<PathBuf>)> = Mutex::new((0, BTreeSet::new()));

/// Notes that `path` is an input of the run going on, so that no output of the run may
/// replace it (outside [`all_or_nothing`] it does nothing). Every reader calls it.
pub fn note_input(path: impl AsRef<Path>) {
    let Ok(mut read) = READ.lock() else { return };
    if read.0 == 0 {
        return;
    }
    let path = path.as_ref();
    if let Ok(canonical) = path.canonicalize() {
        read.1.insert(canonical);
    }
    // A symbolic link read is replaced, not followed, by an output renamed onto it: its own
    // place is noted too.
    if let Some(place) = place_of(path) {
        read.1.insert(place);
    }
}

/// Where a rename onto `path` lands: its canonical folder and its own name (a symbolic link
/// in that place is replaced, not followed). `None` when the folder does not exist.
fn place_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    Some(super::folder_of(path).canonicalize().ok()?.join(name))
}

/// Refuses an output that would replace an input of the run going on.
fn not_an_input(path: &Path) -> Result<()> {
    let Some(target) = place_of(path) else {
        return Ok(());
    };
    let read = READ
        .lock()
        .map_err(|_| Error::io(path, std::io::Error::other("lock")))?;
    if read.1.contains(&target) {
        return Err(Error::Usage {
            problem: Problem::OutputIsInput {
                path: path.display().to_string(),
            },
        });
    }
    Ok(())
}

/// Counts a run in [`READ`] while it lives.
struct Reading;

impl Reading {
    fn start() -> Reading {
        if let Ok(mut read) = READ.lock() {
            read.0 += 1;
        }
        Reading
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Ok(mut read) = READ.lock() {
            read.0 = read.0.saturating_sub(1);
            if read.0 == 0 {
                read.1.clear();
            }
        }
    }
}

/// An output written by the [`all_or_nothing`] run going on, waiting for its rename.
struct Staged {
    /// The finished temporary file.
    tmp: PathBuf,
    /// The output as given.
    path: PathBuf,
    /// Where the rename lands ([`place_of`]): two spellings of one file are one output.
    place: Option<PathBuf>,
}

impl Staged {
    fn is(&self, path: &Path, place: Option<&Path>) -> bool {
        match (self.place.as_deref(), place) {
            (Some(a), Some(b)) => a == b,
            _ => self.path == path,
        }
    }
}

thread_local! {
    /// The outputs written so far by the [`all_or_nothing`] run on this thread; `None`
    /// outside such a run.
    static STAGED: RefCell<Option<Vec<Staged>>> = const { RefCell::new(None) };
    /// The files of an earlier run that this run removes when it has succeeded
    /// ([`remove_output`]).
    static DROPPED: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
    /// The folders [`create_dir`] made during that run, deepest first: removed again (when
    /// still empty) if the run fails.
    static CREATED: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
}

/// Runs `run`, holding back the renames of every output it writes (on this thread) until
/// it returns `Ok`; then puts them all in place. When it fails (or panics), the temporary
/// files are removed, the folders the run created are removed again when empty, and every
/// existing output is left as it was. Nested calls join the outer run.
///
/// ```
/// use gridkeeper::io::atomic;
/// let dir = tempfile::tempdir()?;
/// let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
/// atomic::write_bytes(&a, b"old a")?;
/// let failed: gridkeeper::Result<()> = atomic::all_or_nothing(|| {
///     atomic::write_bytes(&a, b"new a")?;
///     atomic::write_bytes(&b, b"new b")?;
///     atomic::write_bytes(dir.path(), b"a folder is no file") // fails
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read(&a)?, b"old a");
/// assert!(!b.exists());
/// assert_eq!(std::fs::read_dir(dir.path())?.count(), 1); // no temporary file left
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn all_or_nothing<T>(run: impl FnOnce() -> Result<T>) -> Result<T> {
    if STAGED.with(|s| s.borrow().is_some()) {
        return run();
    }
    STAGED.with(|s| *s.borrow_mut() = Some(Vec::new()));
    // Clears the staging on every way out, panics included, removing what was not committed.
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            for staged in STAGED.with(|s| s.borrow_mut().take()).unwrap_or_default() {
                let _ = std::fs::remove_file(staged.tmp);
            }
            DROPPED.with(|d| d.borrow_mut().clear());
            for dir in CREATED.with(|c| std::mem::take(&mut *c.borrow_mut())) {
                let _ = std::fs::remove_dir(dir); // only an empty folder goes
            }
        }
    }
    CREATED.with(|c| c.borrow_mut().clear());
    DROPPED.with(|d| d.borrow_mut().clear());
    let guard = Guard;
    let _reading = Reading::start();
    let value = run()?;
    let staged = STAGED.with(|s| s.borrow_mut().take()).unwrap_or_default();
    let dropped = DROPPED.with(|d| std::mem::take(&mut *d.borrow_mut()));
    CREATED.with(|c| c.borrow_mut().clear());
    drop(guard);
    let mut pending = staged.iter();
    while let Some(Staged { tmp, path, .. }) = pending.next() {
        if let Err(e) = std::fs::rename(tmp, path) {
            let _ = std::fs::remove_file(tmp);
            for rest in pending {
                let _ = std::fs::remove_file(&rest.tmp);
            }
            return Err(Error::io(path, e));
        }
    }
    // The outputs are in place: a stale file that cannot be removed stays, and the run
    // still succeeded.
    for path in dropped {
        let place = place_of(&path);
        if !staged.iter().any(|s| s.is(&path, place.as_deref())) {
            let _ = std::fs::remove_file(&path);
        }
    }
    Ok(value)
}

/// Removes `path`, an output an earlier run left that this one does not write (a crosswalk
/// of a layer no longer compared): at once, or inside [`all_or_nothing`] once the run has
/// succeeded and its outputs are in place. Only a file or a symbolic link goes (the link
/// itself); a folder, a missing path and an input of the run are left alone, and so is a
/// file that cannot be removed then (the run has succeeded).
///
/// ```
/// use gridkeeper::io::atomic;
/// let dir = tempfile::tempdir()?;
/// let (kept, stale) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
/// std::fs::write(&stale, "last run's")?;
/// let failed: gridkeeper::Result<()> = atomic::all_or_nothing(|| {
///     atomic::write_bytes(&kept, b"new")?;
///     atomic::remove_output(&stale)?;
///     atomic::write_bytes(dir.path(), b"a folder is no file") // fails
/// });
/// assert!(failed.is_err());
/// assert!(stale.exists()); // a failed run removes nothing
/// atomic::all_or_nothing(|| {
///     atomic::write_bytes(&kept, b"new")?;
///     atomic::remove_output(&stale)
/// })?;
/// assert!(!stale.exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn remove_output(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if meta.is_dir() || not_an_input(path).is_err() {
        return Ok(());
    }
    if STAGED.with(|s| s.borrow().is_some()) {
        DROPPED.with(|d| d.borrow_mut().push(path.to_path_buf()));
        return Ok(());
    }
    // One already gone is no error.
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// Puts the finished temporary file `tmp` in place as `path`: now, or inside
/// [`all_or_nothing`] when the run has succeeded. For writers that make their own
/// temporary file (GDAL's GeoPackage driver); `tmp` must be in `path`'s folder.
pub fn put_in_place(tmp: &Path, path: &Path) -> Result<()> {
    sweep_stale_once(path);
    if path.is_dir() {
        let _ = std::fs::remove_file(tmp);
        return Err(Error::io(path, is_a_folder()));
    }
    if let Err(e) = not_an_input(path) {
        let _ = std::fs::remove_file(tmp);
        return Err(e);
    }
    if let Err(e) = not_yet_written(path) {
        // A temporary file of the same name is the staged output's own.
        if !STAGED.with(|s| {
            s.borrow()
                .as_ref()
                .is_some_and(|l| l.iter().any(|s| s.tmp == tmp))
        }) {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    let staged = STAGED.with(|s| match s.borrow_mut().as_mut() {
        Some(list) => {
            list.push(Staged {
                tmp: tmp.to_path_buf(),
                path: path.to_path_buf(),
                place: place_of(path),
            });
            true
        }
        None => false,
    });
    if staged {
        return Ok(());
    }
    std::fs::rename(tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        Error::io(path, e)
    })
}

/// Refuses a second output of the [`all_or_nothing`] run going on onto one file, however
/// spelled (`r.json` and `./r.json`).
fn not_yet_written(path: &Path) -> Result<()> {
    let place = place_of(path);
    let twice = STAGED.with(|s| {
        s.borrow()
            .as_ref()
            .is_some_and(|l| l.iter().any(|s| s.is(path, place.as_deref())))
    });
    if twice {
        return Err(Error::Usage {
            problem: Problem::OutputTwice {
                path: path.display().to_string(),
            },
        });
    }
    Ok(())
}

fn is_a_folder() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder")
}

/// The temporary name used while `path` is being written (same folder, so the rename
/// cannot cross file systems).
fn temp_path(path: &Path) -> PathBuf {
    temp_path_with(path, None)
}

/// The extensions a temporary file may carry after `.tmp-gk`: those of the writers that
/// insist on one (GDAL's GeoPackage driver).
const TEMP_EXTENSIONS: [&str; 1] = ["gpkg"];

/// [`temp_path`] for a writer that wants the file to end in `.EXTENSION` (one of
/// `TEMP_EXTENSIONS`: GDAL's GeoPackage driver): `.NAME.PID.tmp-gk.EXTENSION`, swept like the
/// others when its run was killed.
pub fn temp_path_with(path: &Path, extension: Option<&str>) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = extension.map(|e| format!(".{e}")).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp-gk{ext}", std::process::id()))
}

/// The folders whose stale temporary files this process has already swept.
static SWEPT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Before the first write of this process into `path`'s folder: [`sweep_stale`] there.
fn sweep_stale_once(path: &Path) {
    let dir = super::folder_of(path);
    let first = match SWEPT.lock() {
        Ok(mut swept) if !swept.iter().any(|d| d == dir) => {
            swept.push(dir.to_path_buf());
            true
        }
        _ => false,
    };
    if first {
        sweep_stale(dir);
    }
}

/// The process id in the name of a temporary file of [`temp_path_with`]'s form,
/// `.NAME.PID.tmp-gk` or `.NAME.PID.tmp-gk.EXT` (NAME not empty, PID all digits, EXT one
/// of [`TEMP_EXTENSIONS`]); `None` for any other name.
fn temp_file_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let rest = match rest.rsplit_once(".tmp-gk") {
        Some((head, "")) => head,
        Some((head, ext))
            if TEMP_EXTENSIONS
                .iter()
                .any(|e| ext.strip_prefix('.') == Some(e)) =>
        {
            head
        }
        _ => return None,
    };
    let (name, pid) = rest.rsplit_once('.')?;
    if name.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // as temp_path writes it: no sign, no leading zero, not 0
    pid.parse()
        .ok()
        .filter(|&p: &u32| p > 0 && p.to_string() == pid)
}

/// Removes from `dir` the temporary files (`.NAME.PID.tmp-gk`, also with an extension after
/// it; regular files only) left by
/// a gridkeeper run that was killed before it could clean up (`SIGKILL`, a power cut):
/// those whose PID is no running process. On Linux a process is running while
/// `/proc/PID` exists (a zombie counts as running); this process's own files, any other
/// name, and everything when `/proc` is not mounted are left alone. On other systems
/// nothing is removed: there is no way without `unsafe` code to ask whether a process
/// lives. A PID is judged on this machine, in this process's PID namespace: in a folder
/// shared with another machine or container, a file of a gridkeeper running there looks
/// stale (removing it makes that run fail with exit 2, its earlier outputs intact).
/// Errors are ignored: the sweep is tidying, never a reason to fail a write.
#[cfg(target_os = "linux")]
fn sweep_stale(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        // symlinks and folders are no temporary file of ours
        if pid == me || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn sweep_stale(_dir: &Path) {}

/// Writes `path` through `fill`: the bytes go to a temporary file that replaces `path`
/// only when `fill` succeeded and the data reached the disk (inside [`all_or_nothing`]:
/// when the whole run has succeeded). On failure the temporary file is removed and an
/// existing `path` is left as it was; a `path` that is a folder is refused. The first
/// write of a process into a folder removes there the temporary files of killed runs
/// (on Linux; see `sweep_stale`).
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
    if path.is_dir() {
        return Err(Error::io(path, is_a_folder()));
    }
    not_an_input(path)?;
    not_yet_written(path)?;
    sweep_stale_once(path);
    let tmp = temp_path(path);
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        w.flush()?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_data()
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    put_in_place(&tmp, path)
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Creates a folder and its parents; inside [`all_or_nothing`], a run that fails removes
/// the folders it created again (when they are still empty).
pub fn create_dir(path: &Path) -> Result<()> {
    let missing: Vec<PathBuf> = path
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .map(Path::to_path_buf)
        .collect();
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
    if STAGED.with(|s| s.borrow().is_some()) {
        CREATED.with(|c| c.borrow_mut().extend(missing));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that fails takes back the folders it made for its outputs, and only those.
    #[test]
    fn a_failed_run_removes_the_folders_it_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("a").join("b");
        let failed: Result<()> = all_or_nothing(|| {
            create_dir(&out)?;
            write_bytes(&out.join("x.txt"), b"x")?;
            Err(Error::io(&out, std::io::Error::other("halfway")))
        });
        assert!(failed.is_err());
        assert!(!dir.path().join("a").exists());
        assert!(dir.path().exists());

        // A folder that was there before stays, and so does one that got a file meanwhile.
        let kept = dir.path().join("kept");
        std::fs::create_dir(&kept).expect("mkdir");
        let failed: Result<()> = all_or_nothing(|| {
            create_dir(&kept.join("new"))?;
            std::fs::write(kept.join("new").join("mine.txt"), "mine").expect("write");
            create_dir(&kept.join("empty"))?;
            Err(Error::io(&kept, std::io::Error::other("halfway")))
        });
        assert!(failed.is_err());
        assert!(kept.join("new").join("mine.txt").exists());
        assert!(!kept.join("empty").exists());

        // A run that succeeds keeps its folders and files.
        let done = dir.path().join("done").join("deep");
        all_or_nothing(|| {
            create_dir(&done)?;
            write_bytes(&done.join("y.txt"), b"y")
        })
        .expect("run");
        assert_eq!(std::fs::read(done.join("y.txt")).expect("read"), b"y");
    }

    #[test]
    fn temp_file_names_are_recognised_exactly() {
        assert_eq!(temp_file_pid(".plan.md.1234.tmp-gk"), Some(1234));
        assert_eq!(temp_file_pid(".x.7.tmp-gk"), Some(7));
        assert_eq!(temp_file_pid(".changes.gpkg.42.tmp-gk.gpkg"), Some(42));
        let p = temp_path_with(Path::new("out/changes.gpkg"), Some("gpkg"));
        let name = p.file_name().and_then(|n| n.to_str()).expect("name");
        assert_eq!(temp_file_pid(name), Some(std::process::id()));
        assert_eq!(p.parent(), Some(Path::new("out")));
        for other in [
            "plan.md.1234.tmp-gk",  // no leading dot
            "..1234.tmp-gk",        // no name
            ".plan.md.tmp-gk",      // no pid
            ".plan.md.12a4.tmp-gk", // not a pid
            ".plan.md.-1.tmp-gk",
            ".plan.md.1234.tmp-gk.bak", // only the writers' own extensions
            ".plan.md.1234.tmp-gk.",
            ".plan.md.1234.tmp-gk.gpkg.bak",
            ".plan.md.1234.tmp-gkx",
            ".plan.md.tmp-1234.gpkg",
            ".plan.md.99999999999.tmp-gk", // past u32
            ".plan.md.01234.tmp-gk",       // not as written
            ".plan.md.0.tmp-gk",
        ] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
    }

    /// The first write into a folder removes the temporary files of killed runs there
    /// (their process is gone) and nothing else.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_removes_stale_temporary_files_of_dead_processes_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        // a process that has ended (and been reaped): its pid names no running process
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let dead = child.id();
        child.wait().expect("wait");
        assert!(!Path::new("/proc").join(dead.to_string()).exists());
        // another process still running (another gridkeeper writing into the folder)
        let mut live = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("spawn");
        let me = std::process::id();
        let stale = dir.path().join(format!(".plan.md.{dead}.tmp-gk"));
        let stale_gpkg = dir.path().join(format!(".changes.gpkg.{dead}.tmp-gk.gpkg"));
        let mine = dir.path().join(format!(".plan.md.{me}.tmp-gk"));
        let theirs = dir.path().join(format!(".plan.md.{}.tmp-gk", live.id()));
        let others = [
            format!("plan.md.{dead}.tmp-gk"),
            format!(".plan.md.{dead}.tmp-gk.bak"),
            format!(".plan.md.{dead}x.tmp-gk"),
            format!(".plan.md.tmp-{dead}.gpkg"),
            format!(".plan.md.{dead}.tmp-gkx"),
        ];
        for p in [&stale, &stale_gpkg, &mine, &theirs] {
            std::fs::write(p, "half").expect("write");
        }
        for o in &others {
            std::fs::write(dir.path().join(o), "keep").expect("write");
        }
        // a folder of the stale form is no temporary file of ours
        let folder = dir.path().join(format!(".dir.{dead}.tmp-gk"));
        std::fs::create_dir(&folder).expect("mkdir");

        let written = write_bytes(&dir.path().join("cases.csv"), b"x");
        let _ = live.kill();
        let _ = live.wait();
        written.expect("write");
        assert!(!stale.exists());
        assert!(!stale_gpkg.exists());
        assert!(mine.exists());
        assert!(theirs.exists());
        assert!(folder.is_dir());
        for o in &others {
            assert!(dir.path().join(o).exists(), "{o}");
        }
        assert_eq!(
            std::fs::read(dir.path().join("cases.csv")).expect("read"),
            b"x"
        );
    }
}
