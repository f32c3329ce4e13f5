// Private: the network services behind a plugin's host table (ABI 1.1).
// host/plugin_net implements them over the swarm; the registry only forwards.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Streams and request-response for plugins, keyed by the calling plugin's
/// name. Every call is thread-safe; callbacks into plugins run on the host's
/// event loop and never inside the call that registered them.
class NetServices {
 public:
  virtual ~NetServices() = default;

  /// This node's peer id text, or nullopt without a network.
  virtual std::optional<std::string> local_peer_id() const = 0;
  /// Writes the connected peers' ids, each followed by '\n'.
  virtual CallResult connected_peers(prowl_writer* out) const = 0;

  /// See prowl_host_api.stream_listen.
  virtual CallResult stream_listen(std::string_view plugin, std::string_view protocol,
                                   const prowl_stream_callbacks& callbacks, void* user) = 0;
  /// See prowl_host_api.stream_open.
  virtual CallResult stream_open(std::string_view plugin, std::string_view peer, std::string_view protocol,
                                 const prowl_stream_callbacks& callbacks, void* user) = 0;
  /// See prowl_host_api.stream_write.
  virtual CallResult stream_write(std::string_view plugin, prowl_stream* stream,
                                  std::span<const uint8_t> data) = 0;
  /// See prowl_host_api.stream_close_write.
  virtual CallResult stream_close_write(std::string_view plugin, prowl_stream* stream) = 0;
  /// See prowl_host_api.stream_reset.
  virtual CallResult stream_reset(std::string_view plugin, prowl_stream* stream) = 0;

  /// See prowl_host_api.rr_serve.
  virtual CallResult rr_serve(std::string_view plugin, std::string_view name, prowl_rr_handler_fn handler,
                              void* user) = 0;
  /// See prowl_host_api.rr_respond.
  virtual CallResult rr_respond(std::string_view plugin, prowl_rr_request* request,
                                std::span<const uint8_t> data) = 0;
  /// See prowl_host_api.rr_fail.
  virtual CallResult rr_fail(std::string_view plugin, prowl_rr_request* request, int32_t status,
                             std::string_view message) = 0;
  /// See prowl_host_api.rr_request.
  virtual CallResult rr_request(std::string_view plugin, std::string_view peer, std::string_view name,
                                std::span<const uint8_t> data, uint32_t timeout_ms,
                                const prowl_rr_callbacks& callbacks, void* user) = 0;

  /// Ends every registration, stream and pending request of `plugin`; no
  /// callback into it runs after this returns. REQUIRES: called on the event
  /// loop thread, or while the loop is not running.
  virtual void release(std::string_view plugin) noexcept = 0;
};

}  // namespace prowl::plugins
