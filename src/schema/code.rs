//! Code structure (编码结构): fixed-length segments checked one by one.

use std::ops::Range;

use regex::Regex;

use super::table::CodeSpec;
use crate::error::{Expected, Problem};
use crate::finding::Rule;

/// A segment with its place in the code and its compiled pattern.
#[derive(Debug, Clone)]
pub struct CodeSegment {
    /// Segment name (`county`, `street`, …).
    pub name: String,
    /// Byte range within the code.
    pub range: Range<usize>,
    /// The pattern as written in the profile.
    pub pattern: String,
    regex: Regex,
    /// The pattern as byte classes, one per character, when it is a fixed run of
    /// ASCII classes such as `[0-9]{3}` or `[0-5][0-9]{2}` (checked without the regex).
    classes: Option<Vec<[u8; 2]>>,
}

/// `[a-b]`, `[0-9]`, `\d` and single ASCII alphanumerics, each optionally followed by
/// `{n}`: the byte ranges of each character, or `None` for anything else.
fn byte_classes(pattern: &str) -> Option<Vec<[u8; 2]>> {
    let b = pattern.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let class = if b[i] == b'[' && b.len() >= i + 5 && b[i + 2] == b'-' && b[i + 4] == b']' {
            i += 5;
            [b[i - 4], b[i - 2]]
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'd') {
            i += 2;
            [b'0', b'9']
        } else if b[i].is_ascii_alphanumeric() {
            i += 1;
            [b[i - 1], b[i - 1]]
        } else {
            return None;
        };
        if !class[0].is_ascii_alphanumeric() || !class[1].is_ascii_alphanumeric() {
            return None;
        }
        let mut count = 1;
        if b.get(i) == Some(&b'{') {
            let close = i + b[i..].iter().position(|&c| c == b'}')?;
            count = pattern.get(i + 1..close)?.parse::<usize>().ok()?;
            i = close + 1;
        }
        out.extend(std::iter::repeat_n(class, count));
    }
    Some(out)
}

/// What a group of segments must equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The value of this canonical field.
    Field(String),
    /// The dataset's region code.
    Region,
}

/// A check on a run of consecutive segments.
#[derive(Debug, Clone)]
pub struct SegmentCheck {
    /// The segment names, joined with `+` for messages.
    pub label: String,
    /// Byte range within the code.
    pub range: Range<usize>,
    /// What it must equal.
    pub target: Target,
    /// The rule a mismatch is reported under.
    pub rule: Rule,
}

/// A lookup of a run of segments in a profile table.
#[derive(Debug, Clone)]
pub struct SegmentLookup {
    /// The segment names, joined with `+`.
    pub label: String,
    /// Byte range within the code.
    pub range: Range<usize>,
    /// The table name.
    pub table: String,
}

/// How a code fails its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatFault {
    /// Wrong number of characters.
    Length {
        /// Characters found.
        found: usize,
        /// Characters required.
        expected: usize,
    },
    /// A character outside ASCII (a full-width digit `１`, a letter `Ｏ`, …), typed by a Chinese
    /// input method: codes are ASCII.
    Character {
        /// The character.
        found: char,
        /// Its position, from 1.
        at: usize,
    },
    /// A segment that does not match its pattern.
    Segment {
        /// Segment name.
        name: String,
        /// The segment's text.
        text: String,
        /// The pattern.
        pattern: String,
    },
}

/// The longest segment a code layout may declare, in characters.
pub const MAX_SEGMENT_LENGTH: usize = 64;

/// A compiled code layout.
#[derive(Debug, Clone)]
pub struct CodeLayout {
    /// The canonical field holding the code.
    pub field: String,
    /// The segments in order.
    pub segments: Vec<CodeSegment>,
    /// Total length in characters.
    pub length: usize,
    /// Equality checks.
    pub equals: Vec<SegmentCheck>,
    /// Table lookups.
    pub lookups: Vec<SegmentLookup>,
}

