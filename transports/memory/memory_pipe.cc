#include "transports/memory/memory_pipe.h"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <cstring>

namespace prowl::transport {

namespace asio = boost::asio;

MemoryPipe::MemoryPipe(asio::any_io_executor reader, asio::any_io_executor writer, size_t capacity)
    : readable_(std::move(reader)), writable_(std::move(writer)), capacity_(capacity) {
  data_.reserve(capacity_);
}

asio::awaitable<size_t> MemoryPipe::read(std::span<uint8_t> buffer) {
  for (;;) {
    if (read_closed_) throw boost::system::system_error(asio::error::operation_aborted, "memory read");
    if (const size_t available = buffered(); available > 0) {
      const size_t n = std::min(available, buffer.size());
      std::memcpy(buffer.data(), data_.data() + head_, n);
      head_ += n;
      if (head_ == data_.size()) {
        data_.clear();
        head_ = 0;
      }
      writable_.notify();
      co_return n;
    }
    if (write_closed_) co_return 0;
    co_await readable_.wait();
  }
}

asio::awaitable<void> MemoryPipe::write(std::span<const uint8_t> data) {
  while (!data.empty()) {
    if (write_closed_) throw boost::system::system_error(asio::error::operation_aborted, "memory write");
    if (read_closed_) throw boost::system::system_error(asio::error::broken_pipe, "memory write");
    const size_t space = capacity_ - buffered();
    if (space == 0) {
      co_await writable_.wait();
      continue;
    }
    if (head_ > 0 && data_.size() + std::min(space, data.size()) > capacity_) {
      data_.erase(data_.begin(), data_.begin() + static_cast<ptrdiff_t>(head_));
      head_ = 0;
    }
    const size_t n = std::min(space, data.size());
    data_.insert(data_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(n));
    data = data.subspan(n);
    readable_.notify();
  }
}

void MemoryPipe::close_read() noexcept {
  read_closed_ = true;
  readable_.notify();
  writable_.notify();
}

void MemoryPipe::close_write() noexcept {
  write_closed_ = true;
  readable_.notify();
  writable_.notify();
}

}  // namespace prowl::transport
