#include "host/swarm/connection.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>

#include "host/base/identity/key_pair.h"
#include "host/swarm/yamux_stream.h"
#include "transports/memory/memory_pipe.h"
#include "transports/memory/memory_stream.h"

namespace prowl::swarm {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const noise::Aead::Key kKeyAtoB{0x1a};
const noise::Aead::Key kKeyBtoA{0x2b};

multiaddr::Multiaddr addr(const std::string& text) { return *multiaddr::Multiaddr::parse(text); }

identity::PeerId some_peer() { return identity::PeerId::from_public_key(identity::KeyPair::generate().public_key()); }

// Two Connections joined by in-memory pipes, with fixed Noise keys.
class ConnectionTest : public ::testing::Test {
 protected:
  void connect(Connection::Options a_options, Connection::Options b_options, size_t pipe_bytes) {
    auto a_to_b = std::make_shared<transport::MemoryPipe>(io_.get_executor(), io_.get_executor(), pipe_bytes);
    auto b_to_a = std::make_shared<transport::MemoryPipe>(io_.get_executor(), io_.get_executor(), pipe_bytes);
    const auto a_addr = addr("/ip4/127.0.0.1/tcp/1");
    const auto b_addr = addr("/ip4/127.0.0.1/tcp/2");
    a_ = std::make_shared<Connection>(
        io_.get_executor(), std::make_unique<transport::MemoryStream>(b_to_a, a_to_b, a_addr, b_addr),
        noise::SecureChannel(noise::CipherState(kKeyAtoB), noise::CipherState(kKeyBtoA)), std::vector<uint8_t>{},
        some_peer(), /*outbound=*/true, a_options);
    b_ = std::make_shared<Connection>(
        io_.get_executor(), std::make_unique<transport::MemoryStream>(a_to_b, b_to_a, b_addr, a_addr),
        noise::SecureChannel(noise::CipherState(kKeyBtoA), noise::CipherState(kKeyAtoB)), std::vector<uint8_t>{},
        some_peer(), /*outbound=*/false, b_options);
  }

  // Runs the loop until `done` or a deadline; false on the deadline.
  bool run_until(const std::function<bool()>& done, std::chrono::seconds limit = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
    return done();
  }

  void TearDown() override {
    if (a_) a_->close("test over");
    if (b_) b_->close("test over");
    io_.restart();
    io_.poll();
  }

