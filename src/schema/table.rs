//! Attribute schemas in Frictionless Table Schema form, plus the `spatial` block.
//!
//! <https://specs.frictionlessdata.io/table-schema/>: `fields` (name, type, format,
//! constraints: required, unique, pattern, enum, minimum, maximum, minLength, maxLength),
//! `primaryKey`, `foreignKeys`. gridkeeper adds `aliases` per field (the local names real
//! files use, e.g. `BGID` for a grid code) and a `spatial` block (geometry, parent layer,
//! code segments, lifespan fields).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Table Schema descriptor for one layer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableSchema {
    /// A title for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fields.
    pub fields: Vec<Field>,
    /// The primary key: one field name or several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Names>,
    /// References to other layers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Values read as null (Table Schema default: the empty string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_values: Option<Vec<String>>,
    /// The spatial block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spatial: Option<Spatial>,
}

/// One field name or a list of them (Table Schema allows both).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Names {
    /// A single name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl Names {
    /// The names as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Names::One(n) => vec![n.clone()],
            Names::Many(v) => v.clone(),
        }
    }
}

/// A Table Schema field type.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Text.
    #[default]
    String,
    /// Whole numbers.
    Integer,
    /// Decimal numbers.
    Number,
    /// Calendar dates.
    Date,
    /// Date and time.
    Datetime,
    /// A year.
    Year,
    /// `true`/`false` (and the usual spellings).
    Boolean,
    /// Anything.
    Any,
}

impl FieldType {
    /// The Table Schema name.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Year => "year",
            FieldType::Boolean => "boolean",
            FieldType::Any => "any",
        }
    }
}

/// A field descriptor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Field {
    /// The canonical name (`code`, `community`, …).
    pub name: String,
    /// The type.
    #[serde(rename = "type", default)]
    pub kind: FieldType,
    /// The format (`default`, `any`, or a strftime pattern for dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A title for people (the Chinese term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Constraints on values.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Local field names that mean this field, tried (case-insensitively) when the manifest
    /// maps nothing and the file has no field of the canonical name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// Table Schema constraints.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Constraints {
    /// A value must be present.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Values must not repeat.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// A regular expression the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// The smallest value (numbers, dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Value>,
    /// The largest value (numbers, dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Value>,
    /// The shortest text, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// The longest text, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        !self.required
            && !self.unique
            && self.pattern.is_none()
            && self.allowed.is_none()
            && self.minimum.is_none()
            && self.maximum.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
    }
}

/// A Table Schema foreign key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// The referring field(s).
    pub fields: Names,
    /// What they refer to.
    pub reference: Reference,
}

/// The target of a foreign key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The layer (`streets`, `communities`, `grids`).
    pub resource: String,
    /// The field(s) referred to.
    pub fields: Names,
}

/// The spatial block: geometry, parent layer, code structure, lifespan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spatial {
    /// `point`, `line`, `polygon` or `none`.
    pub geometry: String,
    /// Whether features may lack a geometry (cases filed without coordinates).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional_geometry: bool,
    /// The layer whose features contain this layer's (grid → community → street).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The start/end date fields that bound a feature's life.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifespan: Option<Lifespan>,
    /// The structure of the layer's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeSpec>,
    /// Marks a duty layer (责任网格) and says what it is called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty: Option<DutySpec>,
}

/// What a duty layer (责任网格) is called: `"duty": { "zh": "执法网格", "en": "enforcement
/// grids" }` in the `spatial` block of its schema.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutySpec {
    /// The Chinese term.
    pub zh: String,
    /// The English term.
    pub en: String,
}

/// Fields giving a feature's start and end dates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifespan {
    /// The start date field.
    pub start: String,
    /// The end date field.
    pub end: String,
}

/// A code made of fixed-length segments.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// The field holding the code.
    #[serde(default = "default_code_field")]
    pub field: String,
    /// The segments, in order.
    pub segments: Vec<Segment>,
    /// Segments that must equal a field's value or the region.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equals: Vec<Equals>,
    /// Segments that must be a key of a profile table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lookup: Vec<Lookup>,
}

fn default_code_field() -> String {
    "code".to_string()
}

/// One segment of a code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Its name (`county`, `street`, `community`, `sequence`, `major`, `minor`, `serial`).
    pub name: String,
    /// Its length in characters.
    pub length: usize,
    /// A regular expression the segment must match whole.
    pub pattern: String,
}

/// Segments whose concatenation must equal something.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equals {
    /// Consecutive segment names.
    pub segments: Vec<String>,
    /// The field whose value they must equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// They must equal the dataset's region code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub region: bool,
    /// The rule id a mismatch is reported under (default `CODE-PARENT` for a field,
    /// `CODE-REGION` for the region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Segments whose concatenation must be a key of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// Consecutive segment names.
    pub segments: Vec<String>,
    /// The table (`classes`).
    pub table: String,
}
