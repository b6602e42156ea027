//! Property tests: whatever a scenario file or a `--set` says, parsing ends
//! in a scenario whose every value is in range, or in an error that names a
//! key and says what is allowed; never a panic. Cases per run:
//! PROPTEST_CASES (default 2,000 here); scripts/campaign.sh asks for 10⁶.

use proptest::prelude::*;
use walkaway_core::catalog;
use walkaway_core::model::{INITIAL_LIMIT, MAX_SPAN, MIN_SPAN};
use walkaway_scenario::Scenario;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2000)
}

/// Numbers as TOML writes them, the awkward ones often.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("5e-324".to_string()),
        Just("1e-300".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e8".to_string()),
        Just("9223372036854775807".to_string()),
        Just("\"7\"".to_string()),
        Just("true".to_string()),
        any::<i32>().prop_map(|i| i.to_string()),
        (-1e3f64..1e3).prop_map(|x| format!("{x:?}")),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| format!("{x:e}")),
    ]
}

fn model_id() -> impl Strategy<Value = String> {
    let ids: Vec<String> = catalog().iter().map(|m| m.info().id.to_string()).collect();
    prop_oneof![
        9 => proptest::sample::select(ids),
        1 => "[a-z-]{0,12}",
    ]
}

/// A key a scenario may hold (of any model, so some are wrong for the one chosen).
fn key() -> impl Strategy<Value = (String, String)> {
    let mut params: Vec<String> = Vec::new();
    let mut states: Vec<String> = Vec::new();
    for m in catalog() {
        params.extend(m.info().params.iter().map(|p| p.name.to_string()));
        states.extend(m.info().states.iter().map(|s| s.name.to_string()));
    }
    prop_oneof![
        Just(("".to_string(), "horizon".to_string())),
        Just(("".to_string(), "seed".to_string())),
        proptest::sample::select(vec!["method", "rtol", "atol", "dt", "max_steps", "bogus"])
            .prop_map(|k| ("solver".to_string(), k.to_string())),
        Just(("output".to_string(), "every".to_string())),
        proptest::sample::select(states).prop_map(|k| ("initial".to_string(), k)),
        proptest::sample::select(params).prop_map(|k| ("params".to_string(), format!("\"{k}\""))),
    ]
}

fn value_for(key: &str) -> BoxedStrategy<String> {
    if key == "method" {
        prop_oneof![
            Just("\"dopri5\"".to_string()),
            Just("\"euler-maruyama\"".to_string()),
            Just("\"milstein\"".to_string()),
            Just("\"rk4\"".to_string()),
        ]
        .boxed()
    } else {
        number().boxed()
    }
}

fn scenario_text() -> impl Strategy<Value = String> {
    (
        model_id(),
        proptest::collection::vec(
            key().prop_flat_map(|(t, k)| (Just(t), Just(k.clone()), value_for(&k))),
            0..8,
        ),
    )
        .prop_map(|(model, entries)| {
            let mut text = format!("model = \"{model}\"\n");
            let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            let mut seen = std::collections::BTreeSet::new();
            for (table, k, v) in entries {
                if !seen.insert((table.clone(), k.clone())) {
                    continue; // TOML forbids duplicate keys; that error is tested elsewhere
                }
                if table.is_empty() {
                    text.push_str(&format!("{k} = {v}\n"));
                } else {
                    tables.entry(table).or_default().push(format!("{k} = {v}"));
                }
            }
            for (t, lines) in tables {
                text.push_str(&format!("[{t}]\n{}\n", lines.join("\n")));
            }
            text
        })
}

/// What a scenario that parsed must satisfy.
fn in_range(s: &Scenario) -> Result<(), TestCaseError> {
    let run = &s.run;
    let span = run.t_end - run.t0;
    prop_assert!((MIN_SPAN..=MAX_SPAN).contains(&span), "span {span}");
    prop_assert!(run.atol > 0.0 && run.atol <= 1.0);
    prop_assert!(run.rtol >= 1e-14 && run.rtol < 1.0);
    if let Some(every) = run.every {
        prop_assert!(every > 0.0 && span / every <= 1e7);
    }
    if run.method != walkaway_core::Method::Dopri5 {
        prop_assert!((span / run.dt).ceil() <= run.max_steps as f64);
    }
    for (_, v) in &s.initial {
        prop_assert!(v.is_finite() && v.abs() <= INITIAL_LIMIT);
    }
    let info = s.model.info();
    prop_assert!(info.check_params(&s.central_params()).is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn scenario_files_parse_into_range_or_name_a_key(text in scenario_text()) {
        match Scenario::parse(&text, "p.toml") {
            Ok(s) => in_range(&s)?,
            Err(e) => {
                prop_assert!(!e.key.is_empty(), "{e}");
                prop_assert!(!e.message.is_empty(), "{e}");
                // A located error points into the text.
                prop_assert!(e.line <= text.lines().count().max(1), "{e}\n{text}");
                prop_assert!(!e.message.contains("000000000000000000000"), "no 309-digit numbers: {e}");
            }
        }
    }

    #[test]
    fn any_text_is_refused_or_parsed_without_panic(text in "\\PC{0,200}") {
        let _ = Scenario::parse(&text, "p.toml");
    }

    #[test]
    fn set_values_keep_the_scenario_in_range(
        (table, k) in key(),
        v in number(),
        id in model_id(),
    ) {
        let Ok(mut s) = Scenario::parse(&format!("model = \"{id}\"\n"), "p.toml") else {
            return Ok(());
        };
        let name = match table.as_str() {
            "" => k,
            "params" => k.trim_matches('"').to_string(),
            "output" => format!("output.{k}"),
            t => format!("{t}.{k}"),
        };
        let v = v.trim_matches('"').to_string();
        match s.apply_set(&format!("{name}={v}")) {
            Ok(()) => {
                if s.check().is_ok() {
                    in_range(&s)?;
                }
            }
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                prop_assert!(!e.message.contains("000000000000000000000"), "{e}");
            }
        }
    }
}
