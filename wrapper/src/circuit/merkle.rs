//! Openings of Stwo's lifted Merkle commitments (Poseidon2 channel) in the circuit, and their witnesses.
//!
//! Stwo's proof carries one deduplicated list of sibling hashes per tree, shared by all queries. The
//! circuit instead checks every query on its own path from leaf to root: a fixed shape, whatever
//! the queries share. [`authentication_paths`] rebuilds those paths natively from the proof, replaying
//! Stwo's `MerkleVerifierLifted::verify`; a proof that Stwo would reject on its shape is a named error.

use std::collections::HashMap;

use ark_bn254::Fr;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_relations::gr1cs::SynthesisError;
use itertools::Itertools;
use nzero_poseidon2::{Poseidon2Hash, Poseidon2MerkleHasher, hash_node};
use stwo::core::fields::m31::BaseField;
use stwo::core::vcs_lifted::merkle_hasher::MerkleHasherLifted;
use stwo::core::vcs_lifted::verifier::MerkleDecommitmentLifted;

use crate::channel::hash_node_var;
use crate::poseidon2::FrVar;

/// One query's opening of a lifted tree: the leaf's values in the order the leaf hash reads them
/// (columns stably sorted by log size) and the sibling hashes from the leaf level up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleOpening {
    /// The leaf's values.
    pub leaf: Vec<BaseField>,
    /// The sibling of the path's node at each level, leaf level first.
    pub siblings: Vec<Fr>,
}

/// Why a decommitment cannot be turned into per-query openings (Stwo's verifier would reject it too).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MerkleWitnessError {
    /// Queries must be strictly increasing and inside the tree.
    #[error("query positions must be strictly increasing and below 2^{height}")]
    Positions {
        /// The tree's height.
        height: u32,
    },
    /// A column does not hold one value per query.
    #[error("column {column} holds {found} values for {expected} queries")]
    ColumnLength {
        /// The column.
        column: usize,
        /// Values per column expected.
        expected: usize,
        /// Values found.
        found: usize,
    },
    /// The column sizes do not match the columns.
    #[error("{sizes} column sizes for {columns} columns")]
    ColumnCount {
        /// Sizes given.
        sizes: usize,
        /// Columns given.
        columns: usize,
    },
    /// The decommitment has too few sibling hashes.
    #[error("the decommitment has too few hashes")]
    WitnessTooShort,
    /// The decommitment has hashes left over.
    #[error("the decommitment has too many hashes")]
    WitnessTooLong,
}

/// The opening of each query of a tree of height `height` whose columns have `column_log_sizes`,
/// from Stwo's `queried_values` (one value per query and column, queries in increasing order) and
/// decommitment.
///
/// # Errors
/// A [`MerkleWitnessError`] if the parts do not fit together.
pub fn authentication_paths(
    height: u32,
    column_log_sizes: &[u32],
    positions: &[usize],
    queried_values: &[Vec<BaseField>],
    decommitment: &MerkleDecommitmentLifted<Poseidon2MerkleHasher>,
) -> Result<Vec<MerkleOpening>, MerkleWitnessError> {
    if !positions.iter().tuple_windows().all(|(a, b)| a < b) || positions.iter().any(|&p| p >> height != 0) {
        return Err(MerkleWitnessError::Positions { height });
    }
    if column_log_sizes.len() != queried_values.len() {
        return Err(MerkleWitnessError::ColumnCount {
            sizes: column_log_sizes.len(),
            columns: queried_values.len(),
        });
    }
    if let Some((column, values)) =
        queried_values.iter().enumerate().find(|(_, v)| v.len() != positions.len())
    {
        return Err(MerkleWitnessError::ColumnLength {
            column,
            expected: positions.len(),
            found: values.len(),
        });
    }
    let order = sorted_column_order(column_log_sizes);
    let leaves =
        (0..positions.len()).map(|q| order.iter().map(|&c| queried_values[c][q]).collect_vec()).collect_vec();

    // Replays Stwo's verifier, remembering every node hash it knows: computed or given as witness.
    let mut known: Vec<HashMap<usize, Fr>> = Vec::with_capacity(height as usize + 1);
    let mut layer: Vec<(usize, Fr)> = positions
        .iter()
        .zip(&leaves)
        .map(|(&p, leaf)| {
            let mut hasher = Poseidon2MerkleHasher::default();
            hasher.update_leaf(leaf);
            (p, hasher.finalize().0)
        })
        .collect();
    let mut witness = decommitment.hash_witness.iter();
    for _ in 0..height {
        let mut level: HashMap<usize, Fr> = layer.iter().copied().collect();
        let mut next = Vec::with_capacity(layer.len());
        for chunk in layer.chunk_by(|a, b| a.0 ^ 1 == b.0) {
            let (index, hash) = chunk[0];
            let (left, right) = match chunk {
                [_, (_, other)] => (hash, *other),
                _ => {
                    let sibling = witness.next().ok_or(MerkleWitnessError::WitnessTooShort)?.0;
                    level.insert(index ^ 1, sibling);
                    if index & 1 == 0 { (hash, sibling) } else { (sibling, hash) }
                }
            };
            next.push((index >> 1, hash_node(Poseidon2Hash(left), Poseidon2Hash(right)).0));
        }
        known.push(level);
        layer = next;
    }
    if witness.next().is_some() {
        return Err(MerkleWitnessError::WitnessTooLong);
    }
    Ok(positions
        .iter()
        .zip(leaves)
        .map(|(&p, leaf)| MerkleOpening {
            leaf,
            siblings: known.iter().enumerate().map(|(l, level)| level[&((p >> l) ^ 1)]).collect(),
        })
        .collect())
}

