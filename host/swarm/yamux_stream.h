// The Stream protocol handlers see: one Yamux stream of a Connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "host/swarm/stream.h"
#include "host/wire/yamux/frame_header.h"
#include "transports/core/notifier.h"

namespace prowl::swarm {

class Connection;

/// Buffers what the Connection delivers and grants the peer window only as
/// the application reads (backpressure). Dropping the last reference resets
/// the stream unless our side was closed with close_write() first. Runs on
/// the connection's executor.
class YamuxStream : public Stream {
 public:
  /// A stream `id` of `connection`, opened by us when `outbound`.
  YamuxStream(std::shared_ptr<Connection> connection, yamux::StreamId id, bool outbound);
  ~YamuxStream() override;
  YamuxStream(const YamuxStream&) = delete;
  YamuxStream& operator=(const YamuxStream&) = delete;

  boost::asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override;
  boost::asio::awaitable<void> write(std::span<const uint8_t> data) override;
  boost::asio::awaitable<void> close_write() override;
  void reset() noexcept override;
  const std::string& protocol() const noexcept override { return protocol_; }
  const identity::PeerId& remote_peer() const noexcept override;

  yamux::StreamId id() const noexcept { return id_; }
  bool outbound() const noexcept { return outbound_; }
  /// Names the protocol once negotiated.
  void set_protocol(std::string protocol) { protocol_ = std::move(protocol); }
  /// Puts bytes already read (and credited to the peer) back in front of the unread data.
  void unread(std::vector<uint8_t> bytes);

  /// The unfilled part of the buffer a read_some() waits with, where the
  /// Connection may decrypt payload before on_data() reports it; empty when
  /// no read waits (or buffered bytes come first).
  std::span<uint8_t> read_room() const noexcept;

  // Called by the Connection as the session reports events.
  /// Payload arrived; it is copied at once, straight into the buffer of a
  /// waiting read_some() when there is one (not at all when it already lies
  /// where it belongs there).
  void on_data(std::span<const uint8_t> bytes);
  /// The peer half-closed.
  void on_fin();
  /// The peer reset the stream.
  void on_reset();
  /// The send window grew.
  void on_writable();
  /// The connection is gone, for `reason`.
  void on_connection_closed(const std::string& reason);

 private:
  void fail(std::string error);
  /// Returns `n` after crediting the peer with the bytes not credited before.
  size_t deliver(size_t n);

  std::shared_ptr<Connection> connection_;
  yamux::StreamId id_;
  bool outbound_;
  std::string protocol_;
  std::vector<uint8_t> buffered_;  ///< data no read_some() was waiting for
  size_t offset_ = 0;        ///< bytes of buffered_ already read
  size_t preconsumed_ = 0;   ///< unread bytes at the front already credited to the peer
  std::span<uint8_t> reader_;  ///< the buffer of the read_some() waiting for data
  size_t reader_filled_ = 0;   ///< bytes on_data() put into reader_
  transport::Notifier readable_;
  transport::Notifier writable_;
  bool fin_received_ = false;
  bool write_closed_ = false;
  bool failed_ = false;
  std::string error_;
};

}  // namespace prowl::swarm
