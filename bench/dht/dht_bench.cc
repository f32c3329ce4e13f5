// bench_dht: the Kademlia DHT at scale in one process. N hosts (Swarm +
// identify + DhtService each) on the in-memory transport -- the full upgrade
// path (multistream, Noise XX, Yamux) and the real kad protocol code without
// sockets -- join one by one through a few earlier hosts. Then signed
// records are put from random hosts, and lookups from random hosts measure
// success, hops and messages per lookup (FIND_NODE of a live peer, GET_VALUE
// of a record) against log2(N). Then a share of the hosts is shut down and
// the lookups run again: the records must still be found. Prints a markdown
// table.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "host/services/dht/testing/local_network.h"
#include "host/wire/kad/query.h"
#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/validator_set.h"

namespace {

using prowl::dht::DhtConfig;
using prowl::dht::LocalNetwork;
namespace kad = prowl::kad;
namespace identity = prowl::identity;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
  size_t hosts = 1000;
  size_t seeds = 3;          // earlier hosts a newcomer knows
  size_t concurrent_joins = 16;
  size_t records = 100;
  size_t lookups = 300;      // per kind and phase
  double kill_share = 0.2;
  uint64_t seed = 1;
  int idle_ms = 2000;        // idle connections close after this long
};

struct Stats {
  size_t attempts = 0;
  size_t successes = 0;
  std::vector<double> hops;
  std::vector<double> messages;
};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

class Bench {
 public:
  explicit Bench(const Options& options) : options_(options), rng_(options.seed) {
    config_.query.request_timeout = 5s;
    config_.query.query_timeout = 60s;
    config_.max_queries = 64;
    config_.maintenance_interval = std::chrono::hours(1);  // no background refresh during the run
    config_.refresh_interval = std::chrono::hours(1);
    // Each connection holds ~0.5 MiB of buffers: close idle ones soon, so
    // memory follows the lookups in flight rather than every peer ever met.
    swarm_config_.idle_timeout = std::chrono::milliseconds(options.idle_ms);
  }

  void join_all() {
    const auto start = Clock::now();
    for (size_t i = 0; i < options_.hosts; ++i) {
      keys_.push_back(identity::KeyPair::generate());
      net_.add_host(keys_.back(), config_, swarm_config_);
    }
    // Host 0 is alone; each later host learns a few earlier ones and looks itself up.
    size_t next = 1;
    size_t running = 0;
    while (next < options_.hosts || running > 0) {
      while (running < options_.concurrent_joins && next < options_.hosts) {
        const size_t i = next++;
        std::uniform_int_distribution<size_t> earlier(0, i - 1);
        for (size_t s = 0; s < std::min(options_.seeds, i); ++s) {
          const size_t j = earlier(rng_);
          net_.dht(i).add_addresses(net_.swarm(j).local_peer(), {net_.address(j)});
        }
        ++running;
        boost::asio::co_spawn(net_.io(), net_.dht(i).bootstrap(), [&running](std::exception_ptr, size_t) { --running; });
      }
      const bool more = next < options_.hosts;
      net_.run_until([&] { return more ? running < options_.concurrent_joins : running == 0; }, 120s);
    }
    join_seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
    size_t table = 0;
    for (size_t i = 0; i < net_.size(); ++i) table += net_.dht(i).routing_table().size();
    std::fprintf(stderr, "joined %zu hosts in %.1f s; mean routing table %.1f peers\n", net_.size(), join_seconds_,
                 static_cast<double>(table) / static_cast<double>(net_.size()));
  }

  void put_records() {
    std::uniform_int_distribution<size_t> pick(0, net_.size() - 1);
    size_t stored = 0;
    for (size_t r = 0; r < options_.records; ++r) {
      const size_t host = pick(rng_);
      const auto peer = identity::PeerId::from_public_key(keys_[host].public_key());
      auto key = kad::SignedValue::record_key(peer, "record-" + std::to_string(r));
      const std::string text = "value " + std::to_string(r);
      auto value = kad::SignedValue::sign(keys_[host], key, {text.begin(), text.end()}, 1).encode();
      stored += net_.run(net_.dht(host).put_value(key, value), 120s);
      records_.push_back(std::move(key));
    }
    std::fprintf(stderr, "put %zu records, %.1f replicas each\n", records_.size(),
                 static_cast<double>(stored) / static_cast<double>(records_.size()));
  }

