// bench_pubsub: gossipsub at scale over loopback TCP. N hosts (Swarm +
// PubsubService each, the real Noise + Yamux stack) spread over one event
// loop thread per core, joined in a random graph and all subscribed to one
// topic with StrictSign on. Three scenarios:
//   honest    -- M messages from random hosts; delivery ratio, latency,
//                duplicates, delivery rate per host and CPU per delivery;
//   spam      -- the same with a share of hosts spamming invalid messages
//                (alternately forged signatures written straight onto pubsub
//                streams, and validly signed messages the honest validator
//                rejects); counts spammers graylisted by every honest
//                neighbour, honest peers scored below zero, honest delivery;
//   paced     -- honest, at a fixed --paced-rate below saturation: the
//                latency of a mesh that is not queueing;
//   capacity  -- one host receiving from a few publishers as fast as it can,
//                the messages signed before the clock starts (authors sign on
//                their own machines): the per-host delivery ceiling here.
// Publishing keeps at most --window messages in flight (not yet delivered to
// every honest host), or follows --rate. Prints a markdown table.
#include <CLI/CLI.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/pubsub/tcp_cluster.h"
#include "host/base/encoding/varint.h"
#include "host/wire/pubsub/message_signing.h"
#include "host/wire/pubsub/rpc.pb.h"

namespace {

namespace asio = boost::asio;
using prowl::bench::TcpCluster;
using prowl::pubsub_service::PubsubServiceConfig;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kTopic = "bench";
constexpr uint8_t kHonest = 'H';
constexpr uint8_t kSpam = 'S';
constexpr size_t kPayloadBytes = 21;  // kind, index (8), publish time ns (8), author (4)
constexpr auto kStallTimeout = 15s;   // no delivery for this long ends a run

struct Options {
  size_t hosts = 100;
  size_t messages = 10000;
  size_t degree = 4;  // random dials per host, on top of a ring
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  size_t signature_threads = 0;  // 0: each host checks signatures on its event loop
  size_t window = 32;  // messages in flight when --rate is 0
  double rate = 0;     // messages per second; 0: keep --window in flight
  double spammer_share = 0.2;
  double paced_rate = 50;       // paced scenario: messages per second
  size_t paced_messages = 1000;  // paced scenario
  size_t publishers = 4;            // capacity scenario
  size_t capacity_messages = 40000;  // capacity scenario
  std::vector<std::string> scenarios{"honest", "spam", "paced", "capacity"};
  uint64_t seed = 1;
};

struct Result {
  std::string scenario;
  size_t hosts = 0;
  size_t spammers = 0;
  size_t messages = 0;  // honest messages
  double delivery_ratio = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double duplicates_per_delivery = 0;
  double delivered_per_host_per_s = 0;
  double cpu_us_per_delivery = 0;
  double seconds = 0;
  size_t spammers_graylisted = 0;
  size_t honest_negative = 0;  // honest peers some honest host scores below zero
  uint64_t queue_drops = 0;
};

// CPU seconds (user + system) of the whole process.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::vector<uint8_t> payload(uint8_t kind, uint64_t index, uint32_t author) {
  std::vector<uint8_t> out(kPayloadBytes);
  out[0] = kind;
  const int64_t ns = Clock::now().time_since_epoch().count();
  std::memcpy(out.data() + 1, &index, 8);
  std::memcpy(out.data() + 9, &ns, 8);
  std::memcpy(out.data() + 17, &author, 4);
  return out;
}

double quantile(const std::vector<float>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5)];
}

// Delivery bookkeeping shared by the host threads. logs[i] is touched only on host i's thread.
struct Tracker {
  Tracker(size_t messages, size_t hosts, uint32_t receivers_per_message)
      : deliveries(messages), sent_ns(messages), logs(hosts), receivers(receivers_per_message) {}

  // Called on host `host`'s thread for every delivered message.
  void on_message(size_t host, const prowl::pubsub::Message& m) {
    if (m.data.size() != kPayloadBytes || m.data[0] != kHonest) return;
    uint64_t index = 0;
    int64_t ns = 0;
    uint32_t author = 0;
    std::memcpy(&index, m.data.data() + 1, 8);
    std::memcpy(&ns, m.data.data() + 9, 8);
    std::memcpy(&author, m.data.data() + 17, 4);
    if (index >= deliveries.size() || author == host) return;
    if (const int64_t sent = sent_ns[index].load(std::memory_order_relaxed); sent != 0) ns = sent;
    logs[host].push_back(std::chrono::duration<float, std::milli>(Clock::now() - Clock::time_point(Clock::duration(ns))).count());
    delivered.fetch_add(1, std::memory_order_relaxed);
    if (deliveries[index].fetch_add(1, std::memory_order_relaxed) + 1 == receivers)
      completed.fetch_add(1, std::memory_order_relaxed);
  }

