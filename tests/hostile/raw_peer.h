// A scripted attacker for the hostile tests: a peer that completes the real
// upgrade (TCP, multistream-select, Noise XX, Yamux) and then writes Yamux
// frames by hand, so it can do what no well-behaved session would: flood
// pings without reading, open thousands of streams, stall in negotiation.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/wire/noise/secure_channel.h"
#include "host/wire/yamux/frame_header.h"
#include "transports/core/transport.h"

namespace prowl::hostile {

/// One hand-driven connection. Not thread-safe; use it on its executor.
class RawPeer {
 public:
  /// Dials `address` (an /ip4 TCP address) and upgrades as a dialer.
  /// Throws what the dial or the upgrade throws.
  static boost::asio::awaitable<std::unique_ptr<RawPeer>> connect(boost::asio::any_io_executor executor,
                                                                  multiaddr::Multiaddr address);

  /// Seals `yamux` (split into Noise frames as needed) and writes it. Throws
  /// once the host has closed the connection.
  boost::asio::awaitable<void> send(std::span<const uint8_t> yamux);

  /// Reads what arrives within `wait`, parsing the host's Yamux frames into
  /// frames(). Returns false once the host closed the connection.
  boost::asio::awaitable<bool> receive(std::chrono::milliseconds wait);

  /// Every frame header the host sent so far, in order.
  const std::vector<yamux::FrameHeader>& frames() const noexcept { return frames_; }
  /// True once a read saw the end of the connection (or an error).
  bool closed() const noexcept { return closed_; }
  /// Our identity, as the host sees it.
  const identity::PeerId& peer_id() const noexcept { return peer_id_; }

 private:
  RawPeer(boost::asio::any_io_executor executor, std::unique_ptr<transport::ByteStream> stream,
          noise::SecureChannel channel, identity::PeerId peer_id);
  void parse(std::span<const uint8_t> plaintext);

  boost::asio::any_io_executor executor_;
  std::unique_ptr<transport::ByteStream> stream_;
  noise::SecureChannel channel_;
  identity::PeerId peer_id_;
  std::vector<uint8_t> plain_;  // received plaintext not yet a whole Yamux frame
  std::vector<uint8_t> sealed_;
  std::vector<yamux::FrameHeader> frames_;
  bool closed_ = false;
};

/// Appends one Yamux frame header.
void append_frame(std::vector<uint8_t>& out, yamux::FrameType type, uint16_t flags, yamux::StreamId id,
                  uint32_t length);

/// The process's resident set size, in bytes (from /proc/self/statm).
size_t resident_bytes();

}  // namespace prowl::hostile
