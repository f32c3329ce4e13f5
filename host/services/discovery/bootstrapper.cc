#include "host/services/discovery/bootstrapper.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <utility>

#include "host/base/log/log.h"
#include "host/base/status/status.h"
#include "host/swarm/swarm.h"

namespace prowl::discovery {
namespace asio = boost::asio;

std::string bootstrap_address_error(std::string_view text) {
  std::string error;
  return multiaddr::Multiaddr::parse(text, &error) ? std::string() : error;
}

std::vector<multiaddr::Multiaddr> parse_bootstrap_addresses(const std::vector<std::string>& texts,
                                                            std::string_view source) {
  std::vector<multiaddr::Multiaddr> addresses;
  for (const std::string& text : texts) {
    std::string error;
    auto address = multiaddr::Multiaddr::parse(text, &error);
    if (!address) throw StatusError(StatusCode::kInvalidInput, std::string(source) + ": " + error);
    addresses.push_back(std::move(*address));
  }
  return addresses;
}

std::shared_ptr<Bootstrapper> Bootstrapper::create(asio::any_io_executor executor, swarm::Swarm& swarm,
                                                   std::vector<multiaddr::Multiaddr> peers, BootstrapConfig config,
                                                   ConnectedHandler on_connected) {
  std::shared_ptr<Bootstrapper> self(new Bootstrapper(executor, swarm, config, std::move(on_connected)));
  for (auto& address : peers) self->targets_.push_back(std::make_unique<Target>(std::move(address), executor, config));
  return self;
}

Bootstrapper::Bootstrapper(asio::any_io_executor executor, swarm::Swarm& swarm, BootstrapConfig config,
                           ConnectedHandler on_connected)
    : executor_(std::move(executor)), swarm_(swarm), config_(config), on_connected_(std::move(on_connected)) {}

void Bootstrapper::start() {
  std::weak_ptr<Bootstrapper> weak = weak_from_this();
  swarm_.add_observer([weak](const swarm::ConnectionInfo& info, bool established) {
    auto self = weak.lock();
    if (!self || established) return;
    for (auto& target : self->targets_) {
      if (target->peer == info.peer) target->wake.cancel();
    }
  });
  for (auto& target : targets_) asio::co_spawn(executor_, keep_connected(shared_from_this(), *target), asio::detached);
}

void Bootstrapper::stop() {
  stopped_ = true;
  for (auto& target : targets_) target->wake.cancel();
}

size_t Bootstrapper::connected() const {
  size_t n = 0;
  for (const auto& target : targets_) n += target->connected ? 1 : 0;
  return n;
}

asio::awaitable<void> Bootstrapper::keep_connected(std::shared_ptr<Bootstrapper> self, Target& target) {
  auto log = log::get_logger("bootstrap");
  auto live = [&] {
    if (!target.peer) return false;
    for (const auto& info : self->swarm_.connections()) {
      if (info.peer == *target.peer) return true;
    }
    return false;
  };
  auto sleep = [&](std::chrono::milliseconds wait) -> asio::awaitable<void> {
    target.wake.expires_after(wait);
    boost::system::error_code ec;
    co_await target.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  };
  while (!self->stopped_) {
    if (!live()) {
      target.connected = false;
      std::chrono::milliseconds wait{0};
      try {
        const identity::PeerId peer = co_await self->swarm_.dial(target.address);
        target.peer = peer;
        target.backoff.succeeded();
        log->info("connected to bootstrap peer {}", target.address.to_string());
        if (self->on_connected_) self->on_connected_(peer, target.address.without_peer());
        continue;
      } catch (const std::exception& e) {
        wait = target.backoff.failed();
        log->warn("bootstrap peer {}: {} (attempt {}; retrying in {} ms)", target.address.to_string(), e.what(),
                  target.backoff.failures(), wait.count());
      }
      co_await sleep(wait);
      continue;
    }
    target.connected = true;
    co_await sleep(std::chrono::hours(1));  // the observer wakes us when the connection closes
    if (self->stopped_ || live()) continue;
    // Lost: wait before redialing, so a peer that drops us at once is not hammered.
    target.connected = false;
    const auto wait = target.backoff.failed();
    log->info("lost bootstrap peer {}; redialing in {} ms", target.address.to_string(), wait.count());
    co_await sleep(wait);
  }
  target.connected = false;
}

}  // namespace prowl::discovery
