#include "host/plugin_host/codec/frame.h"

#include <cstring>

#include "host/base/encoding/varint.h"
#include "host/plugin_host/loader/manifest.h"

namespace prowl::codec {
namespace {

std::optional<FrameHeader> fail(std::string* error, std::string reason) {
  if (error != nullptr) *error = std::move(reason);
  return std::nullopt;
}

}  // namespace

std::optional<FrameHeader> parse_frame_header(std::span<const uint8_t> frame, std::string* error) {
  if (frame.size() < sizeof kFrameMagic + 2)
    return fail(error, "frame is too short (" + std::to_string(frame.size()) +
                           " bytes) to hold a header");
  if (std::memcmp(frame.data(), kFrameMagic, sizeof kFrameMagic) != 0)
    return fail(error, "not a prowl frame: bad magic at offset 0");
  size_t at = sizeof kFrameMagic;
  if (frame[at] != kFrameVersion)
    return fail(error, "unsupported frame version " + std::to_string(frame[at]) + " at offset " +
                           std::to_string(at) + " (this host reads version 1)");
  ++at;
  const size_t name_len = frame[at];
  if (name_len == 0 || name_len >= PROWL_NAME_MAX)
    return fail(error, "codec name length " + std::to_string(name_len) + " at offset " +
                           std::to_string(at) + " is out of range 1..63");
  ++at;
  if (frame.size() - at < name_len)
    return fail(error, "frame ends inside the codec name at offset " + std::to_string(at));
  FrameHeader header;
  header.codec.assign(reinterpret_cast<const char*>(frame.data() + at), name_len);
  if (!plugins::is_valid_plugin_name(header.codec))
    return fail(error, "codec name at offset " + std::to_string(at) +
                           " is not a valid plugin name");
  at += name_len;
  const auto length = encoding::decode_varint(frame.subspan(at));
  switch (length.status) {
    case encoding::VarintResult::Status::kIncomplete:
      return fail(error, "frame ends inside the original length at offset " + std::to_string(at));
    case encoding::VarintResult::Status::kInvalid:
      return fail(error, std::string("bad original length at offset ") + std::to_string(at) + ": " +
                             length.error);
    case encoding::VarintResult::Status::kOk:
      break;
  }
  header.original_size = length.value;
  header.header_size = at + length.length;
  return header;
}

std::vector<uint8_t> encode_frame_header(std::string_view codec, uint64_t original_size) {
  std::vector<uint8_t> out(std::begin(kFrameMagic), std::end(kFrameMagic));
  out.reserve(sizeof kFrameMagic + 2 + codec.size() + encoding::kVarintMaxBytes);
  out.push_back(kFrameVersion);
  out.push_back(static_cast<uint8_t>(codec.size()));
  out.insert(out.end(), codec.begin(), codec.end());
  encoding::append_varint(out, original_size);
  return out;
}

}  // namespace prowl::codec
