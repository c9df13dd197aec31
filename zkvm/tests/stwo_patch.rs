//! The vendored Stwo patch (`vendor/stwo`): the lifted Merkle commitment opens and verifies query
//! positions in any order, with repeats — the order in which the PCS maps sorted FRI queries into a
//! preprocessed tree shorter than the lifting domain — and rejects, without panicking, openings that
//! are malformed.

use itertools::Itertools;
use stwo::core::fields::m31::BaseField;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleHasher;
use stwo::core::vcs_lifted::verifier::{MerkleVerificationError, MerkleVerifierLifted};
use stwo::prover::backend::CpuBackend;
use stwo::prover::vcs_lifted::prover::MerkleProverLifted;

const LOG_SIZES: [u32; 3] = [3, 5, 4];
const HEIGHT: u32 = 5;

fn columns() -> Vec<Vec<BaseField>> {
    LOG_SIZES
        .iter()
        .enumerate()
        .map(|(c, &log_size)| (0..1u32 << log_size).map(|i| BaseField::from(1000 * c as u32 + i)).collect())
        .collect()
}

/// Opens `positions` and verifies the opening, after `tamper` edits the queried values.
fn open_and_verify(
    positions: &[usize],
    tamper: impl FnOnce(&mut Vec<Vec<BaseField>>),
) -> Result<(), MerkleVerificationError> {
    let columns = columns();
    let tree = MerkleProverLifted::<CpuBackend, Blake2sMerkleHasher>::commit(
        columns.iter().collect_vec(),
        HEIGHT,
        0,
    );
    let (mut values, decommitment) = tree.decommit(positions, columns.iter().collect_vec());
    tamper(&mut values);
    MerkleVerifierLifted::new(tree.root(), LOG_SIZES.to_vec(), None).verify(
        positions,
        values,
        decommitment.decommitment,
    )
}

#[test]
fn sorted_positions_verify() {
    assert_eq!(open_and_verify(&[2, 3, 3, 17, 30], |_| {}), Ok(()));
}

/// `prepare_preprocessed_query_positions` maps the sorted queries 9 and 10 of a lifting domain twice
/// as tall to 5 and 4: the unpatched walk took them as siblings in the wrong order ("Root mismatch").
#[test]
fn unsorted_and_repeated_positions_verify() {
    assert_eq!(open_and_verify(&[5, 4], |_| {}), Ok(()));
    assert_eq!(open_and_verify(&[21, 4, 5, 4, 31, 0, 21], |_| {}), Ok(()));
}

#[test]
fn a_changed_value_is_rejected() {
    let result = open_and_verify(&[21, 4, 5], |values| values[1][2] += BaseField::from(1));
    assert_eq!(result, Err(MerkleVerificationError::RootMismatch));
}

#[test]
fn repeats_opened_to_different_values_are_rejected() {
    let result = open_and_verify(&[4, 21, 4], |values| values[0][2] += BaseField::from(1));
    assert_eq!(result, Err(MerkleVerificationError::InconsistentRepeatedQuery));
}

#[test]
fn a_missing_value_is_rejected() {
    let result = open_and_verify(&[4, 21], |values| {
        values[2].pop();
    });
    assert_eq!(result, Err(MerkleVerificationError::QueriedValuesShape));
}
