//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Check, compare and plan the yearly update of grid-based city management data \
(网格化城市管理: 单元网格, 部件, 历史案件)";

const LONG_ABOUT: &str = "\
gridkeeper checks the data a town/street office (镇街) submits each year — unit grids \
(单元网格), city-management components (部件), basic geographic data — against a profile \
(GB/T 30428, CJ/T 213, GB/T 47678, or a city's own), and helps both sides of the yearly \
update: the town that must submit it three weeks ahead, and the district center that checks it.

Exit codes: 0 no errors found; 1 findings of severity error; 2 could not run (bad usage, \
missing or malformed input).";

/// gridkeeper command line.
#[derive(Debug, Parser)]
#[command(name = "gridkeeper", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Language of reports and messages.
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Colour on the terminal.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Print nothing on standard error but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print how long each stage took (read, validate, diff, remap, plan, write and their
    /// parts) on standard error, one `timing<TAB>stage<TAB>seconds` line each.
    #[arg(long, global = true)]
    pub timings: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a dataset folder against its profile: attributes, codes, references, CRS.
    #[command(
        long_about = "Check a dataset folder (with dataset.toml, or conventional file names such as \
grids.shp and components.shp) against its profile: every Table Schema constraint, code \
structure (segments, region, parent prefixes, class part and class table), unique codes, \
references grid → community → street, dates, and each layer's CRS against the manifest.\n\n\
Exit codes: 0 no errors; 1 findings of severity error; 2 could not run.",
        after_help = "Examples:\n  gridkeeper validate district/2026\n  gridkeeper validate district/2026 --format json -o findings.json\n  gridkeeper validate district/2026 --admin-codes divisions.csv --lang en"
    )]
    Validate(ValidateArgs),
    /// Generate a synthetic demo district (演示数据) in two versions, write it, and check it.
    #[command(
        long_about = "Generate a deterministic synthetic district (region 350582, EPSG:4549) in two \
versions — last year's (2025) and this year's (2026) — with unit grids (单元网格) that tile it \
exactly, streets and communities built from them, components (部件) and addresses. Between the \
versions, grids are split, merged, reshaped, recoded, re-parented, added and removed, and \
components added, removed, moved, recoded, reclassified and handed to other units; a few data \
defects are seeded into this year's version. Historical cases (历史案件) are filed under last \
year's grids (DIR/2025/cases.csv). Everything done is listed in truth.json.\n\n\
Writes DIR/2025 and DIR/2026 (GBK shapefiles), DIR/geojson/2025 and DIR/geojson/2026, each \
with its dataset.toml, and DIR/truth.json; then validates DIR/2026 and prints a summary. \
The same options always give byte-identical files.",
        after_help = "Examples:\n  gridkeeper demo\n  gridkeeper demo --out /tmp/district --seed 7\n  gridkeeper demo --grids 50000 --components 2000000 --out big\n  gridkeeper demo --no-defects --lang en"
    )]
    Demo(DemoArgs),
    /// Compare last year's dataset with this year's: grid lineage, crosswalks, component changes.
    #[command(
        long_about = "Compare two versions of a dataset (folders with manifests): the lineage of grids, \
communities and streets from an R-tree overlap join (unchanged, reshaped, recoded, re-parented, \
split, merged, reorganised, added, removed), their crosswalks, and the changes of components \
(matched by code, then by place: added, removed, moved, recoded, reclassified, owner, department, \
maintainer or status changed, grid changed).\n\n\
With --out DIR it writes grid_crosswalk.csv, community_crosswalk.csv, street_crosswalk.csv, \
component_changes.csv, changes.geojson and diff.json.",
        after_help = "Examples:\n  gridkeeper diff district/2025 district/2026\n  gridkeeper diff district/2025 district/2026 --out changes/\n  gridkeeper diff district/2025 district/2026 --format json > diff.json"
    )]
    Diff(DiffArgs),
    /// Write the change plan (更新方案): remap historical cases, impact, the five sections.
    #[command(
        long_about = "Write the change plan a town submits with its yearly grid and component update \
(更新方案): the change set of `diff`, the historical cases remapped onto the new grids (by their \
point, or their old grid's lineage; with the component's new code and owner), and the five \
sections — basic situation, data changes, impact on historical cases, how they are handled, \
the cross-reference table of the cases in changed streets, communities and grids.\n\n\
Writes plan.md, plan.xlsx, grid_crosswalk.csv, case_crosswalk.csv, changes.geojson and \
run.json (input SHA-256s, profile, thresholds, version, counts) into --out.",
        after_help = "Examples:\n  gridkeeper plan district/2025 district/2026 --out plan/\n  gridkeeper plan district/2025 district/2026 --cases cases.csv --cases-fields id=AJBH,time=SBSJ,x=ZBX,y=ZBY --population pop.csv"
    )]
    Plan(PlanArgs),
    /// The center's check of a town's submission (报送材料): lead time, data, plan, crosswalks.
    #[command(
        long_about = "Check a town's submission (a folder or a .zip with the new dataset and the \
outputs of `gridkeeper plan`, optionally with a submission.toml) the way the district center \
(区城指中心) does: the lead time (the data's effective date at least --lead-days, 21, after the \
received date), everything `validate` checks (by the center's profile: --profile, else the \
prior's; never one the package names), the plan's five sections (plan.md, else the sheets \
of plan.xlsx), and the case and grid crosswalks re-derived from the data — the prior cut to the \
submission's streets, diff, remap, exactly as `plan` does — and compared row by row. A plan \
copied from last year or edited by hand shows up as XWALK-* findings.\n\n\
A .zip is extracted into a temporary folder; entries with absolute paths or leading outside it, \
links, and archives past --max-entries or --max-expanded-mb are refused (exit 2).\n\n\
Exit codes: 0 no errors; 1 findings of severity error; 2 could not run.",
        after_help = "Examples:\n  gridkeeper check submissions/350582001.zip --prior district/2025 --received 2026-06-01\n  gridkeeper check town/ --prior district/2025 --cases cases.csv --format json -o check.json\n  gridkeeper check town.zip --prior district/2025 --xlsx check.xlsx --html check.html --lang en"
    )]
    Check(CheckArgs),
    /// Score the towns' submissions (数据维护评分) and rank them.
    #[command(
        long_about = "Check every submission as `check` does and score the three data-maintenance \
items per town — 地理信息更新 (2/1/0), 网格信息更新 (2/1/0), 部件信息更新 (3/2/1/0) — under the tier \
rules of schemas/scoring.toml (built in; --rules FILE for a city's own). Every point withheld is \
explained by the findings that caused it (rule ids and counts). Prints the ranking; with --out \
DIR writes ranking.csv, ranking.xlsx and score.json. Towns with equal totals share a rank and \
keep the order they were given in.\n\n\
Exit codes: 0 no submission has errors; 1 some submission has findings of severity error; \
2 could not run (a package that cannot be opened stops the run).",
        after_help = "Examples:\n  gridkeeper score submissions/*.zip --prior district/2025 --out score/\n  gridkeeper score a/ b.zip --prior district/2025 --received 2026-06-01 --rules my-scoring.toml"
    )]
    Score(ScoreArgs),
    /// List, show and export the profiles (data standards) datasets are checked against.
    Schema {
        /// What to do with profiles.
        #[command(subcommand)]
        action: SchemaAction,
    },
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// CSV of administrative codes and names (code,name) to check street and community codes against.
    #[arg(long, value_name = "FILE")]
    pub admin_codes: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// In text reports, list at most this many findings per rule (0: all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_per_rule: usize,
    /// Also write every finding that has a place (overlap and gap polygons, error points) as
    /// GeoJSON, to open in QGIS over the data.
    #[arg(long, value_name = "PATH")]
    pub errors_geojson: Option<PathBuf>,
    /// Also write the findings that have a place as one GeoPackage, a layer per geometry kind
    /// (`error_points`, `error_lines`, `error_polygons`); needs a build with `--features gdal`.
    #[arg(long, value_name = "PATH")]
    pub errors_gpkg: Option<PathBuf>,
    #[command(flatten)]
    pub crs: CrsArgs,
}

