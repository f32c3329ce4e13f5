// Hostile peers against a host on real loopback sockets: each test scripts
// one attack from issue 14's probe and checks three things while it runs:
// the host's memory stays bounded, the attacker is cut off or throttled,
// and an honest peer still gets a ping round trip through. Each prints its
// figures as one "[hostile]" line (docs/reliability.md collects them).
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <type_traits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "host/base/encoding/varint.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/services/protocols/ping/ping.h"
#include "host/swarm/swarm.h"
#include "host/wire/identify/peer_store.h"
#include "host/wire/multistream/message.h"
#include "tests/hostile/raw_peer.h"
#include "transports/tcp/tcp_transport.h"

namespace prowl::hostile {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr size_t kMiB = 1024 * 1024;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class HostileTest : public ::testing::Test {
 protected:
  // The host under attack: ping and identify (+ push) served, listening on loopback.
  void start_host(swarm::SwarmConfig config) {
    host_ = std::make_unique<swarm::Swarm>(io_.get_executor(), identity::KeyPair::generate(), config);
    host_->add_transport(std::make_unique<transport::TcpTransport>(io_.get_executor()));
    host_->set_handler(std::string(protocols::kPingProtocol),
                       [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                         co_await protocols::serve_ping(*stream);
                       });
    identify_ = std::make_unique<protocols::IdentifyService>(*host_, peers_, "hostile-test-host");
    identify_->install();
    address_ = run(host_->listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")), 5s);
    honest_ = std::make_unique<swarm::Swarm>(io_.get_executor(), identity::KeyPair::generate(), swarm::SwarmConfig{});
    honest_->add_transport(std::make_unique<transport::TcpTransport>(io_.get_executor()));
    baseline_ = peak_ = resident_bytes();
    asio::co_spawn(io_, sample_memory(), asio::detached);
  }

  void TearDown() override {
    sampling_ = false;
    honest_.reset();
    identify_.reset();
    host_.reset();
    run_for(50ms);
  }

  // Runs the loop until `task` finishes or `limit` passes (then throws).
  template <typename T>
  T run(asio::awaitable<T> task, std::chrono::milliseconds limit) {
    auto state = std::make_shared<RunState<T>>();  // the task may outlive a timeout
    asio::co_spawn(io_, wrap(std::move(task), state), asio::detached);
    const auto until = Clock::now() + limit;
    while (!state->done && Clock::now() < until) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
    if (state->error) std::rethrow_exception(state->error);
    if (!state->done) throw std::runtime_error("test task did not finish in time");
    if constexpr (!std::is_void_v<T>) return std::move(*state->result);
  }

  template <typename T>
  struct RunState {
    bool done = false;
    std::exception_ptr error;
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
  };

  template <typename T>
  static asio::awaitable<void> wrap(asio::awaitable<T> task, std::shared_ptr<RunState<T>> state) {
    try {
      if constexpr (std::is_void_v<T>) {
        co_await std::move(task);
      } else {
        state->result.emplace(co_await std::move(task));
      }
    } catch (...) {
      state->error = std::current_exception();
    }
    state->done = true;
  }

  void run_for(std::chrono::milliseconds time) {
    const auto until = Clock::now() + time;
    while (Clock::now() < until) {
      if (io_.stopped()) io_.restart();
      io_.run_one_until(until);
    }
  }

  void run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (!done() && Clock::now() < until) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
  }

