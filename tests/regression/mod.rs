//! Regression tests, each named after the bug it pins: what a command must never do to a
//! user's files and input (`commands`), what `check` and the writers once got wrong (`check`),
//! and how queries ran away or misled (`query`).

mod check;
mod commands;
mod query;
