#include "host/app/pubsub_commands.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "host/base/encoding/hex.h"
#include "host/node/node.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/base/encoding/utf8.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/wire/pubsub/message_signing.h"

namespace prowl::cli {
using pubsub_service::PubsubService;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Polls `done` every 10 ms (the dialer runner bounds the wait).
asio::awaitable<void> wait_until(const std::function<bool()>& done) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!done()) {
    timer.expires_after(10ms);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

struct OneShotFlags {
  std::string topic;
  std::string message;
  std::string bootstrap;
  std::string key;
  int timeout_seconds = 30;
  int count = 1;
};

CLI::App* add_one_shot(CLI::App& app, const char* name, const char* description, OneShotFlags& flags) {
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->add_option("TOPIC", flags.topic, "the gossipsub topic")->required();
  cmd->add_option("--bootstrap", flags.bootstrap, "multiaddr of a gossipsub peer to join through")->required();
  cmd->add_option("--key", flags.key, "Ed25519 seed of our identity, 64 hex digits (default: a fresh key)");
  cmd->add_option("--timeout", flags.timeout_seconds, "give up after this many seconds")->check(CLI::Range(1, 86400));
  return cmd;
}

// The line `prowl pub` prints (kept out of the coroutine: GCC 12 mishandles the writer's temporaries there).
std::string published_json(const std::string& topic, const identity::PeerId& from, const pubsub::MessageId& id) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("topic");
  w.String(topic);
  w.Key("from");
  w.String(from.to_string());
  w.Key("msgId");
  w.String(encoding::hex_encode(std::span(reinterpret_cast<const uint8_t*>(id.data()), id.size())));
  w.EndObject();
  return buffer.GetString();
}

asio::awaitable<void> publish_once(node::Node& node, const OneShotFlags& flags, const multiaddr::Multiaddr& address) {
  const identity::PeerId peer = co_await node.swarm().dial(address);
  PubsubService& service = *node.pubsub();
  const auto subscribed = [&] {
    for (const auto& p : service.router().topic_peers(flags.topic))
      if (p == peer) return true;
    return false;
  };
  co_await wait_until(subscribed);
  std::string error;
  const std::vector<uint8_t> data(flags.message.begin(), flags.message.end());
  const auto id = service.publish(flags.topic, data, &error);
  if (!id) throw std::runtime_error("publish: " + error);
  const uint64_t sent_before = service.stats().rpcs_sent;
  co_await wait_until([&] { return service.stats().rpcs_sent > sent_before; });
  print_line(published_json(flags.topic, node.peer_id(), *id));
}

asio::awaitable<void> subscribe_once(node::Node& node, const OneShotFlags& flags, const multiaddr::Multiaddr& address) {
  const identity::PeerId peer = co_await node.swarm().dial(address);
  PubsubService& service = *node.pubsub();
  int received = 0;
  const auto id = service.subscribe(flags.topic, [&](const pubsub::Message& message) {
    if (received >= flags.count || message.from == node.peer_id()) return;
    ++received;
    print_line(message_json(message));
  });
  co_await wait_until([&] {
    for (const auto& p : service.router().mesh_peers(flags.topic))
      if (p == peer) return true;
    return false;
  });
  std::fprintf(stderr, "prowl sub: in the mesh of %s through %s\n", flags.topic.c_str(), peer.to_string().c_str());
  co_await wait_until([&] { return received >= flags.count; });
  service.unsubscribe(id);
}

// Runs `body` on a client-mode node with gossipsub, through `runner`.
void run_one_shot(const ClientRunner& runner, const Context& context, const OneShotFlags& flags,
                  asio::awaitable<void> (*body)(node::Node&, const OneShotFlags&, const multiaddr::Multiaddr&)) {
  const multiaddr::Multiaddr address = discovery::parse_bootstrap_addresses({flags.bootstrap}, "--bootstrap").front();
  node::NodeConfig config = client_node(context, flags.key);
  config.pubsub.enabled = true;
  runner(std::move(config), flags.timeout_seconds,
         [&flags, &address, body](node::Node& node) { return body(node, flags, address); });
}

}  // namespace

std::string message_json(const pubsub::Message& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("topic");
  w.String(message.topic);
  w.Key("from");
  w.String(message.from.to_string());
  w.Key("seqno");
  const std::string seqno = pubsub::encode_seqno(message.seqno);
  w.String(encoding::hex_encode(std::span(reinterpret_cast<const uint8_t*>(seqno.data()), seqno.size())));
  if (encoding::valid_utf8(message.data)) {
    w.Key("data");
    w.String(reinterpret_cast<const char*>(message.data.data()), static_cast<rapidjson::SizeType>(message.data.size()));
  } else {
    w.Key("dataHex");
    w.String(encoding::hex_encode(message.data));
  }
  w.EndObject();
  return buffer.GetString();
}

void add_pubsub_commands(CLI::App& app, Context& context, int& exit_code, ClientRunner runner) {
  auto shared_runner = std::make_shared<ClientRunner>(std::move(runner));
  auto pub = std::make_shared<OneShotFlags>();
  CLI::App* pub_cmd = add_one_shot(app, "pub", "Publish one message to a gossipsub topic", *pub);
  pub_cmd->add_option("MESSAGE", pub->message, "the message (UTF-8 text)")->required();
  pub_cmd->callback([pub, shared_runner, &context, &exit_code] {
    context.init();
    run_one_shot(*shared_runner, context, *pub, publish_once);
    exit_code = 0;
  });

  auto sub = std::make_shared<OneShotFlags>();
  CLI::App* sub_cmd = add_one_shot(app, "sub", "Print messages of a gossipsub topic as JSON lines", *sub);
  sub_cmd->add_option("--count", sub->count, "exit after this many messages from others")
      ->check(CLI::Range(1, 1'000'000));
  sub_cmd->callback([sub, shared_runner, &context, &exit_code] {
    context.init();
    run_one_shot(*shared_runner, context, *sub, subscribe_once);
    exit_code = 0;
  });
}

struct StdinPublisher::State {
  State(asio::any_io_executor executor, PubsubService& to, std::string on)
      : input(std::move(executor), ::dup(STDIN_FILENO)), service(&to), topic(std::move(on)) {}

  asio::posix::stream_descriptor input;
  PubsubService* service;  // null once the StdinPublisher is gone
  std::string topic;
};

asio::awaitable<void> StdinPublisher::publish_lines(std::shared_ptr<State> self) {
  std::string pending;
  std::vector<char> chunk(4096);
  for (;;) {
    boost::system::error_code ec;
    const size_t n =
        co_await self->input.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !self->service) co_return;
    pending.append(chunk.data(), n);
    for (size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1)) {
      const std::vector<uint8_t> data(pending.begin(), pending.begin() + static_cast<long>(end));
      std::string error;
      if (!self->service->publish(self->topic, data, &error)) {
        std::fprintf(stderr, "prowl run: publish to %s failed: %s\n", self->topic.c_str(), error.c_str());
      }
    }
  }
}

StdinPublisher::StdinPublisher(asio::any_io_executor executor, PubsubService& service, std::string topic)
    : state_(std::make_shared<State>(executor, service, std::move(topic))) {
  asio::co_spawn(executor, publish_lines(state_), asio::detached);
}

StdinPublisher::~StdinPublisher() {
  state_->service = nullptr;
  boost::system::error_code ignored;
  state_->input.close(ignored);
}

}  // namespace prowl::cli
