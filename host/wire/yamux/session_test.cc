#include "host/wire/yamux/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <cstring>
#include <map>
#include <set>
#include <string>

namespace prowl::yamux {
namespace {

using Clock = Session::Clock;
using std::chrono::milliseconds;

struct FakeClock {
  Clock::time_point now{};
};

Config test_config(FakeClock& clock) {
  Config c;
  c.ping_interval = milliseconds(0);
  c.clock = [&clock] { return clock.now; };
  return c;
}

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Deterministic content: byte o of a stream is (o + id) % 251.
const std::vector<uint8_t>& pattern() {
  static const std::vector<uint8_t> p = [] {
    std::vector<uint8_t> v((4u << 20) + 251);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(i % 251);
    return v;
  }();
  return p;
}

std::span<const uint8_t> pattern_at(StreamId id, size_t offset, size_t n) {
  return std::span<const uint8_t>(pattern()).subspan((offset + id) % 251, n);
}

// One end of the connection: a session plus an application that records what
// it sees, consumes data (unless told not to) and writes `to_send` bytes of
// pattern on every stream it knows, then FINs.
struct Peer {
  Peer(Role role, Config config) : session(role, std::move(config)) {}

  // Like an application reading whatever arrived at once, consumes each
  // stream's data of one batch of events together.
  void handle_events() {
    std::map<StreamId, size_t> read;
    for (auto& e : session.take_events()) {
      if (auto* o = std::get_if<StreamOpened>(&e)) {
        opened.push_back(o->id);
        send_more(o->id);
      } else if (auto* d = std::get_if<StreamData>(&e)) {
        size_t& at = received_count[d->id];
        if (verify_pattern) {
          const auto want = pattern_at(d->id, at, d->bytes.size());
          if (std::memcmp(want.data(), d->bytes.data(), d->bytes.size()) != 0) ++corrupt;
        } else {
          received[d->id].append(d->bytes.begin(), d->bytes.end());
        }
        at += d->bytes.size();
        read[d->id] += d->bytes.size();
      } else if (auto* f = std::get_if<StreamFinished>(&e)) {
        finished.insert(f->id);
      } else if (auto* r = std::get_if<StreamReset>(&e)) {
        resets.insert(r->id);
      } else if (auto* w = std::get_if<WritableAgain>(&e)) {
        ++writable_again;
        send_more(w->id);
      } else if (std::holds_alternative<OpenAvailable>(e)) {
        ++open_available;
      } else if (auto* p = std::get_if<PingRtt>(&e)) {
        rtts.push_back(p->rtt);
      } else if (auto* g = std::get_if<GoAwayReceived>(&e)) {
        go_aways.push_back(g->code);
      } else if (auto* s = std::get_if<SessionError>(&e)) {
        errors.push_back(*s);
      }
    }
    if (auto_consume)
      for (const auto& [id, n] : read) session.consume(id, n);
  }

  void send_more(StreamId id) {
    size_t& at = sent[id];
    while (at < to_send) {
      const size_t n = session.write(id, pattern_at(id, at, std::min<size_t>(to_send - at, 300000)));
      if (n == 0) return;
      at += n;
    }
    if (to_send > 0 && closed.insert(id).second) session.close_write(id);
  }