/// How the data are read and judged: the profile, the text encoding and the thresholds
/// (`validate`, `diff`, `plan`, `check`, `score`).
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Profile: a built-in name (see `gridkeeper schema list`) or a folder; overrides the
    /// manifests.
    #[arg(long, conflicts_with = "schema")]
    pub profile: Option<String>,
    /// A profile folder (a city's own variant, e.g. from `gridkeeper schema export`).
    #[arg(long, value_name = "DIR")]
    pub schema: Option<PathBuf>,
    /// Decode attribute text with this encoding whatever the files say (GBK, GB18030, UTF-8,
    /// 936, …).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// Override a threshold of the profile, e.g. `--set overlap_tolerance_m2=0.1` or
    /// `--set case_nearest_m=30` (repeatable; `gridkeeper schema show PROFILE` lists them).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

/// CRS options of `validate` and `diff`.
#[derive(Debug, Args)]
pub struct CrsArgs {
    /// The CRS every layer must be in (`EPSG:4549`, or WKT); overrides the manifest's `crs`.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// Transform layers in another CRS to the manifest's (or --crs) before checking, as
    /// `reproject = true` in dataset.toml does.
    #[arg(long)]
    pub reproject: bool,
    /// The city's seven parameters from Xi'an 1980 / Beijing 1954 to CGCS2000,
    /// `dx,dy,dz,rx,ry,rz,ds` (metres, arc-seconds, ppm; position vector, as PROJ's +towgs84);
    /// overrides the manifests' `towgs84`.
    #[arg(long, value_name = "DX,DY,DZ,RX,RY,RZ,DS", allow_hyphen_values = true)]
    pub towgs84: Option<String>,
}

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The folder to write (created if needed; an existing one must be empty or a previous demo).
    #[arg(long, value_name = "DIR", default_value = "gridkeeper-demo")]
    pub out: PathBuf,
    /// The seed: the same seed and sizes give the same district, byte for byte.
    #[arg(long, value_name = "N", default_value_t = 2026)]
    pub seed: u64,
    /// About how many unit grids (单元网格) this year's version has (60–200000).
    #[arg(long, value_name = "N", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(60..=200_000))]
    pub grids: u64,
    /// How many components (部件) this year's version has (100–5000000).
    #[arg(long, value_name = "N", default_value_t = 20_000,
          value_parser = clap::value_parser!(u64).range(100..=5_000_000))]
    pub components: u64,
    /// How many historical cases (历史案件) to file under last year's version (100–5000000).
    #[arg(long, value_name = "N", default_value_t = 5_000,
          value_parser = clap::value_parser!(u64).range(100..=5_000_000))]
    pub cases: u64,
    /// Seed no data defects: this year's version then validates without errors.
    #[arg(long)]
    pub no_defects: bool,
    /// Only generate and write the data (and truth.json): no validation, plan or
    /// submissions afterwards (what `benches/compare.sh` uses).
    #[arg(long)]
    pub no_check: bool,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Last year's dataset folder.
    pub old: PathBuf,
    /// This year's dataset folder (its profile is used).
    pub new: PathBuf,
    /// Write the crosswalks, component changes, changes.geojson and diff.json into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Report format on standard output.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// With --out: also write changes.gpkg, the changed features as one GeoPackage with a
    /// layer per kind (`grids`, `communities`, `streets`, `components`); needs a build with
    /// `--features gdal`.
    #[arg(long, requires = "out")]
    pub gpkg: bool,
    /// The city's seven parameters from Xi'an 1980 / Beijing 1954 to CGCS2000 for versions on
    /// such a datum, `dx,dy,dz,rx,ry,rz,ds`; overrides the manifests' `towgs84`.
    #[arg(long, value_name = "DX,DY,DZ,RX,RY,RZ,DS", allow_hyphen_values = true)]
    pub towgs84: Option<String>,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Last year's dataset folder (its `cases` layer holds the historical cases unless --cases).
    pub old: PathBuf,
    /// This year's dataset folder (its profile is used).
    pub new: PathBuf,
    /// Historical cases: CSV with coordinates, Shapefile or GeoJSON, filed under the old data.
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The case file's own column names: `id=AJBH,time=SBSJ,x=ZBX,y=ZBY,…` (canonical=local).
    #[arg(long, value_name = "PAIRS")]
    pub cases_fields: Option<String>,
    /// Populations per town (CSV code,population) for the case quota base.
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// The folder to write the plan into.
    #[arg(long, value_name = "DIR", default_value = "gridkeeper-plan")]
    pub out: PathBuf,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

