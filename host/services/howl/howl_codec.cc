#include "host/services/howl/howl_codec.h"

#include <algorithm>

#include "host/services/howl/howl.pb.h"

namespace prowl::howl {
namespace {

constexpr std::string_view kPatternNames[] = {"gathering", "hunting", "warning", "territory", "social"};
constexpr std::string_view kRangeNames[] = {"pack", "territory", "global"};

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

}  // namespace

std::string_view pattern_name(Pattern pattern) noexcept {
  return kPatternNames[static_cast<size_t>(pattern) - 1];
}

std::string_view range_name(Range range) noexcept { return kRangeNames[static_cast<size_t>(range) - 1]; }

std::optional<Pattern> parse_pattern(std::string_view name) noexcept {
  for (Pattern p : kPatterns)
    if (pattern_name(p) == name) return p;
  return std::nullopt;
}

std::optional<Range> parse_range(std::string_view name) noexcept {
  for (Range r : kRanges)
    if (range_name(r) == name) return r;
  return std::nullopt;
}

bool valid_group(Range range, std::string_view group, std::string* error) {
  if (range == Range::kGlobal) {
    return group.empty() || fail(error, "a global howl has no group id");
  }
  if (group.empty()) return fail(error, "a " + std::string(range_name(range)) + " howl needs a group id");
  if (group.size() > kMaxGroupBytes) {
    return fail(error, "group id of " + std::to_string(group.size()) + " bytes exceeds " +
                           std::to_string(kMaxGroupBytes));
  }
  const auto bad = std::find_if(group.begin(), group.end(), [](char c) {
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
             c == '_' || c == '-');
  });
  if (bad != group.end()) {
    return fail(error, "group id has a character outside [A-Za-z0-9._-] at offset " +
                           std::to_string(bad - group.begin()));
  }
  return true;
}

std::string howl_topic(Range range, std::string_view group, Pattern pattern) {
  std::string topic = "/prowl/howl/1/";
  topic += range_name(range);
  topic += '/';
  if (range != Range::kGlobal) {
    topic += group;
    topic += '/';
  }
  topic += pattern_name(pattern);
  return topic;
}

std::vector<uint8_t> encode_howl(const Howl& howl) {
  pb::Howl message;
  const auto& sender = howl.sender.bytes();
  message.set_sender(std::string(sender.begin(), sender.end()));
  message.set_pattern(static_cast<pb::Pattern>(howl.pattern));
  message.set_range(static_cast<pb::Range>(howl.range));
  message.set_group(howl.group);
  message.set_frequency(howl.frequency);
  message.set_payload(std::string(howl.payload.begin(), howl.payload.end()));
  message.set_timestamp_ms(howl.timestamp_ms);
  std::vector<uint8_t> out(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

std::optional<Howl> decode_howl(std::span<const uint8_t> bytes, std::string* error) {
  if (bytes.size() > kMaxHowlBytes) {
    fail(error, "howl of " + std::to_string(bytes.size()) + " bytes exceeds " + std::to_string(kMaxHowlBytes));
    return std::nullopt;
  }
  pb::Howl message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fail(error, "howl: not a valid protobuf");
    return std::nullopt;
  }
  const std::string& sender_bytes = message.sender();
  std::string why;
  auto sender = identity::PeerId::from_bytes(
      std::span(reinterpret_cast<const uint8_t*>(sender_bytes.data()), sender_bytes.size()), &why);
  if (!sender) {
    fail(error, "howl field sender: " + why);
    return std::nullopt;
  }
  const int pattern = message.pattern();
  if (pattern < 1 || pattern > static_cast<int>(std::size(kPatterns))) {
    fail(error, "howl field pattern: unknown value " + std::to_string(pattern));
    return std::nullopt;
  }
  const int range = message.range();
  if (range < 1 || range > static_cast<int>(std::size(kRanges))) {
    fail(error, "howl field range: unknown value " + std::to_string(range));
    return std::nullopt;
  }
  Howl howl{.sender = std::move(*sender),
            .pattern = static_cast<Pattern>(pattern),
            .range = static_cast<Range>(range),
            .group = message.group(),
            .frequency = message.frequency(),
            .payload = {message.payload().begin(), message.payload().end()},
            .timestamp_ms = message.timestamp_ms()};
  if (!valid_group(howl.range, howl.group, &why)) {
    fail(error, "howl field group: " + why);
    return std::nullopt;
  }
  if (howl.frequency > kMaxFrequency) {
    fail(error, "howl field frequency: " + std::to_string(howl.frequency) + " exceeds " +
                    std::to_string(kMaxFrequency));
    return std::nullopt;
  }
  if (howl.payload.size() > kMaxPayloadBytes) {
    fail(error, "howl field payload: " + std::to_string(howl.payload.size()) + " bytes exceed " +
                    std::to_string(kMaxPayloadBytes));
    return std::nullopt;
  }
  return howl;
}

}  // namespace prowl::howl
