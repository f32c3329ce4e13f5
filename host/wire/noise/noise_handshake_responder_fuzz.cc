// Fuzzes the responder side of the libp2p noise handshake.
// First byte even: the rest is raw wire bytes (length-framed messages) fed to
// a responder as messages 1 and 3. First byte odd: a genuine initiator runs
// the handshake and the rest becomes its message-3 payload, so the payload
// protobuf and identity checks see arbitrary bytes behind valid encryption.
#include <cstdlib>

#include "host/wire/noise/frame_decoder.h"
#include "host/wire/noise/handshake.h"

namespace {

using prowl::identity::KeyPair;
using namespace prowl::noise;

const KeyPair& responder_identity() {
  static const KeyPair key = KeyPair::from_seed(std::array<uint8_t, 32>{7});
  return key;
}

void feed_raw(std::span<const uint8_t> wire) {
  Handshake responder(Role::kResponder, responder_identity());
  FrameDecoder decoder;
  std::string error;
  std::vector<uint8_t> out;
  while (auto message = decoder.next(wire)) {
    if (!responder.read_message(*message, &error)) return;
    // Writing fails legitimately when message 1 carried a low-order key.
    if (responder.wants_to_write() && !responder.write_message(out, &error)) return;
    if (responder.is_complete()) return;
  }
}

void feed_payload(std::span<const uint8_t> payload) {
  if (payload.size() > 65535 - 64) return;
  Handshake responder(Role::kResponder, responder_identity());
  HandshakeState initiator(Role::kInitiator, DhKeyPair::from_private({1}), DhKeyPair::from_private({2}), {});
  std::string error;
  std::vector<uint8_t> m1, m2, m3, ignored;
  if (!initiator.write_message({}, m1, &error) || !responder.read_message(m1, &error)) std::abort();
  if (!responder.write_message(m2, &error)) std::abort();
  std::span<const uint8_t> framed(m2);
  FrameDecoder decoder;
  auto body = decoder.next(framed);
  if (!body || !initiator.read_message(*body, ignored, &error)) std::abort();
  if (!initiator.write_message(payload, m3, &error)) std::abort();
  if (responder.read_message(m3, &error) != responder.is_complete()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> rest(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    feed_raw(rest);
  } else {
    feed_payload(rest);
  }
  return 0;
}
