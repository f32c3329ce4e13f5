// Fuzzes the request-response frame reader: the first byte picks request or
// response framing and the chunk size; the outcome must not depend on how the
// bytes are split, and every error must be named.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "host/services/rr/frame_reader.h"

namespace {

struct Outcome {
  prowl::rr::FrameReader::State state;
  uint8_t status;
  std::vector<uint8_t> payload;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

Outcome decode(std::span<const uint8_t> bytes, bool with_status, size_t chunk) {
  prowl::rr::FrameReader reader(4096, with_status);
  for (size_t at = 0; at < bytes.size(); at += chunk)
    reader.on_bytes(bytes.subspan(at, std::min(chunk, bytes.size() - at)));
  reader.on_end();
  return {reader.state(), reader.status(), reader.take_payload(), reader.error()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const bool with_status = (data[0] & 1) != 0;
  const size_t chunk = 1 + (data[0] >> 1);
  const std::span<const uint8_t> bytes(data + 1, size - 1);
  const Outcome whole = decode(bytes, with_status, bytes.size() + 1);
  const Outcome split = decode(bytes, with_status, chunk);
  if (!(whole == split)) std::abort();
  const bool failed = whole.state != prowl::rr::FrameReader::State::kComplete;
  if (failed == whole.error.empty()) std::abort();
  if (whole.payload.size() > 4096) std::abort();
  if (!failed && with_status) {
    const auto again = prowl::rr::encode_response(whole.status, whole.payload);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
  }
  return 0;
}
