//! What a command names as its subject: a catalog model id, a scenario
//! file, an equation file (docs/models.md) or nothing (the embedded
//! default scenario). The command line and the Python package read it the
//! same way, so both accept the same arguments and refuse them with the
//! same messages.

use std::path::Path;

use walkaway_core::equations::EquationModel;
use walkaway_core::find;
use walkaway_core::models::walkaway::INFO as WALKAWAY;

use crate::Scenario;

/// Whether a `model =` value names a file rather than a catalog id: it
/// ends in `.toml` or `.ode` (catalog ids never do).
pub fn names_a_file(model: &str) -> bool {
    let lower = model.to_ascii_lowercase();
    lower.ends_with(".toml") || lower.ends_with(".ode")
}

/// The equation file named by `target`, compiled and registered (so its id
/// works like a catalog id for the rest of the process), or `None` when
/// `target` is not one: an equation file ends in `.ode` (XPPAUT) or is TOML
/// with a `[model]` table (a scenario names its model instead). The error
/// names the file, line and column.
pub fn equation_file(target: &str) -> Result<Option<&'static EquationModel>, String> {
    let path = Path::new(target);
    let is_ode = target.to_ascii_lowercase().ends_with(".ode");
    if !(is_ode || target.ends_with(".toml") || path.is_file()) {
        return Ok(None);
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        // A missing .toml is reported by the scenario loader.
        Err(_) if !is_ode => return Ok(None),
        Err(e) => return Err(format!("cannot read {target}: {e}")),
    };
    if !is_ode && !walkaway_lang::is_equation_file(&text) {
        return Ok(None);
    }
    walkaway_lang::load(&text, target, walkaway_lang::Format::from_name(target)).map(Some)
}

/// A scenario from a file, a bare model id, an equation file, or (with
/// `None`) the embedded default. An argument is a file when it ends in
/// `.toml` or `.ode` or names an existing file; anything else must be a
/// model id. The error is the message for the person who typed `target`.
pub fn load(target: Option<&str>) -> Result<Scenario, String> {
    let of_model = |id: &str| {
        Scenario::parse(&format!("model = \"{id}\"\n"), "(command line)")
            .map_err(|e| e.to_message())
    };
    if let Some(model) = target.map(equation_file).transpose()?.flatten() {
        return of_model(walkaway_core::Model::info(model).id);
    }
    match target {
        None => Ok(Scenario::default_scenario()),
        Some(t) if t.ends_with(".toml") || Path::new(t).is_file() => {
            Scenario::load(Path::new(t)).map_err(|e| e.to_message())
        }
        Some(id) => {
            // Checked first so an unknown id lists the known ones (and so no
            // odd characters reach the TOML text).
            find(id).map_err(|e| e.to_string())?;
            of_model(id)
        }
    }
}

/// A scenario of the walkaway model (forecasts and sweeps run nothing
/// else) with the `NAME=VALUE` overrides applied; `what` names the
/// results in the refusal ("forecasts", "sweeps").
pub fn load_walkaway(
    target: Option<&str>,
    sets: &[String],
    what: &str,
) -> Result<Scenario, String> {
    let mut scenario = load(target)?;
    let id = scenario.model.info().id;
    if id != WALKAWAY.id {
        return Err(scenario
            .error(
                "model",
                format!(
                    "{what} need a scenario of the walkaway model; this one is of `{id}` (write model = \"walkaway\")"
                ),
            )
            .to_message());
    }
    for s in sets {
        scenario.apply_set(s).map_err(|e| e.to_message())?;
    }
    Ok(scenario)
}
