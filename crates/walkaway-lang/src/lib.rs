//! Equation files (docs/models.md): your own model of ordinary differential
//! equations in a small TOML format, or an XPPAUT `.ode` file of the common
//! subset, compiled into a [`walkaway_core::Model`] that every command runs
//! like a catalog model. This crate reads text; opening files is the
//! caller's business.

mod equation_file;
mod xpp;

pub use equation_file::{is_equation_file, parse_equation_file};
pub use walkaway_core::equations::{EquationModel, LangError, ModelSource};
pub use xpp::parse_ode;

use walkaway_core::equations;

/// The largest equation file accepted (bytes): a model with dozens of
/// equations fits many times over.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;

/// The format of an equation file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The TOML equation format of docs/models.md.
    Toml,
    /// XPPAUT's `.ode` format (the common subset).
    Xppaut,
}

impl Format {
    /// `.ode` files are XPPAUT; everything else is read as TOML.
    pub fn from_name(file: &str) -> Self {
        if file.to_ascii_lowercase().ends_with(".ode") {
            Format::Xppaut
        } else {
            Format::Toml
        }
    }
}

/// Reads an equation file's text (`file` names it in errors and decides
/// the format) into a model source.
pub fn parse(text: &str, file: &str, format: Format) -> Result<ModelSource, LangError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LangError {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "the file has {} bytes; allowed: at most {MAX_SOURCE_BYTES}",
                text.len()
            ),
        });
    }
    match format {
        Format::Toml => parse_equation_file(text, file),
        Format::Xppaut => parse_ode(text, file),
    }
}

/// Parses and compiles an equation file.
pub fn compile(text: &str, file: &str, format: Format) -> Result<EquationModel, LangError> {
    equations::compile(&parse(text, file, format)?)
}

/// Parses, compiles and registers an equation file, so that its id works
/// wherever a catalog id does for the rest of the process.
pub fn load(text: &str, file: &str, format: Format) -> Result<&'static EquationModel, String> {
    let model = compile(text, file, format).map_err(|e| e.to_string())?;
    equations::register(model).map_err(|e| format!("{file}: {e}"))
}
