//! Stwo's FRI verifier (`stwo/src/core/fri.rs`) in the circuit, for the Poseidon2 channel, over a fixed
//! shape ([`FriShape`]: the config and the column's degree bound fix every layer's size and fold).
//!
//! - Commit ([`FriVerifierVar::commit`]): the first layer's root, its folding alpha, each inner layer's
//!   root and alpha, then the last layer polynomial's coefficients — the order of `FriVerifier::commit`.
//! - Queries ([`FriVerifierVar::draw_queries`]): as `draw_queries`, each raw query as its low bits, in
//!   draw order. Every raw query is checked on its own, duplicates included: a fixed shape, equivalent to
//!   Stwo checking each distinct position once.
//! - Per query ([`FriVerifierVar::verify_query`]): in each layer, the query's subset (the `2^fold_step`
//!   positions that fold together) is a witness; the circuit enforces that the current value is the
//!   query's entry of it, that the subset's leaves lie under the layer's root, and folds it as Stwo's
//!   `SparseEvaluation::fold_circle` / `fold_line` do (`fold_circle_into_line` by `y⁻¹`, then
//!   `fold_coset` by `x⁻¹`); the last value must be the last layer polynomial at the last domain point.
//!
//! The subset's domain points are the point of its first position plus constant offsets (the positions
//! differ only in their low `fold_step` bits), so one [`domain_point_at_bitrev`] per layer gives them
//! all, and sums with constant points cost nothing.
//!
//! Native side: [`FriCommitment::new`] replays the commit phase on a Poseidon2 channel (it needs the
//! folding alphas) and checks the proof's shape; [`FriCommitment::witness`] rebuilds, from Stwo's
//! deduplicated decommitments, each raw query's subsets and Merkle siblings, replaying Stwo's position and
//! value bookkeeping (`compute_decommitment_positions_and_rebuild_evals`, `build_merkle_verification_inputs`).
//!
//! Costs per query and layer (pinned in the tests): the subset's witness, `2^fold_step` canonical QM31s
//! at 128 constraints each; its leaves and their subtree (3 permutations unpacked, 1 or 3 packed); one
//! Merkle level (241) per position bit above the subset; the subset's domain point (about 17 per bit); the
//! folds, one M31 inverse (65 to 130) per pair and a few products. At a layer of log size 22: 6,304 with
//! `fold_step` 1, 6,449 with `fold_step` 3. Totals for a column of degree below 2^19 with blowup 8 and
//! 27 queries: 2.30M constraints with `fold_step` 1, 1.20M with 2, 1.09M with 3, 1.30M with 4.

use std::collections::BTreeMap;

use ark_bn254::Fr;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use itertools::Itertools;
use nzero_poseidon2::{Poseidon2Channel, Poseidon2MerkleChannel, Poseidon2MerkleHasher};
use stwo::core::channel::{Channel, MerkleChannel};
use stwo::core::circle::{CirclePointIndex, Coset};
use stwo::core::fields::m31::{BaseField, M31};
use stwo::core::fields::qm31::{SECURE_EXTENSION_DEGREE, SecureField};
use stwo::core::fri::{FriConfig, FriLayerProof, FriProof, fold_circle_into_line, fold_coset};
use stwo::core::poly::circle::{CanonicCoset, CircleDomain, MAX_CIRCLE_DOMAIN_LOG_SIZE};
use stwo::core::poly::line::LineDomain;
use stwo::core::utils::bit_reverse_index;
use stwo::core::vcs_lifted::verifier::LOG_PACKED_LEAF_SIZE;

use super::CircuitError;
use super::circle::{CirclePointVar, domain_point_at_bitrev};
use super::fields::{CM31Var, M31Var, QM31Var};
use super::merkle::{MerkleWitnessError, authentication_paths, enforce_merkle_path};
use crate::channel::{Poseidon2ChannelVar, hash_leaf_var, hash_node_var};
use crate::poseidon2::FrVar;

/// The size and fold of one committed FRI layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerShape {
    /// The log size of the layer's domain (a circle domain for the first layer, a line domain after).
    pub log_size: u32,
    /// How many folds the layer's subsets take (`2^fold_step` positions fold into one).
    pub fold_step: u32,
    /// Whether a Merkle leaf holds four consecutive values (Stwo packs leaves when folding more than once).
    pub pack_leaves: bool,
}

impl LayerShape {
    fn new(log_size: u32, fold_step: u32) -> Self {
        Self { log_size, fold_step, pack_leaves: log_size >= LOG_PACKED_LEAF_SIZE && fold_step > 1 }
    }

    /// The log number of values in a Merkle leaf.
    pub fn leaf_log_size(&self) -> u32 {
        if self.pack_leaves { LOG_PACKED_LEAF_SIZE } else { 0 }
    }

    /// The number of values that fold together.
    pub fn subset_size(&self) -> usize {
        1 << self.fold_step
    }