  // Samples the process's RSS and the host's own queue counters.
  asio::awaitable<bool> sample_memory() {
    asio::steady_timer timer(io_);
    while (sampling_) {
      peak_ = std::max(peak_, resident_bytes());
      if (host_)
        for (const auto& info : host_->connections())
          peak_control_queue_ = std::max(peak_control_queue_, info.queued_control_bytes);
      timer.expires_after(5ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return true;
  }

  // The peak resident growth since the host started, in MiB.
  double peak_growth_mib() const { return static_cast<double>(peak_ - std::min(peak_, baseline_)) / kMiB; }

  // An honest peer: dials the host and times one ping round trip.
  // Returns the round trip in ms, or nullopt with `*error` set.
  std::optional<double> honest_ping(std::string* error, std::chrono::milliseconds limit = 5s) {
    try {
      return run(ping_once(), limit);
    } catch (const std::exception& e) {
      *error = e.what();
      return std::nullopt;
    }
  }

  asio::awaitable<double> ping_once() {
    const identity::PeerId peer = co_await honest_->dial(address_);
    const std::vector<std::string> wanted{std::string(protocols::kPingProtocol)};
    auto stream = co_await honest_->open_stream(peer, wanted);
    protocols::PingClient client(*stream);
    const auto rtt = co_await client.round_trip();
    co_await client.finish();
    co_return std::chrono::duration<double, std::milli>(rtt).count();
  }

  // Waits until the host closes `socket` (which never writes); counts it in `*closed`.
  static asio::awaitable<void> watch(std::shared_ptr<asio::ip::tcp::socket> socket, size_t* closed) {
    uint8_t byte = 0;
    auto [ec, n] = co_await socket->async_read_some(asio::buffer(&byte, 1), asio::as_tuple(asio::use_awaitable));
    if (ec != asio::error::operation_aborted) ++*closed;
  }

  // The host's live connection from `peer`, if any.
  std::optional<swarm::ConnectionInfo> host_connection(const identity::PeerId& peer) const {
    for (const auto& info : host_->connections())
      if (info.peer == peer) return info;
    return std::nullopt;
  }

  std::unique_ptr<RawPeer> attack_connection() { return run(RawPeer::connect(io_.get_executor(), address_), 5s); }

  asio::io_context io_;
  protocols::PeerStore peers_;
  std::unique_ptr<swarm::Swarm> host_;
  std::unique_ptr<protocols::IdentifyService> identify_;
  std::unique_ptr<swarm::Swarm> honest_;
  multiaddr::Multiaddr address_;
  size_t baseline_ = 0;
  size_t peak_ = 0;
  size_t peak_control_queue_ = 0;  // the most Yamux control bytes any host connection had queued
  bool sampling_ = true;
};

// Hole 1: Yamux pings sent without ever reading the replies. The host must
// not queue replies without end: it cuts such a peer off. The attacker
// reconnects and floods again for the whole attack, as a real one would.
TEST_F(HostileTest, PingFloodWithoutReadingIsCutOff) {
  start_host({});
  std::vector<uint8_t> batch;
  for (uint32_t i = 0; i < 5000; ++i) append_frame(batch, yamux::FrameType::kPing, yamux::kFlagSyn, 0, i);
  const auto start = Clock::now();
  const auto attack_ends = start + 5s;
  size_t connections = 0;
  size_t cut_off = 0;
  uint64_t sent = 0;
  bool flooding = true;
  auto flood = [&]() -> asio::awaitable<bool> {
    while (Clock::now() < attack_ends) {
      std::unique_ptr<RawPeer> attacker = co_await RawPeer::connect(io_.get_executor(), address_);
      ++connections;
      try {
        while (Clock::now() < attack_ends) {
          co_await attacker->send(batch);  // and never read
          sent += batch.size();
        }
      } catch (const std::exception&) {
        ++cut_off;
      }
    }
    flooding = false;
    co_return true;
  };
  asio::co_spawn(io_, flood(), asio::detached);
  run_for(1500ms);
  std::string error;
  const std::optional<double> rtt = honest_ping(&error);
  const bool during = flooding;
  run_until([&] { return !flooding; }, 8s);
  std::printf("[hostile] ping_flood: %.0f MB of pings in %.1f s over %zu connection(s), %zu cut off; "
              "peak control queue %.2f MiB; peak RSS growth %.1f MiB; honest ping %s%s\n",
              static_cast<double>(sent) / 1e6, seconds_since(start), connections, cut_off,
              static_cast<double>(peak_control_queue_) / kMiB, peak_growth_mib(),
              rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str(),
              during ? " (during the flood)" : "");
  EXPECT_GE(cut_off, 1u) << "the host never cut off a peer that does not read its ping replies";
  EXPECT_LT(peak_growth_mib(), 64.0) << "the host queued the replies";
  // The check runs after each read of at most 256 KiB (12-byte pings, 12-byte replies).
  EXPECT_LE(peak_control_queue_, swarm::SwarmConfig{}.max_queued_control_bytes + 256 * 1024);
  EXPECT_TRUE(rtt.has_value()) << error;
  EXPECT_TRUE(during);
}

// Hole 2: sockets that connect and never speak fill the pending handshakes.
// A new honest peer must still get in, and the stalled sockets are evicted.
TEST_F(HostileTest, StalledHandshakesDoNotLockOutHonestPeers) {
  swarm::SwarmConfig config;  // 64 pending handshakes, 10 s to finish one
  start_host(config);
  const auto endpoint = address_.tcp_endpoint();
  ASSERT_TRUE(endpoint);
  const asio::ip::tcp::endpoint target(asio::ip::make_address(endpoint->host), endpoint->port);
  std::vector<std::shared_ptr<asio::ip::tcp::socket>> sockets;
  size_t evicted = 0;
  bool attacking = true;
  bool attack_done = false;
  auto open_one = [&]() -> asio::awaitable<void> {
    auto socket = std::make_shared<asio::ip::tcp::socket>(io_);
    co_await socket->async_connect(target, asio::use_awaitable);
    sockets.push_back(socket);
    asio::co_spawn(io_, watch(socket, &evicted), asio::detached);
  };
  auto attack = [&]() -> asio::awaitable<bool> {
    for (size_t i = 0; i < config.max_pending_handshakes; ++i) co_await open_one();
    asio::steady_timer timer(io_);
    while (attacking) {  // then ~10 new sockets a second, more than enough to keep the old limit full
      timer.expires_after(100ms);
      co_await timer.async_wait(asio::use_awaitable);
      co_await open_one();
    }
    attack_done = true;
    co_return true;
  };
  const auto start = Clock::now();
  asio::co_spawn(io_, attack(), asio::detached);
  run_until([&] { return sockets.size() >= config.max_pending_handshakes; }, 5s);
  run_for(300ms);
  std::string error;
  const std::optional<double> rtt = honest_ping(&error);
  run_for(500ms);
  attacking = false;
  run_until([&] { return attack_done; }, 2s);
  const swarm::HandshakeStats stats = host_->handshake_stats();
  const size_t still_open = sockets.size() - evicted;
  std::printf("[hostile] handshake_lockout: %zu stalled sockets in %.1f s, %zu evicted, %zu still pending "
              "(host: %zu pending, %llu evicted); peak RSS growth %.1f MiB; honest ping %s\n",
              sockets.size(), seconds_since(start), evicted, still_open, stats.pending,
              static_cast<unsigned long long>(stats.evicted), peak_growth_mib(),
              rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str());
  EXPECT_TRUE(rtt.has_value()) << "an honest peer was locked out: " << error;
  EXPECT_LE(still_open, 16u) << "stalled sockets from one address keep their handshake slots";
  EXPECT_LE(stats.pending, config.max_pending_handshakes_per_address);
  EXPECT_GE(stats.evicted + 1, sockets.size() - config.max_pending_handshakes_per_address);  // the newest may not be accepted yet
  EXPECT_LT(peak_growth_mib(), 32.0);
  for (auto& socket : sockets) socket->close();
}

// Hole 3a: an identify push declaring 1 GiB. The host must refuse it from the
// length prefix: reset the stream before taking more than the initial window;
// and when the attacker ignores the reset and keeps sending the body, the
// host must not read on: past the window the stream had left it ends the
// session with a GoAway.
TEST_F(HostileTest, OversizedIdentifyPushIsRefusedFromItsLengthPrefix) {
  start_host({});
  std::unique_ptr<RawPeer> attacker = attack_connection();
  const yamux::StreamId id = 1;
  std::vector<uint8_t> head;
  multistream::append_message(head, multistream::kProtocolId);
  multistream::append_message(head, protocols::kIdentifyPushProtocol);
  encoding::append_varint(head, uint64_t{1} << 30);
  std::vector<uint8_t> open;
  append_frame(open, yamux::FrameType::kWindowUpdate, yamux::kFlagSyn, id, 0);
  append_frame(open, yamux::FrameType::kData, 0, id, static_cast<uint32_t>(head.size()));
  open.insert(open.end(), head.begin(), head.end());
  uint64_t sent = head.size();
  uint64_t window = yamux::kSpecInitialWindow;
  bool reset = false;
  size_t seen = 0;
  const std::vector<uint8_t> body(16 * 1024, 0x55);
  const auto start = Clock::now();
  auto attack = [&]() -> asio::awaitable<bool> {
    co_await attacker->send(open);
    while (!reset && !attacker->closed() && Clock::now() < start + 4s) {
      if (sent + body.size() <= window) {
        std::vector<uint8_t> frame;
        append_frame(frame, yamux::FrameType::kData, 0, id, static_cast<uint32_t>(body.size()));
        frame.insert(frame.end(), body.begin(), body.end());
        co_await attacker->send(frame);
        sent += body.size();
      }
      co_await attacker->receive(20ms);
      for (; seen < attacker->frames().size(); ++seen) {
        const yamux::FrameHeader& h = attacker->frames()[seen];
        if (h.stream_id != id) continue;
        if (h.flags & yamux::kFlagRst) reset = true;
        if (h.type == yamux::FrameType::kWindowUpdate) window += h.length;
      }
    }
    co_return true;
  };
  run(attack(), 8s);
  const double took = seconds_since(start);
  // Ignore the reset and the window: keep pushing the body.
  uint64_t after_reset = 0;
  auto push_on = [&]() -> asio::awaitable<bool> {
    std::vector<uint8_t> frame;
    const std::vector<uint8_t> chunk(64 * 1024, 0x66);
    append_frame(frame, yamux::FrameType::kData, 0, id, static_cast<uint32_t>(chunk.size()));
    frame.insert(frame.end(), chunk.begin(), chunk.end());
    try {
      while (Clock::now() < start + 4s) {
        co_await attacker->send(frame);
        after_reset += chunk.size();
      }
    } catch (const std::exception&) {
    }
    co_return true;
  };
  run(push_on(), 8s);
  run(attacker->receive(1s), 5s);
  std::optional<uint32_t> go_away;
  for (const auto& h : attacker->frames())
    if (h.type == yamux::FrameType::kGoAway) go_away = h.length;
  std::string error;
  const std::optional<double> rtt = honest_ping(&error);
  std::printf("[hostile] oversized_identify_push: declared 1 GiB, %llu bytes taken before %s after %.2f s; "
              "%.1f MB pushed on after the reset, GoAway %s; peak RSS growth %.1f MiB; honest ping %s\n",
              static_cast<unsigned long long>(sent), reset ? "a reset" : "no reset", took,
              static_cast<double>(after_reset) / 1e6, go_away ? std::to_string(*go_away).c_str() : "none",
              peak_growth_mib(), rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str());
  EXPECT_TRUE(reset) << "the push stream was never reset";
  EXPECT_LT(took, 1.0);
  EXPECT_LE(sent, uint64_t{yamux::kSpecInitialWindow}) << "the host granted window for the body";
  ASSERT_TRUE(go_away.has_value()) << "the host kept reading a body it had refused";
  EXPECT_EQ(*go_away, static_cast<uint32_t>(yamux::GoAwayCode::kProtocolError));
  EXPECT_LT(after_reset, uint64_t{64} << 20) << "the attacker could push on for the whole attack";
  EXPECT_LT(peak_growth_mib(), 32.0);
  EXPECT_TRUE(rtt.has_value()) << error;
}

// Hole 3b: streams opened and left in protocol negotiation. They count
// against the connection from their SYN; beyond the limit they are reset at
// once, and the rest end at the negotiation deadline.
TEST_F(HostileTest, StreamsStuckInNegotiationAreBounded) {
  swarm::SwarmConfig config;
  config.negotiation_timeout = 2s;
  start_host(config);
  std::unique_ptr<RawPeer> attacker = attack_connection();
  constexpr uint32_t kStreams = 400;  // below max_streams_per_connection (512)
  std::vector<uint8_t> syns;
  for (uint32_t i = 0; i < kStreams; ++i)
    append_frame(syns, yamux::FrameType::kWindowUpdate, yamux::kFlagSyn, 2 * i + 1, 0);
  const auto start = Clock::now();
  run(attacker->send(syns), 5s);
  run(attacker->receive(500ms), 5s);
  std::set<yamux::StreamId> reset;
  for (const auto& h : attacker->frames())
    if (h.flags & yamux::kFlagRst) reset.insert(h.stream_id);
  const auto held = host_connection(attacker->peer_id());
  const size_t streams = held ? held->streams : 0;
  const size_t negotiating = held ? held->negotiating_streams : 0;
  std::string error;
  const std::optional<double> rtt = honest_ping(&error);
  run_for(2500ms);  // past the negotiation deadline
  const auto later = host_connection(attacker->peer_id());
  std::printf("[hostile] negotiation_flood: %u streams opened, %zu held by the host (%zu negotiating), %zu reset at once, "
              "%zu left after the deadline (%.1f s); peak RSS growth %.1f MiB; honest ping %s\n",
              kStreams, streams, negotiating, reset.size(), later ? later->streams : 0, seconds_since(start), peak_growth_mib(),
              rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str());
  EXPECT_TRUE(held.has_value());
  EXPECT_LE(streams, 128u) << "streams in negotiation are not counted";
  EXPECT_EQ(negotiating, streams);
  EXPECT_GE(reset.size(), kStreams - 128u);
  EXPECT_EQ(later ? later->streams : 0, 0u) << "negotiation has no deadline";
  EXPECT_LT(peak_growth_mib(), 32.0);
  EXPECT_TRUE(rtt.has_value()) << error;
}

// Hole 3c: thousands of stream opens at once. The host ends that session,
// telling the peer why with a GoAway (protocol error) before closing.
TEST_F(HostileTest, StreamOpenFloodEndsWithGoAway) {
  start_host({});
  std::unique_ptr<RawPeer> attacker = attack_connection();
  constexpr uint32_t kStreams = 5000;
  std::vector<uint8_t> syns;
  for (uint32_t i = 0; i < kStreams; ++i)
    append_frame(syns, yamux::FrameType::kWindowUpdate, yamux::kFlagSyn, 2 * i + 1, 0);
  const auto start = Clock::now();
  run(attacker->send(syns), 5s);
  while (run(attacker->receive(200ms), 5s) && Clock::now() < start + 3s) {
  }
  std::optional<uint32_t> go_away;
  for (const auto& h : attacker->frames())
    if (h.type == yamux::FrameType::kGoAway) go_away = h.length;
  std::string error;
  const std::optional<double> rtt = honest_ping(&error);
  std::printf("[hostile] stream_open_flood: %u SYNs; connection %s after %.2f s, GoAway %s; "
              "peak RSS growth %.1f MiB; honest ping %s\n",
              kStreams, attacker->closed() ? "closed" : "open", seconds_since(start),
              go_away ? std::to_string(*go_away).c_str() : "none", peak_growth_mib(),
              rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str());
  EXPECT_TRUE(attacker->closed());
  ASSERT_TRUE(go_away.has_value()) << "the session ended without a GoAway";
  EXPECT_EQ(*go_away, static_cast<uint32_t>(yamux::GoAwayCode::kProtocolError));
  EXPECT_FALSE(host_connection(attacker->peer_id()).has_value());
  EXPECT_LT(peak_growth_mib(), 32.0);
  EXPECT_TRUE(rtt.has_value()) << error;
}

// A host at its connection limit still completes the upgrade of a new peer
// (it cannot tell who is who before that) and then says why it is leaving:
// GoAway (normal), then the socket closes. Peers already connected stay served.
TEST_F(HostileTest, FullHostRefusesANewPeerWithGoAway) {
  swarm::SwarmConfig config;
  config.max_connections = 1;
  start_host(config);
  std::string error;
  ASSERT_TRUE(honest_ping(&error).has_value()) << error;
  std::unique_ptr<RawPeer> refused = attack_connection();
  const auto start = Clock::now();
  while (run(refused->receive(200ms), 5s) && Clock::now() < start + 3s) {
  }
  std::optional<uint32_t> go_away;
  for (const auto& h : refused->frames())
    if (h.type == yamux::FrameType::kGoAway) go_away = h.length;
  const std::optional<double> rtt = honest_ping(&error);
  std::printf("[hostile] connection_limit: refused peer's connection %s after %.2f s, GoAway %s; honest ping %s\n",
              refused->closed() ? "closed" : "open", seconds_since(start),
              go_away ? std::to_string(*go_away).c_str() : "none",
              rtt ? (std::to_string(*rtt) + " ms").c_str() : ("failed: " + error).c_str());
  EXPECT_TRUE(refused->closed());
  ASSERT_TRUE(go_away.has_value()) << "the refused peer was not told why";
  EXPECT_EQ(*go_away, static_cast<uint32_t>(yamux::GoAwayCode::kNormal));
  EXPECT_EQ(host_->connections().size(), 1u);
  EXPECT_TRUE(rtt.has_value()) << error;
}

}  // namespace
}  // namespace prowl::hostile
