//! The district center's side (区中心): the prior year's data and historical cases every
//! submission fixture is checked against (`fixtures/plan/old`, `fixtures/plan/cases.csv`).

use std::path::Path;

use gridkeeper::check::{self, CheckReport};
use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::submission::{Limits, Package};
use gridkeeper::{BoundLayer, Dataset, LayerKind};

use super::fixture;

/// What the center holds before any submission arrives.
pub struct Center {
    /// The prior year's data.
    pub prior: Dataset,
    /// The historical cases.
    pub cases: BoundLayer,
}

/// The center of the submission fixtures.
pub fn center() -> Center {
    let (prior, profile) =
        dataset::load(&fixture("plan/old"), &LoadOptions::default()).expect("prior");
    let schema = profile.layer(LayerKind::Cases).expect("cases schema");
    let cases = dataset::read_bound(
        &fixture("plan/cases.csv"),
        LayerKind::Cases,
        schema,
        &Default::default(),
        None,
    )
    .expect("cases");
    Center { prior, cases }
}

/// `check` of the package (folder or zip) at `path`.
pub fn check_path(c: &Center, path: &Path, o: &check::Options) -> CheckReport {
    let pkg = Package::open(path, &Limits::default()).expect("open");
    check::run(&pkg, &c.prior, Some(&c.cases), o).expect("check")
}
