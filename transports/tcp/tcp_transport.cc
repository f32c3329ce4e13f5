#include "transports/tcp/tcp_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transports/core/io_error.h"
#include "transports/tcp/tcp_socket.h"
#include "transports/tcp/tcp_stream.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

class TcpListener : public Listener {
 public:
  explicit TcpListener(asio::ip::tcp::acceptor acceptor)
      : acceptor_(std::move(acceptor)), address_(to_multiaddr(acceptor_.local_endpoint())) {}

  asio::awaitable<std::unique_ptr<ByteStream>> accept() override {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) throw_io_error(ec, "tcp accept on " + address_.to_string());
    tune_socket(socket);
    co_return std::make_unique<TcpStream>(std::move(socket));
  }

  const multiaddr::Multiaddr& address() const noexcept override { return address_; }

  void close() noexcept override {
    boost::system::error_code ec;
    acceptor_.close(ec);
  }

 private:
  asio::ip::tcp::acceptor acceptor_;
  multiaddr::Multiaddr address_;
};

}  // namespace

TcpTransport::TcpTransport(asio::any_io_executor executor) : executor_(std::move(executor)) {}

bool TcpTransport::handles(const multiaddr::Multiaddr& address) const { return is_tcp_address(address, 0); }

asio::awaitable<std::unique_ptr<ByteStream>> TcpTransport::dial(const multiaddr::Multiaddr& address) {
  co_return std::make_unique<TcpStream>(co_await connect_tcp(address));
}

std::unique_ptr<Listener> TcpTransport::listen(const multiaddr::Multiaddr& address) {
  return std::make_unique<TcpListener>(bind_tcp(executor_, address));
}

}  // namespace prowl::transport
