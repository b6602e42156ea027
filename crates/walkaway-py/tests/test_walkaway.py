"""The Python package against the command line: same arguments, same numbers,
same error messages (docs/python.md).

Run by scripts/test.sh after `maturin develop`; WALKAWAY_CLI names the
`walkaway` binary to compare with (default: target/debug/walkaway).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import walkaway

REPO = Path(__file__).resolve().parents[3]
MODELS = REPO / "examples" / "models"


def cli_path():
    path = Path(os.environ.get("WALKAWAY_CLI", REPO / "target" / "debug" / "walkaway"))
    assert path.is_file(), f"no walkaway binary at {path}: cargo build -p walkaway, or set WALKAWAY_CLI"
    return str(path)


def cli(*args):
    """The command's standard output, parsed as JSON."""
    done = subprocess.run([cli_path(), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def cli_refusal(*args):
    """The command's message for bad input (exit code 2)."""
    done = subprocess.run([cli_path(), *args], capture_output=True, text=True)
    assert done.returncode == 2, (done.returncode, done.stderr)
    prefix = "walkaway: "
    assert done.stderr.startswith(prefix), done.stderr
    return done.stderr[len(prefix):].strip()


def test_models_lists_the_catalog_with_titles_and_parameters():
    listed = walkaway.models()
    from_cli = cli("models", "--format", "json")
    assert [m["id"] for m in listed] == [m["id"] for m in from_cli]
    assert [m["title"] for m in listed] == [m["title"] for m in from_cli]
    strogatz = next(m for m in listed if m["id"] == "strogatz")
    assert [s["name"] for s in strogatz["states"]] == ["romeo", "juliet"]
    assert {p["name"] for p in strogatz["params"]} == {"a", "b", "c", "d"}
    assert "load_model" in walkaway.models.__doc__


def test_simulate_gives_the_cli_numbers_as_numpy_arrays():
    result = walkaway.simulate("strogatz", t_end=12.5, every=0.5, b=-0.5)
    expected = cli("simulate", "strogatz", "--t-end", "12.5", "--every", "0.5", "--set", "b=-0.5", "--format", "json")
    assert isinstance(result["times"], np.ndarray)
    assert result["times"].shape == (len(expected["times"]),)
    np.testing.assert_array_equal(result["times"], expected["times"])
    assert list(result["states"]) == expected["columns"]
    rows = np.array(expected["rows"])
    for i, name in enumerate(expected["columns"]):
        assert result["states"][name].dtype == np.float64
        np.testing.assert_array_equal(result["states"][name], rows[:, i])
    assert result["outcome"] == expected["outcome"]
    assert result["stats"]["steps"] == expected["stats"]["steps"]


def test_simulate_of_the_walkaway_model_has_events_and_an_outcome_as_the_cli():
    result = walkaway.simulate("walkaway", t_end=120, seed=7, **{"mechanisms.nostalgia": False})
    expected = cli(
        "simulate", "walkaway", "--t-end", "120", "--seed", "7",
        "--set", "mechanisms.nostalgia=false", "--format", "json",
    )
    assert result["events"] == expected["events"]
    assert result["outcome"] == expected["outcome"]
    assert result["outcome"] is not None
    np.testing.assert_array_equal(result["states"]["love"], np.array(expected["rows"])[:, expected["columns"].index("love")])


@pytest.mark.parametrize("file", ["strogatz.ode", "strogatz.toml", "laura-petrarch.ode", "laura-petrarch.toml"])
def test_equation_files_run_as_on_the_cli(file):
    path = str(MODELS / file)
    result = walkaway.simulate(path, t_end=3)
    expected = cli("simulate", path, "--t-end", "3", "--format", "json")
    assert list(result["states"]) == expected["columns"]
    np.testing.assert_array_equal(np.column_stack(list(result["states"].values())), np.array(expected["rows"]))


def test_an_ode_file_gives_the_compiled_models_trajectory():
    from_file = walkaway.simulate(str(MODELS / "laura-petrarch.ode"), t_end=5)
    compiled = walkaway.simulate("laura-petrarch", t_end=5, every=from_file["times"][1])
    np.testing.assert_allclose(from_file["times"], compiled["times"], rtol=0, atol=1e-12)
    # The three states (the file adds an aux column after them).
    file_states = np.column_stack(list(from_file["states"].values())[:3])
    catalog_states = np.column_stack(list(compiled["states"].values())[:3])
    np.testing.assert_allclose(file_states, catalog_states, rtol=1e-5, atol=1e-6)


def test_load_model_describes_an_equation_file_and_registers_its_id():
    info = walkaway.load_model(str(MODELS / "strogatz.ode"))
    assert info["id"] == "strogatz-ode"
    assert [s["name"] for s in info["states"]] == ["r", "j"]
    assert walkaway.simulate("strogatz-ode", t_end=1)["model"] == "strogatz-ode"


def test_ensemble_gives_the_cli_numbers_to_the_bit():
    result = walkaway.ensemble("laura-petrarch", trajectories=600, jitter=0.1, t_end=4, seed=3, threads=2)
    expected = cli(
        "ensemble", "laura-petrarch", "--trajectories", "600", "--jitter", "0.1",
        "--t-end", "4", "--seed", "3", "--threads", "2", "--format", "json",
    )
    assert result["state_names"] == expected["state_names"]
    np.testing.assert_array_equal(result["final_mean"], expected["final_mean"])
    np.testing.assert_array_equal(result["final_sd"], expected["final_sd"])
    for key in ["trajectories", "steps", "rejected", "rhs_calls", "seed"]:
        assert result[key] == expected[key]
    assert "final_states" not in result


def test_ensemble_final_states_are_every_trajectory_of_the_same_run():
    result = walkaway.ensemble("strogatz", trajectories=300, t_end=2, seed=5, final_states=True)
    states = result["final_states"]
    assert states.shape == (300, 2)
    np.testing.assert_allclose(states.mean(axis=0), result["final_mean"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(states.std(axis=0, ddof=1), result["final_sd"], rtol=1e-9)


def test_ensemble_of_an_equation_file_as_the_cli():
    path = str(MODELS / "strogatz.ode")
    result = walkaway.ensemble(path, trajectories=100, t_end=2, seed=2)
    expected = cli("ensemble", path, "--trajectories", "100", "--t-end", "2", "--seed", "2", "--format", "json")
    np.testing.assert_array_equal(result["final_mean"], expected["final_mean"])


def test_forecast_is_the_clis_json_form():
    args = dict(trajectories=64, seed=11, models=0, attribution=False)
    result = walkaway.forecast(**args, **{"separation.length": 60})
    expected = cli(
        "forecast", "--trajectories", "64", "--seed", "11", "--models", "0", "--no-attribution",
        "--set", "separation.length=60", "--format", "json",
    )
    for timing in ["seconds", "caveat"]:
        result.pop(timing, None)
        expected.pop(timing, None)
    assert result == expected
    assert isinstance(result["outcomes"], list)


@pytest.mark.parametrize(
    "call, cli_args",
    [
        ('walkaway.simulate("no-such-model")', ["simulate", "no-such-model"]),
        ('walkaway.simulate("strogatz", a=1000)', ["simulate", "strogatz", "--set", "a=1000"]),
        ('walkaway.simulate("strogatz", nope=1)', ["simulate", "strogatz", "--set", "nope=1"]),
        ('walkaway.ensemble("walkaway")', ["ensemble", "walkaway"]),
        ("walkaway.ensemble(jitter=1.5)", ["ensemble", "laura-petrarch", "--jitter", "1.5"]),
        ("walkaway.ensemble(trajectories=0)", ["ensemble", "laura-petrarch", "--trajectories", "0"]),
        ('walkaway.forecast("strogatz")', ["forecast", "strogatz"]),
    ],
)
def test_bad_input_raises_value_error_with_the_cli_message(call, cli_args):
    # A fresh interpreter: equation files loaded by other tests join the
    # lists of known models in the messages, as they would in the CLI's
    # process.
    program = f"""
import walkaway
try:
    {call}
except ValueError as refused:
    print(refused)
else:
    print("no ValueError")
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == cli_refusal(*cli_args)


def test_sweep_gives_the_cli_table_as_numpy_columns():
    result = walkaway.sweep("separation.length=0:60:3", y=("separation.contact", [0, 0.5]), trajectories=40, seed=4)
    done = subprocess.run(
        [cli_path(), "sweep", "--x", "separation.length=0:60:3", "--y", "separation.contact=0,0.5",
         "--trajectories", "40", "--seed", "4"],
        capture_output=True, text=True, check=True,
    )
    header, *lines = done.stdout.strip().splitlines()
    names = header.split(",")
    table = np.array([[float(v) for v in line.split(",")] for line in lines])
    assert list(result) == names
    for i, name in enumerate(names):
        assert result[name].shape == (6,)
        np.testing.assert_array_equal(result[name], table[:, i])
    assert result["trajectories"].dtype == np.uint64
    np.testing.assert_array_equal(result["separation.length"], [0, 30, 60, 0, 30, 60])


def test_a_sweep_axis_refused_names_the_argument():
    with pytest.raises(ValueError, match=r"^x `separation.length=0:60:1`: N = 1 is out of range"):
        walkaway.sweep("separation.length=0:60:1")
    with pytest.raises(ValueError, match="the two axes must be different parameters"):
        walkaway.sweep("separation.length=0:60:3", y=("separation.length", [1, 2]))


def test_solver_failures_and_scenario_checks_as_on_the_cli(tmp_path):
    for text in [
        'model = "gone-with-the-wind"\n[initial]\nrhett = -1\n',
        'model = "walkaway"\nhorizon = 1e8\n',
    ]:
        scenario = tmp_path / "s.toml"
        scenario.write_text(text)
        with pytest.raises(ValueError) as refused:
            walkaway.simulate(str(scenario))
        assert str(refused.value) == cli_refusal("simulate", str(scenario))


def test_a_bad_equation_file_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ode"
    bad.write_text("x' = -x + y\npar a=1\ndone\n")
    with pytest.raises(ValueError) as refused:
        walkaway.simulate(str(bad))
    message = str(refused.value)
    assert message == cli_refusal("simulate", str(bad))
    assert message.startswith(f"{bad}:1:")


def test_arguments_the_cli_takes_as_flags_are_named_in_the_message():
    with pytest.raises(ValueError, match=r"^t_end -1\.5: "):
        walkaway.simulate("strogatz", t_end=-1.5)
    with pytest.raises(ValueError, match="design `grid` is not known; allowed: independent, lhs, sobol"):
        walkaway.forecast(design="grid")
    with pytest.raises(ValueError, match="allowed: a number, True/False"):
        walkaway.simulate("strogatz", a=[1, 2])


def test_numpy_is_imported_with_walkaway_not_by_the_first_call():
    # A first call that imported NumPy itself paid a tenth of a second or
    # more for it: the Python call's "overhead" over the command line
    # (docs/performance.md, "Python").
    code = "import sys, walkaway; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