impl CodeLayout {
    /// Compiles a code spec; `at` names where it sits for error messages.
    pub fn compile(spec: &CodeSpec, at: &str) -> Result<CodeLayout, Problem> {
        let mut segments = Vec::with_capacity(spec.segments.len());
        let mut pos = 0usize;
        for s in &spec.segments {
            // Codes are a few dozen characters: a segment of 0 or of more than 64 is a typo
            // (and a length near usize::MAX would wrap the code's total length).
            if s.length == 0 || s.length > MAX_SEGMENT_LENGTH {
                return Err(Problem::BadValue {
                    key: format!("{at}.segments.{}.length", s.name),
                    value: s.length.to_string(),
                    expected: Expected::Between {
                        min: 1,
                        max: MAX_SEGMENT_LENGTH,
                    },
                });
            }
            let regex =
                Regex::new(&format!("^(?:{})$", s.pattern)).map_err(|_| Problem::BadValue {
                    key: format!("{at}.segments.{}.pattern", s.name),
                    value: s.pattern.clone(),
                    expected: Expected::Regex,
                })?;
            let classes = byte_classes(&s.pattern).filter(|c| c.len() == s.length);
            segments.push(CodeSegment {
                name: s.name.clone(),
                range: pos..pos + s.length,
                pattern: s.pattern.clone(),
                regex,
                classes,
            });
            pos += s.length;
        }
        let span = |names: &[String], what: &str| -> Result<Range<usize>, Problem> {
            let mut range: Option<Range<usize>> = None;
            for n in names {
                let seg = segments.iter().find(|s| &s.name == n).ok_or_else(|| {
                    Problem::DanglingReference {
                        at: format!("{at}.{what}"),
                        name: n.clone(),
                    }
                })?;
                range = Some(match range {
                    None => seg.range.clone(),
                    Some(r) if r.end == seg.range.start => r.start..seg.range.end,
                    Some(_) => {
                        return Err(Problem::BadValue {
                            key: format!("{at}.{what}"),
                            value: names.join("+"),
                            expected: Expected::OneOf(vec!["consecutive segments".into()]),
                        })
                    }
                });
            }
            range.ok_or_else(|| Problem::BadValue {
                key: format!("{at}.{what}"),
                value: String::new(),
                expected: Expected::NonEmpty,
            })
        };
        let mut equals = Vec::new();
        for e in &spec.equals {
            let target = match (&e.field, e.region) {
                (Some(f), false) => Target::Field(f.clone()),
                (None, true) => Target::Region,
                _ => {
                    return Err(Problem::BadValue {
                        key: format!("{at}.equals"),
                        value: e.segments.join("+"),
                        expected: Expected::OneOf(vec!["field".into(), "region".into()]),
                    })
                }
            };
            let rule = match &e.rule {
                None if target == Target::Region => Rule::CodeRegion,
                None => Rule::CodeParent,
                Some(id) => Rule::from_id(id).ok_or_else(|| Problem::DanglingReference {
                    at: format!("{at}.equals.rule"),
                    name: id.clone(),
                })?,
            };
            equals.push(SegmentCheck {
                label: e.segments.join("+"),
                range: span(&e.segments, "equals")?,
                target,
                rule,
            });
        }
        let mut lookups = Vec::new();
        for l in &spec.lookup {
            lookups.push(SegmentLookup {
                label: l.segments.join("+"),
                range: span(&l.segments, "lookup")?,
                table: l.table.clone(),
            });
        }
        Ok(CodeLayout {
            field: spec.field.clone(),
            segments,
            length: pos,
            equals,
            lookups,
        })
    }

