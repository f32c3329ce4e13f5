// Decoding and encoding of pubsub RPCs (libp2p/specs pubsub/README.md). On the
// wire each RPC is a uvarint-length-prefixed protobuf; the stream driver
// strips and adds that prefix (bounded by RpcLimits::max_rpc_bytes), this
// codec handles the protobuf body and its limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/wire/pubsub/rpc.pb.h"

namespace prowl::pubsub {

/// Bounds every decoded RPC must respect; a larger RPC is refused whole.
struct RpcLimits {
  size_t max_rpc_bytes = 1 << 20;      ///< one protobuf body (without the length prefix)
  size_t max_subscriptions = 1000;     ///< SubOpts entries per RPC
  size_t max_messages = 1000;          ///< published messages per RPC
  size_t max_topic_bytes = 1024;       ///< length of any topic string
  size_t max_message_id_bytes = 256;   ///< length of any message id
  size_t max_control_topics = 1000;    ///< IHAVE + GRAFT + PRUNE entries per RPC
  size_t max_ihave_ids = 5000;         ///< message ids over all IHAVE entries
  size_t max_iwant_ids = 5000;         ///< message ids over all IWANT entries
  size_t max_idontwant_ids = 5000;     ///< message ids over all IDONTWANT entries
  size_t max_px_peers = 100;           ///< PeerInfo entries over all PRUNE entries
  size_t max_peer_record_bytes = 4096; ///< one signedPeerRecord
};

/// Decodes one RPC body. Returns nullopt, and says what was wrong (naming the
/// offending field and its index) in `error` if given, when the bytes are no
/// valid protobuf or break a limit.
std::optional<pb::RPC> decode_rpc(std::span<const uint8_t> bytes, const RpcLimits& limits,
                                  std::string* error = nullptr);

/// Encodes `rpc` as one or more RPC bodies of at most `max_bytes` each: when
/// it is too large, its subscriptions, messages and control entries are
/// spread over several RPCs, in order. An entry that alone exceeds
/// `max_bytes` is dropped. An empty RPC yields no body.
std::vector<std::vector<uint8_t>> encode_rpc(const pb::RPC& rpc, size_t max_bytes);

}  // namespace prowl::pubsub