  Session session;
  std::vector<uint8_t> wire;
  size_t to_send = 0;
  bool auto_consume = true;
  bool verify_pattern = false;
  std::vector<StreamId> opened;
  std::map<StreamId, std::string> received;
  std::map<StreamId, size_t> received_count;
  std::map<StreamId, size_t> sent;
  std::set<StreamId> closed;
  std::set<StreamId> finished;
  std::set<StreamId> resets;
  int writable_again = 0;
  int open_available = 0;
  int corrupt = 0;
  std::vector<Clock::duration> rtts;
  std::vector<uint32_t> go_aways;
  std::vector<SessionError> errors;
};

// Moves output from one peer to the other in slices of at most `slice` bytes.
bool deliver(Peer& from, Peer& to, size_t slice) {
  from.handle_events();
  std::vector<uint8_t>& bytes = from.wire;  // swapped, as a driver would, to reuse capacity
  bytes.clear();
  std::swap(bytes, from.session.pending_output());
  if (bytes.empty()) return false;
  for (size_t off = 0; off < bytes.size(); off += slice) {
    to.session.on_bytes(std::span<const uint8_t>(bytes).subspan(off, std::min(slice, bytes.size() - off)));
    to.handle_events();
  }
  return true;
}

// Runs both peers until neither has anything to send, delivering in slices as
// a socket read would; `tick` runs after each delivery.
void pump(Peer& a, Peer& b, size_t slice = 65536, const std::function<void()>& tick = {}) {
  for (int rounds = 0; rounds < 100000; ++rounds) {
    const bool ab = deliver(a, b, slice);
    if (tick) tick();
    const bool ba = deliver(b, a, slice);
    if (tick) tick();
    if (!ab && !ba) return;
  }
  FAIL() << "peers never went quiet";
}

class SessionTest : public ::testing::Test {
 protected:
  FakeClock clock;
  Peer client{Role::kClient, test_config(clock)};
  Peer server{Role::kServer, test_config(clock)};
};

TEST_F(SessionTest, OpenAcceptAndBidirectionalData) {
  const OpenResult r = client.session.open_stream();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.id, 1u);
  EXPECT_EQ(client.session.ack_backlog(), 1u);
  ASSERT_EQ(client.session.write(r.id, bytes_of("hello server")), 12u);
  pump(client, server);
  ASSERT_EQ(server.opened, std::vector<StreamId>{1});
  EXPECT_EQ(server.received[1], "hello server");
  EXPECT_EQ(client.session.ack_backlog(), 0u);
  ASSERT_EQ(server.session.write(1, bytes_of("hello client")), 12u);
  pump(client, server);
  EXPECT_EQ(client.received[1], "hello client");

  const OpenResult s = server.session.open_stream();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.id, 2u);  // servers open even ids
  pump(client, server);
  EXPECT_EQ(client.opened, std::vector<StreamId>{2});
  EXPECT_TRUE(client.errors.empty());
  EXPECT_TRUE(server.errors.empty());
}

TEST_F(SessionTest, FinHalfClosesOneDirection) {
  const StreamId id = client.session.open_stream().id;
  client.session.write(id, bytes_of("request"));
  ASSERT_TRUE(client.session.close_write(id));
  EXPECT_FALSE(client.session.close_write(id));
  EXPECT_EQ(client.session.write(id, bytes_of("more")), 0u);
  pump(client, server);
  EXPECT_EQ(server.received[id], "request");
  EXPECT_EQ(server.finished, std::set<StreamId>{id});
  // The server can still answer on its half.
  ASSERT_EQ(server.session.write(id, bytes_of("response")), 8u);
  ASSERT_TRUE(server.session.close_write(id));
  EXPECT_FALSE(server.session.is_open(id));  // closed both ways: forgotten
  pump(client, server);
  EXPECT_EQ(client.received[id], "response");
  EXPECT_EQ(client.finished, std::set<StreamId>{id});
  EXPECT_FALSE(client.session.is_open(id));
  EXPECT_EQ(client.session.stream_count(), 0u);
}

TEST_F(SessionTest, ResetEndsTheStreamOnBothSides) {
  const StreamId id = client.session.open_stream().id;
  pump(client, server);
  ASSERT_TRUE(server.session.reset(id));
  EXPECT_FALSE(server.session.is_open(id));
  EXPECT_FALSE(server.session.reset(id));
  pump(client, server);
  EXPECT_EQ(client.resets, std::set<StreamId>{id});
  EXPECT_FALSE(client.session.is_open(id));
  EXPECT_EQ(client.session.write(id, bytes_of("late")), 0u);
}

TEST_F(SessionTest, DataInFlightAfterLocalResetIsDiscarded) {
  const StreamId id = client.session.open_stream().id;
  pump(client, server);
  server.session.write(id, bytes_of("in flight"));
  client.session.reset(id);
  pump(client, server);
  EXPECT_TRUE(client.received.empty());
  EXPECT_TRUE(client.errors.empty());
  EXPECT_EQ(server.resets, std::set<StreamId>{id});
}

