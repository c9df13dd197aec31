//! The verifier circuit of zkVM proofs: the zkVM's own AIR (its `FrameworkEval`s, through
//! [`nzero_zkvm::visit_components`]) verified at the fixed EVM shape of one size class
//! ([`nzero_zkvm::Claim::evm`]), behind the zkVM's transcript preamble.
//!
//! - [`witness`]: a Poseidon2 proof checked natively and replayed into the circuit's witness;
//! - [`circuit`]: the constraints, one system per (class, configuration), with the statement as the one
//!   public input;
//! - [`wrap`]: keys per class, and a proof wrapped into a Groth16 proof of its statement.

pub mod circuit;
pub mod witness;
pub mod wrap;

use nzero_zkvm::{
    Claim, ComponentVisitor, EVM_TABLE_LOG_SIZE, ProgramShape, Relations, SizeClass, preprocessed_columns,
    visit_components,
};
use stwo::core::fields::qm31::SecureField;
use stwo_constraint_framework::{FrameworkComponent, FrameworkEval};

use crate::circuit::CircuitComponent;

/// The committed program shape of every EVM proof (the entry point does not change the layout).
fn evm_shape() -> ProgramShape {
    ProgramShape { entry: 0, program_log_size: EVM_TABLE_LOG_SIZE, image_log_size: EVM_TABLE_LOG_SIZE }
}

/// The log sizes (without blowup) of the three trace trees of an EVM proof in `class`: preprocessed,
/// main, interaction.
fn trace_trees(class: SizeClass) -> [Vec<u32>; 3] {
    let preprocessed = preprocessed_columns(&evm_shape()).into_iter().map(|(_, size)| size).collect();
    let [_, main, interaction] = Claim::evm(class).column_log_sizes();
    [preprocessed, main, interaction]
}

/// The zkVM's components at `class`'s EVM shape, as circuit components.
fn components(
    class: SizeClass,
    relations: &Relations,
    claimed_sums: &[SecureField],
) -> Vec<Box<dyn CircuitComponent>> {
    struct Collect(Vec<Box<dyn CircuitComponent>>);
    impl ComponentVisitor for Collect {
        fn visit<E: FrameworkEval + Sync + 'static>(&mut self, component: FrameworkComponent<E>) {
            self.0.push(Box::new(component));
        }
    }
    let ids = preprocessed_columns(&evm_shape()).into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    let mut collect = Collect(Vec::new());
    visit_components(&Claim::evm(class), relations, claimed_sums, &ids, &mut collect);
    collect.0
}
