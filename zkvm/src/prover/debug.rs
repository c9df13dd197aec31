//! Checking a witness row by row, without proving: which constraint of which component fails
//! where. Used by tests and when developing a chip (a failed proof only says
//! `ConstraintsNotSatisfied`).

use std::collections::HashMap;

use num_traits::Zero;
use stwo::core::Fraction;
use stwo::core::fields::m31::M31;
use stwo::core::fields::qm31::{SECURE_EXTENSION_DEGREE, SecureField};
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval, ORIGINAL_TRACE_IDX};

use super::witness::Witness;
use crate::air::{ComponentKind, PreprocessedTables, Relations, with_eval};

/// Evaluates the constraints of one row (natural order) with concrete values.
struct RowChecker<'a> {
    preprocessed: &'a HashMap<String, Vec<M31>>,
    main: &'a [Vec<M31>],
    row: usize,
    next_main: usize,
    index: usize,
    failed: Vec<usize>,
}

impl EvalAtRow for RowChecker<'_> {
    type F = M31;
    type EF = SecureField;

    fn next_interaction_mask<const N: usize>(&mut self, interaction: usize, offsets: [isize; N]) -> [M31; N] {
        if interaction != ORIGINAL_TRACE_IDX {
            return [M31::zero(); N];
        }
        let column = &self.main[self.next_main];
        self.next_main += 1;
        let n = column.len() as isize;
        offsets.map(|offset| column[(self.row as isize + offset).rem_euclid(n) as usize])
    }

    fn get_preprocessed_column(&mut self, column: PreProcessedColumnId) -> M31 {
        self.preprocessed[&column.id][self.row]
    }

    fn add_constraint<G>(&mut self, constraint: G)
    where
        SecureField: std::ops::Mul<G, Output = SecureField> + From<G>,
    {
        if SecureField::from(constraint) != SecureField::zero() {
            self.failed.push(self.index);
        }
        self.index += 1;
    }

    fn combine_ef(values: [M31; SECURE_EXTENSION_DEGREE]) -> SecureField {
        SecureField::from_m31_array(values)
    }

    fn write_logup_frac(&mut self, _fraction: Fraction<SecureField, SecureField>) {}

    fn finalize_logup_in_pairs(&mut self) {}
}

/// `(component, row, constraint index)` of every constraint the witness violates (lookups are not
/// checked here).
pub(crate) fn failing_constraints(
    tables: &PreprocessedTables,
    witness: &Witness,
) -> Vec<(ComponentKind, usize, usize)> {
    let preprocessed: HashMap<String, Vec<M31>> =
        tables.columns().into_iter().map(|(id, v)| (id.id, v)).collect();
    let mut failures = Vec::new();
    for (index, kind) in ComponentKind::all().into_iter().enumerate() {
        let log_size = witness.log_sizes[index];
        let main = &witness.columns[index];
        with_eval!(kind, log_size, Relations::dummy(), |eval| {
            for row in 0..1usize << log_size {
                let checker = RowChecker {
                    preprocessed: &preprocessed,
                    main,
                    row,
                    next_main: 0,
                    index: 0,
                    failed: vec![],
                };
                let checker = eval.evaluate(checker);
                failures.extend(checker.failed.into_iter().map(|c| (kind, row, c)));
            }
        });
    }
    failures
}
