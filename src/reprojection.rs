//! Datasets in one CRS (统一坐标系): the manifest's CRS settings applied to a dataset's
//! layers (a layer's own `crs`, the datum parameters `towgs84`), `--reproject`, and
//! [`Dataset::reprojected`], which `diff` uses to bring last year's version into this
//! year's CRS.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::error::{Error, Problem, Result, TransformFault};
use crate::io::crs::{Crs, CrsSource};
use crate::io::reproject::{Towgs84, Transform};
use crate::io::Layer;
use crate::model::{BoundLayer, Dataset, LayerKind};

/// The command line's CRS settings for loading a dataset.
#[derive(Debug, Clone, Default)]
pub struct CrsOptions {
    /// The CRS every layer must be in, overriding the manifest's `crs` (`--crs`).
    pub crs: Option<String>,
    /// Transform layers in another CRS to it before checking (`--reproject`); the
    /// manifest's `reproject = true` does the same.
    pub reproject: bool,
    /// The city's datum parameters, overriding the manifest's `towgs84` (`--towgs84`).
    pub towgs84: Option<Towgs84>,
}

/// The error for a transformation of `layer` that cannot be done, attached to the manifest
/// when there is one.
fn reproject_error(
    manifest: Option<&PathBuf>,
    layer: Option<String>,
    from: &Crs,
    to: &Crs,
    fault: TransformFault,
) -> Error {
    let problem = Problem::Reproject {
        layer,
        from: from.label(),
        to: to.label(),
        fault: Box::new(fault),
    };
    match manifest {
        Some(path) => Error::Manifest {
            path: path.clone(),
            problem,
        },
        None => Error::Usage { problem },
    }
}

/// `grids (grids.shp)`: how errors name a layer.
fn layer_name(kind: LayerKind, bound: &BoundLayer) -> String {
    match bound.layer.source.file_name() {
        Some(f) => format!("{} ({})", kind.name(), f.to_string_lossy()),
        None => kind.name().to_string(),
    }
}

/// Applies the CRS settings of the manifest and the command line to a freshly loaded
/// dataset: `--crs` and `--towgs84` replace the manifest's `crs` and `towgs84`; a layer's own
/// `crs` in the manifest replaces what its file states; datum parameters are attached to
/// every CRS on a datum that needs them; and with `reproject` (either side) every layer in
/// another CRS than the manifest's is transformed to it (a layer with no CRS is taken to be
/// in the manifest's). Fails (exit 2) when `--crs` is no CRS, when reprojection is asked for
/// without a CRS to go to, or when a layer cannot be transformed.
pub fn settle(ds: &mut Dataset, options: &CrsOptions) -> Result<()> {
    if let Some(text) = &options.crs {
        let c = Crs::parse(text, CrsSource::Manifest);
        if c.epsg.is_none() && c.definition().is_none() {
            return Err(Error::Usage {
                problem: Problem::Reproject {
                    layer: None,
                    from: "--crs".into(),
                    to: c.label(),
                    fault: Box::new(TransformFault::Unrecognised { crs: c.label() }),
                },
            });
        }
        ds.manifest.crs = Some(text.clone());
    }
    if options.towgs84.is_some() {
        ds.manifest.towgs84 = options.towgs84;
    }
    let top = ds.manifest.towgs84;
    for (kind, bound) in ds.layers.iter_mut() {
        let entry = ds.manifest.layers.get(kind.name());
        if let Some(text) = entry.and_then(|e| e.crs.as_deref()) {
            bound.layer.crs = Some(Crs::parse(text, CrsSource::Manifest));
        }
        let params = entry.and_then(|e| e.towgs84).or(top);
        if let Some(c) = bound.layer.crs.take() {
            bound.layer.crs = Some(c.with_towgs84(params));
        }
    }
    if !(options.reproject || ds.manifest.reproject) {
        return Ok(());
    }
    let manifest = ds.manifest.path.clone();
    let Some(target) = ds.crs() else {
        let any = Crs::parse("-", CrsSource::Manifest);
        return Err(reproject_error(
            manifest.as_ref(),
            None,
            &any,
            &any,
            TransformFault::NoTarget,
        ));
    };
    if target.definition().is_none() {
        return Err(reproject_error(
            manifest.as_ref(),
            None,
            &target,
            &target,
            TransformFault::Unrecognised {
                crs: target.label(),
            },
        ));
    }
    for (kind, bound) in ds.layers.iter_mut() {
        let Some(from) = bound.layer.crs.clone() else {
            continue;
        };
        if from.same_as(&target) == Some(true) {
            continue;
        }
        let name = layer_name(*kind, bound);
        let fail = |f| reproject_error(manifest.as_ref(), Some(name.clone()), &from, &target, f);
        let t = Transform::new(&from, &target).map_err(fail)?;
        bound.layer = t.layer(&bound.layer, &target).map_err(fail)?;
    }
    Ok(())
}

impl Dataset {
    /// The dataset's CRS: the manifest's `crs` with its datum parameters.
    pub fn crs(&self) -> Option<Crs> {
        let text = self.manifest.crs.as_deref()?;
        Some(Crs::parse(text, CrsSource::Manifest).with_towgs84(self.manifest.towgs84))
    }

    /// The CRS a layer's coordinates are in: its own, else (none, or one gridkeeper cannot
    /// transform, which `validate` reports as `CRS-UNRECOGNISED`) the manifest's.
    pub fn layer_crs(&self, kind: LayerKind) -> Option<Crs> {
        let own = self.layer(kind)?.layer.crs.clone();
        match own {
            Some(c) if c.epsg.is_some() || c.definition().is_some() => Some(c),
            _ => self.crs(),
        }
    }

