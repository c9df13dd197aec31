//! The AIR in the circuit: the very `FrameworkEval` the prover uses, evaluated at the out-of-domain point
//! over [`QM31Var`]s by [`PointEvaluatorVar`], the twin of the framework's `PointEvaluator`.
//!
//! [`CircuitComponent`] is the circuit's view of a component (implemented for every
//! `FrameworkComponent<E>`), [`eval_composition_polynomial_at_point`] and [`mask_points`] mirror Stwo's
//! `Components`, and [`composition_oods_eval`] recombines the composition polynomial's sampled halves
//! as the proof's `extract_composition_oods_eval`. Proof-dependent constants of an eval (lookup
//! elements, claimed sums) reach it as placeholders (see [`super::Substitutions`]).
//!
//! Costs: each AIR constraint costs its own arithmetic plus about 9 constraints in the accumulation
//! (a product by a canonical power of the random coefficient) and its share of a reduction per group of
//! about `1.5 √n` constraints (see [`PointEvaluationAccumulatorVar`]); the vanishing polynomial, the
//! same for every component, is computed once (about `286 · (log size - 1)`, and one inverse, 284).

use std::collections::BTreeMap;

use ark_relations::gr1cs::SynthesisError;
use num_traits::Zero;
use stwo::core::air::Component;
use stwo::core::circle::CirclePoint;
use stwo::core::fields::m31::M31;
use stwo::core::fields::qm31::SECURE_EXTENSION_DEGREE;
use stwo::core::pcs::TreeVec;
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::verifier::PREPROCESSED_TRACE_IDX;
use stwo::core::{ColumnVec, Fraction};
use stwo_constraint_framework::{EvalAtRow, FrameworkComponent, FrameworkEval, INTERACTION_TRACE_IDX};

use super::CircuitError;
use super::circle::{CirclePointVar, coset_vanishing, repeated_double_x};
use super::fields::QM31Var;

/// The random linear combination of constraint quotients at one point, `acc = acc · α + c / Z`: the
/// twin of `PointEvaluationAccumulator`.
///
/// Horner's rule would cost a QM31 product and, every other step, a reduction (about 150 constraints a
/// constraint). The accumulator instead keeps the evaluations and their denominators, and
/// [`Self::finalize`] computes the same sum `Σ_k α^(n-1-k) c_k / Z_k` regrouped: the denominators
/// (one vanishing polynomial per coset size, in practice one for all components) are factored out of
/// their evaluations' sums, and each sum is taken in groups of `g` evaluations, `Σ_i β^i Σ_j α^j c_(i,j)`
/// with `β = α^g`: one product by a canonical power `α^j` per evaluation, and one product by `β` and one
/// reduction per group. The sum is the same polynomial in `α`, so nothing about soundness changes.
#[derive(Clone, Debug)]
pub struct PointEvaluationAccumulatorVar {
    random_coeff: QM31Var,
    point: CirclePointVar<QM31Var>,
    /// The vanishing polynomials' inverses at `point`, by the log size of their canonic coset; `None`
    /// stands for the denominator one (evaluations accumulated as they are).
    denominators: Vec<(Option<u32>, QM31Var)>,
    /// Every evaluation, in accumulation order, with the index of its denominator.
    evaluations: Vec<(QM31Var, usize)>,
}

impl PointEvaluationAccumulatorVar {
    /// An empty accumulation at `point` with the channel's random coefficient.
    pub fn new(random_coeff: QM31Var, point: CirclePointVar<QM31Var>) -> Self {
        Self { random_coeff, point, denominators: vec![(None, QM31Var::one())], evaluations: Vec::new() }
    }

    /// `acc = acc · α + evaluation`.
    pub fn accumulate(&mut self, evaluation: QM31Var) {
        self.evaluations.push((evaluation, 0));
    }

    /// `acc = acc · α + evaluation / Z`, where `Z` is the denominator [`Self::denominator`] returned.
    fn accumulate_quotient(&mut self, evaluation: QM31Var, denominator: usize) {
        self.evaluations.push((evaluation, denominator));
    }

