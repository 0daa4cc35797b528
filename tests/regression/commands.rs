//! Regression tests for the hardening of the commands against what can destroy, drop or
//! hijack a user's data: each is named after the fault it pins, and drives the real binary
//! (the signal tests send real signals to a real child process).

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::casegraph_in as casegraph;

/// A copy of the mini fixture that a test may change.
fn scratch_case(dir: &Path) -> PathBuf {
    crate::common::scratch_copy("mini", dir)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

// --- Destroys what it did not create -------------------------------------------------------

#[test]
fn regression_load_store_refuses_a_folder_of_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("d");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("thesis.txt"), "years of work").unwrap();
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["load", "--store", folder.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "casegraph: store {}: holds files that casegraph did not create (thesis.txt); a store folder is replaced only when it is empty or holds a casegraph store, so nothing was changed: choose a new or empty folder\n",
            folder.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("thesis.txt")).unwrap(),
        "years of work"
    );
    assert_eq!(names_in(dir.path()), ["d"], "nothing beside it either");
}

#[test]
fn regression_load_store_onto_the_case_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    let before = names_in(&case);
    let r = run(&mut casegraph(
        &case,
        &["load", "--store", case.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("holds files that casegraph did not create (data, ontology, queries)"),
        "{}",
        r.stderr
    );
    assert_eq!(names_in(&case), before);
    assert!(case.join("data/entities.ttl").is_file());
}

#[test]
fn regression_load_store_inside_the_data_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    let inside = case.join("data/store");
    let r = run(&mut casegraph(
        &case,
        &["load", "--store", inside.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("inside the case's data folder"),
        "{}",
        r.stderr
    );
    assert!(!inside.exists());
}

#[test]
fn regression_load_store_onto_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes");
    std::fs::write(&file, "mine").unwrap();
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["load", "--store", file.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("is a file, not a store folder"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[cfg(unix)]
#[test]
fn regression_out_onto_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.ttl");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.ttl");
    std::os::unix::fs::symlink("real.ttl", &link).unwrap();
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["export", "--out", link.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("@prefix"), "{written}");
    assert_eq!(names_in(dir.path()), ["link.ttl", "real.ttl"]);
}

#[cfg(unix)]
#[test]
fn regression_out_onto_a_fifo_writes_into_it_and_keeps_it_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &[
            "export",
            "--format",
            "nquads",
            "--out",
            fifo.to_str().unwrap(),
        ],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let read = reader.join().unwrap();
    assert!(read.contains("<https://example.org/case/"), "{read}");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(
        names_in(dir.path()),
        ["pipe"],
        "no temporary file beside it"
    );
}

#[cfg(unix)]
#[test]
fn regression_out_keeps_the_replaced_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.ttl");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["export", "--out", out.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640);
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "old");
}

#[test]
fn regression_out_onto_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &[
            "export",
            "--format",
            "turtle",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    ));
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("is a folder"), "{}", r.stderr);
}

/// A case big enough that writing its Turtle takes a while in a debug build, so a signal can
/// be sent while the temporary output file exists.
#[cfg(unix)]
fn big_case(dir: &Path) -> PathBuf {
    use std::io::Write;
    let case = dir.join("big");
    std::fs::create_dir_all(case.join("data")).unwrap();
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(case.join("data/big.nt")).unwrap());
    for i in 0..300_000 {
        writeln!(
            file,
            "<https://example.org/s{i}> <https://example.org/p{}> \"value number {i}\" .",
            i % 7
        )
        .unwrap();
    }
    file.flush().unwrap();
    case
}

#[cfg(unix)]
fn signal(child: &std::process::Child, signal: i32) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on our own child, which has not been waited for.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

/// Waits (bounded) until `ready` holds.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[cfg(unix)]
#[test]
fn regression_sigterm_during_export_out_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = big_case(dir.path());
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let out = outdir.join("case.ttl");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("casegraph"))
        .arg("-C")
        .arg(&case)
        .args(["export", "--format", "turtle", "--out"])
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the temporary output file", || {
        !names_in(&outdir).is_empty() || child.try_wait().unwrap().is_some()
    });
    signal(&child, libc::SIGTERM);
    let status = child.wait().unwrap();
    // Whenever the signal came, no temporary file may be left, and a file in place is whole:
    // the export may have finished (and renamed its file) just before the signal arrived.
    let left = names_in(&outdir);
    assert!(
        left.is_empty() || left == ["case.ttl"],
        "{left:?} after {status:?}"
    );
    if left == ["case.ttl"] {
        let whole = run(&mut casegraph(&case, &["export", "--format", "turtle"])).stdout;
        assert_eq!(std::fs::read_to_string(&out).unwrap(), whole);
    } else {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
    }
}

