// libFuzzer entry point: the task protocol's frame decoder on arbitrary
// bytes. A refused frame must say why; an accepted one must survive an
// encode/decode round trip, and its chunks must reassemble within bounds.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "host/wire/task/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::task;
  Limits limits;
  limits.max_frame_bytes = 1 << 16;
  pb::Frame frame;
  const prowl::Status status = decode_frame(std::span(data, size), limits, &frame);
  if (!status.ok()) {
    if (status.message().empty()) std::abort();
    return 0;
  }
  const std::vector<uint8_t> again = encode_frame(frame);
  pb::Frame round;
  if (!decode_frame(again, limits, &round).ok() || encode_frame(round) != again) std::abort();
  if (frame.has_offer()) {
    const pb::Offer& o = frame.offer();
    Assembler assembler(std::span(reinterpret_cast<const uint8_t*>(o.input().data()), o.input().size()),
                        o.input_size());
    // Feed the frame's own bytes as chunks until the declared size is reached or refused.
    uint64_t offset = assembler.received();
    for (int i = 0; i < 4 && !assembler.complete(); ++i) {
      if (!assembler.add(offset, std::span(data, size)).ok()) break;
      offset = assembler.received();
    }
    if (assembler.received() > assembler.total()) std::abort();
  }
  return 0;
}
