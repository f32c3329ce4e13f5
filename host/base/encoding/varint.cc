#include "host/base/encoding/varint.h"

namespace prowl::encoding {

VarintResult decode_varint(std::span<const uint8_t> in) noexcept {
  VarintResult r;
  uint64_t value = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (i == kVarintMaxBytes) {
      r.status = VarintResult::Status::kInvalid;
      r.error = "varint longer than 9 bytes";
      return r;
    }
    const uint8_t byte = in[i];
    value |= uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80u) == 0) {
      if (byte == 0 && i > 0) {
        r.status = VarintResult::Status::kInvalid;
        r.error = "varint is not minimally encoded";
        return r;
      }
      if (value > kVarintMax) {
        r.status = VarintResult::Status::kInvalid;
        r.error = "varint exceeds 2^63-1";
        return r;
      }
      r.status = VarintResult::Status::kOk;
      r.value = value;
      r.length = i + 1;
      return r;
    }
  }
  if (in.size() >= kVarintMaxBytes) {
    r.status = VarintResult::Status::kInvalid;
    r.error = "varint longer than 9 bytes";
  }
  return r;
}

void append_varint(std::vector<uint8_t>& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

size_t varint_size(uint64_t value) noexcept {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

}  // namespace prowl::encoding