    /// Whether every layer is in `to` (a layer of unknown CRS counts as being in it).
    pub fn is_in(&self, to: &Crs) -> bool {
        self.layers.keys().all(|k| {
            self.layer_crs(*k)
                .is_none_or(|c| c.same_as(to) == Some(true))
        })
    }

    /// The dataset with every layer transformed to `to`, and `to` as its manifest's CRS.
    /// A layer with no CRS (nor a manifest CRS) is taken to be in `to` already.
    ///
    /// ```
    /// use gridkeeper::demo::{generate, write, DemoOptions};
    /// use gridkeeper::io::crs::{Crs, CrsSource};
    /// # let dir = tempfile::tempdir()?;
    /// let demo = generate(&DemoOptions { grids: 60, components: 100, ..Default::default() });
    /// let paths = write(&demo, dir.path())?;
    /// let (ds, _) = gridkeeper::dataset::load(&paths.new, &Default::default())?;
    /// let lonlat = ds.reprojected(&Crs::parse("EPSG:4490", CrsSource::Manifest))?;
    /// assert_eq!(lonlat.manifest.crs.as_deref(), Some("EPSG:4490"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reprojected(&self, to: &Crs) -> Result<Dataset> {
        let mut out = self.clone();
        for (kind, bound) in out.layers.iter_mut() {
            let Some(from) = self.layer_crs(*kind) else {
                continue;
            };
            if from.same_as(to) == Some(true) {
                continue;
            }
            bound.layer = transformed(bound, &from, to)?;
        }
        out.manifest.crs = Some(to.code_or_text());
        out.manifest.towgs84 = to.towgs84;
        Ok(out)
    }
}

/// Two versions in one CRS, as `diff` compares them: the new version's CRS decides
/// (else the old one's); a version with layers in another CRS is transformed to it, the
/// old one usually, the new one only if its own layers disagree with its manifest. Each is
/// borrowed when it needs nothing.
pub fn align<'a>(
    old: &'a Dataset,
    new: &'a Dataset,
) -> Result<(Cow<'a, Dataset>, Cow<'a, Dataset>)> {
    let Some(target) = new.crs().or_else(|| old.crs()) else {
        return Ok((Cow::Borrowed(old), Cow::Borrowed(new)));
    };
    let bring = |d: &'a Dataset| -> Result<Cow<'a, Dataset>> {
        if d.is_in(&target) {
            Ok(Cow::Borrowed(d))
        } else {
            d.reprojected(&target).map(Cow::Owned)
        }
    };
    Ok((bring(old)?, bring(new)?))
}

/// The cases filed under last year's data (its `cases` layer, or `--cases FILE`) and the two
/// versions, all in one CRS, as `plan` and `check` locate them: the versions as [`align`]
/// has them, the cases brought along ([`bring_layer`]; in the old version's CRS unless they
/// say).
pub fn align_with_cases<'a>(
    old: &'a Dataset,
    new: &'a Dataset,
    cases: Option<&'a BoundLayer>,
) -> Result<Aligned<'a>> {
    let old_crs = old.crs();
    let (old, new) = align(old, new)?;
    let to = new.crs().or_else(|| old.crs());
    let cases = match cases {
        Some(c) => Some(bring_layer(c, old_crs.as_ref(), to.as_ref())?),
        None => None,
    };
    Ok((old, new, cases))
}

/// Last year's and this year's data and the cases, in one CRS ([`align_with_cases`]).
pub type Aligned<'a> = (
    Cow<'a, Dataset>,
    Cow<'a, Dataset>,
    Option<Cow<'a, BoundLayer>>,
);

/// A layer that goes with a dataset (its cases layer, or `--cases FILE`) in the CRS `to`:
/// borrowed when it is in it already or either CRS is unknown, else transformed. Its CRS is
/// its own, else (none, as for a CSV, or one gridkeeper cannot transform) `dataset_crs`.
pub fn bring_layer<'a>(
    layer: &'a BoundLayer,
    dataset_crs: Option<&Crs>,
    to: Option<&Crs>,
) -> Result<Cow<'a, BoundLayer>> {
    let own = layer
        .layer
        .crs
        .clone()
        .filter(|c| c.epsg.is_some() || c.definition().is_some());
    let (Some(from), Some(to)) = (own.or_else(|| dataset_crs.cloned()), to) else {
        return Ok(Cow::Borrowed(layer));
    };
    if from.same_as(to) == Some(true) {
        return Ok(Cow::Borrowed(layer));
    }
    Ok(Cow::Owned(BoundLayer {
        kind: layer.kind,
        layer: transformed(layer, &from, to)?,
        fields: layer.fields.clone(),
    }))
}

/// The features of `bound` transformed from `from` to `to`; a failure is a usage error naming
/// the layer and both CRSs.
fn transformed(bound: &BoundLayer, from: &Crs, to: &Crs) -> Result<Layer> {
    let fail = |f| Error::Usage {
        problem: Problem::Reproject {
            layer: Some(layer_name(bound.kind, bound)),
            from: from.label(),
            to: to.label(),
            fault: Box::new(f),
        },
    };
    let t = Transform::new(from, to).map_err(fail)?;
    t.layer(&bound.layer, to).map_err(fail)
}
