// `prowl hunt list`, `prowl hunt run` (a one-shot coordinator) and
// `prowl reputation`.
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/app/cli_support.h"
#include "host/app/commands.h"
#include "host/base/encoding/hex.h"
#include "host/base/encoding/utf8.h"
#include "host/base/identity/key_store.h"
#include "host/base/log/log.h"
#include "host/plugin_host/hunt/plugin_hunt.h"
#include "host/services/compute/coordinator.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/wire/job/journal.h"

namespace prowl::cli {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

struct RunFlags {
  std::string hunt;
  std::vector<std::string> params;  // K=V
  std::string input;
  std::string output;
  uint32_t replicas = 0;  // 0: compute.replicas
  uint32_t quorum = 0;    // 0: compute.quorum
  bool no_local = false;
  bool no_adaptive = false;
  std::vector<std::string> bootstrap;
  int timeout_seconds = 86400;
  bool json = false;
};

// --param K=V pairs as a JSON object of strings.
std::string params_json(const std::vector<std::string>& pairs) {
  return json_line([&](JsonWriter& w) {
    std::map<std::string, std::string> seen;
    for (const std::string& pair : pairs) {
      const size_t eq = pair.find('=');
      if (eq == std::string::npos || eq == 0) throw CliError("--param takes KEY=VALUE, got '" + pair + "'");
      if (!seen.emplace(pair.substr(0, eq), pair.substr(eq + 1)).second)
        throw CliError("--param " + pair.substr(0, eq) + " given twice");
    }
    for (const auto& [key, value] : seen) {
      w.Key(key.c_str());
      w.String(value.c_str());
    }
  });
}

identity::KeyPair data_identity(const Context& context) {
  try {
    return identity::load_or_create_identity(context.data_dir());
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
}

// A progress bar on a terminal (stderr), JSON progress lines otherwise (stdout).
compute::ProgressFn progress_printer(bool terminal) {
  return [terminal, last = std::chrono::steady_clock::time_point{}](const job::Stats& s) mutable {
    const auto now = std::chrono::steady_clock::now();
    if (terminal) {
      const size_t width = 30;
      const size_t filled = s.tasks == 0 ? 0 : s.accepted * width / s.tasks;
      std::fprintf(stderr, "\r[%s%s] %zu/%zu tasks, %zu workers, %llu rejected ", std::string(filled, '#').c_str(),
                   std::string(width - filled, '-').c_str(), s.accepted, s.tasks, s.results_per_worker.size(),
                   static_cast<unsigned long long>(s.rejected));
      if (s.accepted == s.tasks) std::fputc('\n', stderr);
      std::fflush(stderr);
      return;
    }
    if (now - last < std::chrono::seconds(1) && s.accepted != s.tasks) return;
    last = now;
    print_json_line([&](JsonWriter& w) {
      w.Key("progress");
      w.StartObject();
      w.Key("accepted");
      w.Uint64(s.accepted);
      w.Key("tasks");
      w.Uint64(s.tasks);
      w.Key("workers");
      w.Uint64(s.results_per_worker.size());
      w.Key("rejected");
      w.Uint64(s.rejected);
      w.EndObject();
    });
  };
}

void print_report(const RunFlags& flags, const compute::JobReport& r) {
  print_json_line([&](JsonWriter& w) {
    w.Key("hunt");
    w.String(flags.hunt.c_str());
    w.Key("job");
    w.String(r.job_id.c_str());
    w.Key("tasks");
    w.Uint64(r.stats.tasks);
    w.Key("replicasRun");
    w.Uint64(r.stats.results);
    w.Key("offers");
    w.Uint64(r.stats.offers);
    w.Key("accepted");
    w.Uint64(r.stats.accepted);
    w.Key("restored");
    w.Uint64(r.restored);
    w.Key("rejected");
    w.Uint64(r.stats.rejected);
    w.Key("reassigned");
    w.Uint64(r.stats.reassigned);
    w.Key("backups");
    w.Uint64(r.stats.backups);
    w.Key("tasksPerWorker");
    w.StartObject();
    for (const auto& [worker, n] : r.tasks_per_worker) {
      w.Key(worker.c_str());
      w.Uint64(n);
    }
    w.EndObject();
    w.Key("seconds");
    w.Double(r.seconds);
    if (!flags.output.empty()) {
      w.Key("output");
      w.String(flags.output.c_str());
      w.Key("outputBytes");
      w.Uint64(r.outcome.size());
    } else if (encoding::valid_utf8(r.outcome)) {
      w.Key("outcome");
      w.String(reinterpret_cast<const char*>(r.outcome.data()), static_cast<rapidjson::SizeType>(r.outcome.size()));
    } else {
      w.Key("outcomeHex");
      w.String(encoding::hex_encode(r.outcome).c_str());
    }
  });
}

void run_hunt(Context& context, const RunFlags& flags) {
  plugins::Registry& registry = context.registry();
  node::NodeConfig config = client_node(context, "");
  config.key = data_identity(context);
  config.compute = node::compute_settings(context.config(), context.data_dir());
  job::Settings settings = config.compute.job;
  if (flags.replicas > 0) settings.replicas = flags.replicas;
  if (flags.quorum > 0) settings.quorum = flags.quorum;
  if (flags.replicas > 0 && flags.quorum == 0) settings.quorum = std::min(settings.quorum, settings.replicas);
  settings.max_replicas = std::max(settings.max_replicas, settings.replicas);
  if (flags.no_adaptive) settings.adaptive = false;
  if (Status s = settings.validate(); !s.ok()) throw CliError("--replicas/--quorum: " + s.message());
  std::vector<multiaddr::Multiaddr> peers;
  try {
    peers = discovery::parse_bootstrap_addresses(flags.bootstrap, "--bootstrap");
  } catch (const std::exception& e) {
    throw CliError(e.what());
  }
  if (!flags.input.empty() && !fs::is_regular_file(flags.input))
    throw CliError("--input " + flags.input + " is not a readable file");
  compute::JobSpec spec;
  spec.hunt = flags.hunt;
  spec.params = params_json(flags.params);
  spec.input = flags.input;
  spec.settings = settings;
  spec.local = !flags.no_local;
  spec.task_deadline = settings.task_timeout;
  spec.max_result_bytes = config.compute.executor.max_output_bytes;
  std::string error;
  auto journal = job::Journal::open(context.data_dir() / "jobs.sqlite", &error);
  if (!journal) throw CliError(error);
  const bool terminal = !flags.json && ::isatty(STDERR_FILENO) != 0;
  compute::JobReport report;
  run_client_with_plugins(
      std::move(config), flags.timeout_seconds,
      [&](node::Node& node) -> asio::awaitable<void> {
        for (const auto& address : peers) {
          try {
            co_await node.swarm().dial(address);
          } catch (const std::exception& e) {
            log::get_logger("prowl")->warn("cannot reach {}: {}", address.to_string(), e.what());
          }
        }
        compute::Coordinator coordinator(node.swarm(), co_await asio::this_coro::executor, *node.compute(),
                                         node.hunts(), node.reputation(), journal.get());
        report = co_await coordinator.run(spec, progress_printer(terminal));
      },
      registry);
  if (!report.status.ok()) throw CliError(report.status.message());
  if (!flags.output.empty()) {
    std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(report.outcome.data()), static_cast<std::streamsize>(report.outcome.size()));
    if (!out) throw CliError("cannot write --output " + flags.output);
  }
  print_report(flags, report);
}

void list_hunts(Context& context, bool json) {
  compute::HuntCatalog catalog;
  if (Status s = plugins::add_plugin_hunts(context.registry(), catalog); !s.ok()) throw CliError(s.message());
  const auto hunts = catalog.list();
  if (!json && hunts.empty()) {
    print_line("no compute hunt loaded (plugin directories: prowl plugins list)");
    return;
  }
  for (const auto& hunt : hunts) {
    const compute::HuntInfo& info = hunt->info();
    const std::string hash = encoding::hex_encode(info.library_sha256);
    if (json) {
      print_json_line([&](JsonWriter& w) {
        w.Key("name");
        w.String(info.name.c_str());
        w.Key("version");
        w.String(info.version.c_str());
        w.Key("type");
        w.String(compute::hunt_type_name(info.type));
        w.Key("check");
        w.Bool(info.has_check);
        w.Key("librarySha256");
        w.String(hash.c_str());
      });
    } else {
      print_line(info.name + " " + info.version + " (" + compute::hunt_type_name(info.type) +
                 (info.has_check ? ", checked" : ", verified by replicas") + ") library sha256 " + hash.substr(0, 16));
    }
  }
}

void show_reputation(Context& context, const std::string& peer_text, bool json) {
  const fs::path file = context.data_dir() / "reputation.sqlite";
  if (!fs::exists(file))
    throw CliError("no reputation recorded in " + context.data_dir().string() +
                   " yet (a host records it when it coordinates jobs: prowl hunt run)");
  std::string error;
  auto store = reputation::Store::open(file, &error);
  if (!store) throw CliError(error);
  std::optional<identity::PeerId> only;
  if (!peer_text.empty()) {
    std::string why;
    only = identity::PeerId::from_string(peer_text, &why);
    if (!only) throw CliError("--peer: " + why);
  }
  const node::ComputeSettings settings = node::compute_settings(context.config(), context.data_dir());
  reputation::Ledger ledger(settings.reputation);
  for (const auto& [peer, record] : store->load_all()) ledger.load(peer, record);
  const auto now = std::chrono::system_clock::now();
  size_t shown = 0;
  for (const auto& [peer, stored] : ledger.records()) {
    if (only && peer != *only) continue;
    ++shown;
    const reputation::Record r = ledger.view(peer, now);
    const double trust = r.trust(settings.reputation);
    const int64_t quarantine_s =
        r.quarantined(now) ? std::chrono::duration_cast<std::chrono::seconds>(r.quarantined_until - now).count() : 0;
    if (!json) {
      char line[256];
      std::snprintf(line, sizeof line, "%s trust %.3f%s valid %llu invalid %llu lost %llu%s", peer.to_string().c_str(),
                    trust, trust >= settings.reputation.trust_threshold ? " (trusted)" : "",
                    static_cast<unsigned long long>(r.valid), static_cast<unsigned long long>(r.invalid),
                    static_cast<unsigned long long>(r.lost),
                    quarantine_s > 0 ? (" quarantined " + std::to_string(quarantine_s) + " s more").c_str() : "");
      print_line(line);
      continue;
    }
    print_json_line([&](JsonWriter& w) {
      w.Key("peer");
      w.String(peer.to_string().c_str());
      w.Key("trust");
      w.Double(trust);
      w.Key("trusted");
      w.Bool(trust >= settings.reputation.trust_threshold);
      w.Key("performance");
      w.Double(r.performance);
      w.Key("reliability");
      w.Double(r.reliability);
      w.Key("contribution");
      w.Double(r.contribution(settings.reputation));
      w.Key("accuracy");
      w.Double(r.accuracy);
      w.Key("participation");
      w.Double(r.participation);
      w.Key("valid");
      w.Uint64(r.valid);
      w.Key("invalid");
      w.Uint64(r.invalid);
      w.Key("lost");
      w.Uint64(r.lost);
      w.Key("consecutiveValid");
      w.Uint64(r.consecutive_valid);
      w.Key("quarantined");
      w.Bool(quarantine_s > 0);
      w.Key("quarantineSecondsLeft");
      w.Int64(quarantine_s);
    });
  }
  if (only && shown == 0) throw CliError("no reputation recorded for " + peer_text);
}

}  // namespace

