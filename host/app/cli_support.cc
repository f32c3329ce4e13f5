#include "host/app/cli_support.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>

#include "host/base/encoding/hex.h"

namespace prowl::cli {
namespace asio = boost::asio;

void print_line(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string json_line(const std::function<void(JsonWriter&)>& fill) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  fill(writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void print_json_line(const std::function<void(JsonWriter&)>& fill) { print_line(json_line(fill)); }

identity::KeyPair key_from_seed_flag(const std::string& seed_hex) {
  if (seed_hex.empty()) return identity::KeyPair::generate();
  const auto seed = encoding::hex_decode(seed_hex);
  if (!seed || seed->size() != 32) {
    throw CliError("--key must be a 32-byte Ed25519 seed (64 hex digits), got '" + seed_hex + "'");
  }
  std::array<uint8_t, 32> raw;
  std::copy(seed->begin(), seed->end(), raw.begin());
  return identity::KeyPair::from_seed(raw);
}

multiaddr::Multiaddr parse_address_flag(const std::string& text, const char* what) {
  std::string error;
  auto address = multiaddr::Multiaddr::parse(text, &error);
  if (!address) throw CliError(std::string(what) + ": " + error);
  return *address;
}

double to_ms(std::chrono::nanoseconds d) {
  return std::round(std::chrono::duration<double, std::milli>(d).count() * 1000) / 1000;
}

void write_summary(JsonWriter& w, std::vector<double> samples_ms) {
  std::sort(samples_ms.begin(), samples_ms.end());
  const auto quantile = [&](double q) {
    const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * static_cast<double>(samples_ms.size()))));
    return samples_ms[rank - 1];
  };
  w.Key("count");
  w.Uint64(samples_ms.size());
  w.Key("minMs");
  w.Double(samples_ms.front());
  w.Key("p50Ms");
  w.Double(quantile(0.5));
  w.Key("p99Ms");
  w.Double(quantile(0.99));
  w.Key("maxMs");
  w.Double(samples_ms.back());
}

node::NodeConfig client_node(const Context& context, const std::string& seed_hex) {
  return node::client_config(context.config(), key_from_seed_flag(seed_hex));
}

asio::awaitable<void> run_on(node::Node& node, const ClientBody& body) {
  std::exception_ptr error;
  try {
    co_await node.start();
    co_await body(node);
  } catch (...) {
    error = std::current_exception();
  }
  co_await node.stop();
  if (error) std::rethrow_exception(error);
}

namespace {

void run_node(node::NodeConfig config, int timeout_seconds, const ClientBody& body, plugins::Registry* registry) {
  asio::io_context io;
  node::Node node(io.get_executor(), std::move(config), registry);
  std::exception_ptr failure;
  bool finished = false;
  bool timed_out = false;
  asio::steady_timer deadline(io);
  asio::co_spawn(
      io,
      run_on(node, body),
      [&](std::exception_ptr error) {
        failure = error;
        finished = true;
        deadline.cancel();
        io.stop();
      });
  // At the deadline the swarm shuts down, which fails whatever is in flight;
  // should anything ignore that, the loop stops 2 s later.
  deadline.expires_after(std::chrono::seconds(timeout_seconds));
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    timed_out = true;
    asio::co_spawn(io, node.swarm().shutdown(), asio::detached);
    deadline.expires_after(std::chrono::seconds(2));
    deadline.async_wait([&](const boost::system::error_code& again) {
      if (!again) io.stop();
    });
  });
  io.run();
  if (timed_out) throw CliError("timed out after " + std::to_string(timeout_seconds) + " s");
  if (!finished) throw CliError("the command stopped before finishing");
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const CliError&) {
      throw;
    } catch (const std::exception& e) {
      throw CliError(e.what());
    }
  }
}

}  // namespace

void run_client(node::NodeConfig config, int timeout_seconds, const ClientBody& body) {
  run_node(std::move(config), timeout_seconds, body, nullptr);
}

void run_client_with_plugins(node::NodeConfig config, int timeout_seconds, const ClientBody& body,
                             plugins::Registry& registry) {
  run_node(std::move(config), timeout_seconds, body, &registry);
}


}  // namespace prowl::cli
