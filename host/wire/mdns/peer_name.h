// The random peer name a node announces over mDNS: the libp2p mDNS spec asks
// for a fresh lower-case alphanumeric label of 32 to 63 characters per boot,
// never the peer id.
#pragma once

#include <string>

namespace prowl::mdns {

/// A label of 32..63 characters from [a-z0-9], drawn from libsodium's
/// CSPRNG. Thread-safe.
std::string random_peer_name();

}  // namespace prowl::mdns