    /// The index of the inverse of the vanishing polynomial of the canonic coset of `log_size` at the
    /// accumulator's point, as `PointEvaluator` divides by: computed (one inverse, about `286 ·
    /// log_size`) the first time, shared by every later component.
    fn denominator(&mut self, log_size: u32) -> Result<usize, SynthesisError> {
        if let Some(index) = self.denominators.iter().position(|(size, _)| *size == Some(log_size)) {
            return Ok(index);
        }
        let vanishing = coset_vanishing(CanonicCoset::new(log_size).coset, &self.point)?;
        self.denominators.push((Some(log_size), vanishing.inverse()?));
        Ok(self.denominators.len() - 1)
    }

    /// The accumulated value, `Σ_k α^(n-1-k) c_k / Z_k` (see the type's documentation for how).
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn finalize(self) -> Result<QM31Var, SynthesisError> {
        let n = self.evaluations.len();
        if n == 0 {
            return Ok(QM31Var::zero());
        }
        // Setting up `g` canonical powers costs a reduced product each, a group a reduced product: about
        // `284 g + 600 n / g`, least near `g = 1.5 √n`.
        let group = ((1.5 * (n as f64).sqrt()).ceil() as usize).clamp(1, n);
        let mut powers = vec![QM31Var::one()];
        while powers.len() <= group {
            let next = (powers.last().expect("one power at least") * &self.random_coeff).reduce()?;
            powers.push(next);
        }
        let step = powers.pop().expect("group + 1 powers");
        let mut sums = vec![QM31Var::zero(); self.denominators.len()];
        // The k-th evaluation's weight is α^(n-1-k) = β^i α^j with n - 1 - k = i·g + j.
        let n_groups = n.div_ceil(group);
        for i in (0..n_groups).rev() {
            // Horner over the groups: the earlier groups' sums times β (reduced at the group's end).
            for sum in sums.iter_mut().filter(|sum| !sum.is_zero()) {
                *sum = sum.mul_wide(&step);
            }
            for (j, power) in powers.iter().enumerate() {
                let Some(k) = (n - 1).checked_sub(i * group + j) else { break };
                let (evaluation, denominator) = &self.evaluations[k];
                if !evaluation.is_zero() {
                    sums[*denominator] += power.mul_wide(evaluation);
                }
            }
            for sum in sums.iter_mut().filter(|sum| !sum.is_zero()) {
                *sum = sum.reduce()?;
            }
        }
        // Σ_d Z_d^-1 · (the sum of d's evaluations)
        let mut total = QM31Var::zero();
        for ((_, inverse), sum) in self.denominators.iter().zip(&sums) {
            total += inverse * sum;
        }
        Ok(total)
    }
}

/// The logUp state of one component's evaluation: the twin of the framework's `LogupAtRow`, with the
/// cumulative-sum shift a variable (the claimed sum is the proof's).
#[derive(Debug)]
struct LogupVar {
    interaction: usize,
    cumsum_shift: QM31Var,
    fracs: Vec<Fraction<QM31Var, QM31Var>>,
    is_finalized: bool,
}

/// Evaluates a component's constraints at the out-of-domain point over variables: the twin of the
/// framework's `PointEvaluator`, with the framework's `logup_proxy!` behaviour.
///
/// `EvalAtRow`'s methods cannot fail, so a misuse (a mask shorter than the eval reads, a logUp
/// finalized twice or never) is recorded and reported by [`Self::finish`]; the evaluation goes on with
/// zeros meanwhile.
#[derive(Debug)]
pub struct PointEvaluatorVar<'a> {
    mask: TreeVec<ColumnVec<&'a Vec<QM31Var>>>,
    accumulator: &'a mut PointEvaluationAccumulatorVar,
    col_index: Vec<usize>,
    /// The accumulator's index of the vanishing polynomial the constraints are divided by.
    denominator: usize,
    logup: LogupVar,
    error: Option<CircuitError>,
}