void add_hunt_commands(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* hunt = app.add_subcommand("hunt", "Run compute hunts across the swarm");
  hunt->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = hunt->add_subcommand("list", "List the compute hunts the plugins provide");
  list->add_flag("--json", *list_json, "print JSON lines");
  list->callback([&context, &exit_code, list_json] {
    context.init();
    list_hunts(context, *list_json);
    exit_code = 0;
  });

  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = hunt->add_subcommand("run", "Split a job into tasks, farm them out to the hosts found, verify and merge");
  run->add_option("HUNT", flags->hunt, "the hunt to run (prowl hunt list)")->required();
  run->add_option("--param", flags->params, "a hunt parameter KEY=VALUE (repeatable)");
  run->add_option("--input", flags->input, "the job's input file");
  run->add_option("--output", flags->output, "write the outcome to this file instead of printing it");
  run->add_option("--replicas", flags->replicas, "hosts that run each task (default: compute.replicas)")
      ->check(CLI::Range(1, 16));
  run->add_option("--quorum", flags->quorum, "agreeing results that accept a task (default: compute.quorum)")
      ->check(CLI::Range(1, 16));
  run->add_flag("--no-local", flags->no_local, "run no task on this host");
  run->add_flag("--no-adaptive", flags->no_adaptive, "replicate every task, even on trusted workers");
  run->add_option("--bootstrap", flags->bootstrap, "multiaddr of a host to farm tasks to (repeatable)");
  run->add_option("--timeout", flags->timeout_seconds, "give up after this many seconds")->check(CLI::Range(1, 864000));
  run->add_flag("--json", flags->json, "progress as JSON lines even on a terminal");
  run->callback([&context, &exit_code, flags] {
    context.init();
    run_hunt(context, *flags);
    exit_code = 0;
  });

  auto peer = std::make_shared<std::string>();
  auto reputation_json = std::make_shared<bool>(false);
  CLI::App* reputation = app.add_subcommand("reputation", "Show the reputation this host keeps of its workers");
  reputation->add_option("--peer", *peer, "only this peer");
  reputation->add_flag("--json", *reputation_json, "print JSON lines");
  reputation->callback([&context, &exit_code, peer, reputation_json] {
    context.init();
    show_reputation(context, *peer, *reputation_json);
    exit_code = 0;
  });
}

}  // namespace prowl::cli
