// Private to host/services/compute: views between protobuf's byte strings
// and byte spans.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

namespace prowl::compute::internal {

inline std::span<const uint8_t> as_bytes(const std::string& s) {
  return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline std::string as_string(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline bool all_zero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

inline bool same_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace prowl::compute::internal
