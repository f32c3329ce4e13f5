// A ByteStream made of two MemoryPipes, one per direction.
#pragma once

#include <memory>

#include "transports/core/transport.h"
#include "transports/memory/memory_pipe.h"

namespace prowl::transport {

/// One end of an in-memory connection.
class MemoryStream : public ByteStream {
 public:
  /// Reads from `in`, writes to `out`; the other end holds them the other way round.
  MemoryStream(std::shared_ptr<MemoryPipe> in, std::shared_ptr<MemoryPipe> out, multiaddr::Multiaddr local,
               multiaddr::Multiaddr remote);
  ~MemoryStream() override;

  boost::asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override;
  boost::asio::awaitable<void> write_all(std::span<const uint8_t> data) override;
  void close() noexcept override;
  const multiaddr::Multiaddr& remote_address() const noexcept override { return remote_; }
  const multiaddr::Multiaddr& local_address() const noexcept override { return local_; }

 private:
  std::shared_ptr<MemoryPipe> in_;
  std::shared_ptr<MemoryPipe> out_;
  multiaddr::Multiaddr local_;
  multiaddr::Multiaddr remote_;
};

}  // namespace prowl::transport
