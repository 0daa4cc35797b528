//! The on-disk store: `casegraph load --store DIR` and `--store DIR` on every command.
//!
//! With the `rocksdb` feature these drive real RocksDB stores; without it they pin the message
//! that says how to get the feature.

use assert_cmd::Command;

use crate::common::casegraph_in as casegraph;

fn mini() -> std::path::PathBuf {
    crate::common::fixture("mini")
}

/// Runs `cmd`, which must fail with exit status 2, and gives its stderr.
fn refused(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(not(feature = "rocksdb"))]
#[test]
fn without_the_feature_the_store_says_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    assert_eq!(
        refused(&mut casegraph(
            &mini(),
            &["load", "--store", store.to_str().unwrap()]
        )),
        format!(
            "casegraph: store {}: this casegraph was built without the on-disk store; rebuild it with `cargo build --release --features rocksdb` (needs libclang: apt-get install libclang-dev)\n",
            store.display()
        )
    );
    assert!(!store.exists(), "nothing is written");
}

#[cfg(feature = "rocksdb")]
mod rocksdb {
    use super::*;
    use std::path::Path;

    fn stdout(cmd: &mut Command) -> String {
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// A copy of the mini fixture that a test may break.
    fn scratch_case(dir: &Path) -> std::path::PathBuf {
        crate::common::scratch_copy("mini", dir)
    }

    #[test]
    fn every_command_answers_the_same_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        let s = store.to_str().unwrap();
        casegraph(&mini(), &["load", "--store", s])
            .assert()
            .success();
        for args in [
            &["query", "orders"][..],
            &["query", "orders-against", "--param", "company=c:AcmeCanada"],
            &[
                "query",
                "-e",
                "SELECT (COUNT(*) AS ?n) WHERE { ?o ex:target ?t }",
            ],
            &["export", "--format", "nquads"],
            &["export", "--format", "dot"],
            &["stats"],
        ] {
            let from_files = stdout(&mut casegraph(&mini(), args));
            let mut with_store: Vec<&str> = vec!["--store", s];
            with_store.extend_from_slice(args);
            assert_eq!(
                stdout(&mut casegraph(&mini(), &with_store)),
                from_files,
                "{args:?}"
            );
        }
    }

    #[test]
    fn a_failed_load_leaves_the_previous_store_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let case = scratch_case(dir.path());
        let store = dir.path().join("store");
        let s = store.to_str().unwrap();
        casegraph(&case, &["load", "--store", s]).assert().success();
        let before = stdout(&mut casegraph(
            &case,
            &["--store", s, "export", "--format", "nquads"],
        ));

        // A new file with a syntax error halfway.
        std::fs::write(
            case.join("data/broken.ttl"),
            "@prefix c: <https://example.org/case/> .\nc:a c:p c:b .\nc:c c:p \"open\n",
        )
        .unwrap();
        let message = refused(&mut casegraph(&case, &["load", "--store", s]));
        assert!(message.contains("data/broken.ttl:3:9:"), "{message}");
        let after = stdout(&mut casegraph(
            &case,
            &["--store", s, "export", "--format", "nquads"],
        ));
        assert_eq!(before, after);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains(".loading") || n.contains(".old"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_load_clears_what_a_killed_load_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        // What a load killed by a signal leaves: a half-built store and a swapped-out one.
        for leftover in ["store.loading-4242", "store.old-4243"] {
            std::fs::create_dir_all(dir.path().join(leftover).join("oxigraph")).unwrap();
        }
        let unrelated = dir.path().join("store.loading-notes");
        std::fs::create_dir_all(&unrelated).unwrap();
        casegraph(&mini(), &["load", "--store", store.to_str().unwrap()])
            .assert()
            .success();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["store", "store.loading-notes", "store.lock"]);
    }

    #[test]
    fn a_second_load_of_the_same_store_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        // Another process holds the load lock.
        let lock = std::fs::File::create(casegraph::store::disk::lock_path(&store)).unwrap();
        lock.lock().unwrap();
        let message = refused(&mut casegraph(
            &mini(),
            &["load", "--store", store.to_str().unwrap()],
        ));
        assert!(
            message.contains(": locked: another casegraph process is loading this store"),
            "{message}"
        );
        assert!(!store.exists());
    }

    #[test]
    fn a_folder_that_is_no_store_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            refused(&mut casegraph(
                &mini(),
                &["--store", dir.path().to_str().unwrap(), "stats"]
            )),
            format!(
                "casegraph: store {}: no casegraph store here; build one with `casegraph load --store DIR`\n",
                dir.path().display()
            )
        );
    }
}
