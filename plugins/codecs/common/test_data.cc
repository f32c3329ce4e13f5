#include "plugins/codecs/common/test_data.h"

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

namespace prowl::codecs {

std::vector<uint8_t> random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t v = rng();
    std::memcpy(b.data() + i, &v, std::min<size_t>(8, n - i));
  }
  return b;
}

std::vector<uint8_t> repetitive_text(size_t n) {
  std::vector<uint8_t> b;
  b.reserve(n + 128);
  for (size_t i = 0; b.size() < n; ++i) {
    const std::string line = "{\"seq\":" + std::to_string(i) + ",\"peer\":\"12D3KooW" +
                             std::to_string(i * 7919 % 1009) + "\",\"howl\":\"territory\"}\n";
    b.insert(b.end(), line.begin(), line.end());
  }
  b.resize(n);
  return b;
}

std::vector<uint8_t> mixed_payload(size_t n, uint64_t seed) {
  static constexpr std::array<std::string_view, 16> kWords = {
      "pack",  "scout", "alpha",  "sentinel", "territory", "howl",   "hunt",  "resource",
      "trail", "moon",  "ridge",  "signal",   "gathering", "warning", "omega", "den"};
  static constexpr std::array<std::string_view, 4> kEvents = {"join", "howl", "vote", "offer"};
  static constexpr std::string_view kBase58 =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(n + 4096);
  for (uint64_t seq = 0; out.size() < n; ++seq) {
    out += "{\"seq\":" + std::to_string(seq) + ",\"ts\":" + std::to_string(1700000000000 + seq * 37 + rng() % 37);
    out += ",\"peer\":\"12D3KooW";
    for (int i = 0; i < 44; ++i) out += kBase58[rng() % kBase58.size()];
    out += "\",\"event\":\"";
    out += kEvents[rng() % kEvents.size()];
    out += "\",\"digest\":\"";
    for (int i = 0; i < 32; ++i) out += kHex[rng() % kHex.size()];
    out += "\",\"score\":" + std::to_string(rng() % 100000) + ",\"note\":\"";
    const size_t words = 4 + rng() % 12;
    for (size_t w = 0; w < words; ++w) {
      if (w > 0) out += ' ';
      out += kWords[rng() % kWords.size()];
    }
    out += "\"}\n";
    if (seq % 64 == 63) {  // an opaque binary attachment
      for (int i = 0; i < 256; ++i) out += static_cast<char>(rng() & 0xff);
    }
  }
  out.resize(n);
  return {out.begin(), out.end()};
}

}  // namespace prowl::codecs
