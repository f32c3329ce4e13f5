// StrictSign checks of received pubsub messages on oneTBB worker threads, so
// a host verifies on more than one core while its event loop moves bytes.
// Checks and results travel in batches: under load one wake-up and one
// hand-back carry many messages.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/message_id.h"
#include "host/wire/pubsub/rpc.pb.h"

namespace prowl::pubsub_service {

/// Thread-safe. Owns a oneTBB arena of its own; checkers share the process's
/// worker threads.
class SignatureChecker {
 public:
  /// The outcome of one check: the author, or nullopt for a bad signature.
  struct Result {
    pubsub::MessageId id;
    std::optional<identity::PeerId> author;
  };
  /// Receives results in submission batches, on a worker thread; typically
  /// posts them to an executor. Never called concurrently with itself on the
  /// same batch; may be called from several workers at once.
  using Deliver = std::function<void(std::vector<Result> results)>;

  /// Runs at most `threads` checks at once (raising oneTBB's allowed
  /// parallelism for as long as it lives when the default is lower).
  /// REQUIRES: threads > 0.
  SignatureChecker(size_t threads, Deliver deliver);
  /// Calls close().
  ~SignatureChecker();
  SignatureChecker(const SignatureChecker&) = delete;
  SignatureChecker& operator=(const SignatureChecker&) = delete;

  /// Queues a check of `message` (pubsub::verify_message) under `id`.
  /// Ignored after close().
  void submit(pubsub::MessageId id, std::shared_ptr<const pubsub::pb::Message> message);

  /// Stops checking (queued checks are dropped); returns once no Deliver
  /// call runs or will run.
  void close();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace prowl::pubsub_service
