//! Equation models loaded while the program runs, found by id like the
//! catalog's (so scenarios, analyses and ensembles reach them the same way).

use std::sync::RwLock;

use super::model::EquationModel;
use crate::error::ModelError;
use crate::model::Model;

/// The most equation models one process keeps (each stays in memory until
/// the process ends; a server refuses further uploads past this).
pub const MAX_REGISTERED: usize = 256;

static REGISTERED: RwLock<Vec<&'static EquationModel>> = RwLock::new(Vec::new());

/// Keeps a compiled model for the rest of the process and makes its id
/// known to [`crate::find`]. Registering the same equations again under
/// the same id returns the model already kept.
pub fn register(model: EquationModel) -> Result<&'static EquationModel, ModelError> {
    let id = model.info().id;
    if crate::models::catalog().iter().any(|m| m.info().id == id) {
        return Err(ModelError::InvalidRunOption {
            field: "id",
            value: id.to_string(),
            allowed: "an id that no catalog model uses (see `walkaway models`)".into(),
        });
    }
    let mut list = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    if let Some(existing) = list.iter().find(|m| m.info().id == id) {
        let mut a = existing.source().clone();
        let mut b = model.source().clone();
        a.file.clear();
        b.file.clear();
        if a == b {
            return Ok(existing);
        }
        return Err(ModelError::InvalidRunOption {
            field: "id",
            value: id.to_string(),
            allowed: "an id not already used by another equation file loaded here".into(),
        });
    }
    if list.len() >= MAX_REGISTERED {
        return Err(ModelError::InvalidRunOption {
            field: "model",
            value: format!("{} loaded", list.len()),
            allowed: format!("at most {MAX_REGISTERED} equation models per process"),
        });
    }
    let kept: &'static EquationModel = Box::leak(Box::new(model));
    list.push(kept);
    Ok(kept)
}

/// A registered equation model by id.
pub fn find_registered(id: &str) -> Option<&'static EquationModel> {
    REGISTERED
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .copied()
        .find(|m| m.info().id == id)
}

/// Every registered equation model, in the order they were loaded.
pub fn registered() -> Vec<&'static EquationModel> {
    REGISTERED.read().unwrap_or_else(|e| e.into_inner()).clone()
}
