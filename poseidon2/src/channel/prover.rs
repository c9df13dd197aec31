//! Stwo's prover backends for the Poseidon2 Merkle channel: Merkle commitment and grinding.
//!
//! `CpuBackend` already implements Merkle hashing and grinding for any hasher and channel; `SimdBackend`
//! needs its own: it hashes rows in parallel (there is no SIMD Poseidon2 over BN254), in blocks of 16
//! columns, keeping one sponge state per row between blocks.

use core::array;
use core::ops::Range;
use std::borrow::Cow;

use ark_bn254::Fr;
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use stwo::core::fields::m31::BaseField;
use stwo::core::proof_of_work::GrindOps;
use stwo::core::vcs_lifted::merkle_hasher::MerkleHasherLifted;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::backend::simd::m31::N_LANES;
use stwo::prover::backend::{BackendForChannel, Column, ColumnOps, CpuBackend};
use stwo::prover::vcs_lifted::ops::MerkleOpsLifted;

use super::fiat_shamir::pow_nonce_is_valid;
use super::{
    M31S_PER_BLOCK, M31S_PER_FR, Poseidon2Channel, Poseidon2Hash, Poseidon2MerkleChannel,
    Poseidon2MerkleHasher, domain, hash_node, pack_m31s,
};
use crate::permutation::{WIDTH, absorb_block};

impl ColumnOps<Poseidon2Hash> for SimdBackend {
    type Column = Vec<Poseidon2Hash>;

    fn bit_reverse_column(column: &mut Self::Column) {
        stwo::core::utils::bit_reverse(column);
    }
}

/// Where row `row` of a column lifted by `2^log_ratio` reads its value: the lifted column repeats each
/// pair of adjacent (bit-reversed) values `2^log_ratio` times, as Stwo's lifted commitment defines.
fn lifted_index(row: usize, log_ratio: u32) -> usize {
    ((row >> (log_ratio + 1)) << 1) + (row & 1)
}

/// `f(0), ..., f(n - 1)`, on all threads with the `parallel` feature.
fn map_rows<T: Send>(n: usize, f: impl Fn(usize) -> T + Send + Sync) -> Vec<T> {
    #[cfg(feature = "parallel")]
    return (0..n).into_par_iter().map(f).collect();
    #[cfg(not(feature = "parallel"))]
    return (0..n).map(f).collect();
}

/// A block of columns, each with the log ratio between the block's row count and its own length.
fn lifted_block<'a>(columns: &'a [Cow<'_, BaseColumn>], log_size: u32) -> Vec<(&'a [BaseField], u32)> {
    columns.iter().map(|c| (c.as_slice(), log_size - c.len().ilog2())).collect()
}

impl MerkleOpsLifted<Poseidon2MerkleHasher> for SimdBackend {
    /// The leaves of the lifted commitment, equal to `CpuBackend`'s (and so to the verifier's
    /// `update_leaf` over a whole row). `columns` are sorted by increasing length, as Stwo's Merkle prover
    /// passes them.
    fn build_leaves(columns: &[&BaseColumn], lifting_log_size: u32) -> Vec<Poseidon2Hash> {
        let log_sizes: Vec<u32> = columns.iter().map(|c| c.len().ilog2()).collect();
        leaves(
            &log_sizes,
            |range| columns[range].iter().map(|&c| Cow::Borrowed(c)).collect(),
            lifting_log_size,
        )
    }

    /// As [`Self::build_leaves`], fetching and hashing one block of 16 columns at a time: only one
    /// block of evaluations is in memory, besides a sponge state per row.
    fn build_leaves_streamed(
        log_sizes: &[u32],
        columns: &mut dyn FnMut(Range<usize>) -> Vec<BaseColumn>,
        lifting_log_size: u32,
    ) -> Vec<Poseidon2Hash> {
        leaves(log_sizes, |range| columns(range).into_iter().map(Cow::Owned).collect(), lifting_log_size)
    }

    fn build_next_layer(prev_layer: &Vec<Poseidon2Hash>) -> Vec<Poseidon2Hash> {
        map_rows(prev_layer.len() / 2, |i| hash_node(prev_layer[2 * i], prev_layer[2 * i + 1]))
    }
}