  std::vector<std::atomic<uint32_t>> deliveries;
  // When message i was handed to its publisher, if signed in advance (its
  // payload then carries the signing time); 0 otherwise.
  std::vector<std::atomic<int64_t>> sent_ns;
  std::vector<std::vector<float>> logs;  // latencies in ms, per receiving host
  uint32_t receivers;
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> completed{0};
};

// A host's raw pubsub streams, written with prepared RPC frames: forged
// messages from spammers, pre-signed ones in the capacity run. Lives on the host's thread.
struct RawStreams {
  std::vector<std::shared_ptr<prowl::swarm::Stream>> streams;
  std::string from;
  uint64_t seqno = 1;
  std::deque<std::vector<uint8_t>> queue;  // frames to write to every stream
  bool writing = false;
};

// One RPC frame (length prefix + body) carrying `message`.
std::vector<uint8_t> frame_of(const prowl::pubsub::pb::Message& message) {
  prowl::pubsub::pb::RPC rpc;
  *rpc.add_publish() = message;
  const std::string body = rpc.SerializeAsString();
  std::vector<uint8_t> frame;
  prowl::encoding::append_varint(frame, body.size());
  frame.insert(frame.end(), body.begin(), body.end());
  return frame;
}

// A frame carrying a message whose signature is garbage.
std::vector<uint8_t> forged_frame(RawStreams& forger) {
  prowl::pubsub::pb::Message m;
  m.set_from(forger.from);
  m.set_seqno(prowl::pubsub::encode_seqno(forger.seqno++));
  m.set_topic(kTopic);
  m.set_data(std::string(kPayloadBytes, 'F'));
  m.set_signature(std::string(64, '\x5a'));
  return frame_of(m);
}

// A frame carrying a validly signed message.
std::vector<uint8_t> signed_frame(const prowl::identity::KeyPair& key, uint64_t seqno, const std::vector<uint8_t>& data) {
  prowl::pubsub::pb::Message m;
  m.set_seqno(prowl::pubsub::encode_seqno(seqno));
  m.set_topic(kTopic);
  m.set_data(std::string(data.begin(), data.end()));
  prowl::pubsub::sign_message(key, m);
  return frame_of(m);
}

asio::awaitable<void> write_frames(std::shared_ptr<RawStreams> raw) {
  raw->writing = true;
  while (!raw->queue.empty()) {
    // What queued up meanwhile goes out in one write, as PubsubService batches.
    std::vector<uint8_t> frame = std::move(raw->queue.front());
    raw->queue.pop_front();
    while (!raw->queue.empty() && frame.size() < 256 * 1024) {
      frame.insert(frame.end(), raw->queue.front().begin(), raw->queue.front().end());
      raw->queue.pop_front();
    }
    for (auto& stream : raw->streams) {
      if (!stream) continue;
      try {
        co_await stream->write(frame);
      } catch (const std::exception&) {
        stream.reset();  // the receiver reset it (a spammer's victim has had enough)
      }
    }
  }
  raw->writing = false;
}

// Queues `frame` on `raw` and starts its writer. Call on the host's thread.
void send_raw(TcpCluster& net, size_t host, const std::shared_ptr<RawStreams>& raw, std::vector<uint8_t> frame) {
  raw->queue.push_back(std::move(frame));
  if (!raw->writing) asio::co_spawn(net.executor(host), write_frames(raw), asio::detached);
}

// Opens raw /meshsub/1.1.0 streams from `host` to every peer it is connected to.
std::shared_ptr<RawStreams> open_raw_streams(TcpCluster& net, size_t host) {
  return net.run<std::shared_ptr<RawStreams>>(
      host,
      [&net, host]() -> asio::awaitable<std::shared_ptr<RawStreams>> {
        auto raw = std::make_shared<RawStreams>();
        const auto& id = net.swarm(host).local_peer().bytes();
        raw->from.assign(id.begin(), id.end());
        const std::vector<std::string> protocols{"/meshsub/1.1.0"};
        for (const auto& info : net.swarm(host).connections())
          raw->streams.push_back(co_await net.swarm(host).open_stream(info.peer, protocols));
        co_return raw;
      },
      30s);
}

