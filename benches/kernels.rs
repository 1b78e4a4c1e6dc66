//! Criterion benches of the kernels the city-scale stages are made of, on a deterministic
//! district of the demo generator (2,000 grids, 100,000 components, 100,000 cases; built
//! once, in memory, in about a second):
//!
//! - `overlap/*`: the old × new join of the grids — R-tree candidates (`candidates`), and
//!   the whole lineage: candidates, intersection areas, shares, groups (`lineage`);
//! - `locate/*`: point location in the grids through the envelope index and the prepared
//!   rings — this year's components in this year's grids, the cases in last year's — and
//!   the same with the raster of cells the stages use (`*-cells`), and building that raster
//!   for the grids (`cells-build`);
//! - `codes/validate`: the code rules of `validate` (structure, class table, unique codes,
//!   references) over every layer of this year's version;
//! - `coverage/long-boundary-N`: `validate` of a file of two neighbours sharing a boundary of
//!   N vertices (the vertex matching and snapping through edge and vertex indexes).
//!
//! Each kernel runs on one thread (the stages spread them over rayon's threads), except
//! `cells-build`, which marks the cells the edges touch on rayon's threads, and
//! `codes/validate`, which checks a layer's code structure and its keys side by side.
//!
//! ```sh
//! cargo bench --bench kernels                 # full statistics
//! cargo bench --bench kernels -- --quick      # a few seconds per kernel
//! cargo bench --bench kernels -- locate       # only the benches whose name has `locate`
//! ```

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use geo::{Coord, Geometry};
use gridkeeper::demo::{generate, Demo, DemoOptions};
use gridkeeper::diff::lineage::{lineage, Side};
use gridkeeper::index::{locate, EnvelopeIndex, Location};
use gridkeeper::measure::Measure;
use gridkeeper::schema::{Profile, Thresholds};
use gridkeeper::{validate, BoundLayer, Dataset, LayerKind};

#[path = "../tests/common/hostile.rs"]
mod hostile;

/// The district every bench runs on, and both versions bound to its profile.
struct District {
    profile: Profile,
    old: Dataset,
    new: Dataset,
    cases: BoundLayer,
}

fn district() -> &'static District {
    static D: OnceLock<District> = OnceLock::new();
    D.get_or_init(|| {
        let demo: Demo = generate(&DemoOptions {
            seed: 2026,
            grids: 2_000,
            components: 100_000,
            cases: 100_000,
            defects: true,
        });
        let profile = Profile::builtin(&demo.profile).expect("the demo's profile is built in");
        let bind = |v| {
            demo.dataset(v, &profile)
                .expect("the demo binds to its profile")
        };
        District {
            old: bind(&demo.old),
            new: bind(&demo.new),
            cases: demo
                .bound_cases(&profile)
                .expect("the profile has cases")
                .expect("the demo's cases bind"),
            profile,
        }
    })
}

fn layer(ds: &Dataset, kind: LayerKind) -> &BoundLayer {
    ds.layer(kind).expect("the demo has every layer")
}

fn codes(l: &BoundLayer) -> Vec<&str> {
    (0..l.len())
        .map(|i| l.get(i, "code").unwrap_or(""))
        .collect()
}

/// The lineage's view of a grid layer: codes, geometries, community parts of the codes.
fn side(l: &BoundLayer) -> Side<'_> {
    let codes = codes(l);
    Side {
        parents: codes.iter().map(|c| c.get(..12)).collect(),
        geometries: (0..l.len()).map(|i| l.geometry(i)).collect(),
        codes,
    }
}

fn points(l: &BoundLayer) -> Vec<Coord> {
    (0..l.len())
        .filter_map(|i| match l.geometry(i)? {
            Geometry::Point(p) => Some(p.0),
            _ => None,
        })
        .collect()
}

