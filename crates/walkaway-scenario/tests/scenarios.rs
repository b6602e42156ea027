//! Scenario files: the default, every kind of bad input, and --set.

use walkaway_core::population::Population;
use walkaway_scenario::{DEFAULT_SCENARIO, Scenario, ScenarioError};

fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::parse(text, "test.toml")
}

fn error(text: &str) -> ScenarioError {
    parse(text).expect_err("should be rejected")
}

#[test]
fn the_default_scenario_is_the_default_population() {
    let s = Scenario::default_scenario();
    assert_eq!(s.model.info().id, "walkaway");
    assert_eq!(s.population, Population::walkaway_default());
    assert_eq!(s.run.t_end, 180.0);
    assert_eq!(s.run.every, Some(1.0));
    assert!(DEFAULT_SCENARIO.contains("model = \"walkaway\""));
    // Its central values (medians) are close to the model's defaults: the
    // single default story and the forecast describe the same typical partner.
    let info = s.model.info();
    let central = s.central_params();
    for (spec, v) in info.params.iter().zip(&central) {
        assert!(
            (spec.default - v).abs() <= 0.05 * spec.default.abs().max(1.0),
            "{} default {} vs scenario centre {v}",
            spec.name,
            spec.default
        );
    }
}

#[test]
fn nested_tables_flatten_to_dotted_names() {
    let s = parse(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = 0.8\n[params.mechanisms]\nnostalgia = false\n[params.separation]\nafter = \"decide\"\n",
    )
    .unwrap();
    let info = s.model.info();
    let p = s.central_params();
    assert_eq!(p[info.param_index("partner.satisfaction").unwrap()], 0.8);
    assert_eq!(p[info.param_index("mechanisms.nostalgia").unwrap()], 0.0);
    assert_eq!(p[info.param_index("separation.after").unwrap()], 2.0);
}

#[test]
fn other_models_and_initial_states_work() {
    let s = parse("model = \"strogatz\"\nhorizon = 10\n[params]\nb = -2\n[initial]\nromeo = 2\njuliet = 0.5\n").unwrap();
    let p = s.central_params();
    assert_eq!(p[1], -2.0);
    assert_eq!(s.initial_state(&p), vec![2.0, 0.5]);
    assert_eq!(s.run.t_end, 10.0);
}

#[test]
fn unknown_keys_are_named_with_their_line_and_a_suggestion() {
    let e = error("model = \"walkaway\"\nhorizn = 100\n");
    assert_eq!((e.line, e.key.as_str()), (2, "horizn"));
    assert!(e.message.contains("did you mean `horizon`"), "{e}");
    let e = error("model = \"walkaway\"\n\n[params]\npartner.satisfation = 0.5\n");
    assert_eq!(e.line, 4, "{e}");
    assert_eq!(e.key, "partner.satisfation");
    assert!(e.message.contains("partner.satisfaction"), "{e}");
    let e = error("model = \"walkaway\"\n[solver]\nrtoll = 1e-6\n");
    assert_eq!((e.line, e.key.as_str()), (3, "solver.rtoll"));
    assert!(e.to_string().starts_with("test.toml:3:"), "{e}");
}