#[cfg(unix)]
#[test]
fn regression_sigterm_during_render_ends_the_dot_child() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // A `dot` that says who it is and then hangs, as a big drawing would.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let pid_file = dir.path().join("dot.pid");
    let script = bin.join("dot");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho $$ > {}\nexec sleep 600\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("case.svg");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("casegraph"))
        .arg("-C")
        .arg(crate::common::fixture("mini"))
        .args(["render", "--out"])
        .arg(&out)
        .env("PATH", &bin)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("dot to start", || {
        std::fs::read_to_string(&pid_file).is_ok_and(|s| s.ends_with('\n'))
    });
    let dot_pid: libc::pid_t = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    signal(&child, libc::SIGTERM);
    child.wait().unwrap();
    // Ended: gone, or a zombie waiting for whoever inherited it to reap it.
    wait_for("dot to end", || {
        std::fs::read_to_string(format!("/proc/{dot_pid}/stat")).map_or(true, |stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|s| s.trim_start().starts_with('Z'))
        })
    });
    assert!(!out.exists());
}

// --- Drops or changes data in silence ------------------------------------------------------

#[cfg(unix)]
#[test]
fn regression_a_symlinked_folder_under_data_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    let stats_before = run(&mut casegraph(&case, &["stats"])).stdout;
    std::fs::rename(case.join("data/claims"), dir.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), case.join("data/claims")).unwrap();
    let r = run(&mut casegraph(&case, &["stats"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, stats_before);
    assert_eq!(r.stderr, "");
}

#[cfg(unix)]
#[test]
fn regression_a_symlink_loop_under_data_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    std::os::unix::fs::symlink("..", case.join("data/claims/again")).unwrap();
    let r = run(&mut casegraph(&case, &["stats"]));
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        format!(
            "casegraph: {}: symbolic link loop: it leads back to {}, which contains it\n",
            case.join("data/claims/again").display(),
            case.join("data").display()
        )
    );
}

#[test]
fn regression_files_casegraph_does_not_read_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    std::fs::write(case.join("data/notes.txt"), "to do").unwrap();
    std::fs::create_dir(case.join("data/.drafts")).unwrap();
    std::fs::write(case.join("data/.drafts/3.trig"), "").unwrap();
    let r = run(&mut casegraph(&case, &["stats"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "casegraph: warning: {}: hidden, not read (names starting with `.` are not part of the case)\n\
             casegraph: warning: {}: not read (casegraph reads .ttl .trig .nt .nq .rdf .owl .jsonld files)\n",
            case.join("data/.drafts").display(),
            case.join("data/notes.txt").display()
        )
    );
}

#[test]
fn regression_a_file_redeclaring_the_case_prefix_does_not_rebind_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = scratch_case(dir.path());
    // Sorts first among the data files.
    std::fs::write(
        case.join("data/aaa.ttl"),
        "@prefix c: <http://evil.example/> .\nc:x c:y c:z .\n",
    )
    .unwrap();
    let r = run(&mut casegraph(
        &case,
        &["query", "orders-against", "--param", "company=c:AcmeCanada"],
    ));
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    let warning = format!(
        "casegraph: warning: prefix `c:` is declared as <http://evil.example/> in {} but as <https://example.org/case/> in {}, {}, {}; it is left undefined for -e, --param and --focus until the files agree or the ontology declares it\n",
        case.join("data/aaa.ttl").display(),
        case.join("data/claims/1.trig").display(),
        case.join("data/claims/2.trig").display(),
        case.join("data/entities.ttl").display(),
    );
    assert!(r.stderr.starts_with(&warning), "{}", r.stderr);
    assert!(r.stderr.contains("unknown prefix `c:`"), "{}", r.stderr);

    // The ontology settles it, whatever the order of the files.
    let schema = case.join("ontology/schema.ttl");
    let text = std::fs::read_to_string(&schema).unwrap();
    std::fs::write(
        &schema,
        format!("@prefix c: <https://example.org/case/> .\n{text}"),
    )
    .unwrap();
    let r = run(&mut casegraph(
        &case,
        &["query", "orders-against", "--param", "company=c:AcmeCanada"],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("c:AcmeCanada"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("the case uses the ontology's <https://example.org/case/>"),
        "{}",
        r.stderr
    );
}

// --- Messages and help ---------------------------------------------------------------------

#[test]
fn regression_an_os_error_is_printed_once() {
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["query", "tests/"],
    ));
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr.matches("os error").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn regression_usage_errors_are_one_line() {
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["path", "c:A"],
    ));
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        "casegraph: the following required arguments were not provided: <TO> (see `casegraph path --help`)\n"
    );
}

