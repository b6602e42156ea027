//! Bad equation files get an error naming the file, line and column and
//! what is allowed; nothing panics.

use proptest::prelude::*;
use walkaway_core::{Model, RunOptions};
use walkaway_lang::{Format, compile};

/// A two-state model whose first equation is `formula`, plus extra TOML.
fn model(formula: &str, extra: &str) -> String {
    format!(
        "[model]\nid = \"m\"\n[states]\nx = 1\ny = 0\n[params]\na = 2\n{extra}\n[equations]\nx = \"{formula}\"\ny = \"-x\"\n"
    )
}

fn error(text: &str, format: Format) -> String {
    let file = if format == Format::Xppaut {
        "m.ode"
    } else {
        "m.toml"
    };
    compile(text, file, format).unwrap_err().to_string()
}

/// The line of `[equations]`'s first formula in [`model`] without extra.
const X_LINE: usize = 10;

#[test]
fn an_unknown_name_is_located_and_the_known_names_listed() {
    let e = error(&model("a*y + foo", ""), Format::Toml);
    assert_eq!(
        e,
        format!("m.toml:{X_LINE}:12: unknown name `foo`; allowed: x, y, a, t, pi")
    );
}

#[test]
fn wrong_arity_names_the_function_and_its_arity() {
    let e = error(&model("sin(x, y)", ""), Format::Toml);
    assert!(
        e.starts_with(&format!(
            "m.toml:{X_LINE}:6: `sin` takes 1 argument, found 2"
        )),
        "{e}"
    );
    let e = error(&model("if(x > 0, 1)", ""), Format::Toml);
    assert!(e.contains("`if` takes 3 arguments"), "{e}");
    let e = error(&model("cosine(x)", ""), Format::Toml);
    assert!(
        e.contains("unknown function `cosine`; functions: abs/1"),
        "{e}"
    );
}

#[test]
fn division_by_a_constant_zero_is_refused() {
    let e = error(&model("x / (2 - 2)", ""), Format::Toml);
    assert!(
        e.starts_with(&format!(
            "m.toml:{X_LINE}:6: `x / (2 - 2)` divides by a constant zero"
        )),
        "{e}"
    );
    let e = error(&model("ln(0) * x", ""), Format::Toml);
    assert!(
        e.contains("`ln(0)` is -inf for any states and parameters"),
        "{e}"
    );
}

#[test]
fn a_cycle_of_definitions_is_refused_with_the_cycle() {
    let e = error(
        &model("u", "[define]\nu = \"v + 1\"\nv = \"2*u\""),
        Format::Toml,
    );
    assert!(e.contains("the definitions form a cycle: u → v → u"), "{e}");
    assert!(e.starts_with("m.toml:"), "{e}");
}

#[test]
fn parameters_that_give_nan_are_named_with_the_formula() {
    let text = "[model]\nid = \"m\"\n[states]\nx = 0\n[params]\ng = { default = 0, min = 0, max = 10 }\n[equations]\nx = \"1 - x/g\"\n";
    let e = error(text, Format::Toml);
    assert!(
        e.starts_with("m.toml:8:10: `x/g` is NaN at the start"),
        "{e}"
    );
    assert!(e.contains("with g = 0"), "{e}");
    // The same through `simulate` with a parameter a user chose.
    let text = text.replace("default = 0", "default = 1");
    let m = compile(&text, "m.toml", Format::Toml).unwrap();
    let err = m
        .simulate(&[0.0], &[0.0], &RunOptions::for_model(m.info()))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("parameter `g` = 0 is out of range"),
        "{err}"
    );
    assert!(err.contains("m.toml:8:10: `x/g` is NaN"), "{err}");
}

#[test]
fn syntax_errors_point_at_the_character() {
    let e = error(&model("a * (x + ", ""), Format::Toml);
    assert!(e.starts_with(&format!("m.toml:{X_LINE}:")), "{e}");
    assert!(e.contains("missing `)`") || e.contains("ends where"), "{e}");
    let e = error(&model("a = x", ""), Format::Toml);
    assert!(
        e.contains("unexpected character `=` (compare with `==`)"),
        "{e}"
    );
    let deep = format!("{}x{}", "(".repeat(500), ")".repeat(500));
    let e = error(&model(&deep, ""), Format::Toml);
    assert!(e.contains("nested more than 64 levels"), "{e}");
}

