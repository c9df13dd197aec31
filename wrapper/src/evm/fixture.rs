//! Test fixtures for the Solidity tests: everything a contract test needs to call `verifyProof`, as JSON
//! (`test/fixtures/<name>.json`, read by forge's `vm.parseJson*`).
//!
//! A fixture is built from a verifying key and a Groth16 proof, whatever produced them: today the stand-in
//! circuit of the wrapper's tests, later the zkVM's wrap (`nzero fixture`). Byte strings are `0x` hex.

use ark_bn254::Bn254;
use ark_groth16::{Proof, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::encoding::{Selector, encode_proof, selector};
use super::error::EvmError;
use crate::statement::{fr_to_be_bytes, public_input};

/// One proof of one statement for one verifier contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixture {
    /// The generated verifier contract that accepts the proof (`contracts/generated/<verifier>.sol`).
    pub verifier: String,
    /// The verifying key's selector, the proof's first four bytes.
    #[serde(with = "hex_bytes")]
    pub selector: Selector,
    /// The program's verifying key.
    #[serde(with = "hex_bytes")]
    pub program_vkey: [u8; 32],
    /// The public values the program committed.
    #[serde(with = "hex_bytes")]
    pub public_values: Vec<u8>,
    /// The Groth16 public input (big-endian), as the verifier computes it from the two above.
    #[serde(with = "hex_bytes")]
    pub public_input: [u8; 32],
    /// The encoded proof, `selector ‖ A ‖ B ‖ C`.
    #[serde(with = "hex_bytes")]
    pub proof: Vec<u8>,
}

impl Fixture {
    /// The fixture of `proof`, made with `vk`, for `program_vkey` and `public_values`.
    ///
    /// # Errors
    /// As [`selector`].
    pub fn new(
        verifier: &str,
        vk: &VerifyingKey<Bn254>,
        proof: &Proof<Bn254>,
        program_vkey: [u8; 32],
        public_values: &[u8],
    ) -> Result<Self, EvmError> {
        let selector = selector(vk)?;
        Ok(Self {
            verifier: verifier.to_owned(),
            selector,
            program_vkey,
            public_values: public_values.to_vec(),
            public_input: fr_to_be_bytes(public_input(program_vkey, public_values)),
            proof: encode_proof(selector, proof).to_vec(),
        })
    }

    /// Pretty JSON with a final newline, as committed under `test/fixtures/`.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a fixture is plain data");
        json.push('\n');
        json
    }

    /// Parses [`to_json`](Self::to_json)'s output.
    ///
    /// # Errors
    /// The JSON error when the text is not a fixture (a missing field, bad hex, a wrong length).
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// `0x`-prefixed lowercase hex for byte arrays and vectors.
mod hex_bytes {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer, T: AsRef<[u8]>>(
        bytes: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("0x{}", hex::encode(bytes.as_ref())))
    }

    pub(super) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<Vec<u8>>,
    {
        let text = String::deserialize(deserializer)?;
        let digits = text.strip_prefix("0x").ok_or_else(|| D::Error::custom("expected 0x-prefixed hex"))?;
        let bytes = hex::decode(digits).map_err(D::Error::custom)?;
        let len = bytes.len();
        T::try_from(bytes).map_err(|_| D::Error::custom(format!("unexpected length {len}")))
    }
}