/// The leaves of columns of log sizes `log_sizes` (increasing), which `fetch(range)` returns a block
/// at a time.
fn leaves<'a>(
    log_sizes: &[u32],
    mut fetch: impl FnMut(Range<usize>) -> Vec<Cow<'a, BaseColumn>>,
    lifting_log_size: u32,
) -> Vec<Poseidon2Hash> {
    if log_sizes.first().is_none_or(|&s| 1 << s < N_LANES) {
        // No columns, or tiny ones: the generic implementation is as fast.
        let cpu_columns: Vec<Vec<BaseField>> = fetch(0..log_sizes.len()).iter().map(|c| c.to_cpu()).collect();
        let cpu_columns: Vec<&Vec<BaseField>> = cpu_columns.iter().collect();
        return <CpuBackend as MerkleOpsLifted<Poseidon2MerkleHasher>>::build_leaves(
            &cpu_columns,
            lifting_log_size,
        );
    }
    // All blocks but the last are absorbed whole (the sponge may permute them: more values follow);
    // the last one (1 to 16 columns) goes through the hasher's finalization.
    let n_full_blocks = (log_sizes.len() - 1) / M31S_PER_BLOCK;

    // Sponge states at the last block boundary, one per row of the largest column seen so far. Two
    // rows to start with, as the CPU implementation does (the lifting map keeps a row's parity).
    let initial = [Fr::from(0u64), Fr::from(0u64), Fr::from(domain::MERKLE_LEAF)];
    let mut states: Vec<[Fr; WIDTH]> = vec![initial; 2];
    let mut states_log_size = 1;
    for start in (0..n_full_blocks).map(|b| b * M31S_PER_BLOCK) {
        let block = fetch(start..start + M31S_PER_BLOCK);
        let log_size = states_log_size.max(log_sizes[start + M31S_PER_BLOCK - 1]);
        let block = lifted_block(&block, log_size);
        let prev = &states;
        let prev_log_ratio = log_size - states_log_size;
        states = map_rows(1 << log_size, |row| {
            let mut state = prev[lifted_index(row, prev_log_ratio)];
            let values: [BaseField; M31S_PER_BLOCK] =
                array::from_fn(|j| block[j].0[lifted_index(row, block[j].1)]);
            absorb_block(&mut state, [pack_m31s(&values[..M31S_PER_FR]), pack_m31s(&values[M31S_PER_FR..])]);
            state
        });
        states_log_size = log_size;
    }

    let last = fetch(n_full_blocks * M31S_PER_BLOCK..log_sizes.len());
    let log_size = states_log_size.max(log_sizes[log_sizes.len() - 1]);
    let block = lifted_block(&last, log_size);
    let prev_log_ratio = log_size - states_log_size;
    let leaves = map_rows(1 << log_size, |row| {
        let mut hasher = Poseidon2MerkleHasher::from_sponge_state(states[lifted_index(row, prev_log_ratio)]);
        for (values, log_ratio) in &block {
            hasher.update_leaf(&[values[lifted_index(row, *log_ratio)]]);
        }
        hasher.finalize()
    });
    if lifting_log_size <= log_size {
        return leaves;
    }
    let log_ratio = lifting_log_size - log_size;
    map_rows(1 << lifting_log_size, |row| leaves[lifted_index(row, log_ratio)])
}

/// Nonces per parallel search step: large enough to keep every thread busy, small enough not to overshoot
/// the first solution by much (one step is about 16 thousand permutations).
#[cfg(feature = "parallel")]
const GRIND_STEP: u64 = 1 << 14;

impl GrindOps<Poseidon2Channel> for SimdBackend {
    /// The smallest valid nonce (so the proof is deterministic), searched on all threads with the
    /// `parallel` feature. Each nonce costs one permutation: `2^pow_bits` expected.
    fn grind(channel: &Poseidon2Channel, pow_bits: u32) -> u64 {
        let prefix = channel.pow_prefix(pow_bits);
        let is_valid = |nonce: &u64| pow_nonce_is_valid(prefix, pow_bits, *nonce);
        #[cfg(feature = "parallel")]
        {
            let mut start = 0u64;
            loop {
                let end = start.saturating_add(GRIND_STEP);
                if let Some(nonce) = (start..end).into_par_iter().find_first(is_valid) {
                    return nonce;
                }
                if end == u64::MAX {
                    // 2^64 permutations without a solution: unreachable for any feasible `pow_bits`.
                    return u64::MAX;
                }
                start = end;
            }
        }
        #[cfg(not(feature = "parallel"))]
        // As above: exhausting the nonces is unreachable for any feasible `pow_bits`.
        (0..u64::MAX).find(is_valid).unwrap_or(u64::MAX)
    }
}

impl BackendForChannel<Poseidon2MerkleChannel> for SimdBackend {}
impl BackendForChannel<Poseidon2MerkleChannel> for CpuBackend {}

#[cfg(test)]
mod tests {
    use stwo::core::channel::Channel;
    use stwo::core::vcs_lifted::verifier::MerkleVerifierLifted;
    use stwo::prover::vcs_lifted::prover::MerkleProverLifted;

    use super::*;

    fn column(log_size: u32, seed: u32) -> Vec<BaseField> {
        (0..1u32 << log_size)
            .map(|i| {
                BaseField::from_u32_unchecked(i.wrapping_mul(0x9e37_79b9).wrapping_add(seed) % 0x7fff_ffff)
            })
            .collect()
    }

