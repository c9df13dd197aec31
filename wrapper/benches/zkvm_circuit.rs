//! The zkVM verifier circuit's size per size class: constraints per part, counted in setup mode (no
//! proof needed). `CLASSES=test,16,18 cargo bench -p nzero-wrapper --bench zkvm_circuit`.

use std::time::Instant;

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode};
use nzero_wrapper::zkvm::circuit::ZkvmCircuit;
use nzero_zkvm::{SizeClass, StarkConfig};

fn main() {
    let classes = std::env::var("CLASSES").unwrap_or_else(|_| "test,16".into());
    println!(
        "| class | queries | transcript | AIR | Merkle | DEEP | FRI | statement + rest | total | synthesis |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for name in classes.split(',') {
        let class = SizeClass::from_name(name.trim()).unwrap_or_else(|| panic!("no class {name:?}"));
        let config = StarkConfig::evm_for(class);
        let circuit = ZkvmCircuit { class, config, witness: None };
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        let start = Instant::now();
        let (_, counts) = circuit.verify(&cs).expect("builds");
        let cs_full = ConstraintSystem::<Fr>::new_ref();
        cs_full.set_optimization_goal(OptimizationGoal::Constraints);
        cs_full.set_mode(SynthesisMode::Setup);
        ZkvmCircuit { class, config, witness: None }.generate_constraints(cs_full.clone()).expect("builds");
        let seconds = start.elapsed().as_secs_f64() / 2.0;
        let total = cs_full.num_constraints();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} s |",
            class.name(),
            config.n_queries,
            counts.transcript,
            counts.air,
            counts.merkle,
            counts.deep,
            counts.fri,
            total - counts.total(),
            total,
            seconds
        );
    }
}