// Waits until `done()` or until `delivered` stops moving for kStallTimeout.
template <typename Done>
void wait_for(const Done& done, const std::atomic<uint64_t>& delivered) {
  uint64_t last = delivered.load();
  auto last_change = Clock::now();
  while (!done()) {
    std::this_thread::sleep_for(200us);
    const uint64_t now_delivered = delivered.load();
    if (now_delivered != last) {
      last = now_delivered;
      last_change = Clock::now();
    } else if (Clock::now() - last_change > kStallTimeout) {
      return;
    }
  }
}

void subscribe_all(TcpCluster& net, Tracker& tracker, const std::vector<bool>& spammer) {
  for (size_t i = 0; i < net.size(); ++i) {
    net.on(i, [&, i] {
      auto& service = net.service(i);
      if (spammer[i]) {
        service.subscribe(kTopic, [](const prowl::pubsub::Message&) {});
        return;
      }
      service.add_validator(kTopic, [](const prowl::pubsub::Message& m) {
        return !m.data.empty() && m.data[0] == kHonest ? prowl::pubsub::Verdict::kAccept
                                                      : prowl::pubsub::Verdict::kReject;
      });
      service.subscribe(kTopic, [&tracker, i](const prowl::pubsub::Message& m) { tracker.on_message(i, m); });
    });
  }
}

Result summarize(const char* scenario, TcpCluster& net, Tracker& tracker, const std::vector<bool>& spammer,
                 size_t messages, double seconds, double cpu_seconds, const std::vector<size_t>& receivers) {
  Result r;
  r.scenario = scenario;
  r.hosts = net.size();
  r.spammers = static_cast<size_t>(std::count(spammer.begin(), spammer.end(), true));
  r.messages = messages;
  r.seconds = seconds;
  const uint64_t delivered = tracker.delivered.load();
  const uint64_t expected = static_cast<uint64_t>(messages) * tracker.receivers;
  r.delivery_ratio = static_cast<double>(delivered) / static_cast<double>(expected);
  std::vector<float> latencies;
  uint64_t duplicates = 0;
  for (size_t i : receivers) {
    net.on(i, [&] {
      latencies.insert(latencies.end(), tracker.logs[i].begin(), tracker.logs[i].end());
      duplicates += net.service(i).router().stats().messages_duplicate;
      r.queue_drops += net.service(i).stats().rpcs_dropped_queue_full;
    });
  }
  std::sort(latencies.begin(), latencies.end());
  r.p50_ms = quantile(latencies, 0.5);
  r.p99_ms = quantile(latencies, 0.99);
  r.duplicates_per_delivery = delivered ? static_cast<double>(duplicates) / static_cast<double>(delivered) : 0;
  r.delivered_per_host_per_s = static_cast<double>(delivered) / static_cast<double>(receivers.size()) / seconds;
  r.cpu_us_per_delivery = delivered ? cpu_seconds * 1e6 / static_cast<double>(delivered) : 0;
  return r;
}

// Scores every honest host gives its neighbours: spammers graylisted by all
// honest neighbours, and honest peers that some honest host scores below zero.
void judge(TcpCluster& net, const std::vector<bool>& spammer, double graylist, Result& r) {
  std::vector<prowl::identity::PeerId> ids;
  for (size_t i = 0; i < net.size(); ++i) ids.push_back(net.on(i, [&, i] { return net.swarm(i).local_peer(); }));
  std::vector<size_t> neighbours(net.size(), 0), graylisted_by(net.size(), 0);
  std::vector<bool> honest_negative(net.size(), false);
  for (size_t i = 0; i < net.size(); ++i) {
    if (spammer[i]) continue;
    net.on(i, [&, i] {
      const auto& service = net.service(i);
      for (const auto& peer : service.peers()) {
        const size_t j = static_cast<size_t>(std::find(ids.begin(), ids.end(), peer) - ids.begin());
        if (j == ids.size()) continue;
        const double score = service.router().score(peer);
        ++neighbours[j];
        if (spammer[j] && score < graylist) ++graylisted_by[j];
        if (!spammer[j] && score < 0) honest_negative[j] = true;
      }
    });
  }
  for (size_t j = 0; j < net.size(); ++j) {
    if (spammer[j] && neighbours[j] > 0 && graylisted_by[j] == neighbours[j]) ++r.spammers_graylisted;
    if (honest_negative[j]) ++r.honest_negative;
  }
}