TEST_F(SessionTest, HundredConcurrentStreamsEachMoveOneMiBBothWays) {
  constexpr size_t kBytes = 1 << 20;
  for (Peer* p : {&client, &server}) {
    p->to_send = kBytes;
    p->verify_pattern = true;
  }
  std::vector<StreamId> ids;
  for (int i = 0; i < 100; ++i) {
    const OpenResult r = client.session.open_stream();
    ASSERT_TRUE(r.ok());
    ids.push_back(r.id);
    client.send_more(r.id);
  }
  const std::clock_t start = std::clock();
  pump(client, server);
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  for (StreamId id : ids) {
    EXPECT_EQ(server.received_count[id], kBytes) << id;
    EXPECT_EQ(client.received_count[id], kBytes) << id;
  }
  EXPECT_EQ(server.finished.size(), 100u);
  EXPECT_EQ(client.finished.size(), 100u);
  EXPECT_EQ(client.corrupt + server.corrupt, 0);
  EXPECT_EQ(client.session.stream_count(), 0u);
  EXPECT_EQ(server.session.stream_count(), 0u);
  std::printf("moved 200 MiB through two sessions in %.3f s of CPU (%.0f MiB/s)\n", seconds,
              200 / seconds);
}

TEST_F(SessionTest, WindowExhaustionBlocksUntilTheReaderConsumes) {
  server.auto_consume = false;
  client.to_send = 1 << 20;
  const StreamId id = client.session.open_stream().id;
  client.send_more(id);
  EXPECT_EQ(client.sent[id], kSpecInitialWindow);
  pump(client, server);
  // The reader holds everything it got: exactly one window, the sender is stuck.
  EXPECT_EQ(server.received[id].size(), kSpecInitialWindow);
  EXPECT_EQ(client.session.send_window(id), 0u);
  EXPECT_EQ(client.session.write(id, bytes_of("x")), 0u);
  EXPECT_EQ(client.writable_again, 0);

  server.session.consume(id, kSpecInitialWindow / 2 - 1);
  pump(client, server);
  EXPECT_EQ(client.writable_again, 0);  // under half the window: no update yet
  server.session.consume(id, 1);
  pump(client, server);
  EXPECT_EQ(client.writable_again, 1);
  EXPECT_EQ(server.received[id].size(), kSpecInitialWindow * 3 / 2);

  server.auto_consume = true;
  server.session.consume(id, kSpecInitialWindow);
  pump(client, server);
  EXPECT_EQ(server.received[id].size(), size_t{1} << 20);
  EXPECT_EQ(server.finished.count(id), 1u);
}

TEST_F(SessionTest, AutoTuningGrowsTheWindowOfAFastStream) {
  // RTT 10 ms, measured by a ping answered while the clock advances.
  client.session.ping();
  deliver(client, server, SIZE_MAX);
  clock.now += milliseconds(10);
  deliver(server, client, SIZE_MAX);
  ASSERT_EQ(client.rtts.size(), 1u);
  EXPECT_EQ(client.rtts[0], milliseconds(10));

  server.to_send = 8 << 20;
  const StreamId id = client.session.open_stream().id;
  pump(client, server);
  // Updates went out far faster than two round trips: the window doubled up to the maximum.
  EXPECT_EQ(client.received_count[id], size_t{8} << 20);
  // Each update came within two round trips, so each doubled the window.
  EXPECT_GE(client.session.receive_window(id), 4 * kSpecInitialWindow);
  EXPECT_LE(client.session.receive_window(id), 16u << 20);
}

TEST_F(SessionTest, AutoTuningStopsAtMaxWindow) {
  FakeClock c;
  Config cfg = test_config(c);
  cfg.max_window = 1 << 20;
  Peer a(Role::kClient, cfg);
  Peer b(Role::kServer, test_config(c));
  a.session.ping();
  deliver(a, b, SIZE_MAX);
  c.now += milliseconds(10);
  deliver(b, a, SIZE_MAX);
  b.to_send = 16 << 20;
  const StreamId id = a.session.open_stream().id;
  pump(a, b);
  EXPECT_EQ(a.received_count[id], size_t{16} << 20);
  EXPECT_EQ(a.session.receive_window(id), 1u << 20);  // still open: `a` never closed its half
}

TEST_F(SessionTest, NoGrowthWhenTheReaderIsSlowerThanTheRoundTrip) {
  client.session.ping();
  deliver(client, server, SIZE_MAX);
  clock.now += milliseconds(10);
  deliver(server, client, SIZE_MAX);
  server.to_send = 4 << 20;
  const StreamId id = client.session.open_stream().id;
  pump(client, server, SIZE_MAX, [this] { clock.now += milliseconds(100); });
  EXPECT_EQ(client.received_count[id], size_t{4} << 20);
  EXPECT_EQ(client.finished.count(id), 1u);
  EXPECT_EQ(client.session.receive_window(id), kSpecInitialWindow);
}

