//! The bifurcation diagram: equilibrium branches (stable solid, unstable
//! dashed) with folds and Hopf points, and the maxima of the orbits.

use walkaway_plot::{BifurcationDiagram, BranchPoint, Figure, SpecialMark};

use super::{axis_name, short_title};
use crate::analysis::{self, Setup};
use crate::common::Failure;

pub fn bifurcation_figure(
    setup: &Setup,
    param: &str,
    var: Option<&str>,
    search_box: Option<&str>,
) -> Result<Figure, Failure> {
    let model = setup.scenario.model;
    let info = model.info();
    let (p, lo, hi) = analysis::parse_param_range("--param", param, model)?;
    let variable = match var {
        Some(v) => info
            .state_index(v)
            .map_err(|e| Failure::Input(format!("--var: {e}")))?,
        None => 0,
    };
    let given = search_box
        .map(|t| analysis::parse_range("--box", t))
        .transpose()?;
    let mut at_lo = setup.params.clone();
    at_lo[p] = lo;
    let bounds = analysis::search_box(setup, given)?;
    let d = analysis::diagram(setup, p, (lo, hi), &bounds, variable)?;
    let branches = d
        .branches
        .iter()
        .map(|b| {
            b.points
                .iter()
                .map(|q| BranchPoint {
                    param: q.param,
                    value: q.state[variable],
                    stable: q.kind.is_stable(),
                })
                .collect()
        })
        .collect();
    let pname = info.params[p].name;
    let special = d
        .branches
        .iter()
        .flat_map(|b| b.special.iter())
        .map(|s| SpecialMark {
            param: s.param,
            value: s.state[variable],
            label: format!("{} ({pname} = {:.3})", s.kind.name(), s.param),
        })
        .collect();
    let maxima = d
        .orbits
        .iter()
        .flat_map(|o| o.values.iter().map(move |v| (o.param, *v)))
        .collect();
    let unit = info.params[p].unit;
    Ok(Figure::Bifurcation(BifurcationDiagram {
        title: format!(
            "{}: equilibria and cycles against {pname}",
            short_title(info)
        ),
        x_label: if unit.is_empty() || unit == "1" {
            pname.to_string()
        } else {
            format!("{pname} ({unit})")
        },
        y_label: axis_name(info, variable),
        branches,
        special,
        maxima,
        note: if let Some(c) = setup.caveat {
            c.to_string()
        } else {
            format!("Model: {}.", info.title)
        },
    }))
}
