#include "host/swarm/yamux_stream.h"

#include <algorithm>
#include <cstring>

#include "host/swarm/connection.h"

namespace prowl::swarm {

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
  for (auto& chunk : chunks_) connection_->recycle(std::move(chunk));
}

const identity::PeerId& YamuxStream::remote_peer() const noexcept { return connection_->remote_peer(); }

boost::asio::awaitable<size_t> YamuxStream::read_some(std::span<uint8_t> buffer) {
  for (;;) {
    if (failed_) throw StreamError(error_);
    if (!chunks_.empty()) {
      std::vector<uint8_t>& front = chunks_.front();
      const size_t n = std::min(buffer.size(), front.size() - offset_);
      std::memcpy(buffer.data(), front.data() + offset_, n);
      offset_ += n;
      if (offset_ == front.size()) {
        connection_->recycle(std::move(front));
        chunks_.pop_front();
        offset_ = 0;
      }
      const size_t already = std::min(n, preconsumed_);
      preconsumed_ -= already;
      if (n > already) connection_->consume(id_, n - already);
      co_return n;
    }
    if (fin_received_) co_return 0;
    co_await readable_.wait();
  }
}

boost::asio::awaitable<void> YamuxStream::write(std::span<const uint8_t> data) {
  while (!data.empty()) {
    if (failed_) throw StreamError(error_);
    if (write_closed_) throw StreamError("write on stream " + protocol_ + " after close_write");
    if (connection_->output_full()) {
      co_await connection_->wait_output_drained();
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
  fail("stream " + protocol_ + " was reset locally");
}

void YamuxStream::unread(std::vector<uint8_t> bytes) {
  if (bytes.empty()) return;
  if (offset_ > 0) {
    std::vector<uint8_t>& front = chunks_.front();
    front.erase(front.begin(), front.begin() + static_cast<ptrdiff_t>(offset_));
    offset_ = 0;
  }
  preconsumed_ += bytes.size();
  chunks_.push_front(std::move(bytes));
  readable_.notify();
}

void YamuxStream::on_data(std::vector<uint8_t>&& bytes) {
  if (failed_) {
    connection_->consume(id_, bytes.size());
    connection_->recycle(std::move(bytes));
    return;
  }
  chunks_.push_back(std::move(bytes));
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
