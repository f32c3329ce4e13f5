// The StrictSign message authentication of libp2p/specs pubsub/README.md:
// the author signs "libp2p-pubsub:" followed by the protobuf of the Message
// without its signature and key fields; `from` is the author's peer id and
// `key` carries the public key only when the peer id does not inline it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/rpc.pb.h"

namespace prowl::pubsub {

/// The prefix of every signed payload.
inline constexpr std::string_view kSignaturePrefix = "libp2p-pubsub:";

/// Length of a StrictSign sequence number (a big-endian uint64).
inline constexpr size_t kSeqnoBytes = 8;

/// Sets `from` to the peer id of `key`, clears `key` (an Ed25519 peer id
/// inlines it) and sets `signature`. REQUIRES: seqno, topic and data are final.
void sign_message(const identity::KeyPair& key, pb::Message& message);

/// Checks a StrictSign message: `from` a valid peer id, an 8-byte seqno, and
/// a valid Ed25519 signature by the key inlined in `from` or carried in `key`
/// (which must then hash to `from`). Returns the author, or nullopt and says
/// what was wrong in `error` if given.
std::optional<identity::PeerId> verify_message(const pb::Message& message,
                                               std::string* error = nullptr);

/// The 8-byte big-endian encoding of `seqno`.
std::string encode_seqno(uint64_t seqno);

}  // namespace prowl::pubsub
