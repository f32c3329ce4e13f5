#include "plugins/codecs/common/codec_support.h"

#include <string>

namespace prowl::codecs {
namespace {
// Backs empty spans; nothing is ever written to or read from it.
uint8_t empty_byte;
}  // namespace

void fail(std::string_view codec, std::string_view problem) {
  std::string message(codec);
  message += ": ";
  message += problem;
  throw InvalidInput(message);
}

int32_t checked_level(std::string_view codec, int32_t level, int32_t min, int32_t max) {
  if (level == 0 || (level >= min && level <= max)) return level;
  fail(codec, "level " + std::to_string(level) + " is out of range [" + std::to_string(min) +
                  ", " + std::to_string(max) + "] (0 = default)");
}

std::span<uint8_t> reserve_exactly(Output& out, size_t bytes, std::string_view codec) {
  if (bytes == 0) return {&empty_byte, 0};
  size_t room = 0;
  uint8_t* p = out.raw()->reserve(out.raw()->ctx, bytes, &room);
  if (p == nullptr) {
    throw LimitExceeded(std::string(codec) + ": the output writer refused " +
                        std::to_string(bytes) + " bytes");
  }
  return {p, bytes};
}

void check_produced(std::string_view codec, size_t produced, size_t expected) {
  if (produced == expected) return;
  fail(codec, "stream expands to " + std::to_string(produced) + " bytes, expected " +
                  std::to_string(expected));
}

const uint8_t* data_or_empty(std::span<const uint8_t> in) noexcept {
  return in.empty() ? &empty_byte : in.data();
}

}  // namespace prowl::codecs
