// Fuzzes the listener with a peer's bytes. The first input byte picks a
// chunk size; the outcome (error offsets included) must not depend on how the bytes are split, an
// agreed protocol must be one the listener supports, and nothing the peer
// sent after agreement may be lost.
#include <algorithm>
#include <cstdlib>

#include "host/wire/multistream/listener.h"

namespace {

struct Outcome {
  prowl::multistream::State state;
  std::string error;
  std::string protocol;
  std::vector<uint8_t> output;
  std::vector<uint8_t> leftover;
  bool operator==(const Outcome&) const = default;
};

Outcome run(std::span<const uint8_t> input, size_t chunk) {
  prowl::multistream::Listener listener({"/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0"});
  auto output = listener.take_output();
  for (size_t i = 0; i < input.size(); i += chunk) {
    listener.on_bytes(input.subspan(i, std::min(chunk, input.size() - i)));
    auto more = listener.take_output();
    output.insert(output.end(), more.begin(), more.end());
  }
  if (listener.status().state == prowl::multistream::State::kFailed &&
      listener.status().error.empty())
    std::abort();
  return {listener.status().state, listener.status().error, listener.protocol(), std::move(output),
          listener.take_leftover()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::multistream::State;
  if (size == 0) return 0;
  const std::span<const uint8_t> input(data + 1, size - 1);
  const Outcome whole = run(input, std::max<size_t>(input.size(), 1));
  const Outcome split = run(input, data[0] % 16 + 1);
  if (!(whole == split)) std::abort();
  if (whole.state == State::kDone) {
    if (whole.protocol != "/noise" && whole.protocol != "/yamux/1.0.0" &&
        whole.protocol != "/ipfs/id/1.0.0")
      std::abort();
    // The leftover is exactly the tail of the input.
    if (whole.leftover.size() > input.size() ||
        !std::equal(whole.leftover.rbegin(), whole.leftover.rend(), input.rbegin()))
      std::abort();
  } else if (!whole.leftover.empty() || !whole.protocol.empty()) {
    std::abort();
  }
  return 0;
}
