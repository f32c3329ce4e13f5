#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/app/cli_support.h"
#include "host/app/commands.h"
#include "host/app/pubsub_commands.h"
#include "host/base/identity/key_store.h"
#include "host/base/log/log.h"
#include "host/node/node.h"
#include "host/services/discovery/bootstrapper.h"

namespace prowl::cli {
namespace asio = boost::asio;

namespace {

identity::KeyPair load_identity(const Context& context) {
  try {
    return identity::load_or_create_identity(context.data_dir());
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
}

/// Returns on SIGINT or SIGTERM, or after `exit_after` seconds (when above 0).
asio::awaitable<void> wait_for_shutdown(double exit_after) {
  using namespace asio::experimental::awaitable_operators;
  const auto executor = co_await asio::this_coro::executor;
  asio::signal_set signals(executor, SIGINT, SIGTERM);
  asio::steady_timer deadline(executor, asio::steady_timer::time_point::max());
  if (exit_after > 0) {
    deadline.expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(exit_after)));
  }
  const auto ended = co_await (signals.async_wait(asio::use_awaitable) || deadline.async_wait(asio::use_awaitable));
  if (ended.index() == 0) {
    log::get_logger("prowl")->info("received signal {}, shutting down", std::get<0>(ended));
  } else {
    log::get_logger("prowl")->info("--exit-after elapsed, shutting down");
  }
}

}  // namespace

std::shared_ptr<RunOptions> add_run_options(CLI::App& run) {
  auto options = std::make_shared<RunOptions>();
  node::RunFlags& flags = options->node;
  run.add_option("--exit-after", options->exit_after, "stop cleanly after this many seconds")
      ->check(CLI::NonNegativeNumber);
  run.add_option("--listen", flags.listen, "multiaddr to listen on, repeatable (default: config network.listen)");
  run.add_flag("--perf", flags.perf, "serve /perf/1.0.0");
  run.add_option("--subscribe", flags.subscribe, "print messages of this gossipsub topic as JSON lines (repeatable)");
  run.add_flag("--publish-stdin", options->publish_stdin,
               "publish each line read on stdin to the first --subscribe topic");
  // Checked as they parse, so a bad value stops `prowl run` before it listens.
  run.add_option("--bootstrap", flags.bootstrap, "multiaddr of a DHT peer to keep connected (repeatable)")
      ->check(CLI::Validator([](std::string& text) { return discovery::bootstrap_address_error(text); }, "MULTIADDR"));
  run.add_flag("--no-mdns", flags.no_mdns, "do not discover peers with mDNS");
  run.add_option("--mdns-interface", flags.mdns_interface, "the interface mDNS runs on");
  run.add_option("--kad-protocol", flags.kad_protocol, "the kad protocol id (default: network.kad_protocol)")
      ->check(CLI::Validator([](std::string& id) { return node::kad_protocol_error(id); }, "ID"));
  run.add_flag("--kad-client", flags.kad_client, "query the DHT without answering it");
  return options;
}

void add_run_command(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* run = app.add_subcommand("run", "Run the node headless until SIGINT or SIGTERM");
  auto options = add_run_options(*run);
  run->callback([&context, &exit_code, options] {
    context.init();
    if (options->publish_stdin && options->node.subscribe.empty())
      throw CliError("--publish-stdin needs a --subscribe topic to publish to");
    node::NodeConfig config = node::from_config(context.config(), options->node, load_identity(context),
                                                context.data_dir());
    config.pubsub.on_message = [](const pubsub::Message& message) { print_line(message_json(message)); };
    asio::io_context io;
    node::Node node(io.get_executor(), std::move(config), &context.registry());
    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          std::exception_ptr error;
          try {
            const std::vector<multiaddr::Multiaddr> addresses = co_await node.start();
            for (const auto& address : addresses) print_line(address.to_string());
            std::optional<StdinPublisher> publisher;
            if (options->publish_stdin) publisher.emplace(io.get_executor(), *node.pubsub(), options->node.subscribe[0]);
            co_await wait_for_shutdown(options->exit_after);
          } catch (...) {
            error = std::current_exception();
          }
          co_await node.stop();
          if (error) std::rethrow_exception(error);
        },
        [&failure](std::exception_ptr e) { failure = e; });
    io.run();  // returns once the node has stopped and nothing is left running
    if (failure) std::rethrow_exception(failure);
    log::get_logger("prowl")->info("shut down cleanly");
    exit_code = 0;
  });
}

}  // namespace prowl::cli
