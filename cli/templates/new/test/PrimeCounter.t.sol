// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {PrimeCounter} from "../contracts/PrimeCounter.sol";
import {NexusVerifierTest} from "../contracts/generated/NexusVerifierTest.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice PrimeCounter on a real proof: the guest proven by the zkVM and wrapped by `nzero wrap`
///         (script/prove.sh wrote test/fixtures/primes.json and the verifier of its keys).
contract PrimeCounterTest is NexusTest {
    Fixture internal f;
    PrimeCounter internal counter;

    function setUp() public {
        f = loadFixture("primes");
        counter = new PrimeCounter(new NexusVerifierTest(), f.programVKey);
    }

    function test_acceptsTheProvenCount() public {
        (uint32 n, uint32 count) = counter.submit(f.publicValues, f.proof);
        assertEq(n, 100, "n");
        assertEq(count, 25, "primes below 100");
        assertEq(counter.primesBelow(100), 25, "recorded");
    }

    function test_rejectsAnotherCount() public {
        bytes memory forged = bytes.concat(f.publicValues);
        forged[4] = 0x1a; // 26 primes
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        counter.submit(forged, f.proof);
    }

    function test_rejectsAnotherProgram() public {
        PrimeCounter other = new PrimeCounter(counter.verifier(), keccak256("another program"));
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        other.submit(f.publicValues, f.proof);
    }

    function test_rejectsATamperedProof() public {
        // The low bit of B's second coordinate word: still in range, no longer on the curve.
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofPointNotOnCurve.selector, 1));
        counter.submit(f.publicValues, flipped(f.proof, 131, 0x01));
    }
}