TEST_F(SessionTest, AckBacklogLimitsUnacknowledgedOpens) {
  std::vector<StreamId> ids;
  for (int i = 0; i < 256; ++i) {
    const OpenResult r = client.session.open_stream();
    ASSERT_TRUE(r.ok()) << i;
  }
  const OpenResult refused = client.session.open_stream();
  EXPECT_EQ(refused.error, OpenError::kAckBacklogFull);
  EXPECT_STREQ(to_string(refused.error), "too many streams await the peer's ACK");
  EXPECT_EQ(client.session.ack_backlog(), 256u);
  pump(client, server);
  EXPECT_EQ(server.opened.size(), 256u);
  EXPECT_EQ(client.session.ack_backlog(), 0u);
  EXPECT_EQ(client.open_available, 1);
  EXPECT_TRUE(client.session.open_stream().ok());
}

TEST_F(SessionTest, StreamLimitRefusesOpensUntilOneCloses) {
  FakeClock c;
  Config cfg = test_config(c);
  cfg.max_streams = 2;
  Peer a(Role::kClient, cfg);
  Peer b(Role::kServer, test_config(c));
  const StreamId first = a.session.open_stream().id;
  ASSERT_TRUE(a.session.open_stream().ok());
  EXPECT_EQ(a.session.open_stream().error, OpenError::kTooManyStreams);
  a.session.reset(first);
  EXPECT_TRUE(a.session.open_stream().ok());
  a.handle_events();
  EXPECT_EQ(a.open_available, 1);
}

TEST_F(SessionTest, PingMeasuresRoundTripTime) {
  const uint32_t opaque = client.session.ping();
  EXPECT_NE(opaque, 0u);
  EXPECT_FALSE(client.session.rtt().has_value());
  deliver(client, server, SIZE_MAX);
  clock.now += milliseconds(25);
  deliver(server, client, SIZE_MAX);
  client.handle_events();
  ASSERT_EQ(client.rtts.size(), 1u);
  EXPECT_EQ(client.rtts[0], milliseconds(25));
  EXPECT_EQ(client.session.rtt(), Clock::duration(milliseconds(25)));
  EXPECT_TRUE(server.rtts.empty());
}

TEST_F(SessionTest, AutomaticPingsFollowTheInterval) {
  FakeClock c;
  Config cfg = test_config(c);
  cfg.ping_interval = milliseconds(1000);
  Peer a(Role::kClient, cfg);
  Peer b(Role::kServer, test_config(c));
  a.session.open_stream();
  deliver(a, b, SIZE_MAX);
  c.now += milliseconds(7);
  pump(a, b);
  ASSERT_EQ(a.rtts.size(), 1u);
  EXPECT_EQ(a.rtts[0], milliseconds(7));
  c.now += milliseconds(1000);
  a.session.on_bytes({});
  pump(a, b);
  EXPECT_EQ(a.rtts.size(), 2u);
}

TEST_F(SessionTest, GoAwayStopsNewStreamsButNotOpenOnes) {
  const StreamId id = client.session.open_stream().id;
  pump(client, server);
  server.session.go_away(GoAwayCode::kNormal);
  const StreamId late = client.session.open_stream().id;  // crosses the GoAway
  pump(client, server);
  EXPECT_EQ(client.go_aways, std::vector<uint32_t>{0});
  EXPECT_EQ(client.resets, std::set<StreamId>{late});  // refused by the server
  EXPECT_EQ(server.opened, std::vector<StreamId>{id});
  EXPECT_EQ(client.session.open_stream().error, OpenError::kGoingAway);
  EXPECT_EQ(server.session.open_stream().error, OpenError::kGoingAway);
  client.session.write(id, bytes_of("still works"));
  pump(client, server);
  EXPECT_EQ(server.received[id], "still works");
  EXPECT_TRUE(server.errors.empty());
  EXPECT_TRUE(client.errors.empty());
}