Result run_mesh(const Options& options, bool with_spam, const char* scenario) {
  PubsubServiceConfig config;
  config.max_queued_rpcs_per_peer = 1 << 16;
  config.signature_check_threads = options.signature_threads;
  const size_t n = options.hosts;
  const size_t spammers = with_spam ? static_cast<size_t>(static_cast<double>(n) * options.spammer_share) : 0;
  std::vector<bool> spammer(n, false);
  for (size_t k = 0; k < spammers; ++k) spammer[k * n / spammers] = true;  // spread over the threads
  std::vector<size_t> honest;
  for (size_t i = 0; i < n; ++i)
    if (!spammer[i]) honest.push_back(i);

  TcpCluster net(n, options.threads, config);
  Tracker tracker(options.messages, n, static_cast<uint32_t>(honest.size() - 1));
  subscribe_all(net, tracker, spammer);
  net.connect_random(options.degree, options.seed);
  // Meshes settle within a few heartbeats.
  const auto settle_until = Clock::now() + 30s;
  for (size_t i = 0; i < n && Clock::now() < settle_until;) {
    const bool ok = net.on(i, [&, i] {
      return net.service(i).router().mesh_peers(kTopic).size() >=
             std::min<size_t>(4, net.swarm(i).connections().size());
    });
    if (ok) {
      ++i;
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }

  std::vector<std::shared_ptr<RawStreams>> forgers(n);
  for (size_t s = 0; s < n; ++s)
    if (spammer[s]) forgers[s] = open_raw_streams(net, s);

  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<size_t> pick_honest(0, honest.size() - 1);
  std::vector<size_t> spam_hosts;
  for (size_t i = 0; i < n; ++i)
    if (spammer[i]) spam_hosts.push_back(i);
  uint64_t spam_index = 0;
  auto spam = [&] {
    const size_t s = spam_hosts[spam_index % spam_hosts.size()];
    if ((spam_index / spam_hosts.size()) % 2 == 0) {
      asio::post(net.executor(s), [&net, s, index = spam_index] {
        net.service(s).publish(kTopic, payload(kSpam, index, static_cast<uint32_t>(s)));
      });
    } else {
      asio::post(net.executor(s), [&net, s, forger = forgers[s]] { send_raw(net, s, forger, forged_frame(*forger)); });
    }
    ++spam_index;
  };

  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  for (size_t sent = 0; sent < options.messages; ++sent) {
    if (options.rate > 0) {
      std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(static_cast<double>(sent) / options.rate)));
    } else {
      wait_for([&] { return sent < tracker.completed.load() + options.window; }, tracker.delivered);
      if (sent >= tracker.completed.load() + options.window) break;  // stalled: stop publishing
    }
    const size_t author = honest[pick_honest(rng)];
    asio::post(net.executor(author), [&net, author, sent] {
      net.service(author).publish(kTopic, payload(kHonest, sent, static_cast<uint32_t>(author)));
    });
    if (spammers > 0) spam();
  }
  wait_for([&] { return tracker.completed.load() >= options.messages; }, tracker.delivered);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_seconds = process_cpu_seconds() - cpu_start;
  std::this_thread::sleep_for(500ms);  // stragglers and duplicates

  Result r = summarize(scenario, net, tracker, spammer, options.messages, seconds, cpu_seconds, honest);
  judge(net, spammer, config.router.thresholds.graylist, r);
  return r;
}