#[test]
fn wrong_types_are_rejected() {
    let e = error("model = \"walkaway\"\n[params]\npartner.satisfaction = \"high\"\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("from 0 to 1"), "{e}");
    let e = error("model = \"walkaway\"\n[params]\nmechanisms.nostalgia = 1\n");
    assert!(e.message.contains("true or false"), "{e}");
    let e = error("model = \"walkaway\"\nhorizon = \"long\"\n");
    assert_eq!(e.key, "horizon");
    assert!(e.message.contains("expected a number"), "{e}");
    let e = error("model = 3\n");
    assert!(e.message.contains("expected a string"), "{e}");
}

#[test]
fn out_of_range_values_say_what_is_allowed() {
    let e = error("model = \"walkaway\"\n[params]\npartner.negativity = 1.5\n");
    assert_eq!((e.line, e.key.as_str()), (3, "partner.negativity"));
    assert!(
        e.message.contains("1.5") && e.message.contains("from 0 to 1"),
        "{e}"
    );
    let e = error("model = \"walkaway\"\n[params]\nseparation.after = \"maybe\"\n");
    assert!(e.message.contains("apart, return, decide"), "{e}");
    // Found by the long campaign (scripts/campaign.sh, 10^6 cases): a huge
    // number for a choice was repeated in 309 digits.
    let e = error("model = \"walkaway\"\n[params]\n\"separation.after\" = 1e308\n");
    assert!(e.message.contains("= 1e308 "), "{e}");
    let e = error("model = \"walkaway\"\n[solver]\nmethod = \"rk4\"\n");
    assert!(e.message.contains("dopri5"), "{e}");
    let e = error("model = \"walkaway\"\n[output]\nevery = -1\n");
    assert_eq!(e.key, "output.every");
    assert_eq!(e.line, 3);
}

#[test]
fn distributions_must_stay_inside_the_parameter_range() {
    let e = error(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"normal\", mean = 0.5, sd = 0.1 }\n",
    );
    assert!(
        e.message.contains("outside the parameter's range") && e.message.contains("min"),
        "{e}"
    );
    parse("model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"normal\", mean = 0.5, sd = 0.1, min = 0, max = 1 }\n").unwrap();
    let e = error(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"gaussian\", mean = 0.5 }\n",
    );
    assert!(
        e.message.contains("unknown distribution") && e.message.contains("normal"),
        "{e}"
    );
    let e = error(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"beta\", alpha = 2 }\n",
    );
    assert_eq!(e.key, "partner.satisfaction.beta");
    let e = error(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"beta\", alpha = -2, beta = 2 }\n",
    );
    assert!(e.message.contains("positive"), "{e}");
    let e = error(
        "model = \"walkaway\"\n[params]\nmechanisms.nostalgia = { dist = \"uniform\", min = 0, max = 1 }\n",
    );
    assert!(e.message.contains("only allowed for numeric"), "{e}");
    let e = error(
        "model = \"walkaway\"\n[params]\npartner.social = { dist = \"uniform\", min = 0.8, max = 0.2 }\n",
    );
    assert!(e.message.contains("below max"), "{e}");
}

#[test]
fn impossible_schedules_point_at_the_start() {
    let e = error("model = \"walkaway\"\nhorizon = 100\n[params.separation]\nstart = 150\n");
    assert_eq!(e.key, "separation.start");
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("horizon"), "{e}");
}

#[test]
fn syntax_errors_and_unknown_models_are_located() {
    let e = error("model = \"walkaway\"\n[params\n");
    assert_eq!(e.line, 2, "{e}");
    let e = error("model = \"romeo\"\n");
    assert_eq!(e.key, "model");
    assert!(e.message.contains("strogatz"), "{e}");
    let e = error("title = \"no model\"\n");
    assert!(e.message.contains("missing"), "{e}");
}

#[test]
fn set_overrides_fix_parameters_and_check_them() {
    let mut s = Scenario::default_scenario();
    s.apply_set("partner.satisfaction=0.9").unwrap();
    let i = s.model.info().param_index("partner.satisfaction").unwrap();
    assert_eq!(s.central_params()[i], 0.9);
    assert!(s.population.spreads.iter().all(|(j, _)| *j != i));
    s.apply_set("horizon=90").unwrap();
    assert_eq!(s.run.t_end, 90.0);
    s.apply_set("initial.love=0.2").unwrap();
    assert_eq!(s.initial_state(&s.central_params())[0], 0.2);
    let e = s.apply_set("partner.satisfaction=7").unwrap_err();
    assert!(e.to_string().contains("from 0 to 1"), "{e}");
    let e = s.apply_set("separation.start=500").unwrap_err();
    assert!(e.to_string().contains("horizon"), "{e}");
    let e = s.apply_set("nonsense").unwrap_err();
    assert!(e.to_string().contains("NAME=VALUE"), "{e}");
    let e = s.apply_set("partner.satisfacton=0.3").unwrap_err();
    assert!(
        e.to_string()
            .contains("did you mean `partner.satisfaction`"),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let e = Scenario::load(std::path::Path::new("/nonexistent/x.toml")).unwrap_err();
    assert!(e.message.contains("cannot read"), "{e}");
}