TEST_F(SessionTest, ByteByByteFeedingGivesTheSameResult) {
  client.to_send = 100000;
  server.to_send = 70000;
  const StreamId a = client.session.open_stream().id;
  const StreamId b = client.session.open_stream().id;
  client.send_more(a);
  client.send_more(b);
  client.session.ping();
  pump(client, server, 1);
  for (StreamId id : {a, b}) {
    ASSERT_EQ(server.received[id].size(), 100000u);
    ASSERT_EQ(client.received[id].size(), 70000u);
    const auto want = pattern_at(id, 0, 100000);
    EXPECT_TRUE(server.received[id] == std::string(want.begin(), want.end())) << id;
  }
  EXPECT_EQ(client.rtts.size(), 1u);
  EXPECT_EQ(server.finished.size(), 2u);
  EXPECT_EQ(client.finished.size(), 2u);
}

TEST(SessionConfig, RefusesInconsistentLimits) {
  Config small;
  small.initial_window = 1024;
  EXPECT_THROW(Session(Role::kClient, small), std::invalid_argument);
  Config inverted;
  inverted.max_window = kSpecInitialWindow / 2;
  EXPECT_THROW(Session(Role::kClient, inverted), std::invalid_argument);
  Config zero;
  zero.max_ack_backlog = 0;
  EXPECT_THROW(Session(Role::kServer, zero), std::invalid_argument);
}

// ---- protocol violations: a raw peer sends frames to a server session ----

std::vector<uint8_t> frame(FrameType type, uint16_t flags, StreamId id, uint32_t length,
                           size_t payload = 0) {
  std::vector<uint8_t> out;
  append_header(out, {0, type, flags, id, length});
  out.resize(out.size() + payload, 0x42);
  return out;
}

std::vector<uint8_t> operator+(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class Violation : public ::testing::Test {
 protected:
  // Feeds `bytes` to a fresh server (whole, then byte by byte) and expects
  // one SessionError containing `what` plus a GoAway(protocol error) at the
  // end of the output.
  void expect_error(const std::vector<uint8_t>& bytes, const std::string& what,
                    Config config = {}) {
    for (bool bytewise : {false, true}) {
      FakeClock clock;
      Config c = config;
      c.ping_interval = milliseconds(0);
      c.clock = [&clock] { return clock.now; };
      Session s(Role::kServer, c);
      if (bytewise) {
        for (uint8_t b : bytes) s.on_bytes({&b, 1});
      } else {
        s.on_bytes(bytes);
      }
      const auto events = s.take_events();
      ASSERT_FALSE(events.empty()) << what;
      const auto* err = std::get_if<SessionError>(&events.back());
      ASSERT_NE(err, nullptr) << what;
      EXPECT_EQ(err->code, GoAwayCode::kProtocolError);
      EXPECT_NE(err->message.find(what), std::string::npos) << err->message;
      EXPECT_TRUE(s.failed());
      const auto out = s.take_output();
      ASSERT_GE(out.size(), kHeaderSize);
      const FrameHeader last = decode_header(
          std::span<const uint8_t, kHeaderSize>(out.data() + out.size() - kHeaderSize, kHeaderSize));
      EXPECT_EQ(last.type, FrameType::kGoAway);
      EXPECT_EQ(last.length, 1u);
      // A failed session ignores everything afterwards.
      s.on_bytes(frame(FrameType::kPing, kFlagSyn, 0, 1));
      EXPECT_TRUE(s.take_output().empty());
      EXPECT_TRUE(s.take_events().empty());
      EXPECT_FALSE(s.open_stream().ok());
    }
  }
};

TEST_F(Violation, UnknownType) {
  expect_error(frame(static_cast<FrameType>(4), 0, 1, 0), "unknown frame type 4 (frame at byte 0)");
}

TEST_F(Violation, BadVersion) {
  auto f = frame(FrameType::kPing, kFlagSyn, 0, 1);
  f[0] = 1;
  expect_error(frame(FrameType::kPing, kFlagSyn, 0, 9) + f,
               "unsupported version 1 (frame at byte 12)");
}

TEST_F(Violation, DataBeyondTheReceiveWindow) {
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0) +
                   frame(FrameType::kData, 0, 1, kSpecInitialWindow + 1, kSpecInitialWindow + 1),
               "data frame of 262145 bytes on stream 1 exceeds the receive window (262144 bytes left)");
}

