//! `casegraph serve`: the real binary on a free loopback port, asked by a real HTTP client.

mod protocol;
mod robustness;