    /// The Merkle siblings a query needs above its subset's subtree.
    pub fn path_len(&self) -> usize {
        (self.log_size - self.fold_step) as usize
    }
}

/// The fixed shape of a FRI proof: what `FriVerifier::commit` derives from the config and the column's
/// degree bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FriShape {
    config: FriConfig,
    first: LayerShape,
    inner: Vec<LayerShape>,
    last_log_size: u32,
}

impl FriShape {
    /// The shape of FRI under `config` for a column (the DEEP quotients) of degree below
    /// `2^column_log_degree_bound`.
    ///
    /// # Errors
    /// A [`FriError`] if the config cannot fold such a column (Stwo's verifier rejects such proofs as
    /// having an invalid number of layers), or the first layer exceeds the largest circle domain.
    pub fn new(config: FriConfig, column_log_degree_bound: u32) -> Result<Self, FriError> {
        let fold_step = config.fold_step;
        if fold_step == 0 {
            return Err(FriError::ZeroFoldStep);
        }
        let first_log_size = column_log_degree_bound + config.log_blowup_factor;
        if first_log_size > MAX_CIRCLE_DOMAIN_LOG_SIZE {
            return Err(FriError::DomainTooLarge { log_size: first_log_size });
        }
        let line_log_degree = column_log_degree_bound
            .checked_sub(fold_step)
            .filter(|&d| d >= config.log_last_layer_degree_bound)
            .ok_or(FriError::CannotFold {
                column_log_degree_bound,
                fold_step,
                log_last_layer_degree_bound: config.log_last_layer_degree_bound,
            })?;
        // As the prover: full folds while more than one fold remains, then the rest (1 to fold_step).
        let last_log_size = config.log_last_layer_degree_bound + config.log_blowup_factor;
        let mut log_size = line_log_degree + config.log_blowup_factor;
        let mut inner = Vec::new();
        while log_size > last_log_size {
            let step = fold_step.min(log_size - last_log_size);
            inner.push(LayerShape::new(log_size, step));
            log_size -= step;
        }
        Ok(Self { config, first: LayerShape::new(first_log_size, fold_step), inner, last_log_size })
    }

    /// The config.
    pub fn config(&self) -> FriConfig {
        self.config
    }

    /// The first layer (a circle domain).
    pub fn first_layer(&self) -> LayerShape {
        self.first
    }

    /// The inner layers (line domains).
    pub fn inner_layers(&self) -> &[LayerShape] {
        &self.inner
    }

    /// The log size of the last layer's line domain.
    pub fn last_layer_log_size(&self) -> u32 {
        self.last_log_size
    }

    /// The number of the last layer polynomial's coefficients.
    pub fn last_layer_len(&self) -> usize {
        1 << self.config.log_last_layer_degree_bound
    }

    /// All committed layers, first layer first.
    fn layers(&self) -> impl Iterator<Item = &LayerShape> {
        std::iter::once(&self.first).chain(&self.inner)
    }
}

/// Why a FRI proof cannot be turned into the circuit's witness (Stwo's verifier rejects it too, or the
/// config has no FRI shape).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FriError {
    /// The config folds by zero.
    #[error("the fold step must be positive")]
    ZeroFoldStep,
    /// The first layer is larger than a circle domain can be.
    #[error("a first layer of log size {log_size} exceeds the largest circle domain")]
    DomainTooLarge {
        /// The first layer's log size.
        log_size: u32,
    },
    /// The column's degree bound is too small to fold once and still reach the last layer's.
    #[error(
        "a column of log degree bound {column_log_degree_bound} cannot fold by {fold_step} and reach a last layer of log degree bound {log_last_layer_degree_bound}"
    )]
    CannotFold {
        /// The column's log degree bound.
        column_log_degree_bound: u32,
        /// The config's fold step.
        fold_step: u32,
        /// The config's last layer log degree bound.
        log_last_layer_degree_bound: u32,
    },
    /// The proof has another number of inner layers than the shape.
    #[error("the proof has {got} inner layers, the shape {expected}")]
    LayerCount {
        /// The shape's inner layers.
        expected: usize,
        /// The proof's.
        got: usize,
    },
    /// The last layer polynomial has another number of coefficients than the shape.
    #[error("the last layer polynomial has {got} coefficients, the shape {expected}")]
    LastLayerLength {
        /// The shape's.
        expected: usize,
        /// The proof's.
        got: usize,
    },
    /// Another number of raw queries than the config's.
    #[error("{got} raw queries, the config draws {expected}")]
    QueryCount {
        /// The config's number of queries.
        expected: usize,
        /// The queries given.
        got: usize,
    },
    /// A query lies outside the first layer.
    #[error("query {position} lies outside a first layer of log size {log_size}")]
    QueryOutOfRange {
        /// The query.
        position: usize,
        /// The first layer's log size.
        log_size: u32,
    },
    /// The first layer's values are not one per distinct query.
    #[error("{got} first-layer values for {expected} distinct queries")]
    FirstLayerValues {
        /// Distinct queries.
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// A layer's `fri_witness` lacks values its subsets need.
    #[error("the fri witness of layer {layer} is too short")]
    WitnessTooShort {
        /// The layer: 0 for the first, `i + 1` for inner layer `i`.
        layer: usize,
    },
    /// A layer's `fri_witness` has values left over.
    #[error("the fri witness of layer {layer} is too long")]
    WitnessTooLong {
        /// The layer: 0 for the first, `i + 1` for inner layer `i`.
        layer: usize,
    },
    /// A layer's Merkle decommitment does not fit its queries.
    #[error("the decommitment of layer {layer} is malformed: {source}")]
    Decommitment {
        /// The layer: 0 for the first, `i + 1` for inner layer `i`.
        layer: usize,
        /// Why.
        source: MerkleWitnessError,
    },
}

