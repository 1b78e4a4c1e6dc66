//! Report writers (报告): one per format, no logic of their own.

pub mod json;
pub mod text;
