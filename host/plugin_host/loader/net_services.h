// Private: the network services behind the host functions of prowl/net.h.
// host/plugin_net implements them over the swarm; the registry only forwards.
#pragma once

#include <prowl/net.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Streams and request-response for plugins, keyed by the calling plugin's
/// context, in whose registrations each one is kept (ended with it). Every
/// call is thread-safe; callbacks into plugins run on the host's event loop
/// and never inside the call that registered them.
class NetServices {
 public:
  virtual ~NetServices() = default;

  /// This node's peer id text, or nullopt without a network.
  virtual std::optional<std::string> local_peer_id() const = 0;
  /// Writes the connected peers' ids, each followed by '\n'.
  virtual CallResult connected_peers(prowl_writer* out) const = 0;

  /// See prowl_stream_listen.
  virtual CallResult stream_listen(PluginContext& ctx, std::string_view protocol,
                                   const prowl_stream_callbacks& callbacks, void* user) = 0;
  /// See prowl_stream_open.
  virtual CallResult stream_open(PluginContext& ctx, std::string_view peer, std::string_view protocol,
                                 const prowl_stream_callbacks& callbacks, void* user) = 0;
  /// See prowl_stream_write.
  virtual CallResult stream_write(PluginContext& ctx, prowl_stream* stream,
                                  std::span<const uint8_t> data) = 0;
  /// See prowl_stream_close_write.
  virtual CallResult stream_close_write(PluginContext& ctx, prowl_stream* stream) = 0;
  /// See prowl_stream_reset.
  virtual CallResult stream_reset(PluginContext& ctx, prowl_stream* stream) = 0;

  /// See prowl_rr_serve.
  virtual CallResult rr_serve(PluginContext& ctx, std::string_view name, prowl_rr_handler_fn handler,
                              void* user) = 0;
  /// See prowl_rr_respond.
  virtual CallResult rr_respond(PluginContext& ctx, prowl_rr_request* request,
                                std::span<const uint8_t> data) = 0;
  /// See prowl_rr_fail.
  virtual CallResult rr_fail(PluginContext& ctx, prowl_rr_request* request, int32_t status,
                             std::string_view message) = 0;
  /// See prowl_rr_request.
  virtual CallResult rr_request(PluginContext& ctx, std::string_view peer, std::string_view name,
                                std::span<const uint8_t> data, uint32_t timeout_ms,
                                const prowl_rr_callbacks& callbacks, void* user) = 0;

};

}  // namespace prowl::plugins