/// One query's witness in one layer: the values of its subset (positions in increasing order) and the
/// Merkle siblings above the subset's subtree, lowest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FriLayerWitness {
    /// The `2^fold_step` values that fold together, the query's among them.
    pub subset: Vec<SecureField>,
    /// The siblings from the subset's subtree root up to the layer's root.
    pub siblings: Vec<Fr>,
}

/// The circuit's witness of a FRI proof: its commitments and each raw query's openings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FriWitness {
    /// The first layer's root.
    pub first_root: Fr,
    /// The inner layers' roots.
    pub inner_roots: Vec<Fr>,
    /// The last layer polynomial's coefficients (Stwo's bit-reversed order).
    pub last_layer_poly: Vec<SecureField>,
    /// Per raw query (draw order), per layer (first layer first).
    pub queries: Vec<Vec<FriLayerWitness>>,
}

/// The commit phase replayed natively: the proof, checked against the shape, and its folding alphas.
#[derive(Clone, Debug)]
pub struct FriCommitment {
    shape: FriShape,
    proof: FriProof<Poseidon2MerkleHasher>,
    alphas: Vec<SecureField>,
}

impl FriCommitment {
    /// Replays `FriVerifier::commit` on `channel` (mixes the roots, draws the alphas, mixes the last
    /// layer polynomial).
    ///
    /// # Errors
    /// [`FriError::LayerCount`] or [`FriError::LastLayerLength`] if the proof does not have the shape's
    /// layers; the channel is then left unchanged.
    pub fn new(
        channel: &mut Poseidon2Channel,
        shape: &FriShape,
        proof: FriProof<Poseidon2MerkleHasher>,
    ) -> Result<Self, FriError> {
        if proof.inner_layers.len() != shape.inner.len() {
            return Err(FriError::LayerCount { expected: shape.inner.len(), got: proof.inner_layers.len() });
        }
        if proof.last_layer_poly.len() != shape.last_layer_len() {
            return Err(FriError::LastLayerLength {
                expected: shape.last_layer_len(),
                got: proof.last_layer_poly.len(),
            });
        }
        let mut alphas = Vec::with_capacity(shape.inner.len() + 1);
        for layer in std::iter::once(&proof.first_layer).chain(&proof.inner_layers) {
            Poseidon2MerkleChannel::mix_root(channel, layer.commitment);
            alphas.push(channel.draw_secure_felt());
        }
        channel.mix_felts(&proof.last_layer_poly);
        Ok(Self { shape: shape.clone(), proof, alphas })
    }

    /// The witness for the raw queries (draw order) given the first layer's values at the distinct
    /// queries in increasing order (what Stwo's `fri_answers` returns).
    ///
    /// # Errors
    /// A [`FriError`] if the queries or values do not fit the shape, or a layer's `fri_witness` or
    /// decommitment is malformed.
    pub fn witness(
        &self,
        raw_queries: &[usize],
        first_layer_values: &[SecureField],
    ) -> Result<FriWitness, FriError> {
        let shape = &self.shape;
        let n_queries = shape.config.n_queries;
        if raw_queries.len() != n_queries {
            return Err(FriError::QueryCount { expected: n_queries, got: raw_queries.len() });
        }
        let log_size = shape.first.log_size;
        if let Some(&position) = raw_queries.iter().find(|&&q| q >> log_size != 0) {
            return Err(FriError::QueryOutOfRange { position, log_size });
        }
        let mut positions = raw_queries.iter().copied().sorted().dedup().collect_vec();
        if first_layer_values.len() != positions.len() {
            return Err(FriError::FirstLayerValues {
                expected: positions.len(),
                got: first_layer_values.len(),
            });
        }
        let mut values = first_layer_values.to_vec();
        let layer_proofs = std::iter::once(&self.proof.first_layer).chain(&self.proof.inner_layers);
        // Per layer: subset index -> the subset's witness.
        let mut layers: Vec<BTreeMap<usize, FriLayerWitness>> = Vec::new();
        for (index, (layer, proof)) in shape.layers().zip(layer_proofs).enumerate() {
            let subsets = layer_subsets(index, layer, proof, &positions, &values)?;
            let domain = LayerDomain::new(index, layer.log_size);
            (positions, values) = subsets
                .iter()
                .map(|(&subset, witness)| {
                    (subset, domain.fold(subset << layer.fold_step, &witness.subset, self.alphas[index]))
                })
                .unzip();
            layers.push(subsets);
        }
        let queries = raw_queries
            .iter()
            .map(|&query| {
                let mut position = query;
                shape
                    .layers()
                    .zip(&layers)
                    .map(|(layer, subsets)| {
                        position >>= layer.fold_step;
                        subsets[&position].clone()
                    })
                    .collect()
            })
            .collect();
        Ok(FriWitness {
            first_root: self.proof.first_layer.commitment.0,
            inner_roots: self.proof.inner_layers.iter().map(|l| l.commitment.0).collect(),
            last_layer_poly: self.proof.last_layer_poly.to_vec(),
            queries,
        })
    }
}

