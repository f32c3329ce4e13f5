// What the gossipsub router asks its driver to do.
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/message_id.h"

namespace prowl::pubsub {

/// Send one RPC body to `peer` on its pubsub stream, uvarint-length-prefixed.
struct SendRpc {
  identity::PeerId peer;
  std::vector<uint8_t> bytes;
};

/// Hand a validated message of a subscribed topic to the local subscribers.
/// `source` is the peer it came from (the local peer for own messages).
struct DeliverMessage {
  MessageId id;
  identity::PeerId source;
  Message message;
};

/// Validate a message of a topic with validation enabled, then call
/// Router::report_validation(id, verdict). The signature is already checked.
struct ValidateMessage {
  MessageId id;
  identity::PeerId source;
  Message message;
};

/// Check the StrictSign signature of `message` (verify_message), on any
/// thread, then call Router::report_signature(id, author) on the router's.
/// Only with RouterConfig::offload_signature_checks. The router keeps
/// `message` unchanged until the report, so a worker thread may read it.
struct CheckSignature {
  MessageId id;
  std::shared_ptr<const pb::Message> message;
};

/// Peer exchange: a pruning peer suggested `peer`; connect if addresses are
/// known (a non-empty record is a signed peer record envelope to verify first).
struct ConnectPeer {
  identity::PeerId peer;
  std::vector<uint8_t> signed_peer_record;
};

/// One driver action.
using Action = std::variant<SendRpc, DeliverMessage, ValidateMessage, CheckSignature, ConnectPeer>;

/// A validation verdict (libp2p pubsub validation results).
enum class Verdict {
  kAccept,  ///< deliver and forward
  kReject,  ///< drop and penalize the senders (P4)
  kIgnore,  ///< drop without penalty
};

}  // namespace prowl::pubsub
