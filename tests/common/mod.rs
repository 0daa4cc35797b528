//! What every integration test needs: the binary on a fixture case, and comparisons that print
//! a readable diff when they fail.
#![allow(dead_code)] // each test target uses its own subset

pub mod server;

use assert_cmd::Command;
use std::path::PathBuf;

/// The crate root, read when the test runs: `cargo test` sets `CARGO_MANIFEST_DIR` for the
/// test process. A path baked in at compile time would go stale when a cached build from one
/// checkout (say CI's clone) runs in another, since cargo does not rebuild for a moved folder.
pub fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run the tests with cargo test")
}

/// A fixture case folder.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// `casegraph -C tests/fixtures/<case> args...`, run from the crate root so that paths in
/// messages are stable.
pub fn casegraph(case: &str, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("casegraph").expect("binary built");
    cmd.current_dir(root())
        .arg("-C")
        .arg(format!("tests/fixtures/{case}"))
        .args(args);
    cmd
}

/// The stdout of a command that must succeed.
pub fn stdout_of(case: &str, args: &[&str]) -> String {
    let output = casegraph(case, args).output().expect("runs");
    assert!(
        output.status.success(),
        "casegraph {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The stderr of a command that must fail with exit status 2 and print nothing on stdout.
pub fn error_of(case: &str, args: &[&str]) -> String {
    let output = casegraph(case, args).output().expect("runs");
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected exit 2 from {args:?}, stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        output.stdout.is_empty(),
        "an error must print no partial result"
    );
    String::from_utf8(output.stderr).expect("UTF-8 message")
}

/// A line diff by longest common subsequence (`-` expected, `+` actual, with line numbers):
/// enough for files of a few hundred lines. Empty when the texts are equal.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let a: Vec<&str> = actual.split_inclusive('\n').collect();
    let mut lcs = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    let show = |line: &str| format!("{:?}", line.trim_end_matches('\n'));
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            i += 1;
            j += 1;
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {:>4} {}\n", i + 1, show(e[i])));
            i += 1;
        } else {
            out.push_str(&format!("+ {:>4} {}\n", j + 1, show(a[j])));
            j += 1;
        }
    }
    out
}

/// Compares text with an expected file (path relative to the crate root), printing a diff.
pub fn assert_matches_file(actual: &str, expected_file: &str) {
    let expected = std::fs::read_to_string(root().join(expected_file))
        .unwrap_or_else(|e| panic!("{expected_file}: {e}"));
    if actual != expected {
        panic!(
            "output differs from {expected_file}:\n{}",
            line_diff(&expected, actual)
        );
    }
}

/// `casegraph -C case args...` for a case anywhere (a scratch copy in a temp folder).
pub fn casegraph_in(case: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("casegraph").expect("binary built");
    cmd.arg("-C").arg(case).args(args);
    cmd
}

/// A copy of the fixture `name` at `dir/case`, for a test that changes it.
pub fn scratch_copy(name: &str, dir: &std::path::Path) -> PathBuf {
    let case = dir.join("case");
    copy_tree(&fixture(name), &case);
    case
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("creates the folder");
    for entry in std::fs::read_dir(from).expect("reads the folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("named"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copies");
        }
    }
}
