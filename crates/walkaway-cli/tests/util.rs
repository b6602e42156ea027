//! Running the real `walkaway` binary, shared by every test module.

use std::path::Path;
use std::process::Command;

/// What one run of the binary gave: its exit code and both streams.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// Runs `walkaway ARGS` in `dir`.
pub fn walkaway_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_walkaway"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the walkaway binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `walkaway ARGS` in a fresh temporary directory, so nothing it
/// writes lands in the source tree.
pub fn walkaway(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    walkaway_in(dir.path(), args)
}
