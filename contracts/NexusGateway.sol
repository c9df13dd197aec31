// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {INexusGateway} from "./INexusGateway.sol";
import {INexusRoutedVerifier, INexusVerifier} from "./INexusVerifier.sol";

/// @title Nexus Zero gateway
/// @notice See INexusGateway. Ownership moves in two steps (transferOwnership, then acceptOwnership by
///         the new owner), so a mistyped address cannot take the gateway.
contract NexusGateway is INexusGateway, Ownable2Step {
    struct Route {
        address verifier;
        bool frozen;
    }

    // One slot per route: the verify path reads both fields with one SLOAD.
    mapping(bytes4 selector => Route) internal _routes;

    /// @param initialOwner The owner; explicit because CREATE2 deployers, not the owner, send the creation.
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc INexusGateway
    function addRoute(address verifier) external onlyOwner {
        if (verifier.code.length == 0) revert VerifierNotContract(verifier);
        bytes4 selector = INexusRoutedVerifier(verifier).SELECTOR();
        address existing = _routes[selector].verifier;
        if (existing != address(0)) revert RouteExists(selector, existing);
        _routes[selector] = Route({verifier: verifier, frozen: false});
        emit RouteAdded(selector, verifier);
    }

    /// @inheritdoc INexusGateway
    function freezeRoute(bytes4 selector) external onlyOwner {
        Route storage route = _routes[selector];
        if (route.verifier == address(0)) revert RouteNotFound(selector);
        if (route.frozen) revert RouteIsFrozen(selector);
        route.frozen = true;
        emit RouteFrozen(selector, route.verifier);
    }

    /// @inheritdoc INexusGateway
    function routes(bytes4 selector) external view returns (address verifier, bool frozen) {
        Route memory route = _routes[selector];
        return (route.verifier, route.frozen);
    }

    /// @inheritdoc INexusVerifier
    /// @dev Forwards this call's calldata unchanged (it is already `verifyProof(...)`), and the verifier's
    ///      revert data unchanged, so applications see the verifier's own errors.
    function verifyProof(bytes32, bytes calldata, bytes calldata proof) external view {
        if (proof.length < 4) revert ProofTooShort(proof.length);
        bytes4 selector = bytes4(proof[:4]);
        Route memory route = _routes[selector];
        if (route.verifier == address(0)) revert RouteNotFound(selector);
        if (route.frozen) revert RouteIsFrozen(selector);
        address verifier = route.verifier;
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, 0, calldatasize())
            if iszero(staticcall(gas(), verifier, p, calldatasize(), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }
}
