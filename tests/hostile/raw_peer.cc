#include "tests/hostile/raw_peer.h"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "host/swarm/upgrader.h"
#include "transports/tcp/tcp_transport.h"

namespace prowl::hostile {

namespace asio = boost::asio;

RawPeer::RawPeer(asio::any_io_executor executor, std::unique_ptr<transport::ByteStream> stream,
                 noise::SecureChannel channel, identity::PeerId peer_id)
    : executor_(std::move(executor)),
      stream_(std::move(stream)),
      channel_(std::move(channel)),
      peer_id_(std::move(peer_id)) {}

asio::awaitable<std::unique_ptr<RawPeer>> RawPeer::connect(asio::any_io_executor executor,
                                                           multiaddr::Multiaddr address) {
  transport::TcpTransport tcp(executor);
  std::unique_ptr<transport::ByteStream> stream = co_await tcp.dial(address.without_peer());
  const identity::KeyPair key = identity::KeyPair::generate();
  swarm::Upgrader upgrader(*stream, key);
  swarm::Upgraded upgraded = co_await upgrader.outbound(std::nullopt);
  std::unique_ptr<RawPeer> peer(new RawPeer(executor, std::move(stream), std::move(upgraded.channel),
                                            identity::PeerId::from_public_key(key.public_key())));
  peer->parse(upgraded.early_data);
  co_return peer;
}

asio::awaitable<void> RawPeer::send(std::span<const uint8_t> yamux) {
  sealed_.clear();
  std::string error;
  if (!channel_.encrypt(yamux, sealed_, &error)) throw std::runtime_error("attacker: seal failed: " + error);
  co_await stream_->write_all(sealed_);
}

asio::awaitable<bool> RawPeer::receive(std::chrono::milliseconds wait) {
  using namespace asio::experimental::awaitable_operators;
  const auto until = std::chrono::steady_clock::now() + wait;
  std::vector<uint8_t> buffer(64 * 1024);
  while (!closed_ && std::chrono::steady_clock::now() < until) {
    asio::steady_timer timer(executor_, until);
    size_t n = 0;
    try {
      auto raced = co_await (stream_->read_some(buffer) || timer.async_wait(asio::use_awaitable));
      if (raced.index() == 1) break;
      n = std::get<0>(raced);
    } catch (const std::exception&) {
      n = 0;
    }
    if (n == 0) {
      closed_ = true;
      break;
    }
    std::vector<uint8_t> plaintext;
    std::string error;  // decrypt() keeps a trailing partial frame for the next read
    if (!channel_.decrypt(std::span(buffer).first(n), plaintext, &error))
      throw std::runtime_error("attacker: open failed: " + error);
    parse(plaintext);
  }
  co_return !closed_;
}

void RawPeer::parse(std::span<const uint8_t> plaintext) {
  plain_.insert(plain_.end(), plaintext.begin(), plaintext.end());
  size_t at = 0;
  while (plain_.size() - at >= yamux::kHeaderSize) {
    const yamux::FrameHeader header =
        yamux::decode_header(std::span<const uint8_t, yamux::kHeaderSize>(plain_.data() + at, yamux::kHeaderSize));
    const size_t payload = header.type == yamux::FrameType::kData ? header.length : 0;
    if (plain_.size() - at < yamux::kHeaderSize + payload) break;
    frames_.push_back(header);
    at += yamux::kHeaderSize + payload;
  }
  plain_.erase(plain_.begin(), plain_.begin() + static_cast<ptrdiff_t>(at));
}

void append_frame(std::vector<uint8_t>& out, yamux::FrameType type, uint16_t flags, yamux::StreamId id,
                  uint32_t length) {
  yamux::append_header(out, yamux::FrameHeader{yamux::kVersion, type, flags, id, length});
}

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace prowl::hostile
