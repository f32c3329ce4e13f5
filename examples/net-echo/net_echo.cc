// "net-echo": a role that answers a request-response protocol and publishes
// on a topic, as a prowl plugin (plugin ABI 2).
//
// Every node that loads it serves request-response "net-echo": the answer is
// "echo: <request>", and each request it answers is announced on the topic
// "net-echo/answered" as "answered <peer>". A node whose configuration sets
// plugins.net-echo.peer (a multiaddr ending in /p2p/<id>) also asks that
// peer, once a second, until one answer came back, and then publishes
// "reply: <answer>" on "net-echo/replies" once a second until it stops.
//
// It shows the threading contract: the handlers run on the host's event
// loop and return at once; the periodic work runs on the plugin's own
// thread, which calls host functions (allowed from any thread) and never
// waits on the loop.
#include <prowl/sdk.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace {

std::span<const uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

class NetEcho : public prowl::Role {
 public:
  explicit NetEcho(prowl::Host& host) : host_(host), net_(host), pubsub_(host) {}
  ~NetEcho() override { stop(); }

  void start() override {
    if (!net_.available() || !pubsub_.available())
      throw prowl::Error(PROWL_ERR_UNSUPPORTED, "net-echo needs the host's request-response and pub/sub");
    // On the event loop: answer at once, announce the answer, return.
    net_.on_request("net-echo", [this](prowl::Request request, std::string_view peer, std::span<const uint8_t> data) {
      request.respond("echo: " + std::string(data.begin(), data.end()));
      pubsub_.publish("net-echo/answered", "answered " + std::string(peer));
    });
    host_.info("serving net-echo as " + net_.local_peer_id());
    if (auto peer = host_.config("peer")) {
      worker_ = std::thread([this, peer = *peer] { ask(peer); });
    }
  }

  void stop() noexcept override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

 private:
  /// The plugin's own thread: asks `peer` until it answers, then publishes
  /// the answer until the role stops. Host functions are called from here;
  /// their outcomes come back on the event loop.
  void ask(const std::string& peer) {
    const std::string question = "hello from " + net_.local_peer_id();
    while (wait_a_second()) {
      std::optional<std::string> got;
      {
        std::lock_guard lock(mutex_);
        got = answer_;
      }
      try {
        if (!got) {
          net_.request(peer, "net-echo", bytes(question), 2000,
                       [this](int32_t status, std::string_view message, std::span<const uint8_t> response) {
                         std::lock_guard lock(mutex_);
                         if (status == PROWL_OK) {
                           answer_ = std::string(response.begin(), response.end());
                         } else {
                           host_.info("no answer yet: " + std::string(message));
                         }
                       });
        } else {
          pubsub_.publish("net-echo/replies", "reply: " + *got);
        }
      } catch (const prowl::Error& e) {
        host_.warn(std::string("net-echo: ") + e.what());  // refused at once; try again next time
      }
    }
  }

  /// Waits a second; false once the role is stopping.
  bool wait_a_second() {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }

  prowl::Host& host_;
  prowl::Net net_;
  prowl::Pubsub pubsub_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<std::string> answer_;
  std::thread worker_;
};

}  // namespace

PROWL_PLUGIN(NetEcho, "net-echo", "1.0.0", "answers request-response net-echo and publishes what it heard");
