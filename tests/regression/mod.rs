//! Regression tests, each named after the bug it pins: what a command must never do to a
//! user's files and input (`commands`), and what `check` and the writers once got wrong
//! (`check`).

mod check;
mod commands;