/// What `check` and `score` share: the prior, the cases, the received date, how to read.
#[derive(Debug, Args)]
pub struct CenterArgs {
    /// Last year's dataset of the district (the center's); cut to each submission's streets.
    #[arg(long, value_name = "DIR")]
    pub prior: PathBuf,
    /// Historical cases (CSV with coordinates, Shapefile or GeoJSON); default: the prior's
    /// `cases` layer.
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The case file's own column names: `id=AJBH,time=SBSJ,x=ZBX,y=ZBY,…` (canonical=local).
    #[arg(long, value_name = "PAIRS")]
    pub cases_fields: Option<String>,
    /// The date the center received the package(s), YYYY-MM-DD; overrides `received` in
    /// submission.toml.
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    /// Days a package must arrive before its data takes effect (check: 21; score: the rules
    /// file's `lead_days`).
    #[arg(long, value_name = "N")]
    pub lead_days: Option<u32>,
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// CSV of administrative codes and names (code,name) to check street and community codes against.
    #[arg(long, value_name = "FILE")]
    pub admin_codes: Option<PathBuf>,
    /// Refuse a .zip with more entries than this.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_entries: usize,
    /// Refuse a .zip whose files expand to more than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 4096)]
    pub max_expanded_mb: u64,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The submission: a folder or a .zip.
    pub submission: PathBuf,
    #[command(flatten)]
    pub center: CenterArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report as an xlsx workbook (概况, 检查发现) for the center's files.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Also write the report as one self-contained page (check.html): the summary, headline
    /// numbers, findings per rule as a table and a chart, every finding in a sortable,
    /// searchable table.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// In text reports, list at most this many findings per rule (0: all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_per_rule: usize,
}

/// Arguments of `score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The submissions: folders or .zip files, one per town.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    #[command(flatten)]
    pub center: CenterArgs,
    /// Scoring rules (a TOML file like schemas/scoring.toml); default: the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Write ranking.csv, ranking.xlsx and score.json into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Format on standard output.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
}

/// `schema` subcommands.
#[derive(Debug, Subcommand)]
pub enum SchemaAction {
    /// List the built-in profiles.
    List,
    /// Show a profile's layers, fields, code structures and tables.
    Show {
        /// A built-in name or a profile folder.
        name: String,
    },
    /// Write a profile's files into a folder, as the start of a city's own profile.
    Export {
        /// A built-in name or a profile folder.
        name: String,
        /// The folder to write (created if needed).
        dir: PathBuf,
    },
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// Readable text, grouped by rule.
    Text,
    /// JSON with every finding.
    Json,
}

/// Languages.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

impl From<LangArg> for gridkeeper::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => gridkeeper::Lang::Zh,
            LangArg::En => gridkeeper::Lang::En,
        }
    }
}

/// Colour choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
