//! Stwo's verifier as a circuit, for proofs made with the Poseidon2 channel: the twin of
//! `stwo::core::verifier::verify` and `CommitmentSchemeVerifier::verify_values`, over a fixed shape.
//!
//! The AIR's own transcript steps (its trace commitments, and whatever it mixes in between) stay with
//! the caller, who commits the trace trees into a [`CommitmentSchemeVar`] (and, natively, into the
//! channel given to [`StarkWitness::new`]). [`verify_stark`] then draws the composition coefficient,
//! reads the composition commitment, draws the out-of-domain point, checks the composition polynomial
//! against the AIR's own constraints there ([`super::air`]), mixes the sampled values, commits FRI, checks
//! the proof of work, draws the queries, and checks every raw query: each tree's row against its root
//! ([`super::merkle`]), the DEEP quotient of the rows ([`super::pcs`]) as FRI's first-layer value, and
//! FRI's layers ([`super::fri`]). Every raw query is checked on its own, duplicates included, so the
//! shape never depends on the proof.
//!
//! [`StarkWitness::new`] replays the same steps natively on a Poseidon2 channel to find the queries and
//! rebuild each query's openings from the proof's deduplicated decommitments.

use std::collections::HashMap;

use ark_bn254::Fr;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use itertools::Itertools;
use nzero_poseidon2::{Poseidon2Channel, Poseidon2MerkleChannel, Poseidon2MerkleHasher};
use stwo::core::channel::{Channel, MerkleChannel};
use stwo::core::circle::CirclePoint;
use stwo::core::fields::m31::{BaseField, M31};
use stwo::core::fields::qm31::{SECURE_EXTENSION_DEGREE, SecureField};
use stwo::core::pcs::quotients::{PointSample, fri_answers};
use stwo::core::pcs::{PcsConfig, TreeVec};
use stwo::core::proof::StarkProof;
use stwo::core::queries::draw_queries;
use stwo::core::verifier::PREPROCESSED_TRACE_IDX;

use super::CircuitError;
use super::air::{
    CircuitComponent, composition_log_degree_bound, composition_oods_eval,
    eval_composition_polynomial_at_point, mask_points,
};
use super::circle::{CirclePointVar, domain_point_at_bitrev, random_point_from};
use super::fields::{M31Var, QM31Var};
use super::fri::{FriCommitment, FriError, FriProofVar, FriShape, FriVerifierVar, FriWitness};
use super::merkle::{
    MerkleOpening, MerkleWitnessError, authentication_paths, enforce_merkle_path, sorted_column_order,
};
use super::pcs::{ColumnSamples, DeepQuotients, Sample};
use crate::channel::{Poseidon2ChannelVar, hash_leaf_var};
use crate::poseidon2::FrVar;

/// Stwo's split of the composition polynomial into two halves (`COMPOSITION_LOG_SPLIT`).
const COMPOSITION_LOG_SPLIT: u32 = 1;
/// The composition polynomial's columns: two halves of four coordinates.
const COMPOSITION_COLUMNS: usize = 2 * SECURE_EXTENSION_DEGREE;

/// A commitment the circuit has read: its root and its columns' log sizes in the tree (with blowup).
#[derive(Clone, Debug)]
pub struct TreeVar {
    /// The Merkle root.
    pub root: FrVar,
    /// Each column's log size in the tree.
    pub column_log_sizes: Vec<u32>,
}

impl TreeVar {
    /// The tree's height: its largest column (Stwo's `MerkleVerifierLifted` without a lifting size).
    pub fn height(&self) -> u32 {
        tree_height(&self.column_log_sizes)
    }
}

/// The height of a lifted tree whose columns have these log sizes: its largest column.
fn tree_height(column_log_sizes: &[u32]) -> u32 {
    column_log_sizes.iter().copied().max().unwrap_or_default()
}

/// The twin of `CommitmentSchemeVerifier`: the configuration and the trees read so far.
#[derive(Clone, Debug)]
pub struct CommitmentSchemeVar {
    /// The configuration (a constant of the circuit).
    pub config: PcsConfig,
    /// The trees, in commitment order.
    pub trees: Vec<TreeVar>,
}

impl CommitmentSchemeVar {
    /// No tree yet.
    pub fn new(config: PcsConfig) -> Self {
        Self { config, trees: Vec::new() }
    }

