//! The input files of a run (输入文件) and their SHA-256s, for run.json.
//!
//! `plan` hashes a gigabyte of input at city scale. The files a dataset's manifest names are
//! known before its layers are read, so they are hashed on whichever core the reading leaves
//! idle (the smaller version is read long before the larger one and its cases). The list
//! that counts is still the loaded dataset's ([`dataset_inputs`]); a file hashed early is
//! taken from the early hashes, any other is hashed then.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gridkeeper::dataset;
use gridkeeper::io::hash::{layer_files, sha256_file};
use gridkeeper::report::json::Input;
use gridkeeper::{Dataset, Result};
use rayon::prelude::*;

/// Files hashed ahead of need, by path: a file that could not be read is left out (and
/// hashed again when it is needed, which gives the error).
#[derive(Debug, Default)]
pub struct Hashed(HashMap<PathBuf, Input>);

impl Hashed {
    /// Hashes `files` in parallel.
    pub fn files(files: &[PathBuf]) -> Hashed {
        Hashed(
            files
                .par_iter()
                .filter_map(|f| Some((f.clone(), input(f).ok()?)))
                .collect(),
        )
    }

    /// The inputs of `files`, in order: from the early hashes where there is one, else
    /// hashed now (in parallel; the first file that cannot be read is the error).
    pub fn inputs(&self, files: &[PathBuf]) -> Result<Vec<Input>> {
        let hashed: Vec<Result<Input>> = files
            .par_iter()
            .map(|f| match self.0.get(f) {
                Some(i) => Ok(i.clone()),
                None => input(f),
            })
            .collect();
        hashed.into_iter().collect()
    }
}

fn input(f: &Path) -> Result<Input> {
    let (sha256, bytes) = sha256_file(f)?;
    Ok(Input {
        path: f.display().to_string(),
        sha256,
        bytes,
    })
}

/// The files a dataset folder names — its manifest and its layers' files, or the layers
/// found by conventional names — without reading any layer. A guess made before loading,
/// to hash while the layers are read; whatever it gets wrong is hashed later.
pub fn named_files(dir: &Path) -> Vec<PathBuf> {
    let manifest = dir.join(dataset::MANIFEST);
    let (mut files, layers) = if manifest.is_file() {
        let layers = dataset::read_manifest(&manifest).map(|m| m.layers);
        (vec![manifest], layers)
    } else {
        (Vec::new(), dataset::conventional_layers(dir))
    };
    for entry in layers.unwrap_or_default().values() {
        files.extend(layer_files(&dir.join(&entry.path)));
    }
    files
}

/// The input files of a loaded dataset, in order: its manifest, then each layer's files in
/// layer order.
pub fn dataset_files(ds: &Dataset) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(m) = &ds.manifest.path {
        files.push(m.clone());
    }
    for l in ds.layers.values() {
        files.extend(layer_files(&l.layer.source));
    }
    files
}

/// The input files of a dataset (its manifest and every layer's files) with their SHA-256s.
pub fn dataset_inputs(ds: &Dataset) -> Result<Vec<Input>> {
    Hashed::default().inputs(&dataset_files(ds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_hashes_are_used_and_the_rest_hashed_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "abc").expect("write a");
        std::fs::write(&b, "").expect("write b");
        let missing = dir.path().join("missing.csv");
        let early = Hashed::files(&[a.clone(), missing.clone()]);
        assert_eq!(early.0.len(), 1, "the missing file is left out");
        // Changed after the early hash: the early hash is the one used.
        std::fs::write(&a, "changed").expect("rewrite a");
        let got = early.inputs(&[b.clone(), a.clone()]).expect("inputs");
        let sums: Vec<(&str, u64)> = got.iter().map(|i| (i.sha256.as_str(), i.bytes)).collect();
        assert_eq!(
            sums,
            [
                (
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    0
                ),
                (
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    3
                ),
            ]
        );
        let err = early.inputs(&[a, missing.clone()]).expect_err("missing");
        assert!(err.to_string().contains("missing.csv"), "{err}");
    }
}
