//! Arbitrary words as code: a run ends in an exit or an `ExecError`, never a panic, and recording
//! the run (`trace`) changes nothing about its outcome.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nzero_zkvm::abi::layout::PROGRAM_START;
use nzero_zkvm::{ExecConfig, Program, execute, trace};

#[derive(Debug, Arbitrary)]
struct Case {
    code: Vec<u32>,
    input: Vec<u8>,
}

const CONFIG: ExecConfig = ExecConfig { max_cycles: 4_096 };

fuzz_target!(|case: Case| {
    let program = Program::from_code(PROGRAM_START, case.code);
    let run = execute(&program, &case.input, &CONFIG);
    let traced = trace(&program, &case.input, &CONFIG);
    match (&run, traced) {
        (Ok(execution), Ok((traced, record))) => {
            assert_eq!(*execution, traced);
            assert_eq!(record.steps.len() as u64, execution.cycles);
        }
        (Err(error), Err(traced)) => assert_eq!(*error, traced),
        (run, traced) => panic!("execute gave {run:?}, trace gave {traced:?}"),
    }
});