    /// Reads a commitment to columns of degree bounds `2^log_sizes`, as `CommitmentSchemeVerifier::commit`:
    /// mixes the root into the channel.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn commit(
        &mut self,
        root: FrVar,
        log_sizes: &[u32],
        channel: &mut Poseidon2ChannelVar,
    ) -> Result<(), SynthesisError> {
        channel.mix_root(&root)?;
        self.trees.push(TreeVar { root, column_log_sizes: extended(&self.config, log_sizes) });
        Ok(())
    }
}

/// Mixes the configuration into the channel, as `PcsConfig::mix_into` does: the circuit's configuration
/// is a constant, so a proof made under another one draws other challenges and fails.
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn mix_config(channel: &mut Poseidon2ChannelVar, config: &PcsConfig) -> Result<(), SynthesisError> {
    let fri = config.fri_config;
    let felt = |words: [u32; SECURE_EXTENSION_DEGREE]| words.map(|w| FrVar::constant(Fr::from(w)));
    channel.mix_felts(&[
        felt([config.pow_bits, fri.log_blowup_factor, fri.n_queries as u32, fri.log_last_layer_degree_bound]),
        felt([fri.fold_step, config.lifting_log_size.unwrap_or(0), 0, 0]),
    ])
}

fn extended(config: &PcsConfig, log_sizes: &[u32]) -> Vec<u32> {
    log_sizes.iter().map(|s| s + config.fri_config.log_blowup_factor).collect()
}