/// A layer's subsets at the sorted distinct `positions` (with their `values`), completed from the
/// layer's `fri_witness` as `compute_decommitment_positions_and_rebuild_evals` does, with the Merkle
/// siblings of each subset's subtree.
fn layer_subsets(
    index: usize,
    layer: &LayerShape,
    proof: &FriLayerProof<Poseidon2MerkleHasher>,
    positions: &[usize],
    values: &[SecureField],
) -> Result<BTreeMap<usize, FriLayerWitness>, FriError> {
    let fold_step = layer.fold_step;
    let mut fri_witness = proof.fri_witness.iter().copied();
    let mut queried = positions.iter().copied().zip(values.iter().copied()).peekable();
    let mut subsets = Vec::new();
    while let Some(&(first, _)) = queried.peek() {
        let subset = first >> fold_step;
        let start = subset << fold_step;
        let evals = (start..start + layer.subset_size())
            .map(|position| match queried.next_if(|&(p, _)| p == position) {
                Some((_, value)) => Ok(value),
                None => fri_witness.next().ok_or(FriError::WitnessTooShort { layer: index }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        subsets.push((subset, evals));
    }
    if fri_witness.next().is_some() {
        return Err(FriError::WitnessTooLong { layer: index });
    }

    // The Merkle openings, as `build_merkle_verification_inputs` lays the values out: leaf `m` holds the
    // values at positions `m·2^l .. (m + 1)·2^l`, coordinate by coordinate.
    let leaf_log_size = layer.leaf_log_size();
    let leaves_per_subset = 1usize << (fold_step - leaf_log_size);
    let leaf_positions = subsets
        .iter()
        .flat_map(|(subset, _)| (0..leaves_per_subset).map(move |k| subset * leaves_per_subset + k))
        .collect_vec();
    let n_columns = SECURE_EXTENSION_DEGREE << leaf_log_size;
    let mut columns: Vec<Vec<BaseField>> = vec![Vec::with_capacity(leaf_positions.len()); n_columns];
    for (offset, value) in subsets.iter().flat_map(|(_, evals)| evals).enumerate() {
        let within_leaf = offset % (1 << leaf_log_size);
        for (coordinate, m31) in value.to_m31_array().into_iter().enumerate() {
            columns[coordinate + within_leaf * SECURE_EXTENSION_DEGREE].push(m31);
        }
    }
    let height = layer.log_size - leaf_log_size;
    let openings = authentication_paths(
        height,
        &vec![height; n_columns],
        &leaf_positions,
        &columns,
        &proof.decommitment,
    )
    .map_err(|source| FriError::Decommitment { layer: index, source })?;
    let subtree_height = (fold_step - leaf_log_size) as usize;
    Ok(subsets
        .into_iter()
        .zip(openings.chunks(leaves_per_subset))
        .map(|((subset, evals), openings)| {
            let siblings = openings[0].siblings[subtree_height..].to_vec();
            (subset, FriLayerWitness { subset: evals, siblings })
        })
        .collect())
}

/// A layer's domain, for folding natively as Stwo's `SparseEvaluation` does.
enum LayerDomain {
    Circle(CircleDomain),
    Line(LineDomain),
}

impl LayerDomain {
    fn new(index: usize, log_size: u32) -> Self {
        if index == 0 {
            Self::Circle(CanonicCoset::new(log_size).circle_domain())
        } else {
            Self::Line(LineDomain::new(Coset::half_odds(log_size)))
        }
    }

    /// The fold of the subset starting at `start`, as `SparseEvaluation::fold_circle` / `fold_line`.
    fn fold(&self, start: usize, evals: &[SecureField], alpha: SecureField) -> SecureField {
        let fold_step = evals.len().ilog2();
        match self {
            Self::Circle(domain) => {
                let initial = domain.index_at(bit_reverse_index(start, domain.log_size()));
                let circle_fold_domain = CircleDomain::new(Coset::new(initial, fold_step - 1));
                let buffer = fold_circle_into_line(evals, circle_fold_domain, alpha);
                if fold_step == 1 {
                    buffer[0]
                } else {
                    let line_fold_domain = LineDomain::new(Coset::new(initial, fold_step - 1));
                    fold_coset(buffer, line_fold_domain, alpha * alpha)
                }
            }
            Self::Line(domain) => {
                let initial = domain.coset().index_at(bit_reverse_index(start, domain.log_size()));
                fold_coset(evals.to_vec(), LineDomain::new(Coset::new(initial, fold_step)), alpha)
            }
        }
    }
}

/// One query's witness in one layer, in the circuit.
#[derive(Clone, Debug)]
pub struct FriLayerWitnessVar {
    subset: Vec<QM31Var>,
    siblings: Vec<FrVar>,
}

/// The FRI proof's variables: commitments and per-query witnesses, of the shape's sizes.
#[derive(Clone, Debug)]
pub struct FriProofVar {
    first_root: FrVar,
    inner_roots: Vec<FrVar>,
    last_layer_poly: Vec<QM31Var>,
    queries: Vec<Vec<FriLayerWitnessVar>>,
}

/// `f(witness)`, or a missing assignment without one (setup mode).
fn assign<W, T>(witness: Option<&W>, f: impl FnOnce(&W) -> Option<T>) -> Result<T, SynthesisError> {
    witness.and_then(f).ok_or(SynthesisError::AssignmentMissing)
}

impl FriProofVar {
    /// Allocates the proof's witness, of `shape`'s sizes; `None` in setup mode. Values are canonical
    /// (each M31 coordinate 32 constraints).
    ///
    /// # Errors
    /// Fails only if the constraint system fails. A witness of another shape is a missing assignment.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        shape: &FriShape,
        witness: Option<&FriWitness>,
    ) -> Result<Self, SynthesisError> {
        let fr =
            |f: &dyn Fn(&FriWitness) -> Option<Fr>| FrVar::new_witness(cs.clone(), || assign(witness, f));
        let qm31 = |f: &dyn Fn(&FriWitness) -> Option<SecureField>| {
            QM31Var::new_witness(cs.clone(), || assign(witness, f))
        };
        let first_root = fr(&|w| Some(w.first_root))?;
        let inner_roots =
            (0..shape.inner.len()).map(|i| fr(&|w| w.inner_roots.get(i).copied())).try_collect()?;
        let last_layer_poly = (0..shape.last_layer_len())
            .map(|i| qm31(&|w| w.last_layer_poly.get(i).copied()))
            .try_collect()?;
        let queries = (0..shape.config.n_queries)
            .map(|q| {
                shape
                    .layers()
                    .enumerate()
                    .map(|(l, layer)| {
                        let at = |w: &FriWitness| w.queries.get(q).and_then(|layers| layers.get(l)).cloned();
                        let subset = (0..layer.subset_size())
                            .map(|k| qm31(&|w| at(w).and_then(|lw| lw.subset.get(k).copied())))
                            .try_collect()?;
                        let siblings = (0..layer.path_len())
                            .map(|k| fr(&|w| at(w).and_then(|lw| lw.siblings.get(k).copied())))
                            .try_collect()?;
                        Ok(FriLayerWitnessVar { subset, siblings })
                    })
                    .collect::<Result<Vec<_>, SynthesisError>>()
            })
            .try_collect()?;
        Ok(Self { first_root, inner_roots, last_layer_poly, queries })
    }

    /// Each raw query's layer witnesses, in draw order.
    pub fn queries(&self) -> &[Vec<FriLayerWitnessVar>] {
        &self.queries
    }
}

/// The circuit's FRI verifier after the commit phase: the proof's variables and the folding alphas.
#[derive(Clone, Debug)]
pub struct FriVerifierVar {
    shape: FriShape,
    proof: FriProofVar,
    /// The first layer's alpha, then each inner layer's.
    alphas: Vec<QM31Var>,
    /// Per layer, `alpha^β` for `β < 2^fold_step`, canonical, shared by all queries (see
    /// [`fold_subset`]).
    alpha_powers: Vec<Vec<QM31Var>>,
}

impl FriVerifierVar {
    /// The commit phase, as `FriVerifier::commit`: mixes each layer's root and draws its alpha, then mixes
    /// the last layer polynomial.
    ///
    /// # Errors
    /// [`SynthesisError::Unsatisfiable`] if `proof` was not allocated for `shape` (a circuit-shape bug);
    /// otherwise fails only if the constraint system fails.
    pub fn commit(
        channel: &mut Poseidon2ChannelVar,
        shape: &FriShape,
        proof: FriProofVar,
    ) -> Result<Self, SynthesisError> {
        if proof.inner_roots.len() != shape.inner.len()
            || proof.last_layer_poly.len() != shape.last_layer_len()
            || proof.queries.len() != shape.config.n_queries
        {
            return Err(SynthesisError::Unsatisfiable);
        }
        let mut alphas = Vec::with_capacity(shape.inner.len() + 1);
        for root in std::iter::once(&proof.first_root).chain(&proof.inner_roots) {
            channel.mix_root(root)?;
            alphas.push(QM31Var::from_channel(&channel.draw_secure_felt()?));
        }
        let coefficients: Vec<_> = proof.last_layer_poly.iter().map(QM31Var::canonical_fr).try_collect()?;
        channel.mix_felts(&coefficients)?;
        let alpha_powers = shape
            .layers()
            .zip(&alphas)
            .map(|(layer, alpha)| {
                // alpha^(2^i), each the square of the last; then alpha^β as products of those.
                let mut squares = vec![alpha.clone()];
                for _ in 1..layer.fold_step {
                    let square = squares[squares.len() - 1].square().reduce()?;
                    squares.push(square);
                }
                let mut powers = vec![QM31Var::one()];
                for beta in 1..layer.subset_size() {
                    let (lowest, rest) = (beta.trailing_zeros() as usize, beta & (beta - 1));
                    let power = if rest == 0 {
                        squares[lowest].clone()
                    } else {
                        (&powers[rest] * &squares[lowest]).reduce()?
                    };
                    powers.push(power);
                }
                Ok::<_, SynthesisError>(powers)
            })
            .try_collect()?;
        Ok(Self { shape: shape.clone(), proof, alphas, alpha_powers })
    }

    /// The shape.
    pub fn shape(&self) -> &FriShape {
        &self.shape
    }

    /// The folding alphas: the first layer's, then each inner layer's.
    pub fn alphas(&self) -> &[QM31Var] {
        &self.alphas
    }

    /// Draws the raw queries as `draw_queries` does (after the caller's proof-of-work check and nonce
    /// mix): each the low `log_size` bits of a drawn word, little-endian, in draw order.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn draw_queries(
        &self,
        channel: &mut Poseidon2ChannelVar,
    ) -> Result<Vec<Vec<Boolean<Fr>>>, SynthesisError> {
        let (n_queries, log_size) = (self.shape.config.n_queries, self.shape.first.log_size as usize);
        let mut queries = Vec::with_capacity(n_queries);
        while queries.len() < n_queries {
            let words = channel.draw_u32s()?;
            queries.extend(words.into_iter().take(n_queries - queries.len()).map(|w| w[..log_size].to_vec()));
        }
        Ok(queries)
    }

    /// Checks raw query `index` (its little-endian `bits`, at least the first layer's log size) whose
    /// first-layer value is `first_layer_value`: every layer's opening and fold, then the last layer.
    ///
    /// # Errors
    /// [`CircuitError::TooFewPositionBits`] for too few bits; [`SynthesisError::Unsatisfiable`] for an
    /// index without a witness (a circuit-shape bug); otherwise fails only if the constraint system fails.
    /// A wrong witness leaves the system unsatisfied.
    pub fn verify_query(
        &self,
        index: usize,
        bits: &[Boolean<Fr>],
        first_layer_value: &QM31Var,
    ) -> Result<(), CircuitError> {
        let first = self.shape.first;
        if bits.len() < first.log_size as usize {
            return Err(CircuitError::TooFewPositionBits { log_size: first.log_size, got: bits.len() });
        }
        let witness = self.proof.queries.get(index).ok_or(SynthesisError::Unsatisfiable)?;
        let roots = std::iter::once(&self.proof.first_root).chain(&self.proof.inner_roots);
        let mut bits = &bits[..first.log_size as usize];
        let mut value = first_layer_value.clone();
        for (l, ((layer, root), layer_witness)) in self.shape.layers().zip(roots).zip(witness).enumerate() {
            value = fold_layer(l == 0, layer, root, &self.alpha_powers[l], bits, &value, layer_witness)?;
            bits = &bits[layer.fold_step as usize..];
        }
        // The last layer: the polynomial at the x of the query's point of the line domain, i.e. of the
        // circle domain one larger at twice the position.
        let position = std::iter::once(Boolean::FALSE).chain(bits.iter().cloned()).collect_vec();
        let x = domain_point_at_bitrev(&position, self.shape.last_log_size + 1)?.x;
        eval_line_poly(&self.proof.last_layer_poly, &x)?.enforce_equal(&value)?;
        Ok(())
    }
}

/// One layer of one query: enforces that `value` is the query's entry of the subset and that the subset
/// lies under `root`, and returns the subset's fold. `bits` are the query's position in the layer.
///
/// Costs, beyond the subset's witness: the selection `4·(2^f - 1)` products and `2^f - f - 1` bit
/// products, the equality with `value`, `2^(f - l)` leaf hashes and `2^(f - l) - 1` node hashes, one
/// Merkle level per remaining bit, the subset's domain point, and the folds.
fn fold_layer(
    circle: bool,
    layer: &LayerShape,
    root: &FrVar,
    alpha_powers: &[QM31Var],
    bits: &[Boolean<Fr>],
    value: &QM31Var,
    witness: &FriLayerWitnessVar,
) -> Result<QM31Var, CircuitError> {
    let fold_step = layer.fold_step as usize;
    if witness.subset.len() != layer.subset_size()
        || witness.siblings.len() != layer.path_len()
        || alpha_powers.len() != layer.subset_size()
    {
        return Err(SynthesisError::Unsatisfiable.into());
    }
    // The query's entry: subset[low fold_step bits] = value.
    select(&bits[..fold_step], &witness.subset).enforce_equal(value)?;

    // The subset's leaves (coordinates in `to_m31_array` order, value after value), their subtree, and
    // the path from its root.
    let leaf_size = 1 << layer.leaf_log_size();
    let mut nodes: Vec<FrVar> = witness
        .subset
        .chunks(leaf_size)
        .map(|leaf| {
            let coordinates: Vec<FrVar> =
                leaf.iter().map(QM31Var::canonical_fr).flatten_ok().try_collect()?;
            hash_leaf_var(&coordinates)
        })
        .try_collect()?;
    while nodes.len() > 1 {
        nodes = nodes.chunks(2).map(|pair| hash_node_var(&pair[0], &pair[1])).try_collect()?;
    }
    let subtree_root = nodes.pop().ok_or(SynthesisError::Unsatisfiable)?;
    enforce_merkle_path(root, subtree_root, &bits[fold_step..], &witness.siblings)?;

    // The point of the subset's first position: the low bits cleared; a line domain's point is that of the
    // circle domain one larger at twice the position.
    let (log_size, low_zeros) =
        if circle { (layer.log_size, fold_step) } else { (layer.log_size + 1, fold_step + 1) };
    let start_bits =
        std::iter::repeat_n(Boolean::FALSE, low_zeros).chain(bits[fold_step..].iter().cloned()).collect_vec();
    let start = domain_point_at_bitrev(&start_bits, log_size)?;
    // With several folds, reduced once: each fold's twiddle is a linear combination of its coordinates.
    let start = if fold_step > 1 { start.reduce()? } else { start };
    Ok(fold_subset(&witness.subset, &twiddles(circle, layer.fold_step, &start), alpha_powers)?)
}

/// `values[s]` for the index `s` with little-endian `bits`: `sum_m c_m prod_{i in m} b_i` with the Möbius
/// coefficients `c` of the values (linear combinations), one product per nonempty subset `m` and
/// coordinate, and one per bit product of two or more bits.
fn select(bits: &[Boolean<Fr>], values: &[QM31Var]) -> QM31Var {
    let mut coefficients = values.to_vec();
    for bit in 0..bits.len() {
        for m in 0..values.len() {
            if m & (1 << bit) != 0 {
                coefficients[m] = &coefficients[m] - &coefficients[m ^ (1 << bit)];
            }
        }
    }
    let mut monomials: Vec<Boolean<Fr>> = vec![Boolean::TRUE];
    for m in 1..values.len() {
        let (lowest, rest) = (m.trailing_zeros() as usize, m & (m - 1));
        monomials.push(if rest == 0 { bits[lowest].clone() } else { &monomials[rest] & &bits[lowest] });
    }
    coefficients
        .iter()
        .zip(&monomials)
        .fold(QM31Var::zero(), |sum, (c, monomial)| sum + c.mul_m31(&M31Var::from_boolean(monomial)))
}

/// The point `Coset::new(0, log_size).at(index)`: the offset of a subset's domain points from its first.
fn offset(log_size: u32, index: usize) -> stwo::core::circle::CirclePoint<M31> {
    Coset::new(CirclePointIndex::zero(), log_size).at(index)
}

/// The twiddles of a subset's folds whose first domain point is `start`, level by level (`2^(f - 1 - i)`
/// pairs at level `i`), as `SparseEvaluation::fold_circle` / `fold_line` take them: for the first layer,
/// the `y` of each pair's first point of `CircleDomain(Coset(start, f - 1))`, then the `x` of the line
/// domain `Coset(start, f - 1)`, doubling after each level; for inner layers the `x` of `Coset(start, f)`,
/// doubling after each level. Sums with constant points: linear combinations, no constraint; a doubling 2.
fn twiddles(circle: bool, fold_step: u32, start: &CirclePointVar<M31Var>) -> Vec<Vec<M31Var>> {
    let mut initial = start.clone();
    (0..fold_step)
        .map(|level| {
            // 2^k values at this level.
            let k = fold_step - level;
            let pairs = 0..1usize << (k - 1);
            if circle && level == 0 {
                return pairs.map(|j| start.add_base(offset(k - 1, bit_reverse_index(2 * j, k))).y).collect();
            }
            if level > usize::from(circle) as u32 {
                initial = initial.double();
            }
            pairs.map(|j| initial.add_base(offset(k, bit_reverse_index(2 * j, k))).x).collect()
        })
        .collect()
}

/// The fold of a subset (`fold_circle_into_line` then `fold_coset`, or `fold_coset`), with the alphas
/// applied last: each level's butterflies `ibutterfly(a, b, t⁻¹)` act on every power of alpha apart, so
/// that after level `i` a value is `sum_β alpha^β e_β` over `β < 2^(i+1)`, and the result is
/// `sum_β alpha^β e_β` with `alpha_powers[β] = alpha^β` (canonical, shared by all queries). The last
/// level's inverse twiddle multiplies the (narrow) alpha power instead of the (wide) difference. Values
/// widen by one M31 product per level instead of one M31 and one QM31 product, which keeps them below
/// the width that would force reductions: per level an inverse (66 to 96 constraints) per pair and four
/// constraints per pair and power, then one QM31 product per power.
fn fold_subset(
    subset: &[QM31Var],
    twiddles: &[Vec<M31Var>],
    alpha_powers: &[QM31Var],
) -> Result<QM31Var, SynthesisError> {
    if alpha_powers.len() != subset.len() || twiddles.is_empty() {
        return Err(SynthesisError::Unsatisfiable);
    }
    // Per value of the level, its components by power of alpha.
    let mut values: Vec<Vec<QM31Var>> = subset.iter().map(|v| vec![v.clone()]).collect();
    let (last, levels) = twiddles.split_last().ok_or(SynthesisError::Unsatisfiable)?;
    for level in levels {
        values = values
            .chunks(2)
            .zip(level)
            .map(|(pair, twiddle)| {
                let inverse = twiddle.inverse()?;
                let (a, b) = (&pair[0], &pair[1]);
                // f0 = a + b (alpha bit clear), f1 = (a - b)·t⁻¹ (alpha bit set).
                let sums = a.iter().zip(b).map(|(a, b)| a + b);
                let differences = a.iter().zip(b).map(|(a, b)| (a - b).mul_m31(&inverse)).collect_vec();
                Ok(sums.chain(differences).collect())
            })
            .collect::<Result<_, SynthesisError>>()?;
    }
    let ([a, b], [twiddle]) = (values.as_slice(), last.as_slice()) else {
        return Err(SynthesisError::Unsatisfiable);
    };
    let inverse = twiddle.inverse()?;
    let half = a.len();
    let mut result = QM31Var::zero();
    for (beta, (a, b)) in a.iter().zip(b).enumerate() {
        let sum = a + b;
        result += if beta == 0 { sum } else { mul_wide(&alpha_powers[beta], &sum) };
        result += mul_wide(&alpha_powers[beta + half].mul_m31(&inverse), &(a - b));
    }
    Ok(result)
}

/// The QM31 product `ac + R·bd + ((a + b)(c + d) - ac - bd)·u` (nine constraints) with `R·bd` by additions
/// (`(2 + i)(x + yi) = (2x - y) + (x + 2y)i`): the product by the constant `R` would reduce `bd` once
/// wider than a product's operand (2^120), while here only the operands must be narrower than that.
fn mul_wide(lhs: &QM31Var, rhs: &QM31Var) -> QM31Var {
    let (QM31Var(a, b), QM31Var(c, d)) = (lhs.mul_ready(), rhs.mul_ready());
    let ac = &a * &c;
    let bd = &b * &d;
    let cross = (&a + &b) * (&c + &d);
    let r_bd = CM31Var(bd.0.double() - &bd.1, &bd.0 + bd.1.double());
    QM31Var(&ac + r_bd, cross - ac - bd)
}

/// `LinePoly::eval_at_point`: the coefficients (bit-reversed) folded by `x, π(x), π²(x), …`.
fn eval_line_poly(coefficients: &[QM31Var], x: &M31Var) -> Result<QM31Var, SynthesisError> {
    let log_size = coefficients.len().ilog2();
    let mut factors = Vec::with_capacity(log_size as usize);
    let mut x = x.clone();
    for _ in 0..log_size {
        factors.push(x.clone());
        x = CirclePointVar::double_x(&x);
    }
    fn fold(values: &[QM31Var], factors: &[M31Var]) -> QM31Var {
        match factors.split_first() {
            None => values[0].clone(),
            Some((factor, rest)) => {
                let (lhs, rhs) = values.split_at(values.len() / 2);
                fold(lhs, rest) + fold(rhs, rest).mul_m31(factor)
            }
        }
    }
    Ok(fold(coefficients, &factors))
}

#[cfg(test)]
mod tests;
