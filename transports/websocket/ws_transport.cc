#include "transports/websocket/ws_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <stdexcept>
#include <string>

#include "host/base/multiaddr/protocol.h"
#include "transports/core/io_error.h"
#include "transports/core/notifier.h"
#include "transports/tcp/tcp_socket.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using WsStream = websocket::stream<tcp::socket>;

// Inbound connections whose WebSocket upgrade must finish within this time.
constexpr std::chrono::seconds kHandshakeTimeout{10};
// Upgraded connections waiting for accept(); more are dropped.
constexpr size_t kBacklog = 64;

void configure(WsStream& ws) {
  ws.binary(true);
  ws.auto_fragment(false);
  ws.read_message_max(WebSocketTransport::kMaxMessageBytes);
}

class WebSocketStream : public ByteStream {
 public:
  explicit WebSocketStream(WsStream ws) : ws_(std::move(ws)) {
    boost::system::error_code ec;
    auto& socket = boost::beast::get_lowest_layer(ws_);
    if (auto local = socket.local_endpoint(ec); !ec) local_ = to_multiaddr(local, /*websocket=*/true);
    if (auto remote = socket.remote_endpoint(ec); !ec) remote_ = to_multiaddr(remote, /*websocket=*/true);
  }

  asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override {
    for (;;) {
      auto [ec, n] = co_await ws_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                                  asio::as_tuple(asio::use_awaitable));
      if (ec == websocket::error::closed || ec == asio::error::eof) co_return 0;
      if (ec) throw_io_error(ec, "websocket read");
      if (n > 0) co_return n;  // an empty message carries nothing; read on
    }
  }

  asio::awaitable<void> write_all(std::span<const uint8_t> data) override {
    while (!data.empty()) {
      const size_t n = std::min(data.size(), WebSocketTransport::kMaxWriteMessageBytes);
      auto [ec, written] = co_await ws_.async_write(asio::buffer(data.data(), n), asio::as_tuple(asio::use_awaitable));
      if (ec) throw_io_error(ec, "websocket write");
      data = data.subspan(n);
    }
  }

  void close() noexcept override {
    boost::system::error_code ec;
    auto& socket = boost::beast::get_lowest_layer(ws_);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }

  const multiaddr::Multiaddr& remote_address() const noexcept override { return remote_; }
  const multiaddr::Multiaddr& local_address() const noexcept override { return local_; }

 private:
  WsStream ws_;
  multiaddr::Multiaddr local_;
  multiaddr::Multiaddr remote_;
};

// Accepts TCP connections and upgrades each in its own coroutine, so a slow
// client cannot hold up the others; finished ones queue for accept().
class WebSocketListener : public Listener {
 public:
  WebSocketListener(asio::any_io_executor executor, tcp::acceptor acceptor)
      : state_(std::make_shared<State>(executor, std::move(acceptor))) {
    asio::co_spawn(executor, accept_loop(state_), asio::detached);
  }
  ~WebSocketListener() override { close(); }

  asio::awaitable<std::unique_ptr<ByteStream>> accept() override {
    auto state = state_;
    for (;;) {
      if (state->closed) throw boost::system::system_error(asio::error::operation_aborted, "websocket accept");
      if (!state->queue.empty()) {
        auto stream = std::move(state->queue.front());
        state->queue.pop_front();
        co_return stream;
      }
      co_await state->arrived.wait();
    }
  }

  const multiaddr::Multiaddr& address() const noexcept override { return state_->address; }

  void close() noexcept override {
    if (state_->closed) return;
    state_->closed = true;
    boost::system::error_code ec;
    state_->acceptor.close(ec);
    state_->queue.clear();
    state_->arrived.notify();
  }

 private:
  struct State {
    State(asio::any_io_executor executor, tcp::acceptor a)
        : acceptor(std::move(a)), address(to_multiaddr(acceptor.local_endpoint(), true)), arrived(executor) {}
    tcp::acceptor acceptor;
    multiaddr::Multiaddr address;
    Notifier arrived;
    std::deque<std::unique_ptr<ByteStream>> queue;
    bool closed = false;
  };

  static asio::awaitable<void> accept_loop(std::shared_ptr<State> state) {
    while (!state->closed) {
      auto [ec, socket] = co_await state->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (state->closed) co_return;
        continue;  // e.g. the peer gave up before accept; keep serving
      }
      tune_socket(socket);
      asio::co_spawn(state->acceptor.get_executor(), upgrade(state, std::move(socket)), asio::detached);
    }
  }

  static asio::awaitable<void> upgrade(std::shared_ptr<State> state, tcp::socket socket) {
    WsStream ws(std::move(socket));
    configure(ws);
    asio::steady_timer deadline(state->acceptor.get_executor(), kHandshakeTimeout);
    deadline.async_wait([&ws](boost::system::error_code ec) {
      if (!ec) boost::beast::get_lowest_layer(ws).close(ec);
    });
    auto [ec] = co_await ws.async_accept(asio::as_tuple(asio::use_awaitable));
    deadline.cancel();
    if (ec || state->closed || state->queue.size() >= kBacklog) co_return;
    state->queue.push_back(std::make_unique<WebSocketStream>(std::move(ws)));
    state->arrived.notify();
  }

  std::shared_ptr<State> state_;
};

}  // namespace

WebSocketTransport::WebSocketTransport(asio::any_io_executor executor) : executor_(std::move(executor)) {}

bool WebSocketTransport::handles(const multiaddr::Multiaddr& address) const {
  return is_tcp_address(address, multiaddr::kWs);
}

asio::awaitable<std::unique_ptr<ByteStream>> WebSocketTransport::dial(const multiaddr::Multiaddr& address) {
  const auto target = address.tcp_endpoint();
  if (!target || !handles(address)) throw std::runtime_error(address.to_string() + ": not a /ws address");
  WsStream ws(co_await connect_tcp(address));
  configure(ws);
  const bool ip6 = target->host_protocol == multiaddr::kIp6;
  const std::string host = (ip6 ? "[" + target->host + "]" : target->host) + ":" + std::to_string(target->port);
  auto [ec] = co_await ws.async_handshake(host, "/", asio::as_tuple(asio::use_awaitable));
  if (ec) throw std::runtime_error(address.to_string() + ": websocket handshake failed: " + ec.message());
  co_return std::make_unique<WebSocketStream>(std::move(ws));
}

std::unique_ptr<Listener> WebSocketTransport::listen(const multiaddr::Multiaddr& address) {
  if (!handles(address)) throw std::runtime_error(address.to_string() + ": not a /ws address");
  return std::make_unique<WebSocketListener>(executor_, bind_tcp(executor_, address));
}

}  // namespace prowl::transport