/// Why a proof cannot be turned into the circuit's witness: Stwo's verifier rejects it too.
#[derive(Debug, thiserror::Error)]
pub enum StarkWitnessError {
    /// The proof does not have the shape the components and configuration give.
    #[error("malformed proof: {0}")]
    Shape(&'static str),
    /// The proof-of-work nonce does not solve the puzzle.
    #[error("the proof-of-work nonce is invalid")]
    ProofOfWork,
    /// The FRI proof does not fit.
    #[error(transparent)]
    Fri(#[from] FriError),
    /// A trace tree's decommitment does not fit.
    #[error("tree {tree}: {source}")]
    Merkle {
        /// The tree.
        tree: usize,
        /// Why.
        source: MerkleWitnessError,
    },
    /// The circuit's shape could not be computed.
    #[error(transparent)]
    Circuit(#[from] CircuitError),
}

impl From<SynthesisError> for StarkWitnessError {
    fn from(e: SynthesisError) -> Self {
        Self::Circuit(e.into())
    }
}

/// What the circuit reads from a proof after the trace commitments: the composition commitment, the
/// sampled values, the proof of work, and each raw query's openings.
#[derive(Clone, Debug)]
pub struct StarkWitness {
    composition_root: Fr,
    sampled_values: TreeVec<Vec<Vec<SecureField>>>,
    proof_of_work: u64,
    /// Per tree, per raw query (draw order).
    openings: Vec<Vec<MerkleOpening>>,
    fri: FriWitness,
}

/// The verifier's view of the proof's shape: sizes, sample shifts and FRI layers.
struct Shape {
    max_log_degree_bound: u32,
    lifting_log_size: u32,
    /// Per tree (the composition's included), per column, each sample's offset from the OODS point.
    shifts: TreeVec<Vec<Vec<CirclePoint<M31>>>>,
    /// Per tree, the columns' log sizes (with blowup).
    column_log_sizes: Vec<Vec<u32>>,
    fri: FriShape,
}

impl Shape {
    /// `trees`: the trace trees' column log sizes (with blowup), the composition tree excluded.
    fn new(
        components: &[&dyn CircuitComponent],
        config: &PcsConfig,
        trees: &[Vec<u32>],
    ) -> Result<Self, StarkWitnessError> {
        if config.lifting_log_size.is_some() {
            return Err(StarkWitnessError::Shape("an explicit lifting log size is not supported"));
        }
        let max_log_degree_bound = composition_log_degree_bound(components)
            .checked_sub(COMPOSITION_LOG_SPLIT)
            .ok_or(StarkWitnessError::Shape("no constraints"))?;
        let n_preprocessed = trees.first().map_or(0, Vec::len);
        // Every sample point is the OODS point plus a constant: the mask points of the identity.
        let points = mask_points(
            components,
            &CirclePointVar::constant(CirclePoint::zero()),
            max_log_degree_bound,
            n_preprocessed,
        )?;
        let mut shifts = TreeVec::default();
        for tree in points.iter() {
            let columns = tree
                .iter()
                .map(|column| column.iter().map(constant_shift).collect::<Result<Vec<_>, _>>())
                .collect::<Result<Vec<_>, _>>()?;
            shifts.push(columns);
        }
        shifts.push(vec![vec![CirclePoint::zero()]; COMPOSITION_COLUMNS]);
        let mut column_log_sizes = trees.to_vec();
        column_log_sizes.push(extended(config, &[max_log_degree_bound; COMPOSITION_COLUMNS]));
        if shifts.len() != column_log_sizes.len()
            || shifts.iter().zip(&column_log_sizes).any(|(s, t)| s.len() != t.len())
        {
            return Err(StarkWitnessError::Shape("the committed trees do not match the components' columns"));
        }
        let lifting_log_size = max_log_degree_bound + config.fri_config.log_blowup_factor;
        let fri = FriShape::new(config.fri_config, max_log_degree_bound)?;
        Ok(Self { max_log_degree_bound, lifting_log_size, shifts, column_log_sizes, fri })
    }

    fn tree_height(&self, tree: usize) -> u32 {
        tree_height(&self.column_log_sizes[tree])
    }
}

fn constant_shift(point: &CirclePointVar<QM31Var>) -> Result<CirclePoint<M31>, CircuitError> {
    let point = point.value()?;
    let base = |v: SecureField| {
        let [a, b, c, d] = v.to_m31_array();
        (b.0 == 0 && c.0 == 0 && d.0 == 0).then_some(a)
    };
    match (base(point.x), base(point.y)) {
        (Some(x), Some(y)) => Ok(CirclePoint { x, y }),
        _ => Err(CircuitError::ProofShape("a mask point is not a base-field shift of the OODS point")),
    }
}

impl StarkWitness {
    /// Replays Stwo's verifier after the trace commitments on `channel` (which holds the state after
    /// them), for trace trees whose columns have the log sizes `trees` (without blowup).
    ///
    /// # Errors
    /// A [`StarkWitnessError`] for a proof of another shape, an invalid proof of work, or malformed
    /// decommitments. A proof that is well formed but wrong yields a witness that does not satisfy the
    /// circuit.
    pub fn new(
        components: &[&dyn CircuitComponent],
        config: &PcsConfig,
        trees: &[Vec<u32>],
        channel: &mut Poseidon2Channel,
        proof: &StarkProof<Poseidon2MerkleHasher>,
    ) -> Result<Self, StarkWitnessError> {
        let trees = trees.iter().map(|t| extended(config, t)).collect_vec();
        let shape = Shape::new(components, config, &trees)?;
        let n_trees = shape.column_log_sizes.len();
        if proof.commitments.len() != n_trees
            || proof.queried_values.len() != n_trees
            || proof.decommitments.len() != n_trees
        {
            return Err(StarkWitnessError::Shape("the proof has another number of trees"));
        }
        if sample_counts(&proof.sampled_values) != sample_counts(&shape.shifts) {
            return Err(StarkWitnessError::Shape("the sampled values do not match the AIR's masks"));
        }

        channel.draw_secure_felt();
        let composition_root = *proof.commitments.last().expect("the tree count was checked");
        Poseidon2MerkleChannel::mix_root(channel, composition_root);
        let oods_point = CirclePoint::<SecureField>::get_random_point(channel);
        channel.mix_felts(&proof.sampled_values.clone().flatten_cols());
        let quotient_coeff = channel.draw_secure_felt();
        let fri = FriCommitment::new(channel, &shape.fri, proof.fri_proof.clone())?;
        if !channel.verify_pow_nonce(config.pow_bits, proof.proof_of_work) {
            return Err(StarkWitnessError::ProofOfWork);
        }
        channel.mix_u64(proof.proof_of_work);
        let raw_queries = draw_queries(channel, shape.lifting_log_size, config.fri_config.n_queries);
        let positions = raw_queries.iter().copied().sorted().dedup().collect_vec();

        let samples = TreeVec::new(
            shape
                .shifts
                .iter()
                .zip(proof.sampled_values.iter())
                .map(|(tree_shifts, tree_values)| {
                    tree_shifts
                        .iter()
                        .zip(tree_values)
                        .map(|(shifts, values)| {
                            shifts
                                .iter()
                                .zip(values)
                                .map(|(&shift, &value)| PointSample {
                                    point: oods_point + shift.into_ef(),
                                    value,
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
        );
        if proof.queried_values.iter().flatten().any(|column| column.len() != positions.len()) {
            return Err(StarkWitnessError::Shape("a queried column does not hold one value per query"));
        }
        let answers = fri_answers(
            TreeVec::new(shape.column_log_sizes.clone()),
            samples,
            quotient_coeff,
            &positions,
            proof.queried_values.clone(),
            shape.lifting_log_size,
        )
        .map_err(|_| StarkWitnessError::Shape("the queried values do not fit the samples"))?;
        let fri = fri.witness(&raw_queries, &answers)?;

        let mut openings = Vec::with_capacity(n_trees);
        for tree in 0..n_trees {
            let height = shape.tree_height(tree);
            if height == 0 {
                // No columns: nothing to open (Stwo skips such a tree).
                let empty = MerkleOpening { leaf: Vec::new(), siblings: Vec::new() };
                openings.push(vec![empty; raw_queries.len()]);
                continue;
            }
            let map =
                |p: usize| tree_position(p, shape.lifting_log_size, height, tree == PREPROCESSED_TRACE_IDX);
            // Stwo opens the preprocessed tree at the mapped positions, repeats included and not always
            // in increasing order; others at the queries themselves. The decommitment walks the distinct
            // positions in increasing order (vendor/stwo's patch), each valued by its first query.
            let opened = if tree == PREPROCESSED_TRACE_IDX {
                positions.iter().map(|&p| map(p)).collect_vec()
            } else {
                positions.clone()
            };
            let first_queries = (0..opened.len())
                .sorted_by_key(|&i| opened[i])
                .dedup_by(|&i, &j| opened[i] == opened[j])
                .collect_vec();
            let distinct = first_queries.iter().map(|&i| opened[i]).collect_vec();
            let values: Vec<Vec<BaseField>> = proof.queried_values[tree]
                .iter()
                .map(|column| first_queries.iter().map(|&i| column[i]).collect())
                .collect();
            let tree_openings = authentication_paths(
                height,
                &shape.column_log_sizes[tree],
                &distinct,
                &values,
                &proof.decommitments[tree],
            )
            .map_err(|source| StarkWitnessError::Merkle { tree, source })?;
            let by_position: HashMap<usize, MerkleOpening> =
                distinct.into_iter().zip(tree_openings).collect();
            openings.push(raw_queries.iter().map(|&q| by_position[&map(q)].clone()).collect());
        }
        Ok(Self {
            composition_root: composition_root.0,
            sampled_values: proof.sampled_values.clone(),
            proof_of_work: proof.proof_of_work,
            openings,
            fri,
        })
    }
}

/// The number of samples of each column of each tree.
fn sample_counts<T>(samples: &TreeVec<Vec<Vec<T>>>) -> Vec<Vec<usize>> {
    samples.iter().map(|tree| tree.iter().map(Vec::len).collect()).collect()
}

/// A query's leaf position in a tree: the lifting-domain position itself, or for the preprocessed tree
/// Stwo's `prepare_preprocessed_query_positions` of it.
fn tree_position(position: usize, lifting_log_size: u32, height: u32, preprocessed: bool) -> usize {
    if !preprocessed || height == lifting_log_size {
        position
    } else if height < lifting_log_size {
        (position >> (lifting_log_size - height + 1) << 1) + (position & 1)
    } else {
        (position >> 1 << (height - lifting_log_size + 1)) + (position & 1)
    }
}

/// [`tree_position`] on the bits of a position (a selection of bits, no constraint).
fn tree_position_bits(
    bits: &[Boolean<Fr>],
    lifting_log_size: u32,
    height: u32,
    preprocessed: bool,
) -> Vec<Boolean<Fr>> {
    let (lifting, height) = (lifting_log_size as usize, height as usize);
    if !preprocessed || height == lifting {
        bits[..lifting].to_vec()
    } else if height < lifting {
        std::iter::once(bits[0].clone()).chain(bits[lifting - height + 1..lifting].iter().cloned()).collect()
    } else {
        std::iter::once(bits[0].clone())
            .chain(std::iter::repeat_n(Boolean::FALSE, height - lifting))
            .chain(bits[1..lifting].iter().cloned())
            .collect()
    }
}

/// A witness value from `witness`, or a missing assignment (setup mode).
fn assign<T>(
    witness: Option<&StarkWitness>,
    f: impl FnOnce(&StarkWitness) -> T,
) -> Result<T, SynthesisError> {
    witness.map(f).ok_or(SynthesisError::AssignmentMissing)
}

/// The constraints [`verify_stark`] spends on each part of the verification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConstraintCounts {
    /// Fiat-Shamir: draws, mixes (the sampled values and FRI's commitments included), proof of work,
    /// queries.
    pub transcript: usize,
    /// The sampled values' allocation and the composition check: the AIR's constraints at the OODS point.
    pub air: usize,
    /// The trace trees' rows and Merkle paths at every query.
    pub merkle: usize,
    /// The DEEP quotients: their setup and each query's value (domain point included).
    pub deep: usize,
    /// FRI's witness and every query's layers.
    pub fri: usize,
}

impl ConstraintCounts {
    /// All parts together.
    pub fn total(&self) -> usize {
        self.transcript + self.air + self.merkle + self.deep + self.fri
    }
}

/// Adds the constraints `cs` gained since the last call to one part.
struct Meter {
    cs: ConstraintSystemRef<Fr>,
    last: usize,
    counts: ConstraintCounts,
}

impl Meter {
    fn new(cs: &ConstraintSystemRef<Fr>) -> Self {
        Self { cs: cs.clone(), last: cs.num_constraints(), counts: ConstraintCounts::default() }
    }

    fn charge(&mut self, part: fn(&mut ConstraintCounts) -> &mut usize) {
        let now = self.cs.num_constraints();
        *part(&mut self.counts) += now - self.last;
        self.last = now;
    }
}

/// Verifies the rest of a proof whose trace trees `scheme` holds, with the channel right after them,
/// as `stwo::core::verifier::verify` does; `witness` is `None` in setup mode. Returns the constraints
/// spent on each part.
///
/// # Errors
/// A [`StarkWitnessError`] when the components and configuration give no valid shape; otherwise fails
/// only if the constraint system fails. A wrong proof leaves the system unsatisfied.
pub fn verify_stark(
    cs: &ConstraintSystemRef<Fr>,
    components: &[&dyn CircuitComponent],
    channel: &mut Poseidon2ChannelVar,
    mut scheme: CommitmentSchemeVar,
    witness: Option<&StarkWitness>,
) -> Result<ConstraintCounts, StarkWitnessError> {
    let config = scheme.config;
    let trees = scheme.trees.iter().map(|t| t.column_log_sizes.clone()).collect_vec();
    let shape = Shape::new(components, &config, &trees)?;
    let mut meter = Meter::new(cs);

    let random_coeff = QM31Var::from_channel(&channel.draw_secure_felt()?);
    let composition_root = FrVar::new_witness(cs.clone(), || assign(witness, |w| w.composition_root))?;
    scheme.commit(composition_root, &[shape.max_log_degree_bound; COMPOSITION_COLUMNS], channel)?;
    let oods_point = random_point_from(&QM31Var::from_channel(&channel.draw_secure_felt()?))?;
    meter.charge(|c| &mut c.transcript);

    let mut sampled: TreeVec<Vec<Vec<QM31Var>>> = TreeVec::default();
    for (t, tree) in shape.shifts.iter().enumerate() {
        let columns = tree
            .iter()
            .enumerate()
            .map(|(c, column)| {
                (0..column.len())
                    .map(|s| {
                        QM31Var::new_witness(cs.clone(), || assign(witness, |w| w.sampled_values[t][c][s]))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        sampled.push(columns);
    }
    let composition = eval_composition_polynomial_at_point(
        components,
        &oods_point,
        &sampled,
        &random_coeff,
        shape.max_log_degree_bound,
    )?;
    composition_oods_eval(&oods_point, &sampled, shape.max_log_degree_bound)?.enforce_equal(&composition)?;
    meter.charge(|c| &mut c.air);

    let flat: Vec<_> =
        sampled.iter().flatten().flatten().map(QM31Var::canonical_fr).collect::<Result<_, _>>()?;
    channel.mix_felts(&flat)?;
    let quotient_coeff = QM31Var::from_channel(&channel.draw_secure_felt()?);
    meter.charge(|c| &mut c.transcript);
    let fri_proof = FriProofVar::new_witness(cs.clone(), &shape.fri, witness.map(|w| &w.fri))?;
    meter.charge(|c| &mut c.fri);
    let fri = FriVerifierVar::commit(channel, &shape.fri, fri_proof)?;
    let nonce = FrVar::new_witness(cs.clone(), || assign(witness, |w| Fr::from(w.proof_of_work)))?;
    channel.verify_pow_nonce(config.pow_bits, &nonce)?;
    channel.mix_u64(&nonce)?;
    let queries = fri.draw_queries(channel)?;
    meter.charge(|c| &mut c.transcript);

    let columns: Vec<ColumnSamples> = shape
        .column_log_sizes
        .iter()
        .zip(shape.shifts.iter())
        .zip(sampled.iter())
        .flat_map(|((sizes, tree_shifts), tree_values)| {
            sizes.iter().zip(tree_shifts).zip(tree_values).map(|((&log_size, shifts), values)| {
                ColumnSamples {
                    log_size,
                    samples: shifts
                        .iter()
                        .zip(values)
                        .map(|(&shift, value)| Sample { shift, value: value.clone() })
                        .collect(),
                }
            })
        })
        .collect();
    let quotients = DeepQuotients::new(&oods_point, &columns, shape.lifting_log_size, &quotient_coeff)?;
    meter.charge(|c| &mut c.deep);

    for (q, bits) in queries.iter().enumerate() {
        let mut row = Vec::new();
        for (t, tree) in scheme.trees.iter().enumerate() {
            let height = tree.height();
            if height == 0 {
                // No columns, nothing to open: Stwo does not check such a tree either.
                continue;
            }
            let tree_bits =
                tree_position_bits(bits, shape.lifting_log_size, height, t == PREPROCESSED_TRACE_IDX);
            let opening = witness.map(|w| &w.openings[t][q]);
            row.extend(check_row(cs, tree, &tree_bits, opening)?);
        }
        meter.charge(|c| &mut c.merkle);
        let domain_point = domain_point_at_bitrev(bits, shape.lifting_log_size)?;
        let first_layer_value = quotients.at_query(&domain_point, &row)?;
        meter.charge(|c| &mut c.deep);
        fri.verify_query(q, bits, &first_layer_value)?;
        meter.charge(|c| &mut c.fri);
    }
    Ok(meter.counts)
}

/// Allocates a queried row (canonical values, in column order) and checks that it opens to the tree's
/// root at `position_bits`.
fn check_row(
    cs: &ConstraintSystemRef<Fr>,
    tree: &TreeVar,
    position_bits: &[Boolean<Fr>],
    opening: Option<&MerkleOpening>,
) -> Result<Vec<M31Var>, SynthesisError> {
    if tree.column_log_sizes.is_empty() {
        // Nothing committed, nothing to open: Stwo does not check such a tree either.
        return Ok(Vec::new());
    }
    let order = sorted_column_order(&tree.column_log_sizes);
    // The opening's leaf is in hashing order; the row is wanted in column order.
    let mut row: Vec<Option<M31Var>> = vec![None; order.len()];
    let mut leaf = Vec::with_capacity(order.len());
    for (i, &column) in order.iter().enumerate() {
        // 31 bits, not necessarily canonical: the leaf hash binds the integer, and the native hasher
        // packs the proof's value as it is, so the root fixes the value (see `new_31_bit_witness`).
        let value = M31Var::new_31_bit_witness(cs.clone(), || {
            opening.and_then(|o| o.leaf.get(i).copied()).ok_or(SynthesisError::AssignmentMissing)
        })?;
        leaf.push(value.unreduced_fr().clone());
        row[column] = Some(value);
    }
    let siblings = (0..tree.height() as usize)
        .map(|l| {
            FrVar::new_witness(cs.clone(), || {
                opening.and_then(|o| o.siblings.get(l).copied()).ok_or(SynthesisError::AssignmentMissing)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    enforce_merkle_path(&tree.root, hash_leaf_var(&leaf)?, position_bits, &siblings)?;
    Ok(row.into_iter().flatten().collect())
}
#[cfg(test)]
mod tests;
