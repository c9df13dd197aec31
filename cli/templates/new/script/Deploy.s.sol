// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifier} from "../contracts/INexusVerifier.sol";
import {PrimeCounter} from "../contracts/PrimeCounter.sol";
import {vm} from "../test/utils/Vm.sol";

/// @title Deploys PrimeCounter against a Nexus Zero gateway
/// @notice NEXUS_GATEWAY=0x... PROGRAM_VKEY=0x... PRIVATE_KEY=0x... \
///         forge script script/Deploy.s.sol --rpc-url $ETH_RPC_URL --broadcast
///         (the gateway from `nzero deploy`'s deployments/<chainId>.json; the key from `nzero vkey`).
contract Deploy {
    function run() external returns (PrimeCounter counter) {
        INexusVerifier gateway = INexusVerifier(vm.envAddress("NEXUS_GATEWAY"));
        bytes32 programVKey = vm.envBytes32("PROGRAM_VKEY");
        vm.startBroadcast(vm.envUint("PRIVATE_KEY"));
        counter = new PrimeCounter(gateway, programVKey);
        vm.stopBroadcast();
    }
}