impl<'a> PointEvaluatorVar<'a> {
    /// An evaluator over `mask` (per tree, per column, the values at the column's mask offsets), as
    /// `PointEvaluator::new`; its constraints are divided by the vanishing polynomial of the canonic
    /// coset of `max_log_degree_bound` at the accumulator's point.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn new(
        mask: TreeVec<ColumnVec<&'a Vec<QM31Var>>>,
        accumulator: &'a mut PointEvaluationAccumulatorVar,
        max_log_degree_bound: u32,
        log_size: u32,
        claimed_sum: QM31Var,
    ) -> Result<Self, SynthesisError> {
        let col_index = vec![0; mask.len()];
        // claimed_sum / 2^log_size, as `LogupAtRow::new`.
        let cumsum_shift = claimed_sum * M31::from_u32_unchecked(1 << log_size).inverse();
        let denominator = accumulator.denominator(max_log_degree_bound)?;
        Ok(Self {
            mask,
            accumulator,
            col_index,
            denominator,
            logup: LogupVar {
                interaction: INTERACTION_TRACE_IDX,
                cumsum_shift,
                fracs: vec![],
                is_finalized: true,
            },
            error: None,
        })
    }

    /// Ends the evaluation.
    ///
    /// # Errors
    /// The first misuse recorded: [`CircuitError::MaskTooShort`], [`CircuitError::LogupBatching`], or
    /// [`CircuitError::LogupNotFinalized`] when fractions were written but not finalized.
    pub fn finish(self) -> Result<(), CircuitError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if !self.logup.is_finalized {
            return Err(CircuitError::LogupNotFinalized);
        }
        Ok(())
    }

    fn record(&mut self, error: CircuitError) {
        self.error.get_or_insert(error);
    }

    fn finalize_batches(&mut self, batching: &[usize]) -> Result<(), CircuitError> {
        if self.logup.is_finalized {
            return Err(CircuitError::LogupBatching("finalized twice or nothing to finalize"));
        }
        if batching.len() != self.logup.fracs.len() {
            return Err(CircuitError::LogupBatching("one batch number per entry"));
        }
        let mut fracs_by_batch = BTreeMap::<usize, Vec<Fraction<QM31Var, QM31Var>>>::new();
        for (batch, frac) in batching.iter().zip(&self.logup.fracs) {
            fracs_by_batch.entry(*batch).or_default().push(frac.clone());
        }
        let last_batch = fracs_by_batch.len() - 1;
        if fracs_by_batch.keys().copied().ne(0..=last_batch) {
            return Err(CircuitError::LogupBatching("batches must be consecutive from zero"));
        }
        let mut fracs_by_batch: Vec<Vec<Fraction<QM31Var, QM31Var>>> = fracs_by_batch.into_values().collect();
        let last = fracs_by_batch.pop().unwrap_or_default();

        let mut prev_col_cumsum = QM31Var::zero();
        // All batches but the last are cumulatively summed in their own interaction columns.
        for batch in fracs_by_batch {
            let cur_frac: Fraction<QM31Var, QM31Var> = batch.into_iter().sum();
            let [cur_cumsum] = self.next_extension_interaction_mask(self.logup.interaction, [0]);
            let diff = &cur_cumsum - &prev_col_cumsum;
            prev_col_cumsum = cur_cumsum;
            // (cumsum - previous) · denominator - numerator = 0. The product is used once (by the
            // accumulator, times a canonical power, then summed and reduced): no operand is reduced
            // unless the product would pass the limit.
            self.add_constraint(diff.mul_wide(&cur_frac.denominator) - cur_frac.numerator);
        }
        let frac: Fraction<QM31Var, QM31Var> = last.into_iter().sum();
        let [prev_row_cumsum, cur_cumsum] =
            self.next_extension_interaction_mask(self.logup.interaction, [-1, 0]);
        // diff + cumsum_shift = num / denom: the shifted fractions sum to zero over the trace, so the
        // constraint is the same on every row.
        let shifted_diff = cur_cumsum - prev_row_cumsum - prev_col_cumsum + self.logup.cumsum_shift.clone();
        self.add_constraint(shifted_diff.mul_wide(&frac.denominator) - frac.numerator);
        self.logup.is_finalized = true;
        Ok(())
    }
}

