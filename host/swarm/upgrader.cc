#include "host/swarm/upgrader.h"

#include <stdexcept>
#include <memory>
#include <string>

#include "host/wire/multistream/dialer.h"
#include "host/wire/noise/handshake.h"
#include "host/wire/multistream/listener.h"
#include "host/wire/yamux/frame_header.h"

namespace prowl::swarm {
namespace {

constexpr std::string_view kNoiseProtocol = "/noise";
constexpr size_t kReadBytes = 64 * 1024;

std::unique_ptr<multistream::Negotiation> make_negotiation(bool initiator, std::string_view protocol) {
  if (initiator) return std::make_unique<multistream::Dialer>(std::vector<std::string>{std::string(protocol)});
  return std::make_unique<multistream::Listener>(std::vector<std::string>{std::string(protocol)});
}

}  // namespace

Upgrader::Upgrader(transport::ByteStream& stream, const identity::KeyPair& identity)
    : stream_(stream), identity_(identity), buffer_(kReadBytes) {}

boost::asio::awaitable<Upgraded> Upgrader::outbound(std::optional<identity::PeerId> expected) {
  co_return co_await run(/*initiator=*/true, expected);
}

boost::asio::awaitable<Upgraded> Upgrader::inbound() { co_return co_await run(/*initiator=*/false, std::nullopt); }

boost::asio::awaitable<std::span<const uint8_t>> Upgrader::read_more(const char* step) {
  const size_t n = co_await stream_.read_some(buffer_);
  if (n == 0) throw std::runtime_error(std::string("connection closed by the peer during ") + step);
  co_return std::span<const uint8_t>(buffer_.data(), n);
}

boost::asio::awaitable<Upgraded> Upgrader::run(bool initiator, const std::optional<identity::PeerId>& expected) {
  std::string error;

  // 1. multistream-select "/noise" in the clear. The listener keeps its
  // header until the dialer has spoken (as rust-libp2p's listener does): a
  // js-libp2p WebSocket dialer drops bytes that reach it together with the
  // HTTP 101 response, before it attaches its message handler.
  auto security = make_negotiation(initiator, kNoiseProtocol);
  if (initiator) co_await stream_.write_all(security->take_output());
  while (security->status().state == multistream::State::kInProgress) {
    security->on_bytes(co_await read_more("security negotiation"));
    if (auto out = security->take_output(); !out.empty()) co_await stream_.write_all(out);
  }
  if (security->status().state == multistream::State::kFailed)
    throw std::runtime_error("security negotiation: " + security->status().error);
  std::vector<uint8_t> early = security->take_leftover();
  std::span<const uint8_t> in = early;

  // 2. Noise XX. The initiator's last message goes out together with its
  // first encrypted bytes.
  noise::Handshake handshake(initiator ? noise::Role::kInitiator : noise::Role::kResponder, identity_);
  noise::FrameDecoder decoder;
  std::vector<uint8_t> out;
  while (!handshake.is_complete()) {
    if (handshake.wants_to_write()) {
      if (!handshake.write_message(out, &error)) throw std::runtime_error("noise handshake: " + error);
      if (handshake.is_complete()) break;
      co_await stream_.write_all(out);
      out.clear();
      continue;
    }
    std::optional<std::span<const uint8_t>> frame;
    while (!(frame = decoder.next(in))) in = co_await read_more("noise handshake");
    if (!handshake.read_message(*frame, &error)) throw std::runtime_error("noise handshake: " + error);
    if (initiator && expected && handshake.remote_peer_id() != *expected)
      throw std::runtime_error("peer id mismatch: dialed " + expected->to_string() + ", remote proved " +
                               handshake.remote_peer_id().to_string());
  }
  auto [send, receive] = handshake.take_cipher_states();
  Upgraded result{noise::SecureChannel(std::move(send), std::move(receive), std::move(decoder)),
                  handshake.remote_peer_id(), {}};
  std::vector<uint8_t> plain;
  if (!result.channel.decrypt(in, plain, &error)) throw std::runtime_error("noise: " + error);

  // 3. multistream-select "/yamux/1.0.0" inside the channel.
  auto muxer = make_negotiation(initiator, yamux::kProtocolId);
  muxer->on_bytes(plain);
  for (;;) {
    if (!result.channel.encrypt(muxer->take_output(), out, &error)) throw std::runtime_error("noise: " + error);
    if (!out.empty()) co_await stream_.write_all(out);
    out.clear();
    if (muxer->status().state != multistream::State::kInProgress) break;
    plain.clear();
    if (!result.channel.decrypt(co_await read_more("muxer negotiation"), plain, &error))
      throw std::runtime_error("noise: " + error);
    muxer->on_bytes(plain);
  }
  if (muxer->status().state == multistream::State::kFailed)
    throw std::runtime_error("muxer negotiation: " + muxer->status().error);
  result.early_data = muxer->take_leftover();
  co_return result;
}

}  // namespace prowl::swarm
