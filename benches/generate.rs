//! Writes a synthetic case for benchmarks: `cargo run --release --example generate -- OUT QUADS [SEED] [trig|nquads] [PER_FILE]`.
//!
//! With PER_FILE, the same statements are cut into files of at most that many statements each
//! (`1m 42 trig 500`: 2,000 files of 500 statements), the many-small-files shape.
//! The case's ontology and queries are copied from the shipped case (the repository root), so
//! the named queries run on it. The same arguments always give byte-identical files.

mod synthetic;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: generate OUT QUADS [SEED] [trig|nquads] [PER_FILE]   (QUADS accepts 10k, 1m, ...)";
    let (Some(out), Some(size)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Some(quads) = parse_size(size) else {
        eprintln!("generate: `{size}` is not a size\n{usage}");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let syntax = match args
        .get(3)
        .map_or(Ok(synthetic::Syntax::TriG), |name| name.parse())
    {
        Ok(syntax) => syntax,
        Err(e) => {
            eprintln!("generate: {e}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let files = match args.get(4).map(|n| parse_size(n).filter(|&n| n > 0)) {
        None => synthetic::Files::Few,
        Some(Some(each)) => synthetic::Files::Each(each),
        Some(None) => {
            eprintln!("generate: PER_FILE is a number of statements above 0\n{usage}");
            return ExitCode::from(2);
        }
    };
    let template = Path::new(env!("CARGO_MANIFEST_DIR"));
    match synthetic::generate(&PathBuf::from(out), template, quads, seed, syntax, files) {
        Ok(summary) => {
            println!("{out}: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {out}: {e}");
            ExitCode::from(2)
        }
    }
}

/// `10k` = 10 000, `1m` = 1 000 000, or a plain number.
fn parse_size(text: &str) -> Option<usize> {
    let text = text.to_ascii_lowercase();
    let (digits, factor) = match text.chars().last()? {
        'k' => (&text[..text.len() - 1], 1_000),
        'm' => (&text[..text.len() - 1], 1_000_000),
        _ => (text.as_str(), 1),
    };
    digits.parse::<usize>().ok().map(|n| n * factor)
}
