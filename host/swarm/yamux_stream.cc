#include "host/swarm/yamux_stream.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "host/swarm/connection.h"

namespace prowl::swarm {
namespace {

// A drained read buffer keeps at most this much memory.
constexpr size_t kKeptBufferBytes = 256 * 1024;

}  // namespace

YamuxStream::YamuxStream(std::shared_ptr<Connection> connection, yamux::StreamId id, bool outbound)
    : connection_(std::move(connection)),
      id_(id),
      outbound_(outbound),
      readable_(connection_->executor()),
      writable_(connection_->executor()) {}

YamuxStream::~YamuxStream() {
  // A stream dropped with our side still open was abandoned: tell the peer.
  if (!failed_ && !write_closed_) connection_->reset_stream(id_);
  connection_->forget(*this);
}

const identity::PeerId& YamuxStream::remote_peer() const noexcept { return connection_->remote_peer(); }

boost::asio::awaitable<size_t> YamuxStream::read_some(std::span<uint8_t> buffer) {
  for (;;) {
    // Bytes that arrived before a peer's reset stay readable: peers (js-libp2p's
    // kad-dht among them) answer a request and then reset the stream.
    if (offset_ < buffered_.size()) {
      const size_t n = std::min(buffer.size(), buffered_.size() - offset_);
      std::memcpy(buffer.data(), buffered_.data() + offset_, n);
      offset_ += n;
      if (offset_ == buffered_.size()) {  // drained: keep the memory unless a backlog made it large
        if (buffered_.capacity() > kKeptBufferBytes) buffered_ = {};
        buffered_.clear();
        offset_ = 0;
      }
      co_return deliver(n);
    }
    if (failed_) throw StreamError(error_);
    if (fin_received_) co_return 0;
    // Park with the buffer exposed: arriving data is copied straight into it.
    reader_ = buffer;
    reader_filled_ = 0;
    try {
      co_await readable_.wait();
    } catch (...) {  // cancelled: keep what already arrived for the next read
      buffered_.insert(buffered_.begin(), reader_.begin(), reader_.begin() + static_cast<ptrdiff_t>(reader_filled_));
      reader_ = {};
      reader_filled_ = 0;
      throw;
    }
    reader_ = {};
    if (const size_t n = std::exchange(reader_filled_, 0); n > 0) co_return deliver(n);
  }
}

size_t YamuxStream::deliver(size_t n) {
  const size_t already = std::min(n, preconsumed_);
  preconsumed_ -= already;
  if (n > already) connection_->consume(id_, n - already);
  return n;
}

boost::asio::awaitable<void> YamuxStream::write(std::span<const uint8_t> data) {
  bool drained = false;  // after waiting for a drain, write at once: a bulk writer woken first cannot starve us
  while (!data.empty()) {
    if (failed_) throw StreamError(error_);
    if (write_closed_) throw StreamError("write on stream " + protocol_ + " after close_write");
    if (!std::exchange(drained, false) && connection_->output_full()) {
      co_await connection_->wait_output_drained();
      drained = true;
      continue;
    }
    const size_t n = connection_->write(id_, data);
    data = data.subspan(n);
    if (n == 0) {
      if (!connection_->stream_writable(id_)) fail("stream " + protocol_ + " can no longer be written");
      else co_await writable_.wait();
    }
  }
}

boost::asio::awaitable<void> YamuxStream::close_write() {
  if (failed_) throw StreamError(error_);
  if (write_closed_) co_return;
  write_closed_ = true;
  connection_->close_write(id_);
  co_return;
}

void YamuxStream::reset() noexcept {
  if (failed_) return;
  connection_->reset_stream(id_);
  buffered_ = {};  // our own reset discards what was not read
  offset_ = 0;
  fail("stream " + protocol_ + " was reset locally");
}

void YamuxStream::unread(std::vector<uint8_t> bytes) {
  if (bytes.empty()) return;
  buffered_.erase(buffered_.begin(), buffered_.begin() + static_cast<ptrdiff_t>(offset_));
  offset_ = 0;
  preconsumed_ += bytes.size();
  buffered_.insert(buffered_.begin(), bytes.begin(), bytes.end());
  readable_.notify();
}

std::span<uint8_t> YamuxStream::read_room() const noexcept {
  if (failed_ || offset_ < buffered_.size()) return {};
  return reader_.subspan(reader_filled_);
}

void YamuxStream::on_data(std::span<const uint8_t> bytes) {
  if (failed_) {
    connection_->consume(id_, bytes.size());
    return;
  }
  if (reader_filled_ < reader_.size()) {
    const size_t n = std::min(bytes.size(), reader_.size() - reader_filled_);
    // Payload routed into read_room() is normally already in place; move
    // rather than copy in case it lies elsewhere in the reader's buffer.
    uint8_t* to = reader_.data() + reader_filled_;
    if (bytes.data() != to) std::memmove(to, bytes.data(), n);
    reader_filled_ += n;
    bytes = bytes.subspan(n);
  }
  if (!bytes.empty()) {
    if (offset_ > 0 && offset_ >= buffered_.size() / 2) {  // drop the read prefix before growing
      buffered_.erase(buffered_.begin(), buffered_.begin() + static_cast<ptrdiff_t>(offset_));
      offset_ = 0;
    }
    buffered_.insert(buffered_.end(), bytes.begin(), bytes.end());
  }
  readable_.notify();
}

void YamuxStream::on_fin() {
  fin_received_ = true;
  readable_.notify();
}

void YamuxStream::on_reset() { fail("stream " + protocol_ + " was reset by the peer"); }

void YamuxStream::on_writable() { writable_.notify(); }

void YamuxStream::on_connection_closed(const std::string& reason) {
  if (!failed_) fail("connection lost: " + reason);
}

void YamuxStream::fail(std::string error) {
  failed_ = true;
  error_ = std::move(error);
  readable_.notify();
  writable_.notify();
}

}  // namespace prowl::swarm
