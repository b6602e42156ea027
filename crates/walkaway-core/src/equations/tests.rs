use super::source::{Assignment, Formula, ModelSource, Pos, StateDecl};
use super::*;
use crate::model::Model;

/// A one-state model dx/dt = `formula`, x(0) = 0.
fn one(formula: &str) -> Result<EquationModel, LangError> {
    let at = Pos::new(1, 1);
    compile(&ModelSource {
        file: "test".into(),
        id: "test".into(),
        title: String::new(),
        description: String::new(),
        citation: String::new(),
        time_unit: String::new(),
        t_end: 1.0,
        every: 0.5,
        states: vec![StateDecl {
            name: "x".into(),
            initial: 0.0,
            unit: String::new(),
            description: String::new(),
            at,
        }],
        params: Vec::new(),
        definitions: Vec::new(),
        equations: vec![Assignment {
            name: "x".into(),
            at,
            formula: Formula {
                text: formula.into(),
                origin: at,
            },
        }],
        outputs: Vec::new(),
        events: Vec::new(),
    })
}

fn value(formula: &str, x: f64) -> f64 {
    let m = one(formula).unwrap();
    let mut out = [0.0];
    m.vector_field(&[], 0.0, &[x], &mut out);
    out[0]
}

#[test]
fn precedence_follows_mathematics() {
    assert_eq!(value("-x^2", 3.0), -9.0);
    assert_eq!(value("2^3^2", 0.0), 512.0);
    assert_eq!(value("1 + 2*3 - 4/2", 0.0), 5.0);
    assert_eq!(value("2**x", 3.0), 8.0);
    assert_eq!(value("x > 1 && x < 4 || x == 10", 2.0), 1.0);
    assert_eq!(value("!(x > 1)", 2.0), 0.0);
}

#[test]
fn conditionals_and_functions() {
    assert_eq!(value("if(x > 0, x, -x)", -2.0), 2.0);
    assert_eq!(value("if(x > 0)then(1)else(2)", -2.0), 2.0);
    assert_eq!(value("heav(x) + sign(x) + abs(x)", -2.0), 1.0);
    assert_eq!(value("mod(x, 3)", -1.0), 2.0);
    assert_eq!(value("max(x, 1) + min(x, 1)", 5.0), 6.0);
    assert!((value("sin(pi/2) + exp(0) + ln(1)", 0.0) - 2.0).abs() < 1e-15);
    // A conditional's untaken branch may be NaN without harm.
    assert_eq!(value("if(x >= 0, sqrt(x), 0)", -1.0), 0.0);
}

#[test]
fn time_dependence_keeps_a_model_out_of_the_ensemble_kernel() {
    assert!(one("-x").unwrap().ensemble_obstacle().is_none());
    let reason = one("sin(t) - x").unwrap().ensemble_obstacle().unwrap();
    assert!(reason.contains("uses the time t"), "{reason}");
}
