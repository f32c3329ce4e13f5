// Request-response over the swarm: one protocol per name
// (/prowl/rr/1.0.0/<name>), one stream per request carrying a
// length-prefixed request and then a status-tagged, length-prefixed response,
// with timeouts, size limits and per-peer limits on requests in flight.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/services/rr/peer_target.h"
#include "host/services/rr/reply.h"
#include "host/services/rr/responder.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::rr {

/// Limits and timeouts; each one configurable.
struct RequestResponseConfig {
  size_t max_request_bytes = 1024 * 1024;
  size_t max_response_bytes = 1024 * 1024;
  size_t max_outbound_per_peer = 64;  ///< our requests in flight to one peer
  size_t max_inbound_per_peer = 64;   ///< one peer's requests we are answering
  std::chrono::milliseconds default_timeout{10000};
  std::chrono::milliseconds max_timeout{300000};
  std::chrono::milliseconds inbound_timeout{30000};  ///< to read a request and answer it
};

/// Receives one inbound request; answers through `responder` now or later.
/// If it throws, the caller gets PROWL_ERR_REMOTE with the exception's text.
using Handler = std::function<void(const identity::PeerId& peer, std::vector<uint8_t> request, Responder responder)>;

/// Receives the outcome of one outbound request, on the executor.
using ReplyCallback = std::function<void(Reply reply)>;

/// Not thread-safe: use it on the swarm's executor. REQUIRES: the swarm
/// outlives it. After destruction no callback runs and inbound requests are reset.
class RequestResponse {
 public:
  RequestResponse(swarm::Swarm& swarm, boost::asio::any_io_executor executor, RequestResponseConfig config = {});
  ~RequestResponse();
  RequestResponse(const RequestResponse&) = delete;
  RequestResponse& operator=(const RequestResponse&) = delete;

  /// "/prowl/rr/1.0.0/<name>".
  static std::string protocol_for(std::string_view name);
  /// Why `name` is not a valid name ([a-z0-9][a-z0-9._-]*, at most 63 bytes), or nullopt.
  static std::optional<std::string> check_name(std::string_view name);

  const RequestResponseConfig& config() const noexcept;

  /// Serves `name` with `handler`, replacing an earlier one. Throws
  /// std::invalid_argument for a bad name.
  void serve(const std::string& name, Handler handler);
  /// Stops serving `name`: later requests get PROWL_ERR_UNSUPPORTED.
  void unserve(const std::string& name);

  /// Sends `request` to `target` for `name` (timeout zero: the default;
  /// capped at max_timeout). `done` runs exactly once, on the executor and
  /// never inside this call, with the response or the failure: invalid
  /// name, too large, too many in flight, unreachable, unsupported name,
  /// timeout, stream reset, remote handler error, malformed response.
  void request(const PeerTarget& target, const std::string& name, std::vector<uint8_t> request,
               std::chrono::milliseconds timeout, ReplyCallback done);

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with its coroutines, which may outlive it
};

}  // namespace prowl::rr
