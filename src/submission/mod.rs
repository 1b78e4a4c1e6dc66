//! Submission packages (镇街报送材料): what a town sends the district center — its new
//! dataset and the plan outputs of `gridkeeper plan` — as a folder or a `.zip`.
//!
//! A package may hold a `submission.toml` ([`SubmissionManifest`]) naming the town, the date
//! the center received it and where the dataset and the plan are. Without one, the dataset
//! is the folder holding a `dataset.toml` (the package itself or a folder inside it, at most
//! three levels down), and the plan is the folder holding `plan.md`, `plan.xlsx`,
//! `case_crosswalk.csv` or `grid_crosswalk.csv`. A `.zip` is extracted safely
//! ([`Limits`]) into a temporary folder that lives as long as the [`Package`].
//!
//! Every file the dataset's manifest names (layers, a profile folder) must lie inside the
//! package: a submission cannot make the center read its other files.

pub mod scope;
mod unzip;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::dataset::{self, parse_iso_date};
use crate::error::{Error, Expected, Problem, Result};
use crate::model::LayerKind;

/// The package manifest's file name.
pub const MANIFEST: &str = "submission.toml";

/// The plan files looked for, in the order they are preferred.
pub const PLAN_FILES: [&str; 4] = [
    "plan.md",
    "plan.xlsx",
    "case_crosswalk.csv",
    "grid_crosswalk.csv",
];

/// How deep inside a package the dataset and plan folders are looked for.
const SEARCH_DEPTH: usize = 3;

/// Limits on extracting a `.zip` package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most entries (files and folders) an archive may hold.
    pub max_entries: usize,
    /// The most bytes its files may expand to, together.
    pub max_bytes: u64,
}

impl Default for Limits {
    /// 10,000 entries and 4 GiB.
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_bytes: 4 << 30,
        }
    }
}

/// Why a package cannot be opened (the problem of an exit-2 error).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PackageFault {
    /// A zip entry whose path climbs out of the extraction folder (zip-slip).
    ZipEscapes {
        /// The entry's name.
        entry: String,
    },
    /// A zip entry with an absolute path.
    ZipAbsolute {
        /// The entry's name.
        entry: String,
    },
    /// A zip entry that is a symbolic link.
    ZipLink {
        /// The entry's name.
        entry: String,
    },
    /// A zip entry that is neither a file nor a folder (a device, a pipe).
    ZipSpecial {
        /// The entry's name.
        entry: String,
    },
    /// An encrypted zip entry.
    ZipEncrypted {
        /// The entry's name.
        entry: String,
    },
    /// A zip entry name that is empty or holds a NUL character.
    ZipBadName {
        /// The entry's name.
        entry: String,
    },
    /// Two zip entries with the same path.
    ZipDuplicate {
        /// The path.
        entry: String,
    },
    /// The zip's central directory lists one name twice (the zip library keeps one of them,
    /// and tools that list both would show the reviewer other data than was checked).
    ZipRepeatedName,
    /// More entries than the limit.
    ZipTooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The files expand to more bytes than the limit.
    ZipTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The archive cannot be read (the zip reader's words).
    ZipUnreadable {
        /// The reader's message.
        message: String,
    },
    /// The path is neither a folder nor a `.zip`.
    NotPackage,
    /// No dataset in the package.
    NoDataset,
    /// More than one dataset and no `submission.toml` saying which.
    ManyDatasets {
        /// The folders holding a `dataset.toml`, relative to the package.
        found: Vec<String>,
    },
    /// The dataset's manifest names a file or folder outside the package.
    OutsidePackage {
        /// The path named.
        path: String,
    },
    /// No received date: neither `--received` nor `received` in `submission.toml`.
    NoReceived,
}

