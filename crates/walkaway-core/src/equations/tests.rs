use super::program::Op;
use super::source::{Assignment, Formula, ModelSource, ParamDecl, Pos, StateDecl};
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

/// A model from `(name, initial value)` states, `(name, default)`
/// parameters and `(name, formula)` definitions and equations.
pub(crate) fn model(
    id: &str,
    states: &[(&str, f64)],
    params: &[(&str, f64)],
    definitions: &[(&str, &str)],
    equations: &[(&str, &str)],
) -> EquationModel {
    let at = Pos::new(1, 1);
    let assign = |&(name, text): &(&str, &str)| Assignment {
        name: name.into(),
        at,
        formula: Formula {
            text: text.into(),
            origin: at,
        },
    };
    compile(&ModelSource {
        file: "test".into(),
        id: id.into(),
        title: String::new(),
        description: String::new(),
        citation: String::new(),
        time_unit: String::new(),
        t_end: 20.0,
        every: 0.5,
        states: states
            .iter()
            .map(|&(name, initial)| StateDecl {
                name: name.into(),
                initial,
                unit: String::new(),
                description: String::new(),
                at,
            })
            .collect(),
        params: params
            .iter()
            .map(|&(name, default)| ParamDecl {
                name: name.into(),
                default,
                min: -100.0,
                max: 100.0,
                unit: String::new(),
                description: String::new(),
                at,
            })
            .collect(),
        definitions: definitions.iter().map(assign).collect(),
        equations: equations.iter().map(assign).collect(),
        outputs: Vec::new(),
        events: Vec::new(),
    })
    .unwrap()
}

/// Laura and Petrarch as `examples/models/laura-petrarch.toml` writes them.
pub(crate) fn laura_petrarch_file() -> EquationModel {
    model(
        "laura-petrarch-file",
        &[("laura", 0.0), ("petrarch", 0.0), ("inspiration", 0.0)],
        &[
            ("alpha1", 3.6),
            ("alpha2", 1.2),
            ("alpha3", 0.12),
            ("beta1", 1.2),
            ("beta2", 6.0),
            ("beta3", 12.0),
            ("gamma", 1.0),
            ("delta", 1.0),
            ("a_l", 2.0),
            ("a_p", -1.0),
        ],
        &[("ratio", "petrarch / gamma")],
        &[
            (
                "laura",
                "-alpha1*laura + beta1*(petrarch*(1 - ratio*ratio) + a_p)",
            ),
            (
                "petrarch",
                "-alpha2*petrarch + beta2*(laura + a_l/(1 + delta*inspiration))",
            ),
            ("inspiration", "-alpha3*inspiration + beta3*petrarch"),
        ],
    )
}

/// The ensemble kernel's form of the right-hand side (parameter-only part
/// run when the parameters change, products fused into sums) against the
/// plain program run on one lane at a time (`vector_field`): the same bits
/// on every lane, for lane widths that use the blocked loops and one that
/// does not, and after some lanes' parameters change.
fn lanes_give_the_plain_program_s_bits<const N: usize, const W: usize>(m: &EquationModel) {
    use crate::ensemble::systems::LaneSystem;
    use crate::real::Lane;
    use crate::rng::{Purpose, Stream};
    let sys = EquationLanes::<N> { model: m };
    let nominal = sys.nominal_parameters();
    let mut stream = Stream::new(11, W as u64, Purpose::Parameters);
    let draw = |stream: &mut Stream| -> [Lane<W>; MAX_PARAMS] {
        std::array::from_fn(|j| {
            Lane(std::array::from_fn(|_| {
                nominal[j] * (1.0 + 0.5 * stream.uniform_in(-1.0, 1.0))
            }))
        })
    };
    let mut p = draw(&mut stream);
    let mut prepared = sys.prepare(&p);
    for round in 0..50 {
        if round % 10 == 9 {
            // New trajectories in some lanes, as when the kernel refills them.
            let fresh = draw(&mut stream);
            for j in 0..MAX_PARAMS {
                for w in (0..W).step_by(3) {
                    p[j][w] = fresh[j][w];
                }
            }
            sys.reload(&mut prepared, &p);
        }
        let y: [Lane<W>; N] =
            std::array::from_fn(|_| Lane(std::array::from_fn(|_| stream.uniform_in(-3.0, 3.0))));
        let mut dy = [Lane::from(0.0); N];
        sys.rhs(&mut prepared, &p, &y, &mut dy);
        for w in 0..W {
            let params: Vec<f64> = (0..m.info().params.len()).map(|j| p[j][w]).collect();
            let state: Vec<f64> = y.iter().map(|lane| lane[w]).collect();
            let mut plain = [0.0; N];
            m.vector_field(&params, 0.0, &state, &mut plain);
            for i in 0..N {
                assert_eq!(
                    dy[i][w].to_bits(),
                    plain[i].to_bits(),
                    "{}, d{}/dt, {W} lanes, lane {w}: {} vs {}; {params:?} {state:?}",
                    m.info().id,
                    m.state_names[i],
                    dy[i][w],
                    plain[i]
                );
            }
        }
    }
}

#[test]
fn hoisting_and_fusion_give_the_bits_of_the_plain_program() {
    let lp = laura_petrarch_file();
    // `-alpha1`, `-alpha2`, `-alpha3` depend on the parameters alone; six
    // products are fused into the sums that read them.
    assert_eq!(lp.lanes.hoisted.instrs.len(), 3);
    assert_eq!(lp.rhs.instrs.len(), 3 + lp.lanes.per_call.instrs.len() + 6);
    lanes_give_the_plain_program_s_bits::<3, 32>(&lp);
    lanes_give_the_plain_program_s_bits::<3, 8>(&lp);
    lanes_give_the_plain_program_s_bits::<3, 1>(&lp);

    // Every fused form, hoisted functions and conditionals, a product read
    // three times (not fused), a product that is also an output (not
    // fused) and a derivative that is a parameter.
    let mixed = model(
        "mixed",
        &[("x", 0.5), ("y", -0.5), ("z", 1.0), ("u", 0.0)],
        &[("a", 1.5), ("b", -0.7), ("c", 2.0), ("k", 0.3)],
        &[("ab", "a*b + c"), ("xy", "x*y")],
        &[
            (
                "x",
                "a*x + b*y - c*x*z + (k - x*y) + exp(-k)*sqrt(c) + if(x > a, sin(y), cos(x)*b) + y*z",
            ),
            (
                "y",
                "x*z - k + ab*xy + pow(abs(y) + 1, k) / (1 + x*x) - b*z",
            ),
            ("z", "y*z"),
            ("u", "k"),
        ],
    );
    assert!(!mixed.lanes.hoisted.instrs.is_empty());
    for op in [Op::MulAdd, Op::AddMul, Op::MulSub, Op::SubMul] {
        assert!(
            mixed.lanes.per_call.instrs.iter().any(|i| i.op == op),
            "{op:?}: {:?}",
            mixed.lanes.per_call.instrs
        );
    }
    lanes_give_the_plain_program_s_bits::<4, 32>(&mixed);
    lanes_give_the_plain_program_s_bits::<4, 8>(&mixed);
    lanes_give_the_plain_program_s_bits::<4, 1>(&mixed);
}

/// The compiler reads an instruction's operands by `Op::arity`, so each
/// function's declared argument count must agree with it.
#[test]
fn functions_take_as_many_arguments_as_their_operation_reads() {
    for &(name, arguments, op) in super::compile::FUNCTIONS {
        assert_eq!(op.arity(), arguments, "{name}");
    }
}
