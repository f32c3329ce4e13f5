#include "transports/memory/memory_stream.h"

namespace prowl::transport {

MemoryStream::MemoryStream(std::shared_ptr<MemoryPipe> in, std::shared_ptr<MemoryPipe> out,
                           multiaddr::Multiaddr local, multiaddr::Multiaddr remote)
    : in_(std::move(in)), out_(std::move(out)), local_(std::move(local)), remote_(std::move(remote)) {}

MemoryStream::~MemoryStream() { close(); }

boost::asio::awaitable<size_t> MemoryStream::read_some(std::span<uint8_t> buffer) {
  return in_->read(buffer);
}

boost::asio::awaitable<void> MemoryStream::write_all(std::span<const uint8_t> data) { return out_->write(data); }

void MemoryStream::close() noexcept {
  in_->close_read();
  out_->close_write();
}

}  // namespace prowl::transport
