// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifier, INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {NexusVerifier16} from "../contracts/generated/NexusVerifier16.sol";
import {NexusVerifierTest} from "../contracts/generated/NexusVerifierTest.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Real zkVM proofs on chain: fibonacci(10) executed and proven by the zkVM, wrapped by `nzero wrap`,
///         accepted by its class's generated verifier directly and through the gateway; the same proof for
///         another program or other public values is rejected. `fibonacci.json`: the test size class (its
///         INSECURE 14-bit configuration: the class exists for tests); `fibonacci_16.json`: the 2^16
///         class at the secure 101-bit configuration (keys of a single-party development setup), as is
///         `json_16.json` (the json example on a two-transfer ledger).
contract ZkvmProofTest is NexusTest {
    address internal constant OWNER = address(0xA11CE);

    NexusVerifierTest internal verifier;
    NexusVerifier16 internal verifier16;
    NexusGateway internal gateway;
    Fixture internal fixture;
    Fixture internal fixture16;

    function setUp() public {
        verifier = new NexusVerifierTest();
        verifier16 = new NexusVerifier16();
        gateway = new NexusGateway(OWNER);
        vm.prank(OWNER);
        gateway.addRoute(address(verifier));
        vm.prank(OWNER);
        gateway.addRoute(address(verifier16));
        fixture = loadFixture("fibonacci");
        fixture16 = loadFixture("fibonacci_16");
    }

    function expectInvalid() internal {
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
    }

    function test_VerifyProof_RealZkvmProof() public view {
        assertEq(uint256(uint32(verifier.SELECTOR())), uint256(uint32(fixture.selector)), "selector");
        // fibonacci(10): the guest commits n and fib(n) as little-endian u32s.
        assertEq(keccak256(fixture.publicValues), keccak256(hex"0a00000037000000"), "public values");
        verifier.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
        gateway.verifyProof(fixture.programVKey, fixture.publicValues, fixture.proof);
    }

    function test_VerifyProof_RealSecureClass16Proof() public {
        assertEq(uint256(uint32(verifier16.SELECTOR())), uint256(uint32(fixture16.selector)), "selector");
        verifier16.verifyProof(fixture16.programVKey, fixture16.publicValues, fixture16.proof);
        vm.snapshotGasLastCall("verifyProof direct, real 2^16-class zkVM proof");
        gateway.verifyProof(fixture16.programVKey, fixture16.publicValues, fixture16.proof);
        vm.snapshotGasLastCall("verifyProof via gateway, real 2^16-class zkVM proof");
        expectInvalid();
        verifier16.verifyProof(fixture16.programVKey, hex"0a00000038000000", fixture16.proof);
    }

    /// @notice The sha256 example on "abc": a real proof of a second guest (the test class), whose public
    ///         values are the digest the guest computed in the VM.
    function test_VerifyProof_RealSha256Proof() public {
        Fixture memory f = loadFixture("sha256");
        assertEq(
            keccak256(f.publicValues),
            keccak256(abi.encodePacked(sha256("abc"))),
            "the guest's digest of abc is the precompile's"
        );
        verifier.verifyProof(f.programVKey, f.publicValues, f.proof);
        gateway.verifyProof(f.programVKey, f.publicValues, f.proof);
        bytes memory otherDigest = abi.encodePacked(sha256("abd")); // before expectRevert: sha256 is a call
        expectInvalid();
        gateway.verifyProof(f.programVKey, otherDigest, f.proof);
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, f.publicValues, f.proof);
    }

    /// @notice The json example on a two-transfer ledger: a real proof of a third guest, too large for the
    ///         test class (its tables need 2^15 rows), so in the 2^16 class at the secure configuration.
    ///         Public values: postcard of (total moved 290, transfers above the threshold 1).
    function test_VerifyProof_RealJsonProofInClass16() public {
        Fixture memory f = loadFixture("json_16");
        assertEq(keccak256(f.publicValues), keccak256(hex"a20201"), "postcard (290u64, 1u32)");
        verifier16.verifyProof(f.programVKey, f.publicValues, f.proof);
        gateway.verifyProof(f.programVKey, f.publicValues, f.proof);
        expectInvalid();
        gateway.verifyProof(f.programVKey, hex"a30201", f.proof);
        expectInvalid();
        verifier16.verifyProof(fixture16.programVKey, f.publicValues, f.proof);
        vm.expectRevert(
            abi.encodeWithSelector(INexusVerifierErrors.SelectorMismatch.selector, verifier.SELECTOR(), f.selector)
        );
        verifier.verifyProof(f.programVKey, f.publicValues, f.proof);
    }

    function test_RevertWhen_RealProofForOtherStatement() public {
        expectInvalid();
        verifier.verifyProof(fixture.programVKey, hex"0a00000038000000", fixture.proof);
        expectInvalid();
        verifier.verifyProof(bytes32(uint256(fixture.programVKey) ^ 1), fixture.publicValues, fixture.proof);
        expectInvalid();
        gateway.verifyProof(fixture.programVKey, hex"0b00000059000000", fixture.proof);
    }

    /// @notice Every word of both real proofs, changed, is refused (with whichever named error the change
    ///         meets first: a coordinate out of range, a point off the curve, or the pairing); so are
    ///         another selector and a short proof.
    function test_RevertWhen_AnyWordOfARealProofChanges() public {
        Fixture[2] memory fixtures = [fixture, fixture16];
        address[2] memory verifiers = [address(verifier), address(verifier16)];
        for (uint256 i = 0; i < 2; i++) {
            Fixture memory f = fixtures[i];
            INexusVerifier v = INexusVerifier(verifiers[i]);
            for (uint256 word = 0; word < 8; word++) {
                uint256 offset = 4 + 32 * word;
                uint256 value;
                bytes memory proof = f.proof;
                assembly ("memory-safe") {
                    value := mload(add(add(proof, 0x20), offset))
                }
                vm.expectRevert();
                v.verifyProof(f.programVKey, f.publicValues, withWord(f.proof, offset, value ^ 1));
            }
            vm.expectRevert(
                abi.encodeWithSelector(INexusVerifierErrors.SelectorMismatch.selector, f.selector, bytes4(0xdeadbeef))
            );
            v.verifyProof(f.programVKey, f.publicValues, bytes.concat(hex"deadbeef", truncatedFrom(f.proof, 4)));
            vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofLengthInvalid.selector, 260, 259));
            v.verifyProof(f.programVKey, f.publicValues, truncated(f.proof, 259));
        }
    }

    /// @notice `proof` from byte `start` on.
    function truncatedFrom(bytes memory proof, uint256 start) internal pure returns (bytes memory out) {
        out = new bytes(proof.length - start);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = proof[start + i];
        }
    }
}
