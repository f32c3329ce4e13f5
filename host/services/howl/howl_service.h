// Howls over gossipsub: HowlService publishes howls on their topics (see
// howl_codec.h for the mapping), subscribes by pattern and range, validates
// every received howl and counts howls sent and received per pattern.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/services/howl/howl_codec.h"
#include "host/services/pubsub/pubsub_service.h"

namespace prowl::howl {

/// Where this node belongs.
struct HowlConfig {
  std::string pack = "default";       ///< pack id of Range::kPack howls
  std::string territory = "default";  ///< territory id of Range::kTerritory howls
  /// Howls stamped further ahead of our clock than this are rejected.
  std::chrono::milliseconds max_clock_skew{std::chrono::minutes(5)};
};

/// Called with each howl heard.
using HowlHandler = std::function<void(const Howl&)>;
/// Identifies one on_howl() call.
using HowlSubscriptionId = uint64_t;

/// Not thread-safe: use it on the PubsubService's executor. Destroy it before
/// the PubsubService.
class HowlService {
 public:
  /// Howls through `pubsub`. Throws std::invalid_argument naming a bad pack or territory id.
  explicit HowlService(pubsub_service::PubsubService& pubsub, HowlConfig config = {});
  /// Ends this service's subscriptions and removes its validators.
  ~HowlService();
  HowlService(const HowlService&) = delete;
  HowlService& operator=(const HowlService&) = delete;

  /// Howls `payload` with `pattern` in `range` at `frequency` (0..1000),
  /// stamped with the wall clock. Returns the gossipsub message id, or
  /// nullopt and why in `error` if given (frequency or payload out of bounds,
  /// or the publish failed).
  std::optional<pubsub::MessageId> howl(Pattern pattern, Range range, uint32_t frequency,
                                        std::span<const uint8_t> payload, std::string* error = nullptr);

  /// Calls `handler` with every valid howl of `pattern` from other peers, in
  /// `range`, or in every range when nullopt, until off_howl(id). Own howls
  /// are not heard. The first handler of a (pattern, range) joins its topic.
  HowlSubscriptionId on_howl(Pattern pattern, HowlHandler handler, std::optional<Range> range = std::nullopt);
  /// Ends an on_howl subscription; the last one of a (pattern, range) leaves
  /// its topic and drops its validator. Unknown ids are ignored.
  void off_howl(HowlSubscriptionId id);
  /// Whether some on_howl subscription hears `pattern` in `range`.
  bool hears(Pattern pattern, Range range) const;

  /// Howls of `pattern` this node sent.
  uint64_t sent(Pattern pattern) const { return sent_[index(pattern)]; }
  /// Howls of `pattern` from other peers this service handed to its handlers.
  uint64_t received(Pattern pattern) const { return received_[index(pattern)]; }

 private:
  static size_t index(Pattern pattern) { return static_cast<size_t>(pattern) - 1; }
  // A howl topic heard by `users` pubsub subscriptions, checked by `validator`.
  struct Topic {
    size_t users = 0;
    pubsub_service::ValidatorId validator = 0;
  };
  // One pubsub subscription of an on_howl call.
  struct Part {
    std::string topic;
    pubsub_service::SubscriptionId subscription = 0;
  };

  const std::string& group(Range range) const;
  Part subscribe(Range range, Pattern pattern, HowlHandler handler);

  pubsub_service::PubsubService& pubsub_;
  HowlConfig config_;
  std::map<std::string, Topic> topics_;
  std::map<HowlSubscriptionId, std::vector<Part>> subscriptions_;
  HowlSubscriptionId next_subscription_ = 1;
  std::array<uint64_t, std::size(kPatterns)> sent_{};
  std::array<uint64_t, std::size(kPatterns)> received_{};
};

}  // namespace prowl::howl
