// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifierErrors} from "../contracts/INexusVerifier.sol";
import {NexusGateway} from "../contracts/NexusGateway.sol";
import {ComputeBridge} from "../contracts/bridge/ComputeBridge.sol";
import {
    IComputeBridge,
    IComputeBridgeErrors,
    IComputeBridgeEvents,
    IComputeCallback
} from "../contracts/bridge/IComputeBridge.sol";
import {PrimeOracle} from "../contracts/examples/PrimeOracle.sol";
import {NexusVerifierTest} from "../contracts/generated/NexusVerifierTest.sol";
import {Fixture, NexusTest} from "./utils/NexusTest.sol";
import {vm} from "./utils/Vm.sol";

/// @notice A callback that fails.
contract RevertingCallback is IComputeCallback {
    function onComputeResult(uint256, bytes calldata) external pure {
        revert("no thanks");
    }
}

/// @notice A callback that tries to take the fee again: fulfil and refund the same request from inside.
contract ReentrantCallback is IComputeCallback {
    ComputeBridge internal immutable bridge;
    bytes internal publicValues;
    bytes internal proof;

    constructor(ComputeBridge bridge_, bytes memory publicValues_, bytes memory proof_) {
        (bridge, publicValues, proof) = (bridge_, publicValues_, proof_);
    }

    function onComputeResult(uint256 requestId, bytes calldata) external {
        bridge.fulfil(requestId, publicValues, proof); // reverts: the guard, so the whole callback fails
    }
}

/// @notice A fulfiller whose payment hook re-enters the bridge.
contract ReentrantFulfiller {
    ComputeBridge internal immutable bridge;
    uint256 internal requestId;

    constructor(ComputeBridge bridge_) {
        bridge = bridge_;
    }

    function fulfil(uint256 requestId_, bytes calldata publicValues, bytes calldata proof) external {
        requestId = requestId_;
        bridge.fulfil(requestId_, publicValues, proof);
    }

    receive() external payable {
        bridge.refund(requestId);
    }
}