fn overlap(c: &mut Criterion) {
    let d = district();
    let (og, ng) = (
        layer(&d.old, LayerKind::Grids),
        layer(&d.new, LayerKind::Grids),
    );
    let (old, new) = (side(og), side(ng));
    let owned = |l: &BoundLayer| l.layer.geometries.clone();
    let (old_geoms, new_geoms) = (owned(og), owned(ng));
    let t = Thresholds::default();
    let mut g = c.benchmark_group("overlap");
    g.sample_size(10);
    g.throughput(Throughput::Elements(og.len() as u64));
    g.bench_function("candidates", |b| {
        b.iter(|| {
            let (a, z) = (
                EnvelopeIndex::new(black_box(&old_geoms)),
                EnvelopeIndex::new(black_box(&new_geoms)),
            );
            a.pairs_with(&z)
        })
    });
    g.bench_function("lineage", |b| {
        b.iter(|| {
            lineage(black_box(&old), black_box(&new), Measure::Planar, &t).map(|l| l.groups.len())
        })
    });
    g.finish();
}

/// Locates every point and counts where they fell (inside, on a boundary, outside).
fn locate_all(points: &[Coord], index: &EnvelopeIndex, grids: &[Option<Geometry>]) -> [usize; 3] {
    let mut n = [0; 3];
    for &p in points {
        n[match locate(p, index, grids) {
            Location::Inside(_) => 0,
            Location::OnBoundary(_) => 1,
            Location::Outside => 2,
        }] += 1;
    }
    n
}

fn point_location(c: &mut Criterion) {
    let d = district();
    let mut g = c.benchmark_group("locate");
    g.sample_size(20);
    for (name, grids, pts) in [
        (
            "components",
            layer(&d.new, LayerKind::Grids),
            layer(&d.new, LayerKind::Components),
        ),
        ("cases", layer(&d.old, LayerKind::Grids), &d.cases),
    ] {
        let geoms = &grids.layer.geometries;
        let (index, cells) = (EnvelopeIndex::new(geoms), EnvelopeIndex::for_points(geoms));
        let pts = points(pts);
        g.throughput(Throughput::Elements(pts.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| locate_all(black_box(&pts), &index, geoms))
        });
        g.bench_function(format!("{name}-cells"), |b| {
            b.iter(|| locate_all(black_box(&pts), &cells, geoms))
        });
    }
    // Building the raster of the grids (marking the cells the edges touch, locating each
    // region of the others once).
    let geoms = &layer(&d.new, LayerKind::Grids).layer.geometries;
    g.throughput(Throughput::Elements(geoms.len() as u64));
    g.bench_function("cells-build", |b| {
        b.iter(|| EnvelopeIndex::for_points(black_box(geoms)))
    });
    g.finish();
}

fn code_validation(c: &mut Criterion) {
    let d = district();
    let features: usize = d.new.layers.values().map(BoundLayer::len).sum();
    let mut g = c.benchmark_group("codes");
    g.sample_size(20);
    g.throughput(Throughput::Elements(features as u64));
    g.bench_function("validate", |b| {
        b.iter(|| validate::check_codes(black_box(&d.new), &d.profile))
    });
    g.finish();
}

/// [`hostile::long_neighbours_geojson`] with three vertices left out, read as a layer.
fn long_neighbours(n: i32) -> gridkeeper::io::Layer {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("long.geojson");
    std::fs::write(
        &path,
        hostile::long_neighbours_geojson(n, &[100, n / 2, n - 100]),
    )
    .expect("written");
    gridkeeper::io::read_layer(&path, &Default::default()).expect("read")
}

/// `validate` of a file of two neighbours whose shared boundary has `n` vertices: the
/// coverage checks compare it through edge and vertex indexes (time in n log n, where a
/// scan of every vertex against every edge is n²).
fn long_boundaries(c: &mut Criterion) {
    let mut g = c.benchmark_group("coverage");
    g.sample_size(10);
    for n in [10_000, 100_000] {
        let layer = long_neighbours(n);
        let t = Thresholds::default();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("long-boundary-{n}"), |b| {
            b.iter(|| validate::file(black_box(&layer), &t).len())
        });
    }
    g.finish();
}

criterion_group! {
    name = kernels;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = overlap, point_location, code_validation, long_boundaries
}
criterion_main!(kernels);
