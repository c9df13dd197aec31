mod accumulation;
pub use accumulation::{
    AccumulationOps, ColumnAccumulator, DomainEvaluationAccumulator, EvaluationMode,
};
pub mod component_prover;