/// `submission.toml`: who submitted, when it was received, where the parts are.
///
/// ```toml
/// town = "350582001"          # the town/street code (街道/镇, 9 digits)
/// name = "青阳街道"            # its name
/// received = 2026-05-20       # when the center received the package
/// dataset = "data"            # the dataset folder (with dataset.toml), relative to the package
/// plan = "plan"               # the folder of the plan outputs
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionManifest {
    /// The file it was read from; `None` when the package has none.
    pub path: Option<PathBuf>,
    /// The town/street code.
    pub town: Option<String>,
    /// The town's name.
    pub name: Option<String>,
    /// When the center received the package.
    pub received: Option<NaiveDate>,
    /// The dataset folder, relative to the package.
    pub dataset: Option<PathBuf>,
    /// The plan folder, relative to the package.
    pub plan: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestToml {
    town: Option<String>,
    name: Option<String>,
    received: Option<toml::Value>,
    dataset: Option<String>,
    plan: Option<String>,
}

/// Reads `submission.toml`.
pub fn read_manifest(path: &Path) -> Result<SubmissionManifest> {
    crate::io::atomic::note_input(path);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let raw: ManifestToml = toml::from_str(&text).map_err(|e| Error::Manifest {
        path: path.to_path_buf(),
        problem: Problem::Toml {
            message: e.to_string(),
        },
    })?;
    let bad = |key: &str, value: String, expected: Expected| Error::Manifest {
        path: path.to_path_buf(),
        problem: Problem::BadValue {
            key: key.to_string(),
            value,
            expected,
        },
    };
    let received = match &raw.received {
        None => None,
        Some(toml::Value::Datetime(d)) => Some(
            parse_iso_date(&d.to_string())
                .ok_or_else(|| bad("received", d.to_string(), Expected::Date))?,
        ),
        Some(toml::Value::String(s)) => {
            Some(parse_iso_date(s).ok_or_else(|| bad("received", s.clone(), Expected::Date))?)
        }
        Some(other) => return Err(bad("received", other.to_string(), Expected::Date)),
    };
    let text = |key: &str, v: Option<String>| -> Result<Option<String>> {
        match v.map(|s| s.trim().to_string()) {
            Some(s) if s.is_empty() => Err(bad(key, s, Expected::NonEmpty)),
            other => Ok(other),
        }
    };
    Ok(SubmissionManifest {
        path: Some(path.to_path_buf()),
        town: text("town", raw.town)?,
        name: text("name", raw.name)?,
        received,
        dataset: text("dataset", raw.dataset)?.map(PathBuf::from),
        plan: text("plan", raw.plan)?.map(PathBuf::from),
    })
}

/// An opened package: where its parts are.
#[derive(Debug)]
pub struct Package {
    /// The package as given (a folder or a `.zip`).
    pub source: PathBuf,
    /// The folder its files are in (the package folder, or where the zip was extracted;
    /// when everything lies in one top folder, that folder).
    pub root: PathBuf,
    /// Its `submission.toml`, or an empty one.
    pub manifest: SubmissionManifest,
    /// The dataset folder.
    pub dataset: PathBuf,
    /// The folder of the plan outputs, when the package has any.
    pub plan: Option<PathBuf>,
    /// The extraction folder of a zip, removed when the package is dropped.
    _extracted: Option<tempfile::TempDir>,
}

fn fault(path: &Path, f: PackageFault) -> Error {
    Error::Malformed {
        path: path.to_path_buf(),
        problem: Problem::Package(Box::new(f)),
    }
}

/// Sub-folders of `dir` in name order, without hidden ones and `__MACOSX`.
fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && n != "__MACOSX"
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Folders under `dir` (itself included, breadth first, in name order) for which `hit` holds.
fn find_folders(dir: &Path, hit: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut level = vec![dir.to_path_buf()];
    for _ in 0..=SEARCH_DEPTH {
        let mut next = Vec::new();
        for d in level {
            if hit(&d) {
                found.push(d.clone());
            }
            next.extend(subfolders(&d));
        }
        level = next;
    }
    found
}

impl Package {
    /// Opens a package folder, or extracts a `.zip` within `limits`.
    pub fn open(path: &Path, limits: &Limits) -> Result<Package> {
        if !path.exists() {
            return Err(Error::Missing {
                path: path.to_path_buf(),
                needed_by: None,
            });
        }
        let is_zip = path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        let (mut root, extracted) = if path.is_dir() {
            (path.to_path_buf(), None)
        } else if is_zip {
            let tmp = tempfile::Builder::new()
                .prefix("gridkeeper-submission-")
                .tempdir()
                .map_err(|e| Error::io(std::env::temp_dir(), e))?;
            unzip::extract(path, tmp.path(), limits)?;
            (tmp.path().to_path_buf(), Some(tmp))
        } else {
            return Err(fault(path, PackageFault::NotPackage));
        };
        // A zip of a folder: everything lies in one top folder.
        let top = subfolders(&root);
        let files = std::fs::read_dir(&root)
            .map_err(|e| Error::io(&root, e))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .count();
        if top.len() == 1 && files == 0 && !root.join(MANIFEST).exists() {
            root = top[0].clone();
        }
        root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
        let manifest = if root.join(MANIFEST).is_file() {
            read_manifest(&root.join(MANIFEST))?
        } else {
            SubmissionManifest::default()
        };
        let inside = |p: &Path| -> Result<PathBuf> {
            let full = root.join(p);
            match full.canonicalize() {
                Ok(c) if c.starts_with(&root) => Ok(c),
                Ok(_) => Err(fault(
                    path,
                    PackageFault::OutsidePackage {
                        path: p.display().to_string(),
                    },
                )),
                Err(_) => Err(Error::Missing {
                    path: full,
                    needed_by: manifest.path.clone(),
                }),
            }
        };
        let dataset = match &manifest.dataset {
            Some(d) => inside(d)?,
            None => {
                let with_manifest = find_folders(&root, &|d| d.join(dataset::MANIFEST).is_file());
                match with_manifest.len() {
                    1 => with_manifest[0].clone(),
                    0 if has_conventional_layers(&root) => root.clone(),
                    0 => return Err(fault(path, PackageFault::NoDataset)),
                    _ => {
                        let found = with_manifest.iter().map(|d| relative(&root, d)).collect();
                        return Err(fault(path, PackageFault::ManyDatasets { found }));
                    }
                }
            }
        };
        let plan = match &manifest.plan {
            Some(p) => Some(inside(p)?),
            None => find_folders(&root, &|d| PLAN_FILES.iter().any(|f| d.join(f).is_file()))
                .into_iter()
                .next(),
        };
        let package = Package {
            source: path.to_path_buf(),
            root,
            manifest,
            dataset,
            plan,
            _extracted: extracted,
        };
        package.check_dataset_paths()?;
        Ok(package)
    }

    /// A path inside the package as reports show it: relative to the package, `/`-separated.
    pub fn relative(&self, p: &Path) -> String {
        relative(&self.root, p)
    }

    /// The received date: `explicit` (the command line's), else the manifest's.
    pub fn received(&self, explicit: Option<NaiveDate>) -> Result<NaiveDate> {
        explicit
            .or(self.manifest.received)
            .ok_or_else(|| fault(&self.source, PackageFault::NoReceived))
    }

    /// Every file the dataset's manifest names (layers and their side files, a profile
    /// folder) lies inside the package.
    fn check_dataset_paths(&self) -> Result<()> {
        let path = self.dataset.join(dataset::MANIFEST);
        if !path.is_file() {
            return Ok(());
        }
        let m = dataset::read_manifest(&path)?;
        // (as the manifest writes it, the file) pairs.
        let mut named: Vec<(String, PathBuf)> = Vec::new();
        for entry in m.layers.values() {
            let written = entry.path.display().to_string();
            let (file, _) = crate::io::split_layer(&self.dataset.join(&entry.path));
            for f in crate::io::hash::layer_files(&file) {
                named.push((written.clone(), f));
            }
            named.push((written, file));
        }
        if let Some(p) = &m.profile {
            if !crate::schema::BUILTIN_NAMES.contains(&p.as_str()) {
                named.push((p.clone(), self.dataset.join(p)));
            }
        }
        for (written, p) in named {
            let Ok(c) = p.canonicalize() else { continue };
            if !c.starts_with(&self.root) {
                return Err(fault(
                    &self.source,
                    PackageFault::OutsidePackage { path: written },
                ));
            }
        }
        Ok(())
    }
}

fn has_conventional_layers(dir: &Path) -> bool {
    dataset::conventional_layers(dir).is_ok_and(|l| l.contains_key(LayerKind::Grids.name()))
}

fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}
