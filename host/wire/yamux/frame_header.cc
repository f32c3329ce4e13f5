#include "host/wire/yamux/frame_header.h"

namespace prowl::yamux {
namespace {

void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

void put_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t get_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

void append_header(std::vector<uint8_t>& out, const FrameHeader& header) {
  const size_t at = out.size();
  out.resize(at + kHeaderSize);
  uint8_t* p = out.data() + at;
  p[0] = header.version;
  p[1] = static_cast<uint8_t>(header.type);
  put_u16(p + 2, header.flags);
  put_u32(p + 4, header.stream_id);
  put_u32(p + 8, header.length);
}

FrameHeader decode_header(std::span<const uint8_t, kHeaderSize> in) noexcept {
  FrameHeader h;
  h.version = in[0];
  h.type = static_cast<FrameType>(in[1]);
  h.flags = static_cast<uint16_t>((in[2] << 8) | in[3]);
  h.stream_id = get_u32(in.data() + 4);
  h.length = get_u32(in.data() + 8);
  return h;
}

bool is_known_type(FrameType type) noexcept {
  return static_cast<uint8_t>(type) <= static_cast<uint8_t>(FrameType::kGoAway);
}

const char* type_name(FrameType type) noexcept {
  switch (type) {
    case FrameType::kData:
      return "data";
    case FrameType::kWindowUpdate:
      return "window update";
    case FrameType::kPing:
      return "ping";
    case FrameType::kGoAway:
      return "go away";
  }
  return "unknown";
}

}  // namespace prowl::yamux
