// One direction of an in-memory byte stream: a bounded buffer whose writer
// waits while it is full (backpressure) and whose reader waits while it is empty.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transports/core/notifier.h"

namespace prowl::transport {

/// Not thread-safe: the reader's and the writer's executors must run on one thread.
class MemoryPipe {
 public:
  /// Buffers at most `capacity` bytes (REQUIRES: capacity > 0).
  MemoryPipe(boost::asio::any_io_executor reader, boost::asio::any_io_executor writer, size_t capacity);

  /// Reads at least one byte; 0 once the writer closed and the buffer is
  /// drained. Throws system_error(operation_aborted) after close_read().
  boost::asio::awaitable<size_t> read(std::span<uint8_t> buffer);

  /// Writes all of `data`, waiting for space. Throws system_error:
  /// operation_aborted after close_write(), broken_pipe after close_read().
  boost::asio::awaitable<void> write(std::span<const uint8_t> data);

  /// The reading end is gone: pending and later writes fail.
  void close_read() noexcept;

  /// The writing end is gone: the reader sees end of stream after the buffered bytes.
  void close_write() noexcept;

  /// Bytes buffered and not yet read.
  size_t buffered() const noexcept { return data_.size() - head_; }

 private:
  Notifier readable_;
  Notifier writable_;
  size_t capacity_;
  std::vector<uint8_t> data_;
  size_t head_ = 0;  ///< bytes of data_ already read
  bool read_closed_ = false;
  bool write_closed_ = false;
};

}  // namespace prowl::transport