impl EvalAtRow for PointEvaluatorVar<'_> {
    type F = QM31Var;
    type EF = QM31Var;

    fn next_interaction_mask<const N: usize>(
        &mut self,
        interaction: usize,
        _offsets: [isize; N],
    ) -> [QM31Var; N] {
        let column = self.col_index.get(interaction).copied().unwrap_or_default();
        let values = self.mask.get(interaction).and_then(|tree| tree.get(column)).filter(|v| v.len() == N);
        match values {
            Some(values) => {
                self.col_index[interaction] += 1;
                std::array::from_fn(|i| values[i].clone())
            }
            None => {
                self.record(CircuitError::MaskTooShort { tree: interaction, column });
                std::array::from_fn(|_| QM31Var::zero())
            }
        }
    }

    fn add_constraint<G>(&mut self, constraint: G)
    where
        QM31Var: core::ops::Mul<G, Output = QM31Var> + From<G>,
    {
        // acc = acc · α + c / Z
        self.accumulator.accumulate_quotient(QM31Var::from(constraint), self.denominator);
    }

    fn combine_ef(values: [QM31Var; SECURE_EXTENSION_DEGREE]) -> QM31Var {
        QM31Var::from_partial_evals(values)
    }

    fn write_logup_frac(&mut self, fraction: Fraction<QM31Var, QM31Var>) {
        if self.logup.fracs.is_empty() {
            self.logup.is_finalized = false;
        }
        self.logup.fracs.push(fraction);
    }

    #[allow(clippy::ptr_arg)] // The trait's signature.
    fn finalize_logup_batched(&mut self, batching: &Vec<usize>) {
        if let Err(error) = self.finalize_batches(batching) {
            self.record(error);
        }
    }

    fn finalize_logup(&mut self) {
        let batches: Vec<usize> = (0..self.logup.fracs.len()).collect();
        self.finalize_logup_batched(&batches);
    }

    fn finalize_logup_in_pairs(&mut self) {
        let batches: Vec<usize> = (0..self.logup.fracs.len()).map(|n| n / 2).collect();
        self.finalize_logup_batched(&batches);
    }
}

/// What the circuit needs of a component: the twin of Stwo's `Component` for the composition check.
pub trait CircuitComponent {
    /// The number of constraints (accumulated quotients).
    fn n_constraints(&self) -> usize;

    /// The log degree bound of the component's constraint polynomials.
    fn max_constraint_log_degree_bound(&self) -> u32;

    /// The log degree bounds of the component's columns, per tree.
    fn trace_log_degree_bounds(&self) -> TreeVec<ColumnVec<u32>>;

    /// The indices of the preprocessed columns the component reads.
    fn preprocessed_column_indices(&self) -> ColumnVec<usize>;

    /// The points at which each column is sampled, relative to `point`: `point` plus a constant step
    /// multiple per mask offset (no constraint).
    fn mask_points(
        &self,
        point: &CirclePointVar<QM31Var>,
        max_log_degree_bound: u32,
    ) -> TreeVec<ColumnVec<Vec<CirclePointVar<QM31Var>>>>;

    /// Accumulates the component's constraint quotients at the accumulator's point, as Stwo's
    /// `Component::evaluate_constraint_quotients_at_point`; `mask` is the whole proof's sampled values.
    ///
    /// # Errors
    /// [`CircuitError::MissingMaskColumn`] or [`CircuitError::MaskValues`] if `mask` does not have the
    /// component's shape (checked before anything is evaluated); a logUp misuse of the eval; otherwise
    /// fails only if the constraint system fails.
    fn evaluate_constraint_quotients_at_point(
        &self,
        mask: &TreeVec<Vec<Vec<QM31Var>>>,
        accumulator: &mut PointEvaluationAccumulatorVar,
        max_log_degree_bound: u32,
    ) -> Result<(), CircuitError>;
}