// One receiver, `publishers` hosts connected only to it and not subscribed,
// so each message costs the receiver one verification and one delivery.
Result run_capacity(const Options& options) {
  PubsubServiceConfig config;
  config.max_queued_rpcs_per_peer = 1 << 16;
  config.signature_check_threads = options.signature_threads;
  const size_t n = options.publishers + 1;
  const size_t threads = options.threads;
  // The receiver has thread 0 to itself when there are several.
  TcpCluster net(n, threads, config, [threads](size_t i) { return i == 0 || threads == 1 ? 0 : 1 + (i - 1) % (threads - 1); });
  Tracker tracker(options.capacity_messages, n, 1);
  const std::vector<bool> spammer(n, false);
  net.on(0, [&] {
    net.service(0).subscribe(kTopic, [&tracker](const prowl::pubsub::Message& m) { tracker.on_message(0, m); });
  });
  for (size_t p = 1; p < n; ++p) net.connect(p, 0);
  for (size_t p = 1; p < n; ++p) {
    while (!net.on(p, [&, p] { return !net.service(p).router().topic_peers(kTopic).empty(); }))
      std::this_thread::sleep_for(10ms);
  }
  std::vector<std::shared_ptr<RawStreams>> raw(n);
  std::vector<std::vector<std::vector<uint8_t>>> frames(n);  // per publisher, in sending order
  for (size_t p = 1; p < n; ++p) raw[p] = open_raw_streams(net, p);
  for (size_t sent = 0; sent < options.capacity_messages; ++sent) {
    const size_t author = 1 + sent % options.publishers;
    frames[author].push_back(signed_frame(net.swarm(author).identity(), raw[author]->seqno++,
                                          payload(kHonest, sent, static_cast<uint32_t>(author))));
  }
  const size_t window = std::max<size_t>(options.window, 2000);
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  for (size_t sent = 0; sent < options.capacity_messages; ++sent) {
    wait_for([&] { return sent < tracker.completed.load() + window; }, tracker.delivered);
    if (sent >= tracker.completed.load() + window) break;
    const size_t author = 1 + sent % options.publishers;
    tracker.sent_ns[sent].store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    asio::post(net.executor(author), [&net, &raw, author, frame = std::move(frames[author][sent / options.publishers])]() mutable {
      send_raw(net, author, raw[author], std::move(frame));
    });
  }
  wait_for([&] { return tracker.completed.load() >= options.capacity_messages; }, tracker.delivered);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_seconds = process_cpu_seconds() - cpu_start;
  return summarize("capacity (1 receiver)", net, tracker, spammer, options.capacity_messages, seconds, cpu_seconds, {0});
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("gossipsub over N hosts on loopback TCP (Noise + Yamux), one event loop per core");
  app.add_option("--hosts", options.hosts)->check(CLI::Range(3, 1000));
  app.add_option("--messages", options.messages)->check(CLI::Range(1, 1000000));
  app.add_option("--degree", options.degree)->check(CLI::Range(1, 50));
  app.add_option("--threads", options.threads, "event loop threads (default: one per core)")->check(CLI::Range(1, 256));
  app.add_option("--signature-threads", options.signature_threads,
                 "threads that check signatures, per host (default 0: on the host's event loop)")
      ->check(CLI::Range(0, 256));
  app.add_option("--window", options.window, "messages in flight when --rate is 0")->check(CLI::Range(1, 100000));
  app.add_option("--rate", options.rate, "messages per second (0: keep --window in flight)")->check(CLI::Range(0.0, 1e6));
  app.add_option("--spammer-share", options.spammer_share)->check(CLI::Range(0.01, 0.5));
  app.add_option("--paced-rate", options.paced_rate, "paced scenario: messages per second")
      ->check(CLI::Range(0.1, 1e6));
  app.add_option("--paced-messages", options.paced_messages)->check(CLI::Range(1, 1000000));
  app.add_option("--publishers", options.publishers, "capacity scenario: publishers feeding one receiver")
      ->check(CLI::Range(1, 64));
  app.add_option("--capacity-messages", options.capacity_messages)->check(CLI::Range(1, 10000000));
  app.add_option("--scenarios", options.scenarios, "any of honest, spam, paced, capacity")
      ->check(CLI::IsMember({"honest", "spam", "paced", "capacity"}));
  app.add_option("--seed", options.seed);
  CLI11_PARSE(app, argc, argv);

  std::printf("%zu event loop threads, %zu signature check threads per host, on %u cores\n\n", options.threads,
              options.signature_threads, std::thread::hardware_concurrency());
  std::printf("| scenario | hosts | spammers | messages | seconds | delivery ratio | p50 ms | p99 ms | "
              "duplicates per delivery | delivered msgs/s per host | CPU µs per delivery | spammers graylisted | "
              "honest peers scored < 0 | queue drops |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  std::fflush(stdout);
  bool ok = true;
  for (const std::string& scenario : options.scenarios) {
    Result r;
    if (scenario == "capacity") {
      r = run_capacity(options);
    } else {
      Options o = options;
      if (scenario == "paced") {
        o.rate = options.paced_rate;
        o.messages = options.paced_messages;
      }
      r = run_mesh(o, scenario == "spam", scenario.c_str());
    }
    ok = ok && r.delivery_ratio == 1.0 && r.spammers_graylisted == r.spammers && r.honest_negative == 0;
    std::printf("| %s | %zu | %zu | %zu | %.1f | %.4f | %.1f | %.1f | %.2f | %.0f | %.1f | %zu/%zu | %zu | %llu |\n",
                r.scenario.c_str(), r.hosts, r.spammers, r.messages, r.seconds, r.delivery_ratio, r.p50_ms, r.p99_ms,
                r.duplicates_per_delivery, r.delivered_per_host_per_s, r.cpu_us_per_delivery, r.spammers_graylisted,
                r.spammers, r.honest_negative, static_cast<unsigned long long>(r.queue_drops));
    std::fflush(stdout);
  }
  return ok ? 0 : 1;
}
