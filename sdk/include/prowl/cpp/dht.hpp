// prowl/cpp/dht.hpp: the DHT (prowl/dht.h) in C++. Calls may be made from
// any thread; each accepted call's handler runs once, later, on the host's
// event loop (it must not block it).
#ifndef PROWL_CPP_DHT_HPP_
#define PROWL_CPP_DHT_HPP_

#include <prowl/cpp/core.hpp>
#include <prowl/dht.h>

#include <functional>

namespace prowl {

/// A peer found through the DHT.
struct DhtPeer {
  std::string id;                  ///< peer id text
  std::vector<std::string> addrs;  ///< multiaddr texts
};

/// The outcome of one DHT call (which fields are set depends on the call).
struct DhtResult {
  int32_t status = PROWL_OK;   ///< PROWL_OK, or why it failed (not found, timeout, unreachable, ...)
  std::string message;         ///< empty on success
  std::vector<uint8_t> value;  ///< get
  uint64_t count = 0;          ///< put: peers that stored it; provide: peers told
  std::vector<DhtPeer> peers;  ///< find_providers, find_peer (one), closest_peers
  bool ok() const noexcept { return status == PROWL_OK; }
};
/// Receives a DHT call's outcome once, on the host's event loop.
using DhtHandler = std::function<void(const DhtResult&)>;

/// The DHT for one plugin.
class Dht {
 public:
  explicit Dht(Host& host)
      : host_(host),
        put_(host.proc<prowl_dht_put_fn>("prowl_dht_put")),
        get_(host.proc<prowl_dht_get_fn>("prowl_dht_get")),
        provide_(host.proc<prowl_dht_provide_fn>("prowl_dht_provide")),
        find_providers_(host.proc<prowl_dht_find_providers_fn>("prowl_dht_find_providers")),
        find_peer_(host.proc<prowl_dht_find_peer_fn>("prowl_dht_find_peer")),
        closest_peers_(host.proc<prowl_dht_closest_peers_fn>("prowl_dht_closest_peers")) {}

  /// True when the host offers every DHT function.
  bool available() const noexcept {
    return put_ && get_ && provide_ && find_providers_ && find_peer_ && closest_peers_;
  }

  /// Stores `value` under `key` (a /prowl/<our id>/<name> key is signed by
  /// the host); `done` gets the count of peers that stored it, or the failure.
  /// Throws Error for a call refused at once (bad size, no DHT, stopped).
  void put(std::span<const uint8_t> key, std::span<const uint8_t> value, DhtHandler done) {
    auto fn = detail::require(put_, "prowl_dht_put");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), key.data(), key.size(), value.data(), value.size(), cb, user, err);
    });
  }
  /// Finds the value of `key`; `done` gets it in DhtResult::value.
  void get(std::span<const uint8_t> key, DhtHandler done) {
    auto fn = detail::require(get_, "prowl_dht_get");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), key.data(), key.size(), cb, user, err);
    });
  }
  /// Announces this node as a provider of `key`; `done` gets the peers told.
  void provide(std::span<const uint8_t> key, DhtHandler done) {
    auto fn = detail::require(provide_, "prowl_dht_provide");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), key.data(), key.size(), cb, user, err);
    });
  }
  /// Finds up to `max` (0: 20) providers of `key`; `done` gets them as peers.
  void find_providers(std::span<const uint8_t> key, uint32_t max, DhtHandler done) {
    auto fn = detail::require(find_providers_, "prowl_dht_find_providers");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), key.data(), key.size(), max, cb, user, err);
    });
  }
  /// Finds the addresses of `peer`; `done` gets it as the one peer.
  void find_peer(const std::string& peer, DhtHandler done) {
    auto fn = detail::require(find_peer_, "prowl_dht_find_peer");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), peer.c_str(), cb, user, err);
    });
  }
  /// Finds the peers closest to `key`.
  void closest_peers(std::span<const uint8_t> key, DhtHandler done) {
    auto fn = detail::require(closest_peers_, "prowl_dht_closest_peers");
    start(std::move(done), [&](prowl_dht_done_fn cb, void* user, prowl_error* err) {
      return fn(host_.ctx(), key.data(), key.size(), cb, user, err);
    });
  }

 private:
  struct Querying {
    DhtHandler done;
    detail::Keeper* keeper;
  };

  /// Keeps the handler and starts the call begin(done_fn, user, err) -> status.
  template <class F>
  void start(DhtHandler done, F&& begin) {
    host_.keeper().start(std::make_unique<Querying>(Querying{std::move(done), &host_.keeper()}),
                         [&](Querying* q, prowl_error* err) { return begin(&on_done, q, err); });
  }

  static void on_done(void* user, const prowl_dht_result* r) noexcept {
    auto* querying = static_cast<Querying*>(user);
    try {
      DhtResult result;
      result.status = r->status;
      result.message = r->message == nullptr ? "" : r->message;
      if (r->value != nullptr) result.value.assign(r->value, r->value + r->value_len);
      result.count = r->count;
      for (size_t i = 0; i < r->peer_count; ++i) {
        DhtPeer& peer = result.peers.emplace_back();
        peer.id = r->peers[i].peer;
        for (size_t j = 0; j < r->peers[i].addr_count; ++j) peer.addrs.emplace_back(r->peers[i].addrs[j]);
      }
      querying->done(result);
    } catch (...) {
      // Nothing to report it to: the call is over.
    }
    querying->keeper->drop(querying);
  }

  Host& host_;
  prowl_dht_put_fn put_;
  prowl_dht_get_fn get_;
  prowl_dht_provide_fn provide_;
  prowl_dht_find_providers_fn find_providers_;
  prowl_dht_find_peer_fn find_peer_;
  prowl_dht_closest_peers_fn closest_peers_;
};

}  // namespace prowl

#endif  // PROWL_CPP_DHT_HPP_