  void kill_share() {
    std::vector<size_t> order(net_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    const auto count = static_cast<size_t>(options_.kill_share * static_cast<double>(net_.size()));
    for (size_t i = 0; i < count; ++i) net_.remove_host(order[i]);
    killed_ = count;
  }

  // FIND_NODE lookups of random live peers and GET_VALUE lookups of random
  // records, each from a random live host.
  std::pair<Stats, Stats> measure() {
    Stats find;
    Stats get;
    std::vector<size_t> live;
    for (size_t i = 0; i < net_.size(); ++i) {
      if (net_.alive(i)) live.push_back(i);
    }
    std::uniform_int_distribution<size_t> pick(0, live.size() - 1);
    std::uniform_int_distribution<size_t> record(0, records_.size() - 1);
    for (size_t n = 0; n < options_.lookups; ++n) {
      const size_t from = live[pick(rng_)];
      size_t target = live[pick(rng_)];
      while (target == from) target = live[pick(rng_)];
      const auto target_peer = net_.swarm(target).local_peer();
      auto& dht = net_.dht(from);
      const auto result = net_.run(
          dht.run_query(kad::Query::find_closest_peers(net_.swarm(from).local_peer(), target_peer.bytes(),
                                                       dht.config().query)),
          120s);
      record_stats(find, result, std::any_of(result.closest.begin(), result.closest.end(),
                                             [&](const kad::PeerInfo& p) { return p.id == target_peer; }));
    }
    for (size_t n = 0; n < options_.lookups; ++n) {
      const size_t from = live[pick(rng_)];
      auto& dht = net_.dht(from);
      const auto result = net_.run(dht.run_query(kad::Query::get_value(net_.swarm(from).local_peer(),
                                                                       records_[record(rng_)], validators_,
                                                                       dht.config().query)),
                                   120s);
      record_stats(get, result, result.best_value.has_value());
    }
    return {find, get};
  }

  size_t live_hosts() const { return net_.size() - killed_; }

 private:
  static void record_stats(Stats& stats, const kad::QueryResult& result, bool success) {
    ++stats.attempts;
    if (!success) return;
    ++stats.successes;
    stats.hops.push_back(static_cast<double>(result.hops));
    stats.messages.push_back(static_cast<double>(result.requests));
  }

  Options options_;
  std::mt19937_64 rng_;
  DhtConfig config_;
  prowl::swarm::SwarmConfig swarm_config_;
  LocalNetwork net_;
  std::vector<identity::KeyPair> keys_;
  std::vector<std::vector<uint8_t>> records_;
  kad::ValidatorSet validators_ = kad::ValidatorSet::with_defaults();
  double join_seconds_ = 0;
  size_t killed_ = 0;
};

void print_row(const char* phase, const char* kind, size_t hosts, const Stats& s) {
  std::printf("| %s | %s | %zu | %.1f | %zu/%zu (%.1f%%) | %.0f | %.0f | %.0f | %.0f |\n", phase, kind, hosts,
              std::log2(static_cast<double>(hosts)), s.successes, s.attempts,
              100.0 * static_cast<double>(s.successes) / static_cast<double>(std::max<size_t>(1, s.attempts)),
              quantile(s.hops, 0.5), quantile(s.hops, 0.99), quantile(s.messages, 0.5), quantile(s.messages, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("Kademlia lookups over many in-memory prowl hosts");
  app.add_option("--hosts", options.hosts, "hosts in the network")->check(CLI::Range(20, 100000));
  app.add_option("--records", options.records, "signed records put before measuring")->check(CLI::Range(1, 100000));
  app.add_option("--lookups", options.lookups, "lookups per kind and phase")->check(CLI::Range(1, 100000));
  app.add_option("--kill", options.kill_share, "share of hosts shut down for the second phase")
      ->check(CLI::Range(0.0, 0.9));
  app.add_option("--seed", options.seed, "random seed");
  app.add_option("--idle-ms", options.idle_ms, "idle connections close after this many ms")
      ->check(CLI::Range(100, 600000));
  CLI11_PARSE(app, argc, argv);

  Bench bench(options);
  bench.join_all();
  bench.put_records();
  const auto [find_before, get_before] = bench.measure();
  bench.kill_share();
  const auto [find_after, get_after] = bench.measure();

  std::printf("| phase | lookup | live hosts | log2(N) | success | median hops | p99 hops | median msgs | p99 msgs |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  print_row("all up", "FIND_NODE", options.hosts, find_before);
  print_row("all up", "GET_VALUE", options.hosts, get_before);
  print_row("20% killed", "FIND_NODE", bench.live_hosts(), find_after);
  print_row("20% killed", "GET_VALUE", bench.live_hosts(), get_after);
  return 0;
}