  asio::io_context io_;
  std::shared_ptr<Connection> a_;
  std::shared_ptr<Connection> b_;
};

// A bulk writer must not starve a small writer on the same connection: when
// the output drains, both are woken; the bulk writer, woken first, fills the
// output again at once, and a small writer that then found the output full
// and waited again would wait until the bulk writer ran out of data.
TEST_F(ConnectionTest, BulkWriterDoesNotStarveASmallWriter) {
  constexpr size_t kBulkBytes = 48 << 20;
  Connection::Options receiver;
  receiver.initial_window = 16 << 20;  // the bulk writer never waits for window
  connect({}, receiver, 256 * 1024);

  // b: the first inbound stream is the bulk one, the second the small one.
  // Each first says "ready" (one byte), so its writer knows the window grant arrived.
  size_t bulk_received = 0;
  std::optional<size_t> bulk_received_when_small_arrived;
  std::vector<std::shared_ptr<YamuxStream>> inbound;
  auto bulk_reader = [&](std::shared_ptr<YamuxStream> stream) -> asio::awaitable<void> {
    const uint8_t ready = 1;
    co_await stream->write(std::span(&ready, 1));
    std::vector<uint8_t> buffer(256 * 1024);
    while (size_t n = co_await stream->read_some(buffer)) bulk_received += n;
  };
  auto small_reader = [&](std::shared_ptr<YamuxStream> stream) -> asio::awaitable<void> {
    const uint8_t ready = 1;
    co_await stream->write(std::span(&ready, 1));
    uint8_t message[100];
    co_await stream->read_exact(message);
    bulk_received_when_small_arrived = bulk_received;
  };
  b_->start(
      [&](std::shared_ptr<YamuxStream> stream) {
        inbound.push_back(stream);
        if (inbound.size() == 1) asio::co_spawn(io_, bulk_reader(stream), asio::detached);
        else asio::co_spawn(io_, small_reader(stream), asio::detached);
      },
      [](Connection&, const std::string&) {});
  a_->start([](std::shared_ptr<YamuxStream>) {}, [](Connection&, const std::string&) {});

  std::shared_ptr<YamuxStream> bulk, small;
  bool ready = false;
  auto open_both = [&]() -> asio::awaitable<void> {
    bulk = co_await a_->open_stream();
    small = co_await a_->open_stream();
    uint8_t byte = 0;
    co_await bulk->read_exact(std::span(&byte, 1));
    co_await small->read_exact(std::span(&byte, 1));
    ready = true;
  };
  asio::co_spawn(io_, open_both(), asio::detached);
  ASSERT_TRUE(run_until([&] { return ready; }));

  // The bulk writer starts first and so waits first for every drain.
  const std::vector<uint8_t> bulk_data(kBulkBytes, 0xb0);
  bool bulk_done = false;
  bool small_done = false;
  auto write_bulk = [&]() -> asio::awaitable<void> {
    co_await bulk->write(bulk_data);
    co_await bulk->close_write();
    bulk_done = true;
  };
  auto write_small = [&]() -> asio::awaitable<void> {
    const std::vector<uint8_t> message(100, 0x5a);
    co_await small->write(message);
    small_done = true;
  };
  asio::co_spawn(io_, write_bulk(), asio::detached);
  asio::co_spawn(io_, write_small(), asio::detached);
  ASSERT_TRUE(run_until([&] { return bulk_done && small_done && bulk_received_when_small_arrived.has_value(); }));
  // The small message went out within the first few output batches (1 MiB
  // each), long before the bulk writer finished.
  EXPECT_LT(*bulk_received_when_small_arrived, size_t{8} << 20);
  EXPECT_TRUE(run_until([&] { return bulk_received == kBulkBytes; }));
}

uint8_t pattern_byte(size_t stream, size_t i) { return static_cast<uint8_t>(i * (2 * stream + 1) + (i >> 11)); }

// Payload is decrypted straight into a waiting reader's buffer where it fits
// and in place otherwise; whatever the reader's buffer size, the write sizes
// (small ones are gathered by the session) and the interleaving of streams,
// every reader gets exactly its stream's bytes in order.
TEST_F(ConnectionTest, InterleavedStreamsArriveIntactWhateverTheReadSizes) {
  constexpr size_t kStreams = 4;
  constexpr size_t kBytes = 3 << 20;
  const size_t read_sizes[kStreams] = {1, 999, 70001, 400000};
  connect({}, {}, 200000);
  size_t intact = 0;
  std::vector<std::shared_ptr<YamuxStream>> inbound;
  auto reader = [&](std::shared_ptr<YamuxStream> stream, size_t index) -> asio::awaitable<void> {
    std::vector<uint8_t> buffer(read_sizes[index]);
    size_t received = 0;
    bool good = true;
    while (size_t n = co_await stream->read_some(buffer)) {
      for (size_t i = 0; i < n; ++i) good = good && buffer[i] == pattern_byte(index, received + i);
      received += n;
    }
    if (good && received == kBytes) ++intact;
  };
  b_->start(
      [&](std::shared_ptr<YamuxStream> stream) {
        inbound.push_back(stream);
        asio::co_spawn(io_, reader(stream, inbound.size() - 1), asio::detached);
      },
      [](Connection&, const std::string&) {});
  a_->start([](std::shared_ptr<YamuxStream>) {}, [](Connection&, const std::string&) {});

  size_t written = 0;
  auto writer = [&](size_t index) -> asio::awaitable<void> {
    auto stream = co_await a_->open_stream();
    std::vector<uint8_t> data(kBytes);
    for (size_t i = 0; i < kBytes; ++i) data[i] = pattern_byte(index, i);
    // Writes of 3, 500, 70000 and 200000 bytes in turn.
    const size_t sizes[] = {3, 500, 70000, 200000};
    for (size_t at = 0, k = index; at < kBytes; ++k) {
      const size_t n = std::min(sizes[k % 4], kBytes - at);
      co_await stream->write(std::span(data).subspan(at, n));
      at += n;
    }
    co_await stream->close_write();
    ++written;
  };
  for (size_t i = 0; i < kStreams; ++i) asio::co_spawn(io_, writer(i), asio::detached);
  ASSERT_TRUE(run_until([&] { return written == kStreams && intact == kStreams; }));
}

}  // namespace
}  // namespace prowl::swarm