/// @notice The bridge on a real proof: examples/primes (n = 100: 25 primes) proven by the zkVM in the test
///         class and wrapped by `nzero wrap` into test/fixtures/primes.json, verified by the committed test
///         verifier through the gateway.
contract ComputeBridgeTest is NexusTest {
    uint32 internal constant N = 100;
    uint256 internal constant FEE = 1 ether;
    address internal constant RELAYER = address(0xBEEF);

    Fixture internal f;
    ComputeBridge internal bridge;
    PrimeOracle internal oracle;
    uint64 internal deadline;

    function setUp() public {
        f = loadFixture("primes");
        NexusGateway gateway = new NexusGateway(address(this));
        gateway.addRoute(address(new NexusVerifierTest()));
        bridge = new ComputeBridge(gateway);
        oracle = new PrimeOracle(bridge, f.programVKey);
        deadline = uint64(block.timestamp + 1 hours);
        vm.deal(address(this), 10 ether);
    }

    receive() external payable {}

    function ask(uint32 n) internal returns (uint256) {
        return oracle.ask{value: FEE}(n, deadline);
    }

    function fulfil(uint256 requestId, bytes memory publicValues) internal {
        vm.prank(RELAYER);
        bridge.fulfil(requestId, publicValues, f.proof);
    }

    function status(uint256 requestId) internal view returns (uint256) {
        return uint256(bridge.requests(requestId).status);
    }

    function test_fulfil_PaysAndCallsBack() public {
        uint256 id = ask(N);
        assertEq(address(bridge).balance, FEE, "fee in escrow");
        vm.expectEmit();
        emit PrimeOracle.Answered(id, N, 25);
        vm.expectEmit();
        emit IComputeBridgeEvents.Fulfilled(id, RELAYER, hex"00000019", true);
        fulfil(id, f.publicValues);
        vm.snapshotGasLastCall("fulfil (real proof, through the gateway, with callback)");
        assertEq(oracle.primesBelow(N), 25, "the proven count");
        assertTrue(oracle.answered(N), "answered");
        assertEq(RELAYER.balance, FEE, "the relayer is paid");
        assertEq(address(bridge).balance, 0, "escrow empty");
        assertEq(status(id), uint256(IComputeBridge.Status.Fulfilled), "fulfilled");
    }

    function test_request_RecordsEverythingTheRelayNeeds() public {
        vm.expectEmit();
        emit IComputeBridgeEvents.Requested(
            1, address(oracle), f.programVKey, abi.encodePacked(N), address(oracle), deadline, 100_000, FEE
        );
        uint256 id = ask(N);
        IComputeBridge.Request memory r = bridge.requests(id);
        assertEq(r.inputDigest, sha256(abi.encodePacked(N)), "input digest");
        assertEq(r.programVKey, f.programVKey, "program");
        assertEq(r.requester, address(oracle), "requester");
        assertEq(r.fee, FEE, "fee");
    }

    function test_fulfil_RejectsAnotherProgram() public {
        uint256 id =
            bridge.request{value: FEE}(keccak256("another program"), abi.encodePacked(N), address(0), deadline, 0);
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        fulfil(id, f.publicValues);
    }

    function test_fulfil_RejectsAProofOfAnotherInput() public {
        uint256 id = ask(N + 1);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.InputMismatch.selector, id));
        fulfil(id, f.publicValues);
    }

    function test_fulfil_RejectsOtherPublicValues() public {
        uint256 id = ask(N);
        bytes memory forged = bytes.concat(f.publicValues);
        forged[35] = 0x1a; // 26 primes, the input digest intact
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        fulfil(id, forged);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.InputMismatch.selector, id));
        fulfil(id, hex"00");
    }

    function test_fulfil_RejectsATamperedProof() public {
        uint256 id = ask(N);
        vm.prank(RELAYER);
        vm.expectRevert(abi.encodeWithSelector(INexusVerifierErrors.ProofInvalid.selector));
        // C := (1, 2), the generator: on the curve, the wrong point.
        bridge.fulfil(id, f.publicValues, withWord(withWord(f.proof, 4 + 6 * 32, 1), 4 + 7 * 32, 2));
    }

    function test_fulfil_RejectsAReplay() public {
        uint256 id = ask(N);
        fulfil(id, f.publicValues);
        vm.expectRevert(
            abi.encodeWithSelector(IComputeBridgeErrors.NotPending.selector, id, IComputeBridge.Status.Fulfilled)
        );
        fulfil(id, f.publicValues);
        assertEq(RELAYER.balance, FEE, "paid once");
    }

    function test_fulfil_RejectsLateAndUnknownRequests() public {
        uint256 id = ask(N);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.DeadlinePassed.selector, id, deadline));
        fulfil(id, f.publicValues);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.UnknownRequest.selector, 7));
        fulfil(7, f.publicValues);
    }

    function test_refund_AfterTheDeadlineOnly() public {
        uint256 id = ask(N);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.DeadlineNotPassed.selector, id, deadline));
        bridge.refund(id);
        vm.warp(deadline + 1);
        uint256 before = address(oracle).balance;
        vm.expectEmit();
        emit IComputeBridgeEvents.Refunded(id, address(oracle), FEE);
        bridge.refund(id);
        assertEq(address(oracle).balance, before + FEE, "the requester is refunded");
        vm.expectRevert(
            abi.encodeWithSelector(IComputeBridgeErrors.NotPending.selector, id, IComputeBridge.Status.Refunded)
        );
        bridge.refund(id);
    }

    function test_reclaim_ReturnsTheFeeToTheAsker() public {
        uint256 id = ask(N);
        vm.warp(deadline + 1);
        uint256 before = address(this).balance;
        oracle.reclaim(id);
        assertEq(address(this).balance, before + FEE, "the asker is refunded");
        assertEq(address(oracle).balance, 0, "nothing kept");
        vm.expectRevert(abi.encodeWithSelector(PrimeOracle.UnknownQuestion.selector, id));
        oracle.reclaim(id);
    }

    function test_fulfil_ARevertingCallbackDoesNotBlockPayment() public {
        RevertingCallback callback = new RevertingCallback();
        uint256 id = bridge.request{value: FEE}(f.programVKey, abi.encodePacked(N), address(callback), deadline, 50_000);
        vm.expectEmit();
        emit IComputeBridgeEvents.Fulfilled(id, RELAYER, hex"00000019", false);
        fulfil(id, f.publicValues);
        assertEq(RELAYER.balance, FEE, "paid");
        assertEq(status(id), uint256(IComputeBridge.Status.Fulfilled), "fulfilled");
    }

    function test_fulfil_AReentrantCallbackGetsNothing() public {
        ReentrantCallback callback = new ReentrantCallback(bridge, f.publicValues, f.proof);
        uint256 id =
            bridge.request{value: FEE}(f.programVKey, abi.encodePacked(N), address(callback), deadline, 500_000);
        vm.expectEmit();
        emit IComputeBridgeEvents.Fulfilled(id, RELAYER, hex"00000019", false);
        fulfil(id, f.publicValues);
        assertEq(RELAYER.balance, FEE, "paid once");
        assertEq(address(callback).balance, 0, "nothing for the callback");
        assertEq(address(bridge).balance, 0, "escrow empty");
    }

    function test_fulfil_AReentrantFulfillerIsRefused() public {
        ReentrantFulfiller fulfiller = new ReentrantFulfiller(bridge);
        uint256 id = ask(N);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.PaymentFailed.selector, address(fulfiller), FEE));
        fulfiller.fulfil(id, f.publicValues, f.proof);
        assertEq(status(id), uint256(IComputeBridge.Status.Pending), "still pending");
    }

    function test_fulfil_ACallbackCannotBeStarved() public {
        uint256 id =
            bridge.request{value: FEE}(f.programVKey, abi.encodePacked(N), address(oracle), deadline, 2_000_000);
        vm.prank(RELAYER);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.InsufficientGasForCallback.selector, id, 2_000_000));
        bridge.fulfil{gas: 1_000_000}(id, f.publicValues, f.proof);
    }

    function test_request_RejectsBadParameters() public {
        vm.expectRevert(
            abi.encodeWithSelector(IComputeBridgeErrors.DeadlineNotInFuture.selector, uint64(block.timestamp))
        );
        bridge.request(f.programVKey, hex"", address(0), uint64(block.timestamp), 0);
        vm.expectRevert(abi.encodeWithSelector(IComputeBridgeErrors.CallbackGasTooHigh.selector, 2_000_001, 2_000_000));
        bridge.request(f.programVKey, hex"", address(0), deadline, 2_000_001);
    }

    function test_onComputeResult_OnlyFromTheBridge() public {
        vm.expectRevert(abi.encodeWithSelector(PrimeOracle.OnlyBridge.selector, address(this)));
        oracle.onComputeResult(1, hex"00000019");
    }
}