TEST_F(Violation, DataBeyondTheWindowAcrossFrames) {
  expect_error(frame(FrameType::kData, kFlagSyn, 1, 200000, 200000) +
                   frame(FrameType::kData, 0, 1, 70000, 70000),
               "exceeds the receive window (62144 bytes left)");
}

TEST_F(Violation, SynForAnExistingStream) {
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0) +
                   frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0),
               "SYN for stream 1 which is already open");
}

TEST_F(Violation, SynReusingAClosedId) {
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 3, 0) +
                   frame(FrameType::kWindowUpdate, kFlagRst, 3, 0) +
                   frame(FrameType::kWindowUpdate, kFlagSyn, 3, 0),
               "SYN reuses stream id 3");
}

TEST_F(Violation, WrongParity) {
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 2, 0),
               "SYN for stream 2 has the wrong parity (the peer opens odd ids)");
}

TEST_F(Violation, FrameTooLarge) {
  Config c;
  c.max_window = 1 << 20;
  expect_error(frame(FrameType::kData, kFlagSyn, 1, (1 << 20) + 1),
               "data frame of 1048577 bytes on stream 1 is larger than the maximum window", c);
}

TEST_F(Violation, TooManyInboundStreams) {
  Config c;
  c.max_streams = 2;
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0) +
                   frame(FrameType::kWindowUpdate, kFlagSyn, 3, 0) +
                   frame(FrameType::kWindowUpdate, kFlagSyn, 5, 0),
               "too many inbound streams: SYN for stream 5 beyond the limit of 2", c);
}

TEST_F(Violation, FrameForAStreamNeverOpened) {
  expect_error(frame(FrameType::kData, 0, 7, 3, 3), "data frame for stream 7 which was never opened");
}

TEST_F(Violation, DataOnSessionStream) {
  expect_error(frame(FrameType::kData, 0, 0, 0), "data frame on session stream 0");
}

TEST_F(Violation, PingOffSessionStream) {
  expect_error(frame(FrameType::kPing, kFlagSyn, 5, 1), "ping frame on stream 5");
}

TEST_F(Violation, DataAfterFin) {
  expect_error(frame(FrameType::kData, kFlagSyn | kFlagFin, 1, 2, 2) +
                   frame(FrameType::kData, 0, 1, 2, 2),
               "data frame after FIN on stream 1");
}

TEST(SessionReset, DataAfterOurResetMayUseOnlyTheWindowLeft) {
  // A peer that ignores our RST keeps sending on the stream: what its window
  // still allowed is discarded, anything beyond fails the session (the host
  // would otherwise read an unbounded body it already refused).
  FakeClock clock;
  Session s(Role::kServer, test_config(clock));
  s.on_bytes(frame(FrameType::kData, kFlagSyn, 1, 1000, 1000));
  s.take_events();
  ASSERT_TRUE(s.reset(1));
  s.on_bytes(frame(FrameType::kData, 0, 1, kSpecInitialWindow - 1000, kSpecInitialWindow - 1000));
  EXPECT_FALSE(s.failed());
  s.on_bytes(frame(FrameType::kData, 0, 1, 1, 1));
  ASSERT_TRUE(s.failed());
  const auto events = s.take_events();
  ASSERT_FALSE(events.empty());
  const auto* err = std::get_if<SessionError>(&events.back());
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, GoAwayCode::kProtocolError);
  EXPECT_NE(err->message.find("data frame of 1 bytes on stream 1 after we reset it exceeds the window it had "
                              "left (0 bytes)"),
            std::string::npos)
      << err->message;
}

TEST(SessionReset, AStreamRefusedAfterGoAwayMayStillCarryItsInitialWindow) {
  FakeClock clock;
  Session s(Role::kServer, test_config(clock));
  s.go_away(GoAwayCode::kNormal);
  s.on_bytes(frame(FrameType::kData, kFlagSyn, 1, kSpecInitialWindow, kSpecInitialWindow));
  EXPECT_FALSE(s.failed());
  s.on_bytes(frame(FrameType::kData, 0, 1, 1, 1));
  EXPECT_TRUE(s.failed());
}

TEST_F(Violation, SendWindowOverflow) {
  expect_error(frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0xffff0000u),
               "overflows the send window of stream 1");
}

