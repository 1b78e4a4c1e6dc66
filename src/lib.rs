//! gridkeeper: the yearly update of grid-based city management data (网格化城市管理).
//!
//! Town offices (镇街) redraw their unit grids (单元网格), update their components (部件) and
//! submit both with a change plan (更新方案); the district center checks and scores them.
//! This crate reads the data ([`io`]), binds it to a profile ([`schema`]), and checks it
//! ([`validate`]); every defect is a [`Finding`] with a stable rule id.
//!
//! ```no_run
//! let (dataset, profile) = gridkeeper::dataset::load("district/2026".as_ref(), &Default::default())?;
//! let findings = gridkeeper::validate::run(&dataset, &profile, &Default::default());
//! println!("{} findings", findings.len());
//! # Ok::<(), gridkeeper::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod dataset;
pub mod demo;
pub mod diff;
mod error;
mod finding;
mod geom;
pub mod i18n;
pub mod index;
pub mod io;
pub mod measure;
mod model;
pub mod plan;
pub mod progress;
pub mod remap;
pub mod report;
pub mod reprojection;
pub mod schema;
pub mod score;
pub mod submission;
pub mod timing;
pub mod validate;

pub use error::{DbfFault, Error, Expected, Problem, RecordFault, Result, TransformFault};
pub use finding::{Finding, Rule, Severity};
pub use i18n::{Lang, Msg};
pub use model::{BoundLayer, Component, Dataset, FieldMap, Grid, LayerEntry, LayerKind, Manifest};

/// The tool's version, recorded in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