/// `mask`'s columns that `component` reads, laid out as the framework's `sub_tree` and preprocessed
/// selection do, each checked against the number of values the component reads.
fn component_mask<'a, E: FrameworkEval>(
    component: &FrameworkComponent<E>,
    mask: &'a TreeVec<Vec<Vec<QM31Var>>>,
    max_log_degree_bound: u32,
) -> Result<TreeVec<ColumnVec<&'a Vec<QM31Var>>>, CircuitError> {
    let column = |tree: usize, column: usize| {
        mask.get(tree).and_then(|t| t.get(column)).ok_or(CircuitError::MissingMaskColumn { tree, column })
    };
    let locations = component.trace_locations();
    let n_trees = locations.iter().map(|l| l.tree_index + 1).max().unwrap_or(1);
    let mut trees: Vec<ColumnVec<&Vec<QM31Var>>> = vec![Vec::new(); n_trees];
    for location in locations {
        trees[location.tree_index] = (location.col_start..location.col_end)
            .map(|c| column(location.tree_index, c))
            .collect::<Result<_, _>>()?;
    }
    trees[PREPROCESSED_TRACE_IDX] = component
        .preprocessed_column_indices()
        .iter()
        .map(|&c| column(PREPROCESSED_TRACE_IDX, c))
        .collect::<Result<_, _>>()?;

    // The number of values per column the eval reads: that of the native mask points.
    let expected = Component::mask_points(component, CirclePoint::zero(), max_log_degree_bound);
    for (tree, (columns, expected_columns)) in trees.iter().zip(expected.iter()).enumerate() {
        for (index, (values, points)) in columns.iter().zip(expected_columns).enumerate() {
            if values.len() != points.len() {
                let column = if tree == PREPROCESSED_TRACE_IDX {
                    component.preprocessed_column_indices()[index]
                } else {
                    locations.iter().find(|l| l.tree_index == tree).map_or(index, |l| l.col_start + index)
                };
                return Err(CircuitError::MaskValues {
                    tree,
                    column,
                    expected: points.len(),
                    got: values.len(),
                });
            }
        }
    }
    Ok(TreeVec::new(trees))
}

impl<E: FrameworkEval> CircuitComponent for FrameworkComponent<E> {
    fn n_constraints(&self) -> usize {
        Component::n_constraints(self)
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        Component::max_constraint_log_degree_bound(self)
    }

    fn trace_log_degree_bounds(&self) -> TreeVec<ColumnVec<u32>> {
        Component::trace_log_degree_bounds(self)
    }

    fn preprocessed_column_indices(&self) -> ColumnVec<usize> {
        Component::preprocessed_column_indices(self)
    }

    fn mask_points(
        &self,
        point: &CirclePointVar<QM31Var>,
        max_log_degree_bound: u32,
    ) -> TreeVec<ColumnVec<Vec<CirclePointVar<QM31Var>>>> {
        // The native mask points around the identity are the constant shifts `step · offset`.
        Component::mask_points(self, CirclePoint::zero(), max_log_degree_bound)
            .map_cols(|shifts| shifts.into_iter().map(|shift| point.add_constant(shift)).collect())
    }

    fn evaluate_constraint_quotients_at_point(
        &self,
        mask: &TreeVec<Vec<Vec<QM31Var>>>,
        accumulator: &mut PointEvaluationAccumulatorVar,
        max_log_degree_bound: u32,
    ) -> Result<(), CircuitError> {
        if self.is_disabled() {
            for _ in 0..Component::n_constraints(self) {
                accumulator.accumulate(QM31Var::zero());
            }
            return Ok(());
        }
        let mask = component_mask(self, mask, max_log_degree_bound)?;
        // The vanishing polynomial depends on the point and the bound only: the accumulator computes it
        // for the first component and shares it with the others.
        let evaluator = PointEvaluatorVar::new(
            mask,
            accumulator,
            max_log_degree_bound,
            self.log_size(),
            // A placeholder claimed sum becomes the proof's variable inside a substitution scope.
            QM31Var::from(self.claimed_sum()),
        )?;
        FrameworkEval::evaluate(&**self, evaluator).finish()
    }
}

