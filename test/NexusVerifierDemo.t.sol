// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusStatement} from "../contracts/NexusStatement.sol";
import {NexusVerifierDemo} from "../contracts/generated/NexusVerifierDemo.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

contract StatementHarness {
    function publicInput(bytes32 programVKey, bytes calldata publicValues) external view returns (uint256) {
        return NexusStatement.publicInput(programVKey, publicValues);
    }
}

/// @notice The generated verifier on real Groth16 proofs (test/fixtures, written by Rust): accepted as
///         made, and every part of proof and statement tampered is rejected with its named error.
contract NexusVerifierDemoTest is NexusTest {
    uint256 internal constant Q = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47;

    NexusVerifierDemo internal verifier;
    Fixture internal fixture;
    Fixture internal emptyFixture;

    function setUp() public {
        verifier = new NexusVerifierDemo();
        fixture = loadFixture("demo");
        emptyFixture = loadFixture("demo_empty");
    }

    function expectInvalid() internal {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
    }

    function test_VerifyProof() public view {
        assertEq(uint256(uint32(verifier.SELECTOR())), uint256(uint32(fixture.selector)), "selector");
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
    }

    function test_VerifyProof_EmptyPublicValues() public view {
        verifier.verifyProof(emptyFixture.programVKey, emptyFixture.publicValues, emptyFixture.proof);
    }

    function test_Gas_VerifyProof() public {
        Fixture memory f = fixture;
        verifier.verifyProof(f.programVKey, f.publicValues, f.proof);
        vm.snapshotGasLastCall("verifyProof direct");
    }

    function test_PublicInput_MatchesRust() public {
        StatementHarness harness = new StatementHarness();
        assertEq(harness.publicInput(fixture.programVKey, fixture.publicValues), uint256(fixture.publicInput), "input");
        assertEq(
            harness.publicInput(emptyFixture.programVKey, emptyFixture.publicValues),
            uint256(emptyFixture.publicInput),
            "empty input"
        );
    }

    function test_RevertWhen_ProgramVKeyTampered() public {
        for (uint256 bit = 0; bit < 256; bit += 85) {
            expectInvalid();
            verifier.verifyProof(fixture.programVKey ^ bytes32(uint256(1) << bit), fixture.publicValues, fixture.proof);
        }
    }

    function test_RevertWhen_PublicValuesTampered() public {
        for (uint256 i = 0; i < fixture.publicValues.length; i++) {
            expectInvalid();
            verifier.verifyProof(fixture.programVKey, flipped(fixture.publicValues, i, 0x01), fixture.proof);
        }
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, bytes.concat(fixture.publicValues, hex"00"), fixture.proof);
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, "", fixture.proof);
    }

    function test_RevertWhen_ProofOfAnotherStatement() public {
        // A valid proof, for the same program and key, of other public values.
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, emptyFixture.proof);
    }

    function test_RevertWhen_ProofWordTampered() public {
        // Flipping the low bit of any coordinate moves the point off its curve, which the verifier finds
        // before any precompile runs. The gas cap per call keeps the test's own gas safe should that ever
        // regress to a failing precompile (which consumes all the gas it is given).
        uint8[8] memory pointOf = [0, 0, 1, 1, 1, 1, 2, 2];
        for (uint256 word = 0; word < 8; word++) {
            vm.expectRevert(
                abi.encodeWithSelector(INexusVerifierErrors.ProofPointNotOnCurve.selector, uint256(pointOf[word]))
            );
            verifier.verifyProof{gas: 1_000_000}(
                fixture.programVKey, fixture.publicValues, flipped(fixture.proof, 4 + 32 * word + 31, 0x01)
            );
        }
    }

    function test_RevertWhen_ProofPointAtInfinity() public {
        // Zeros encode the point at infinity, never part of an honest proof: refused as off the curve.
        uint256[3] memory starts = [uint256(4), 68, 196];
        uint256[3] memory lengths = [uint256(2), 4, 2];
        for (uint256 point = 0; point < 3; point++) {
            bytes memory proof = fixture.proof;
            for (uint256 w = 0; w < lengths[point]; w++) {
                proof = withWord(proof, starts[point] + 32 * w, 0);
            }
            vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofPointNotOnCurve.selector, point));
            verifier.verifyProof{gas: 1_000_000}(fixture.programVKey, fixture.publicValues, proof);
        }
    }

    function test_RevertWhen_ProofWordOutOfRange() public {
        for (uint256 word = 0; word < 8; word++) {
            vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofCoordinateOutOfRange.selector, word));
            verifier.verifyProof(fixture.programVKey, fixture.publicValues, withWord(fixture.proof, 4 + 32 * word, Q));
        }
    }

    function test_RevertWhen_ProofPointNegated() public {
        // -A = (x, q - y) is on the curve and in range: the pairing alone rejects it.
        uint256 ay;
        bytes memory proof = fixture.proof;
        assembly ("memory-safe") {
            ay := mload(add(proof, 0x44))
        }
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, withWord(fixture.proof, 36, Q - ay));
    }

    function test_RevertWhen_SelectorMismatch() public {
        bytes memory proof = flipped(fixture.proof, 0, 0x80);
        vm.expectRevert(
            abi.encodeWithSelector(
                INexusVerifierErrors.SelectorMismatch.selector, fixture.selector, fixture.selector ^ bytes4(0x80000000)
            )
        );
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, proof);
    }

    function test_RevertWhen_ProofLengthInvalid() public {
        uint256[4] memory lengths = [uint256(0), 3, 4, 259];
        for (uint256 i = 0; i < lengths.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofLengthInvalid.selector, 260, lengths[i]));
            verifier.verifyProof(fixture.programVKey, fixture.publicValues, truncated(fixture.proof, lengths[i]));
        }
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofLengthInvalid.selector, 260, 261));
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, bytes.concat(fixture.proof, hex"00"));
    }
}
