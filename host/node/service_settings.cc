#include "host/node/service_settings.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "host/base/status/status.h"
#include "host/node/config_values.h"
#include "host/node/swarm_limits.h"
#include "host/wire/pubsub/message_id.h"

namespace prowl::node {
namespace {

std::string pubsub_key(std::string_view name) { return "pubsub." + std::string(name); }
std::string rr_key(std::string_view name) { return "rr." + std::string(name); }

int64_t signed_count(size_t n) { return static_cast<int64_t>(n); }

// Refuses pubsub.* settings that contradict each other, naming the keys.
void check_pubsub(const pubsub::RouterConfig& r) {
  const int64_t d = signed_count(r.d);
  const int64_t d_lo = signed_count(r.d_lo);
  const int64_t d_out = signed_count(r.d_out);
  require_at_most(pubsub_key("d_lo"), d_lo, pubsub_key("d"), d);
  require_at_most(pubsub_key("d"), d, pubsub_key("d_hi"), signed_count(r.d_hi));
  require_at_most(pubsub_key("d_score"), signed_count(r.d_score), pubsub_key("d"), d);
  require_at_most(pubsub_key("d_out"), d_out, pubsub_key("d_lo") + " - 1", d_lo - 1);
  require_at_most(pubsub_key("d_out"), d_out, pubsub_key("d") + " / 2", d / 2);
  require_at_most(pubsub_key("max_message_bytes") + " + " + std::to_string(pubsub::kRpcFramingBytes),
                  signed_count(r.max_message_size + pubsub::kRpcFramingBytes), pubsub_key("max_rpc_bytes"),
                  signed_count(r.rpc_limits.max_rpc_bytes));
  require_at_most(pubsub_key("max_ihave_length"), signed_count(r.max_ihave_length), pubsub_key("max_iwant_ids"),
                  signed_count(r.rpc_limits.max_iwant_ids));
  // What the checks above do not cover concerns settings the config cannot reach.
  try {
    r.validate();
  } catch (const std::invalid_argument& e) {
    throw StatusError(StatusCode::kInvalidInput, std::string("pubsub: ") + e.what());
  }
}

}  // namespace

NetworkOptions network_options(const config::Config& config) {
  NetworkOptions options;
  options.swarm = swarm_limits(config);
  options.max_identify_bytes = config_count(config, "network.limits.max_identify_bytes");
  return options;
}

size_t default_signature_check_threads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores : 0;
}

pubsub_service::PubsubServiceConfig pubsub_settings(const config::Config& config) {
  pubsub_service::PubsubServiceConfig settings;
  pubsub::RouterConfig& r = settings.router;
  r.d = config_count(config, pubsub_key("d"));
  r.d_lo = config_count(config, pubsub_key("d_lo"));
  r.d_hi = config_count(config, pubsub_key("d_hi"));
  r.d_score = config_count(config, pubsub_key("d_score"));
  r.d_out = config_count(config, pubsub_key("d_out"));
  r.d_lazy = config_count(config, pubsub_key("d_lazy"));
  r.heartbeat_interval = config_ms(config, pubsub_key("heartbeat_interval_ms"));
  r.seen_ttl = config_ms(config, pubsub_key("seen_ttl_ms"));
  r.validation_timeout = config_ms(config, pubsub_key("validation_timeout_ms"));
  r.flood_publish = config.get_string(pubsub_key("flood_publish")) == "on";
  if (config.get_string(pubsub_key("message_id")) == "content-sha256") r.message_id = pubsub::content_message_id;
  r.max_pending_validations = config_count(config, pubsub_key("max_pending_validations"));
  r.max_message_size = config_count(config, pubsub_key("max_message_bytes"));
  r.rpc_limits.max_rpc_bytes = config_count(config, pubsub_key("max_rpc_bytes"));
  r.max_topics_per_peer = config_count(config, pubsub_key("max_topics_per_peer"));
  r.max_ihave_length = config_count(config, pubsub_key("max_ihave_length"));
  r.max_ihave_messages = config_count(config, pubsub_key("max_ihave_messages"));
  r.rpc_limits.max_iwant_ids = config_count(config, pubsub_key("max_iwant_ids"));
  const int64_t threads = config.get_integer(pubsub_key("signature_check_threads"));
  settings.signature_check_threads = threads >= 0 ? static_cast<size_t>(threads) : default_signature_check_threads();
  check_pubsub(r);
  return settings;
}

rr::RequestResponseConfig rr_settings(const config::Config& config) {
  rr::RequestResponseConfig settings;
  settings.max_request_bytes = config_count(config, rr_key("max_request_bytes"));
  settings.max_response_bytes = config_count(config, rr_key("max_response_bytes"));
  settings.max_outbound_per_peer = config_count(config, rr_key("max_outbound_per_peer"));
  settings.max_inbound_per_peer = config_count(config, rr_key("max_inbound_per_peer"));
  settings.default_timeout = config_ms(config, rr_key("default_timeout_ms"));
  settings.max_timeout = config_ms(config, rr_key("max_timeout_ms"));
  settings.inbound_timeout = config_ms(config, rr_key("inbound_timeout_ms"));
  require_at_most(rr_key("default_timeout_ms"), settings.default_timeout.count(), rr_key("max_timeout_ms"),
                  settings.max_timeout.count());
  return settings;
}

}  // namespace prowl::node
