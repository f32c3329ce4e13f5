// The Ed25519 test vectors of the libp2p peer-id spec ("Test vectors"
// section), shared by the identity tests.
#pragma once

#include <string_view>

namespace prowl::identity::test_vectors {

/// The PrivateKey protobuf (08 01 12 40, seed, public key), hex.
inline constexpr std::string_view kSpecPrivateKey =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
    "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

/// The matching PublicKey protobuf (08 01 12 20, public key), hex.
inline constexpr std::string_view kSpecPublicKey =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

/// The raw 32-byte public key inside both, hex.
inline constexpr std::string_view kSpecRawPublicKey = kSpecPublicKey.substr(8);

}  // namespace prowl::identity::test_vectors
