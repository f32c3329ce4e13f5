#include "transports/tcp/tcp_stream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transports/core/io_error.h"
#include "transports/tcp/tcp_socket.h"

namespace prowl::transport {

namespace asio = boost::asio;

TcpStream::TcpStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
  boost::system::error_code ec;
  if (auto local = socket_.local_endpoint(ec); !ec) local_ = to_multiaddr(local);
  if (auto remote = socket_.remote_endpoint(ec); !ec) remote_ = to_multiaddr(remote);
}

asio::awaitable<size_t> TcpStream::read_some(std::span<uint8_t> buffer) {
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                                  asio::as_tuple(asio::use_awaitable));
  if (ec == asio::error::eof) co_return 0;
  if (ec) throw_io_error(ec, "tcp read");
  co_return n;
}

asio::awaitable<void> TcpStream::write_all(std::span<const uint8_t> data) {
  // async_write would cut the data into 64 KiB sends; one send takes what the kernel can.
  while (!data.empty()) {
    auto [ec, n] = co_await socket_.async_write_some(asio::buffer(data.data(), data.size()),
                                                     asio::as_tuple(asio::use_awaitable));
    if (ec) throw_io_error(ec, "tcp write");
    data = data.subspan(n);
  }
}

void TcpStream::close() noexcept {
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace prowl::transport