/// The log degree bound of the composition polynomial: the components' largest constraint bound.
pub fn composition_log_degree_bound(components: &[&dyn CircuitComponent]) -> u32 {
    components.iter().map(|c| c.max_constraint_log_degree_bound()).max().unwrap_or_default()
}

/// The points at which every column is sampled, as `Components::mask_points` without
/// `include_all_preprocessed_columns`: each component's mask points, and `point` for each preprocessed
/// column some component reads (none for the others).
///
/// # Errors
/// [`CircuitError::MissingMaskColumn`] if a component reads a preprocessed column beyond
/// `n_preprocessed_columns`.
pub fn mask_points(
    components: &[&dyn CircuitComponent],
    point: &CirclePointVar<QM31Var>,
    max_log_degree_bound: u32,
    n_preprocessed_columns: usize,
) -> Result<TreeVec<ColumnVec<Vec<CirclePointVar<QM31Var>>>>, CircuitError> {
    let mut points =
        TreeVec::concat_cols(components.iter().map(|c| c.mask_points(point, max_log_degree_bound)));
    if points.is_empty() {
        points.push(vec![]);
    }
    points[PREPROCESSED_TRACE_IDX] = vec![vec![]; n_preprocessed_columns];
    for component in components {
        for column in component.preprocessed_column_indices() {
            let slot = points[PREPROCESSED_TRACE_IDX]
                .get_mut(column)
                .ok_or(CircuitError::MissingMaskColumn { tree: PREPROCESSED_TRACE_IDX, column })?;
            *slot = vec![point.clone()];
        }
    }
    Ok(points)
}

/// The composition polynomial at `point` from the sampled values, as
/// `Components::eval_composition_polynomial_at_point`.
///
/// # Errors
/// As [`CircuitComponent::evaluate_constraint_quotients_at_point`].
pub fn eval_composition_polynomial_at_point(
    components: &[&dyn CircuitComponent],
    point: &CirclePointVar<QM31Var>,
    sampled_values: &TreeVec<Vec<Vec<QM31Var>>>,
    random_coeff: &QM31Var,
    max_log_degree_bound: u32,
) -> Result<QM31Var, CircuitError> {
    let mut accumulator = PointEvaluationAccumulatorVar::new(random_coeff.clone(), point.clone());
    for component in components {
        component.evaluate_constraint_quotients_at_point(
            sampled_values,
            &mut accumulator,
            max_log_degree_bound,
        )?;
    }
    Ok(accumulator.finalize()?)
}

/// The composition polynomial's value at `point` from its sampled coordinate halves (the last tree:
/// eight columns of one value), `left + x(2^(max - 1) · point) · right`, as the proof's
/// `extract_composition_oods_eval`. Costs about `286 · (max_log_degree_bound - 1) + 9` constraints.
///
/// # Errors
/// [`CircuitError::CompositionMask`] if the last tree is not eight columns of one value.
pub fn composition_oods_eval(
    point: &CirclePointVar<QM31Var>,
    sampled_values: &TreeVec<Vec<Vec<QM31Var>>>,
    max_log_degree_bound: u32,
) -> Result<QM31Var, CircuitError> {
    let columns = sampled_values.last().ok_or(CircuitError::CompositionMask)?;
    let values: Vec<QM31Var> = columns
        .iter()
        .map(|column| match column.as_slice() {
            [value] => Ok(value.clone()),
            _ => Err(CircuitError::CompositionMask),
        })
        .collect::<Result<_, _>>()?;
    let [l0, l1, l2, l3, r0, r1, r2, r3]: [QM31Var; 2 * SECURE_EXTENSION_DEGREE] =
        values.try_into().map_err(|_| CircuitError::CompositionMask)?;
    let left = QM31Var::from_partial_evals([l0, l1, l2, l3]);
    let right = QM31Var::from_partial_evals([r0, r1, r2, r3]);
    let x = repeated_double_x(point.x.clone(), max_log_degree_bound.saturating_sub(1))?;
    Ok(left + x * right)
}

#[cfg(test)]
mod tests;