#[test]
fn regression_render_refuses_a_format_that_contradicts_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.svg");
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["render", "--format", "png", "--out", out.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        format!(
            "casegraph: --format png does not match --out {}, which names svg by its extension; give a matching file name or leave out --format\n",
            out.display()
        )
    );
    assert!(!out.exists());
}

#[test]
fn regression_queries_with_a_missing_store_fails_like_every_command() {
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["--store", "/nowhere/store", "queries"],
    ));
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(
        r.stderr.starts_with("casegraph: store /nowhere/store: "),
        "{}",
        r.stderr
    );
}

#[test]
fn regression_help_texts_say_what_the_options_do() {
    let help = |args: &[&str]| run(&mut casegraph(&crate::common::fixture("mini"), args)).stdout;
    let path = help(&["path", "--help"]);
    assert!(path.contains("[source-000, source-002]"), "{path}");
    let load = help(&["load", "--help"]);
    assert!(load.contains("the folder to build the store in"), "{load}");
    let export = help(&["export", "--help"]);
    assert!(export.contains("-e, --expression"), "{export}");
    let out = help(&["export", "--help"]);
    assert!(out.contains("symbolic link"), "{out}");
}

#[cfg(feature = "rocksdb")]
mod store {
    use super::*;

    #[test]
    fn regression_a_store_older_than_the_case_warns() {
        let dir = tempfile::tempdir().unwrap();
        let case = scratch_case(dir.path());
        let store = dir.path().join("store");
        let s = store.to_str().unwrap();
        assert_eq!(
            run(&mut casegraph(&case, &["load", "--store", s])).code,
            Some(0)
        );
        let fresh = run(&mut casegraph(&case, &["--store", s, "stats"]));
        assert_eq!(fresh.stderr, "");
        std::fs::write(
            case.join("data/more.ttl"),
            "<https://e.org/a> <https://e.org/b> 1 .\n",
        )
        .unwrap();
        let stale = run(&mut casegraph(&case, &["--store", s, "stats"]));
        assert_eq!(stale.code, Some(0));
        assert_eq!(
            stale.stderr,
            format!(
                "casegraph: warning: store {s} is older than the case (added data/more.ttl); its answers may be out of date: run `casegraph load --store {s}` again\n"
            )
        );
    }

    #[test]
    fn regression_a_store_of_another_case_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let case = scratch_case(dir.path());
        let store = dir.path().join("store");
        let s = store.to_str().unwrap();
        assert_eq!(
            run(&mut casegraph(&case, &["load", "--store", s])).code,
            Some(0)
        );
        let other = crate::common::fixture("paths");
        let r = run(&mut casegraph(&other, &["--store", s, "stats"]));
        assert_eq!(r.code, Some(2));
        assert!(r.stderr.contains("built from another case"), "{}", r.stderr);
    }

    #[test]
    fn regression_load_store_replaces_an_empty_folder_and_its_own_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        let s = store.to_str().unwrap();
        let mini = crate::common::fixture("mini");
        assert_eq!(
            run(&mut casegraph(&mini, &["load", "--store", s])).code,
            Some(0)
        );
        assert_eq!(
            run(&mut casegraph(&mini, &["load", "--store", s])).code,
            Some(0)
        );
        assert_eq!(names_in(&store), ["casegraph.json", "oxigraph"]);
    }
}

#[test]
fn regression_out_named_after_the_format_still_tells_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.ntriples");
    let r = run(&mut casegraph(
        &crate::common::fixture("mini"),
        &["export", "--out", out.to_str().unwrap()],
    ));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.lines().all(|l| l.ends_with(" .")), "{written}");
}