TEST(SessionEvents, UndrainedEventQueueFailsTheSession) {
  Config c;
  c.ping_interval = milliseconds(0);
  c.max_events = 4;
  Session s(Role::kServer, c);
  std::vector<uint8_t> bytes;
  for (StreamId id = 1; id < 20; id += 2) bytes = bytes + frame(FrameType::kWindowUpdate, kFlagSyn, id, 0);
  s.on_bytes(bytes);
  const auto events = s.take_events();
  ASSERT_EQ(events.size(), 5u);
  const auto* err = std::get_if<SessionError>(&events.back());
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, GoAwayCode::kInternalError);
  EXPECT_EQ(err->message, "yamux: event queue full: 4 events not taken");
}

TEST(SessionEvents, DataOfOneStreamCoalescesIntoOneEvent) {
  Config c;
  c.ping_interval = milliseconds(0);
  Session s(Role::kServer, c);
  std::vector<uint8_t> bytes = frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0);
  for (int i = 0; i < 1000; ++i) bytes = bytes + frame(FrameType::kData, 0, 1, 1, 1);
  s.on_bytes(bytes);
  const auto events = s.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<StreamData>(events[1]).bytes.size(), 1000u);
}

TEST(SessionEvents, LargePayloadIsAViewOfTheInputNotACopy) {
  Config c;
  c.ping_interval = milliseconds(0);
  Session s(Role::kServer, c);
  const std::vector<uint8_t> bytes = frame(FrameType::kWindowUpdate, kFlagSyn, 1, 0) +
                                     frame(FrameType::kData, 0, 1, 5000, 5000) +
                                     frame(FrameType::kData, 0, 1, 3000, 3000);
  // The first frame arrives in two adjacent pieces of one buffer, the second
  // frame in two pieces from different buffers.
  s.on_bytes(std::span(bytes).first(3000));
  s.on_bytes(std::span(bytes).subspan(3000, bytes.size() - 4000));
  const std::vector<uint8_t> last(bytes.end() - 1000, bytes.end());
  s.on_bytes(last);
  const auto events = s.take_events();
  ASSERT_EQ(events.size(), 4u);
  const auto& first = std::get<StreamData>(events[1]).bytes;
  EXPECT_EQ(first.data(), bytes.data() + 2 * kHeaderSize);
  EXPECT_EQ(first.size(), 5000u);
  EXPECT_EQ(std::get<StreamData>(events[2]).bytes.data(), bytes.data() + 3 * kHeaderSize + 5000);
  EXPECT_EQ(std::get<StreamData>(events[2]).bytes.size(), 2000u);
  EXPECT_EQ(std::get<StreamData>(events[3]).bytes.size(), 1000u);  // gathered: below the view size
}

TEST(SessionWrite, WriteHeaderQueuesOnlyTheHeaderWithinWindowAndFrameLimits) {
  Config c;
  c.ping_interval = milliseconds(0);
  c.max_frame_payload = 100000;
  Session s(Role::kClient, c);
  const StreamId id = s.open_stream().id;
  s.pending_output().clear();
  EXPECT_EQ(s.write_header(id, 0), 0u);
  EXPECT_TRUE(s.pending_output().empty());
  EXPECT_EQ(s.write_header(id, 150000), 100000u);  // the frame limit
  ASSERT_EQ(s.pending_output().size(), kHeaderSize);
  const FrameHeader h = decode_header(std::span(s.pending_output()).first<kHeaderSize>());
  EXPECT_EQ(h.type, FrameType::kData);
  EXPECT_EQ(h.stream_id, id);
  EXPECT_EQ(h.length, 100000u);
  EXPECT_EQ(s.send_window(id), kSpecInitialWindow - 100000);
  EXPECT_EQ(s.write_header(id, 100000), 100000u);
  EXPECT_EQ(s.write_header(id, 100000), kSpecInitialWindow - 200000);  // the window limit
  EXPECT_EQ(s.write_header(id, 1), 0u);
  EXPECT_EQ(s.pending_output().size(), 3 * kHeaderSize);
  // The peer's window update makes the blocked stream writable again.
  s.on_bytes(frame(FrameType::kWindowUpdate, kFlagAck, id, 1000));
  bool writable = false;
  for (const auto& e : s.take_events()) writable |= std::holds_alternative<WritableAgain>(e);
  EXPECT_TRUE(writable);
  EXPECT_EQ(s.write_header(id, 5000), 1000u);
}

}  // namespace
}  // namespace prowl::yamux
