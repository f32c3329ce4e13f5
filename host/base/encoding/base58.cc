#include "host/base/encoding/base58.h"

#include <array>

namespace prowl::encoding {
namespace {

constexpr std::string_view kAlphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 256> make_index() {
  std::array<int8_t, 256> index{};
  for (auto& v : index) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i)
    index[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return index;
}
constexpr auto kIndex = make_index();

}  // namespace

std::string base58_encode(std::span<const uint8_t> bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // log(256)/log(58) < 1.38: digits needed for the rest.
  std::vector<uint8_t> digits((bytes.size() - zeros) * 138 / 100 + 1, 0);
  size_t used = 0;
  for (size_t i = zeros; i < bytes.size(); ++i) {
    uint32_t carry = bytes[i];
    size_t j = 0;
    for (; j < used || carry != 0; ++j) {
      carry += uint32_t{digits[j]} << 8;
      digits[j] = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    used = j;
  }
  std::string out(zeros, '1');
  out.reserve(zeros + used);
  for (size_t j = used; j-- > 0;) out.push_back(kAlphabet[digits[j]]);
  return out;
}

std::optional<std::vector<uint8_t>> base58_decode(std::string_view text, std::string* error) {
  if (text.size() > kBase58MaxChars) {
    if (error) *error = "base58 text longer than " + std::to_string(kBase58MaxChars) + " characters";
    return std::nullopt;
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // log(58)/log(256) < 0.733: bytes needed for the rest.
  std::vector<uint8_t> bytes((text.size() - ones) * 733 / 1000 + 1, 0);
  size_t used = 0;
  for (size_t i = ones; i < text.size(); ++i) {
    const int8_t digit = kIndex[static_cast<uint8_t>(text[i])];
    if (digit < 0) {
      if (error) *error = "invalid base58 character at position " + std::to_string(i);
      return std::nullopt;
    }
    uint32_t carry = static_cast<uint32_t>(digit);
    size_t j = 0;
    for (; j < used || carry != 0; ++j) {
      carry += uint32_t{bytes[j]} * 58;
      bytes[j] = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    used = j;
  }
  std::vector<uint8_t> out(ones, 0);
  out.reserve(ones + used);
  for (size_t j = used; j-- > 0;) out.push_back(bytes[j]);
  return out;
}

}  // namespace prowl::encoding
