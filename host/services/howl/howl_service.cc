#include "host/services/howl/howl_service.h"

#include <stdexcept>
#include <utility>

namespace prowl::howl {
namespace {

uint64_t wall_clock_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Accepts a howl only on its own topic, howled by the message's author, and not from the future.
pubsub::Verdict check(const pubsub::Message& message, Range range, const std::string& group, Pattern pattern,
                      std::chrono::milliseconds skew) {
  const auto howl = decode_howl(message.data);
  if (!howl || howl->sender != message.from || howl->range != range || howl->group != group ||
      howl->pattern != pattern) {
    return pubsub::Verdict::kReject;
  }
  if (howl->timestamp_ms > wall_clock_ms() + static_cast<uint64_t>(skew.count())) return pubsub::Verdict::kReject;
  return pubsub::Verdict::kAccept;
}

}  // namespace

HowlService::HowlService(pubsub_service::PubsubService& pubsub, HowlConfig config)
    : pubsub_(pubsub), config_(std::move(config)) {
  std::string why;
  if (!valid_group(Range::kPack, config_.pack, &why)) throw std::invalid_argument("pack id: " + why);
  if (!valid_group(Range::kTerritory, config_.territory, &why)) throw std::invalid_argument("territory id: " + why);
}

HowlService::~HowlService() {
  while (!subscriptions_.empty()) off_howl(subscriptions_.begin()->first);
}

const std::string& HowlService::group(Range range) const {
  static const std::string kNone;
  switch (range) {
    case Range::kPack: return config_.pack;
    case Range::kTerritory: return config_.territory;
    case Range::kGlobal: break;
  }
  return kNone;
}

std::optional<pubsub::MessageId> HowlService::howl(Pattern pattern, Range range, uint32_t frequency,
                                                   std::span<const uint8_t> payload, std::string* error) {
  if (frequency > kMaxFrequency) {
    if (error) *error = "frequency " + std::to_string(frequency) + " exceeds " + std::to_string(kMaxFrequency);
    return std::nullopt;
  }
  if (payload.size() > kMaxPayloadBytes) {
    if (error) *error = "payload of " + std::to_string(payload.size()) + " bytes exceeds " +
                        std::to_string(kMaxPayloadBytes);
    return std::nullopt;
  }
  const Howl howl{.sender = pubsub_.router().local_peer(),
                  .pattern = pattern,
                  .range = range,
                  .group = group(range),
                  .frequency = frequency,
                  .payload = {payload.begin(), payload.end()},
                  .timestamp_ms = wall_clock_ms()};
  auto id = pubsub_.publish(howl_topic(range, howl.group, pattern), encode_howl(howl), error);
  if (id) ++sent_[index(pattern)];
  return id;
}

HowlSubscriptionId HowlService::on_howl(Pattern pattern, HowlHandler handler, std::optional<Range> range) {
  std::vector<Part> parts;
  if (range) {
    parts.push_back(subscribe(*range, pattern, std::move(handler)));
  } else {
    for (Range r : kRanges) parts.push_back(subscribe(r, pattern, handler));
  }
  const HowlSubscriptionId id = next_subscription_++;
  subscriptions_.emplace(id, std::move(parts));
  return id;
}

void HowlService::off_howl(HowlSubscriptionId id) {
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return;
  const std::vector<Part> parts = std::move(it->second);
  subscriptions_.erase(it);
  for (const Part& part : parts) {
    pubsub_.unsubscribe(part.subscription);
    auto topic = topics_.find(part.topic);
    if (--topic->second.users == 0) {
      pubsub_.remove_validator(topic->second.validator);
      topics_.erase(topic);
    }
  }
}

bool HowlService::hears(Pattern pattern, Range range) const {
  return topics_.contains(howl_topic(range, group(range), pattern));
}

HowlService::Part HowlService::subscribe(Range range, Pattern pattern, HowlHandler handler) {
  const std::string topic = howl_topic(range, group(range), pattern);
  Topic& entry = topics_[topic];
  if (entry.users++ == 0) {
    entry.validator = pubsub_.add_validator(topic, [range, group = group(range), pattern,
                                                    skew = config_.max_clock_skew](const pubsub::Message& message) {
      return check(message, range, group, pattern, skew);
    });
  }
  const auto subscription = pubsub_.subscribe(topic, [this, pattern, handler = std::move(handler)](
                                                         const pubsub::Message& message) {
    if (message.from == pubsub_.router().local_peer()) return;
    const auto howl = decode_howl(message.data);
    if (!howl) return;  // only own messages skip validation, and those returned above
    ++received_[index(pattern)];
    handler(*howl);
  });
  return {topic, subscription};
}

}  // namespace prowl::howl
