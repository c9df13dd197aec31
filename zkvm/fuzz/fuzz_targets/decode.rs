//! Any word either fails to decode or decodes to an instruction that encodes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nzero_zkvm::isa::Instruction;

fuzz_target!(|word: u32| {
    if let Ok(insn) = Instruction::decode(word) {
        // Not `encode(decode(w)) == w`: `fence` ignores most of its bits, so several words decode
        // to the same instruction.
        let encoded = insn.encode();
        assert_eq!(
            Instruction::decode(encoded),
            Ok(insn),
            "{word:#010x} decodes to {insn:?}, which encodes to {encoded:#010x}"
        );
    }
});
