// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusMockVerifier} from "../contracts/NexusMockVerifier.sol";
import {NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice The mock binds program key and public values: it accepts only the proof made from exactly those.
contract NexusMockVerifierTest is NexusTest {
    // The vector of `nzero_wrapper::mock_proof` (wrapper/src/evm/mock.rs): program key 0x00..1f, "hello".
    bytes32 internal constant VKEY = 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;
    bytes internal constant RUST_PROOF = hex"00000000e301c3733305cb982100a8c44467524d44e892e4fe2f59296e38c78bdf940b47";

    NexusMockVerifier internal mock;

    function setUp() public {
        mock = new NexusMockVerifier();
    }

    function test_VerifyProof_MockProofFromRust() public view {
        assertTrue(keccak256(mock.mockProof(VKEY, "hello")) == keccak256(RUST_PROOF), "same proof as Rust");
        mock.verifyProof(VKEY, "hello", RUST_PROOF);
    }

    function test_RevertWhen_ProgramVKeyDiffers() public {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        mock.verifyProof(VKEY ^ bytes32(uint256(1)), "hello", RUST_PROOF);
    }

    function test_RevertWhen_PublicValuesDiffer() public {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        mock.verifyProof(VKEY, "hellO", RUST_PROOF);
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        mock.verifyProof(VKEY, "", RUST_PROOF);
    }

    function test_RevertWhen_ProofIsAnythingElse() public {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        mock.verifyProof(VKEY, "hello", new bytes(36));
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofLengthInvalid.selector, 36, 0));
        mock.verifyProof(VKEY, "hello", "");
        vm.expectRevert(
            abi.encodeWithSelector(INexusVerifierErrors.SelectorMismatch.selector, bytes4(0), bytes4(0x01000000))
        );
        mock.verifyProof(VKEY, "hello", flipped(RUST_PROOF, 0, 0x01));
    }
}
