//! Parses a JSON document of transfers and commits the total amount moved and the number of
//! transfers above a threshold.
//!
//! Input (raw bytes): `{"threshold": 100, "transfers": [{"from": "a", "to": "b", "amount": 250}, ...]}`.
//! Public values (postcard): `(total: u64, large: u32)`. Malformed JSON panics (exit code 101).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

nzero_runtime::entry!(main);

#[derive(Deserialize)]
struct Ledger {
    threshold: u64,
    transfers: Vec<Transfer>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // The parties are parsed (and validated) but do not enter the result.
struct Transfer {
    from: String,
    to: String,
    amount: u64,
}

fn main() {
    let document = nzero_runtime::read_vec();
    let ledger: Ledger = match serde_json::from_slice(&document) {
        Ok(ledger) => ledger,
        Err(e) => panic!("invalid ledger JSON: {e}"),
    };
    let total: u64 = ledger.transfers.iter().map(|t| t.amount).sum();
    let large = ledger.transfers.iter().filter(|t| t.amount > ledger.threshold).count() as u32;
    nzero_runtime::commit(&(total, large));
}