    /// Checks a code against the segments.
    ///
    /// ```
    /// # use gridkeeper::schema::Profile;
    /// let p = Profile::builtin("gbt30428-2013")?;
    /// let layout = p.layer(gridkeeper::LayerKind::Grids).and_then(|l| l.code.as_ref()).unwrap();
    /// assert!(layout.check("350582001001001").is_ok());
    /// assert!(layout.check("35058200100100").is_err()); // 14 digits
    /// assert!(layout.check("35058200100100１").is_err()); // a full-width 1
    /// # Ok::<(), gridkeeper::Error>(())
    /// ```
    pub fn check(&self, code: &str) -> Result<(), FormatFault> {
        if let Some((k, c)) = code.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
            return Err(FormatFault::Character {
                found: c,
                at: k + 1,
            });
        }
        let found = code.len();
        if found != self.length {
            return Err(FormatFault::Length {
                found,
                expected: self.length,
            });
        }
        for s in &self.segments {
            let text = &code[s.range.clone()];
            let matched = match &s.classes {
                Some(classes) => text
                    .bytes()
                    .zip(classes)
                    .all(|(c, [lo, hi])| (*lo..=*hi).contains(&c)),
                None => s.regex.is_match(text),
            };
            if !matched {
                return Err(FormatFault::Segment {
                    name: s.name.clone(),
                    text: text.to_string(),
                    pattern: s.pattern.clone(),
                });
            }
        }
        Ok(())
    }

    /// The text of `range` in a code that passed [`check`](Self::check).
    pub fn part<'c>(&self, code: &'c str, range: &Range<usize>) -> Option<&'c str> {
        code.get(range.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_width_digit_is_named_as_such() {
        let p = crate::schema::Profile::builtin("gbt30428-2013").expect("profile");
        let layout = p
            .layer(crate::LayerKind::Grids)
            .and_then(|l| l.code.as_ref())
            .expect("grid code layout");
        assert_eq!(
            layout.check("35058200100100１"),
            Err(FormatFault::Character {
                found: '１',
                at: 15
            })
        );
        assert_eq!(
            layout.check("35058200100100"),
            Err(FormatFault::Length {
                found: 14,
                expected: 15
            })
        );
    }

    /// A segment length of 0 or past 64 is refused when the profile is compiled: a length
    /// near `usize::MAX` wrapped the code's total length and sliced a code past its end.
    #[test]
    fn segment_lengths_are_bounded() {
        for bad in [0, 65, usize::MAX] {
            let spec: crate::schema::table::CodeSpec = serde_json::from_value(serde_json::json!({
                "segments": [
                    {"name": "a", "length": bad, "pattern": "[0-9]+"},
                    {"name": "b", "length": 2, "pattern": "[0-9]{2}"}
                ]
            }))
            .expect("spec");
            match CodeLayout::compile(&spec, "grids.code") {
                Err(Problem::BadValue { key, expected, .. }) => {
                    assert_eq!(key, "grids.code.segments.a.length");
                    assert_eq!(expected, Expected::Between { min: 1, max: 64 });
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    /// The byte-class matcher says what the regex says.
    #[test]
    fn byte_classes_agree_with_the_regex() {
        for pattern in [
            "[0-9]{6}",
            "[0-5][0-9]{2}",
            "\\d{3}",
            "[0-9]",
            "A[0-9]{2}",
            "[a-z]{2}",
        ] {
            let classes = byte_classes(pattern).expect(pattern);
            let re = Regex::new(&format!("^(?:{pattern})$")).expect("regex");
            for text in [
                "000", "599", "600", "12", "1234", "a12", "A12", "ab", "1a2", "350582", "35058x",
                "9",
            ] {
                let fast = text.len() == classes.len()
                    && text
                        .bytes()
                        .zip(&classes)
                        .all(|(c, [lo, hi])| (*lo..=*hi).contains(&c));
                assert_eq!(fast, re.is_match(text), "{pattern} {text}");
            }
        }
        for pattern in ["[0-9]+", "(01|02)", "[0-9]{2,3}", ".{3}", "[0-9]*"] {
            assert!(byte_classes(pattern).is_none(), "{pattern}");
        }
    }
}