#[test]
fn structural_mistakes_are_named() {
    let e = error(
        "[model]\nid = \"m\"\n[states]\nx = 1\n[equations]\ny = \"1\"\n",
        Format::Toml,
    );
    assert_eq!(
        e,
        "m.toml:6:1: `y` is not a state variable, so it has no derivative; states: x"
    );
    let e = error(
        "[model]\nid = \"m\"\n[states]\nx = 1\ny = 2\n[equations]\nx = \"1\"\n",
        Format::Toml,
    );
    assert_eq!(
        e,
        "m.toml:5:1: state `y` has no equation for its derivative"
    );
    let e = error("[model]\nid = \"m\"\ncolour = 1\n", Format::Toml);
    assert!(
        e.starts_with("m.toml:3:1: unknown key `colour` in [model]"),
        "{e}"
    );
    let e = error(
        "[model]\nid = \"M y\"\n[states]\nx = 1\n[equations]\nx = \"1\"\n",
        Format::Toml,
    );
    assert!(e.contains("model id `M y` is not allowed"), "{e}");
    let e = error(
        "[model]\nid = \"m\"\n[states]\nsin = 1\n[equations]\nsin = \"1\"\n",
        Format::Toml,
    );
    assert!(e.contains("`sin` is a built-in name"), "{e}");
}

#[test]
fn unsupported_xppaut_features_name_the_line() {
    for (line, what) in [
        ("table f f.tab", "`table` (lookup tables) is not supported"),
        ("wiener w", "`wiener` (Wiener (noise) variables)"),
        ("global 1 x-1 {x=0}", "`global` (global flags"),
        (
            "f(u)=u^2",
            "user-defined functions (`f(u)=...`) are not supported",
        ),
        ("x(t+1)=x", "x(t+1)"),
        ("@ maxit=3", "the XPPAUT option `maxit` is not supported"),
        ("!b=2*a", "derived parameters"),
    ] {
        let text = format!("# a model\nx' = -a*x\npar a=1\n{line}\ndone\n");
        let e = error(&text, Format::Xppaut);
        assert!(e.starts_with("m.ode:4:"), "{line}: {e}");
        assert!(e.contains(what), "{line}: {e}");
    }
    let e = error("x' = -a*x\npar a=1\ninit y=2\n", Format::Xppaut);
    assert!(e.starts_with("m.ode:3:6: `y` gets an initial value"), "{e}");
    let e = error("x' = -a*q\npar a=1\n", Format::Xppaut);
    assert!(e.starts_with("m.ode:1:9: unknown name `q`"), "{e}");
}

#[test]
fn too_large_a_file_is_refused() {
    let text = "#".repeat(walkaway_lang::MAX_SOURCE_BYTES + 1);
    assert!(error(&text, Format::Xppaut).contains("allowed: at most 65536"));
}

fn alphabet() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[a-z0-9 +\-*/^().,<>=!&|'#@\n\[\]{}\x22_]{0,80}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any formula: an error or a model that runs (or fails cleanly).
    #[test]
    fn any_formula_compiles_or_errs_without_panic(formula in alphabet()) {
        let clean = formula.replace(['"', '\n', '\\'], " ");
        if let Ok(m) = compile(&model(&clean, ""), "m.toml", Format::Toml) {
            let run = RunOptions { t_end: 1.0, max_steps: 2000, ..RunOptions::for_model(m.info()) };
            let _ = m.simulate(&m.info().default_params(), &m.info().default_state(), &run);
            let mut out = [0.0; 2];
            m.vector_field(&m.info().default_params(), 0.0, &[0.5, -0.5], &mut out);
        }
    }

    /// Any file text, in both formats: no panic.
    #[test]
    fn any_file_text_is_read_without_panic(text in alphabet()) {
        let _ = compile(&text, "m.ode", Format::Xppaut);
        let _ = compile(&text, "m.toml", Format::Toml);
        let _ = compile(&format!("x' = {text}\n"), "m.ode", Format::Xppaut);
    }
}
