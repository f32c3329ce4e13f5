// bench_pubsub: gossipsub at scale in one process. N hosts (Swarm +
// PubsubService each) on the in-memory transport -- the full upgrade path
// (multistream, Noise XX, Yamux) without sockets, since 100 hosts with ~10
// connections each would need thousands of loopback sockets -- joined in a
// random graph, all subscribed to one topic. Publishes M messages from
// random hosts and measures delivery ratio, delivery latency, duplicates and
// delivery rate; then repeats with a share of hosts spamming messages the
// honest hosts' validator rejects, and checks that the spammers end up
// graylisted while honest delivery stays complete. Prints a markdown table.
// All hosts share one thread, so latency is queueing-bound unless --rate
// keeps the offered load below what that thread verifies and relays.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "host/pubsub_service/local_network.h"

namespace {

using prowl::pubsub_service::LocalNetwork;
using prowl::pubsub_service::PubsubServiceConfig;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kTopic = "bench";
constexpr uint8_t kHonest = 'H';
constexpr uint8_t kSpam = 'S';

struct Options {
  size_t hosts = 100;
  size_t messages = 10000;
  size_t degree = 4;          // random dials per host, on top of a ring
  size_t burst = 20;          // messages published per loop turn (when rate is 0)
  double rate = 0;            // honest messages per second; 0: as fast as bursts go
  double spammer_share = 0.2;
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
  double duplicates_per_message = 0;
  double delivered_per_host_per_s = 0;
  size_t spammers_graylisted = 0;
  uint64_t queue_drops = 0;
};

// Payload: kind, message index, publish time (steady clock ns).
std::vector<uint8_t> payload(uint8_t kind, uint64_t index, Clock::time_point at) {
  std::vector<uint8_t> out(17);
  out[0] = kind;
  const int64_t ns = at.time_since_epoch().count();
  std::memcpy(out.data() + 1, &index, 8);
  std::memcpy(out.data() + 9, &ns, 8);
  return out;
}

double quantile(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[rank];
}

Result run(const Options& options, size_t spammers, const char* scenario) {
  PubsubServiceConfig config;
  config.max_queued_rpcs_per_peer = 1 << 16;
  LocalNetwork net(options.hosts, config);
  const size_t n = options.hosts;
  auto is_spammer = [&](size_t i) { return i < spammers; };

  // deliveries[index] counts honest hosts other than the author that got message `index`.
  std::vector<uint32_t> deliveries(options.messages, 0);
  std::vector<size_t> author(options.messages, 0);
  std::vector<double> latencies_ms;
  latencies_ms.reserve(options.messages * (n - 1));
  uint64_t total_delivered = 0;
  for (size_t i = 0; i < n; ++i) {
    if (is_spammer(i)) {
      net.service(i).subscribe(kTopic, [](const prowl::pubsub::Message&) {});
      continue;
    }
    net.service(i).add_validator(kTopic, [](const prowl::pubsub::Message& m) {
      return !m.data.empty() && m.data[0] == kHonest ? prowl::pubsub::Verdict::kAccept
                                                    : prowl::pubsub::Verdict::kReject;
    });
    net.service(i).subscribe(kTopic, [&, i](const prowl::pubsub::Message& m) {
      if (m.data.size() != 17 || m.data[0] != kHonest) return;
      uint64_t index = 0;
      int64_t ns = 0;
      std::memcpy(&index, m.data.data() + 1, 8);
      std::memcpy(&ns, m.data.data() + 9, 8);
      if (index >= deliveries.size() || author[index] == i) return;
      ++deliveries[index];
      ++total_delivered;
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - Clock::time_point(Clock::duration(ns))).count());
    });
  }
  net.connect_random(options.degree, options.seed);
  net.run_until(
      [&] {
        for (size_t i = 0; i < n; ++i)
          if (net.service(i).router().mesh_peers(kTopic).size() < std::min<size_t>(4, net.swarm(i).connections().size()))
            return false;
        return true;
      },
      30s);

  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<size_t> honest_host(spammers, n - 1);
  std::uniform_int_distribution<size_t> spam_host(0, spammers == 0 ? 0 : spammers - 1);
  const auto start = Clock::now();
  uint64_t spam_index = 0;
  auto publish_next = [&](size_t sent) {
    author[sent] = honest_host(rng);
    net.service(author[sent]).publish(kTopic, payload(kHonest, sent, Clock::now()));
    if (spammers > 0) net.service(spam_host(rng)).publish(kTopic, payload(kSpam, spam_index++, Clock::now()));
  };
  for (size_t sent = 0; sent < options.messages;) {
    if (options.rate > 0) {
      // Open loop: message i goes out at start + i / rate.
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(static_cast<double>(sent) / options.rate));
      net.run_until([&] { return Clock::now() >= due; }, 1h);
      publish_next(sent++);
      continue;
    }
    for (size_t k = 0; k < options.burst && sent < options.messages; ++k) publish_next(sent++);
    net.run_for(1ms);
  }
  const size_t honest = n - spammers;
  const uint64_t expected = static_cast<uint64_t>(options.messages) * (honest - 1);
  // Wait for the backlog to drain; give up only when nothing arrives for 10 s.
  for (uint64_t before = ~uint64_t{0}; total_delivered < expected && total_delivered != before;) {
    before = total_delivered;
    net.run_until([&] { return total_delivered >= expected || total_delivered > before; }, 10s);
    if (total_delivered > before) net.run_until([&] { return total_delivered >= expected; }, 1s);
  }
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  net.run_for(500ms);  // stragglers and duplicates

  Result r;
  r.scenario = scenario;
  r.hosts = n;
  r.spammers = spammers;
  r.messages = options.messages;
  r.delivery_ratio = static_cast<double>(total_delivered) / static_cast<double>(expected);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  r.p50_ms = quantile(latencies_ms, 0.5);
  r.p99_ms = quantile(latencies_ms, 0.99);
  uint64_t duplicates = 0;
  for (size_t i = spammers; i < n; ++i) {
    duplicates += net.service(i).router().stats().messages_duplicate;
    r.queue_drops += net.service(i).stats().rpcs_dropped_queue_full;
  }
  r.duplicates_per_message = static_cast<double>(duplicates) / static_cast<double>(options.messages);
  r.delivered_per_host_per_s = static_cast<double>(total_delivered) / static_cast<double>(honest) / elapsed_s;
  // A spammer counts as graylisted when every honest host connected to it scores it below the graylist threshold.
  const double graylist = config.router.thresholds.graylist;
  for (size_t s = 0; s < spammers; ++s) {
    const auto spammer = net.swarm(s).local_peer();
    bool all = true;
    size_t neighbours = 0;
    for (size_t i = spammers; i < n; ++i) {
      const auto peers = net.service(i).peers();
      if (std::find(peers.begin(), peers.end(), spammer) == peers.end()) continue;
      ++neighbours;
      if (net.service(i).router().score(spammer) >= graylist) all = false;
    }
    if (all && neighbours > 0) ++r.spammers_graylisted;
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("gossipsub delivery over N in-memory hosts");
  app.add_option("--hosts", options.hosts)->check(CLI::Range(3, 1000));
  app.add_option("--messages", options.messages)->check(CLI::Range(1, 1000000));
  app.add_option("--degree", options.degree)->check(CLI::Range(1, 50));
  app.add_option("--burst", options.burst, "messages per loop turn when --rate is 0")->check(CLI::Range(1, 10000));
  app.add_option("--rate", options.rate, "honest messages per second (0: bursts, saturating the loop)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--spammer-share", options.spammer_share)->check(CLI::Range(0.0, 0.5));
  app.add_option("--seed", options.seed);
  CLI11_PARSE(app, argc, argv);

  const size_t spammers = static_cast<size_t>(static_cast<double>(options.hosts) * options.spammer_share);
  const Result results[] = {run(options, 0, "honest"), run(options, spammers, "spam")};
  std::printf("| scenario | hosts | spammers | messages | delivery ratio | p50 ms | p99 ms | duplicates/msg | "
              "delivered msgs/s per host | spammers graylisted | queue drops |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const Result& r : results) {
    std::printf("| %s | %zu | %zu | %zu | %.4f | %.2f | %.2f | %.2f | %.0f | %zu/%zu | %llu |\n", r.scenario.c_str(),
                r.hosts, r.spammers, r.messages, r.delivery_ratio, r.p50_ms, r.p99_ms, r.duplicates_per_message,
                r.delivered_per_host_per_s, r.spammers_graylisted, r.spammers,
                static_cast<unsigned long long>(r.queue_drops));
  }
  const bool ok = results[0].delivery_ratio == 1.0 && results[1].delivery_ratio == 1.0 &&
                  results[1].spammers_graylisted == results[1].spammers;
  return ok ? 0 : 1;
}