/// The order in which a leaf hash reads the columns: stably sorted by log size, as Stwo's verifier
/// sorts them.
pub fn sorted_column_order(column_log_sizes: &[u32]) -> Vec<usize> {
    (0..column_log_sizes.len()).sorted_by_key(|&c| column_log_sizes[c]).collect()
}

/// Enforces that `leaf_hash`, at the position whose little-endian bits are `index_bits` (one per
/// level), lies under `root` along `siblings`. Each level costs one permutation and one constraint.
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if the bits and siblings differ in number (a circuit-shape bug).
pub fn enforce_merkle_path(
    root: &FrVar,
    leaf_hash: FrVar,
    index_bits: &[Boolean<Fr>],
    siblings: &[FrVar],
) -> Result<(), SynthesisError> {
    if index_bits.len() != siblings.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut node = leaf_hash;
    for (bit, sibling) in index_bits.iter().zip(siblings) {
        // The node is the right child when its bit is set: swap with one product.
        let left = &node + (sibling - &node) * FrVar::from(bit.clone());
        let right = &node + sibling - &left;
        node = hash_node_var(&left, &right)?;
    }
    node.enforce_equal(root)
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::alloc::AllocVar;
    use ark_relations::gr1cs::ConstraintSystem;
    use nzero_poseidon2::Poseidon2MerkleHasher;
    use stwo::core::vcs_lifted::verifier::MerkleVerifierLifted;
    use stwo::prover::backend::CpuBackend;
    use stwo::prover::vcs_lifted::prover::MerkleProverLifted;

    use super::*;
    use crate::channel::hash_leaf_var;
    use crate::poseidon2::PERMUTATION_CONSTRAINTS;

    const LOG_SIZES: [u32; 7] = [4, 2, 6, 6, 3, 4, 6];
    const HEIGHT: u32 = 6;

    struct Fixture {
        root: Fr,
        positions: Vec<usize>,
        openings: Vec<MerkleOpening>,
    }

    fn fixture() -> Fixture {
        let columns = LOG_SIZES
            .iter()
            .enumerate()
            .map(|(c, &log)| {
                (0..1u32 << log).map(|i| BaseField::from(i * 7919 + c as u32 * 104_729)).collect_vec()
            })
            .collect_vec();
        let tree = MerkleProverLifted::<CpuBackend, Poseidon2MerkleHasher>::commit(
            columns.iter().collect(),
            HEIGHT,
            0,
        );
        let positions = vec![3, 4, 5, 17, 40, 63];
        let (values, decommitment) = tree.decommit(&positions, columns.iter().collect());
        let root = tree.root();
        MerkleVerifierLifted::<Poseidon2MerkleHasher>::new(root, LOG_SIZES.to_vec(), None)
            .verify(&positions, values.clone(), decommitment.decommitment.clone())
            .expect("Stwo accepts the opening");
        let openings =
            authentication_paths(HEIGHT, &LOG_SIZES, &positions, &values, &decommitment.decommitment)
                .unwrap();
        Fixture { root: root.0, positions, openings }
    }

    /// Builds the circuit for one opening; returns whether it is satisfied and its size.
    fn check(root: Fr, position: usize, opening: &MerkleOpening) -> (bool, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let root = FrVar::new_input(cs.clone(), || Ok(root)).unwrap();
        let values = opening
            .leaf
            .iter()
            .map(|v| FrVar::new_witness(cs.clone(), || Ok(Fr::from(v.0))).unwrap())
            .collect_vec();
        let bits = (0..HEIGHT)
            .map(|l| Boolean::new_witness(cs.clone(), || Ok(position >> l & 1 == 1)).unwrap())
            .collect_vec();
        let siblings =
            opening.siblings.iter().map(|s| FrVar::new_witness(cs.clone(), || Ok(*s)).unwrap()).collect_vec();
        let before = cs.num_constraints();
        let leaf = hash_leaf_var(&values).unwrap();
        enforce_merkle_path(&root, leaf, &bits, &siblings).unwrap();
        (cs.is_satisfied().unwrap(), cs.num_constraints() - before)
    }

    #[test]
    fn every_query_opens_to_the_root_at_one_permutation_and_one_constraint_per_level() {
        let f = fixture();
        for (&p, opening) in f.positions.iter().zip(&f.openings) {
            let (ok, n) = check(f.root, p, opening);
            assert!(ok, "query {p}");
            // 7 values: one leaf permutation; one permutation and one swap per level; the root check.
            assert_eq!(n, PERMUTATION_CONSTRAINTS * (1 + HEIGHT as usize) + HEIGHT as usize + 1);
        }
    }

    #[test]
    fn a_changed_value_sibling_position_or_root_is_rejected() {
        let f = fixture();
        let (p, opening) = (f.positions[3], &f.openings[3]);
        for i in 0..opening.leaf.len() {
            let mut bad = opening.clone();
            bad.leaf[i] += BaseField::from(1);
            assert!(!check(f.root, p, &bad).0, "value {i}");
        }
        for l in 0..opening.siblings.len() {
            let mut bad = opening.clone();
            bad.siblings[l] += Fr::from(1u64);
            assert!(!check(f.root, p, &bad).0, "sibling {l}");
            assert!(!check(f.root, p ^ (1 << l), opening).0, "position bit {l}");
        }
        assert!(!check(f.root + Fr::from(1u64), p, opening).0, "root");
    }

    #[test]
    fn malformed_decommitments_are_named_errors() {
        let f = fixture();
        let values = (0..LOG_SIZES.len())
            .map(|c| {
                f.openings
                    .iter()
                    .map(|o| o.leaf[sorted_column_order(&LOG_SIZES).iter().position(|&x| x == c).unwrap()])
                    .collect_vec()
            })
            .collect_vec();
        let short = MerkleDecommitmentLifted { hash_witness: vec![] };
        assert_eq!(
            authentication_paths(HEIGHT, &LOG_SIZES, &f.positions, &values, &short),
            Err(MerkleWitnessError::WitnessTooShort)
        );
        let long = MerkleDecommitmentLifted { hash_witness: vec![Poseidon2Hash::default(); 64] };
        assert_eq!(
            authentication_paths(HEIGHT, &LOG_SIZES, &f.positions, &values, &long),
            Err(MerkleWitnessError::WitnessTooLong)
        );
        assert_eq!(
            authentication_paths(HEIGHT, &LOG_SIZES, &[5, 3], &values, &short),
            Err(MerkleWitnessError::Positions { height: HEIGHT })
        );
        assert!(matches!(
            authentication_paths(HEIGHT, &LOG_SIZES[1..], &f.positions, &values, &short),
            Err(MerkleWitnessError::ColumnCount { .. })
        ));
    }
}