    /// Columns of several sizes (with blocks of 16 that straddle sizes), committed with both backends and
    /// lifted to and beyond the largest column; then with a column too small for the SIMD path.
    #[test]
    fn simd_commitment_matches_cpu() {
        let log_sizes: Vec<u32> = [4, 5, 5, 7, 7, 7].iter().flat_map(|&s| [s; 7]).collect();
        let columns: Vec<Vec<BaseField>> = log_sizes.iter().zip(0..).map(|(&s, i)| column(s, i)).collect();
        let small = [column(3, 99)];
        let cases = [
            (&columns[..], 7),
            (&columns[..], 9),
            (&columns[1..], 8),
            (&columns[21..], 7),
            (&columns[41..], 7),
            (&small[..], 7),
        ];
        for (columns, lifting_log_size) in cases {
            let cpu: Vec<&Vec<BaseField>> = columns.iter().collect();
            let simd_columns: Vec<BaseColumn> = columns.iter().map(|c| BaseColumn::from_cpu(c)).collect();
            let simd: Vec<&BaseColumn> = simd_columns.iter().collect();
            let cpu_tree =
                MerkleProverLifted::<CpuBackend, Poseidon2MerkleHasher>::commit(cpu, lifting_log_size, 0);
            let simd_tree =
                MerkleProverLifted::<SimdBackend, Poseidon2MerkleHasher>::commit(simd, lifting_log_size, 0);
            let n = columns.len();
            assert_eq!(cpu_tree.root(), simd_tree.root(), "{n} columns, lifting {lifting_log_size}");
            assert_eq!(cpu_tree.layers.last(), simd_tree.layers.last());

            // Streamed: columns fetched a block of at most 16 at a time, each once, in order.
            let log_sizes: Vec<u32> = columns.iter().map(|c| c.len().ilog2()).collect();
            let mut fetched = 0;
            let streamed = MerkleProverLifted::<SimdBackend, Poseidon2MerkleHasher>::commit_streamed(
                &log_sizes,
                &mut |range| {
                    assert_eq!(range.start, fetched);
                    assert!(range.len() <= M31S_PER_BLOCK || columns[0].len() < N_LANES);
                    fetched = range.end;
                    simd_columns[range].to_vec()
                },
                lifting_log_size,
            );
            assert_eq!(fetched, n);
            assert_eq!(streamed.layers, simd_tree.layers, "streamed, {n} columns");
        }
    }

    #[test]
    fn decommitment_verifies_and_detects_tampering() {
        let log_sizes = [5u32, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6];
        let columns: Vec<BaseColumn> =
            log_sizes.iter().zip(0..).map(|(&s, i)| BaseColumn::from_cpu(&column(s, i))).collect();
        let tree =
            MerkleProverLifted::<SimdBackend, Poseidon2MerkleHasher>::commit(columns.iter().collect(), 6, 0);
        let queries = vec![3, 17, 40, 63];
        let (values, decommitment) = tree.decommit(&queries, columns.iter().collect());
        let verifier =
            MerkleVerifierLifted::<Poseidon2MerkleHasher>::new(tree.root(), log_sizes.to_vec(), None);
        verifier.verify(&queries, values.clone(), decommitment.decommitment.clone()).unwrap();

        let mut bad_values = values.clone();
        bad_values[7][1] += BaseField::from(1);
        assert!(verifier.verify(&queries, bad_values, decommitment.decommitment.clone()).is_err());
        let mut bad_witness = decommitment.decommitment;
        bad_witness.hash_witness[0] = Poseidon2Hash(bad_witness.hash_witness[0].0 + Fr::from(1u64));
        assert!(verifier.verify(&queries, values, bad_witness).is_err());
    }

    #[test]
    fn grind_finds_the_smallest_nonce() {
        let mut channel = Poseidon2Channel::default();
        channel.mix_u64(0x1111_2222_3333_4444);
        let pow_bits = 8;
        let nonce = <SimdBackend as GrindOps<Poseidon2Channel>>::grind(&channel, pow_bits);
        assert!(channel.verify_pow_nonce(pow_bits, nonce));
        assert_eq!(nonce, <CpuBackend as GrindOps<Poseidon2Channel>>::grind(&channel, pow_bits));
    }

    #[test]
    fn bit_reverse_hash_column() {
        let mut column: Vec<Poseidon2Hash> = (0..8u64).map(|i| Poseidon2Hash(Fr::from(i))).collect();
        <SimdBackend as ColumnOps<Poseidon2Hash>>::bit_reverse_column(&mut column);
        let order: Vec<Fr> = column.iter().map(|h| h.0).collect();
        assert_eq!(order, [0u64, 4, 2, 6, 1, 5, 3, 7].map(Fr::from));
    }
}
