//! The catalog of models: published love-dynamics models, reproduced and
//! verified, and the walkaway model built on them.

pub mod gone_with_the_wind;
pub mod gottman;
pub mod laura_petrarch;
pub mod rinaldi_insecure;
pub mod rinaldi_linear;
pub mod strogatz;
pub mod walkaway;

use crate::error::ModelError;
use crate::model::Model;

/// Every built-in model, in the order they are listed.
pub fn catalog() -> Vec<&'static dyn Model> {
    vec![
        &walkaway::Walkaway,
        &strogatz::Strogatz,
        &rinaldi_linear::RinaldiLinear,
        &rinaldi_insecure::RinaldiInsecure,
        &laura_petrarch::LauraPetrarch,
        &gone_with_the_wind::GoneWithTheWind,
        &gottman::Gottman,
    ]
}

/// Looks a model up by its id: the catalog, then the equation models
/// loaded by this process ([`crate::equations::register`]).
pub fn find(id: &str) -> Result<&'static dyn Model, ModelError> {
    let all = catalog();
    if let Some(m) = all.iter().copied().find(|m| m.info().id == id) {
        return Ok(m);
    }
    if let Some(m) = crate::equations::find_registered(id) {
        return Ok(m);
    }
    let mut known: Vec<&str> = all.iter().map(|m| m.info().id).collect();
    let loaded = crate::equations::registered();
    known.extend(loaded.iter().map(|m| m.info().id));
    Err(ModelError::UnknownModel {
        id: id.to_string(),
        known: known.join(", "),
    })
}
