// The network services a plugin reaches through its host functions: binds the
// plugin's C callbacks to swarm streams and the request-response service,
// keeps each plugin's failures to its own streams and requests, and keeps
// what it registers in the plugin's context, which ends it when the plugin
// goes away.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "host/plugin_host/loader/net_services.h"

namespace prowl::swarm {
class Swarm;
}
namespace prowl::rr {
class RequestResponse;
}

namespace prowl::plugin_net {

/// Limits of the bridge; each one configurable.
struct PluginNetConfig {
  size_t max_stream_queue_bytes = 1024 * 1024;  ///< unwritten bytes per stream
  size_t max_streams_per_plugin = 1024;         ///< open streams, both directions
  size_t read_chunk_bytes = 64 * 1024;          ///< largest on_data delivery
};

/// Thread-safe entry points; the swarm and the request-response service are
/// used on `executor` only, and every plugin callback runs there.
/// REQUIRES: constructed on the executor's thread (or before it runs); the
/// swarm and the service outlive this object; destroyed on the executor's
/// thread (or while it is not running).
class PluginNet final : public plugins::NetServices {
 public:
  PluginNet(boost::asio::any_io_executor executor, swarm::Swarm& swarm, rr::RequestResponse& rr,
            PluginNetConfig config = {});
  /// Ends every plugin's streams and registrations without callbacks.
  ~PluginNet() override;
  PluginNet(const PluginNet&) = delete;
  PluginNet& operator=(const PluginNet&) = delete;

  /// Receives a peer's first connection up and its last one closed (what
  /// roles hear as events), on the executor.
  using PeerEvents = std::function<void(prowl_role_event_type type, const std::string& peer)>;
  /// Sends peer events to `events` from now on (empty: nowhere).
  void on_peer_events(PeerEvents events);

  std::optional<std::string> local_peer_id() const override;
  plugins::CallResult connected_peers(prowl_writer* out) const override;
  plugins::CallResult stream_listen(plugins::PluginContext& ctx, std::string_view protocol,
                                    const prowl_stream_callbacks& callbacks, void* user) override;
  plugins::CallResult stream_open(plugins::PluginContext& ctx, std::string_view peer, std::string_view protocol,
                                  const prowl_stream_callbacks& callbacks, void* user) override;
  plugins::CallResult stream_write(plugins::PluginContext& ctx, prowl_stream* stream,
                                   std::span<const uint8_t> data) override;
  plugins::CallResult stream_close_write(plugins::PluginContext& ctx, prowl_stream* stream) override;
  plugins::CallResult stream_reset(plugins::PluginContext& ctx, prowl_stream* stream) override;
  plugins::CallResult rr_serve(plugins::PluginContext& ctx, std::string_view name, prowl_rr_handler_fn handler,
                               void* user) override;
  plugins::CallResult rr_respond(plugins::PluginContext& ctx, prowl_rr_request* request,
                                 std::span<const uint8_t> data) override;
  plugins::CallResult rr_fail(plugins::PluginContext& ctx, prowl_rr_request* request, int32_t status,
                              std::string_view message) override;
  plugins::CallResult rr_request(plugins::PluginContext& ctx, std::string_view peer, std::string_view name,
                                 std::span<const uint8_t> data, uint32_t timeout_ms,
                                 const prowl_rr_callbacks& callbacks, void* user) override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with its coroutines, which may outlive it
};

}  // namespace prowl::plugin_net
