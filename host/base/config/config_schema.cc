#include "host/base/config/config_schema.h"

#include <array>
#include <cctype>

namespace prowl::config {
namespace {

using enum ValueType;

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// The schema. A new setting is one line here (and one row in docs/configuration.md).
constexpr std::array kSettings = {
    Setting{"data_dir", kString, R"("")"},
    Setting{"plugins.dirs", kStringList, "[]"},
    Setting{"plugins.*", kObject, ""},
    Setting{"log.level", kString, R"("info")", "trace|debug|info|warn|error"},
    Setting{"log.format", kString, R"("text")", "text|json"},
    Setting{"codec.max_output_bytes", kInteger, "268435456", {}, 1},
    Setting{"network.listen", kStringList, "[]"},
    Setting{"network.bootstrap", kStringList, "[]"},
    Setting{"network.kad_protocol", kString, R"("/prowl/kad/1.0.0")"},
    Setting{"network.kad_mode", kString, R"("server")", "server|client"},
    Setting{"network.mdns", kString, R"("on")", "on|off"},
    Setting{"network.mdns_interface", kString, R"("")"},
    Setting{"network.limits.max_connections", kInteger, "256", {}, 1, 1 << 20},
    Setting{"network.limits.max_pending_handshakes", kInteger, "64", {}, 1, 1 << 16},
    Setting{"network.limits.max_pending_handshakes_per_address", kInteger, "8", {}, 1, 1 << 16},
    Setting{"network.limits.max_streams_per_connection", kInteger, "512", {}, 1, 1 << 16},
    Setting{"network.limits.max_inbound_streams_per_protocol", kInteger, "128", {}, 1, 1 << 16},
    Setting{"network.limits.max_negotiating_streams_per_connection", kInteger, "128", {}, 1, 1 << 16},
    Setting{"network.limits.max_queued_control_bytes", kInteger, "1048576", {}, 4096, 1 << 30},
    Setting{"network.limits.handshake_timeout_ms", kInteger, "10000", {}, 1, kHourMs},
    Setting{"network.limits.negotiation_timeout_ms", kInteger, "10000", {}, 1, kHourMs},
    Setting{"network.limits.idle_timeout_ms", kInteger, "120000", {}, 1, kDayMs},
    Setting{"network.limits.dial_backoff_base_ms", kInteger, "1000", {}, 1, kDayMs},
    Setting{"network.limits.dial_backoff_max_ms", kInteger, "300000", {}, 1, kDayMs},
    Setting{"network.limits.max_stream_window_bytes", kInteger, "16777216", {}, 256 * 1024, 1 << 30},
    Setting{"network.limits.max_connection_window_bytes", kInteger, "268435456", {}, 256 * 1024, int64_t{1} << 34},
    Setting{"network.limits.max_ack_backlog", kInteger, "256", {}, 1, 1 << 16},
    Setting{"network.limits.max_identify_bytes", kInteger, "65536", {}, 1024, 1 << 24},
    Setting{"network.limits.max_kad_message_bytes", kInteger, "65536", {}, 4096, 1 << 24},
    Setting{"network.limits.max_kad_records_per_publisher", kInteger, "256", {}, 1, 1 << 20},
    Setting{"pubsub.d", kInteger, "6", {}, 1, 1000},
    Setting{"pubsub.d_lo", kInteger, "5", {}, 1, 1000},
    Setting{"pubsub.d_hi", kInteger, "12", {}, 1, 1000},
    Setting{"pubsub.d_score", kInteger, "4", {}, 0, 1000},
    Setting{"pubsub.d_out", kInteger, "2", {}, 0, 1000},
    Setting{"pubsub.d_lazy", kInteger, "6", {}, 0, 1000},
    Setting{"pubsub.heartbeat_interval_ms", kInteger, "1000", {}, 10, kHourMs},
    Setting{"pubsub.seen_ttl_ms", kInteger, "120000", {}, 1, kDayMs},
    Setting{"pubsub.validation_timeout_ms", kInteger, "10000", {}, 1, kHourMs},
    Setting{"pubsub.flood_publish", kString, R"("on")", "on|off"},
    Setting{"pubsub.message_id", kString, R"("author-seqno")", "author-seqno|content-sha256"},
    Setting{"pubsub.max_pending_validations", kInteger, "4096", {}, 1, 1 << 20},
    Setting{"pubsub.max_message_bytes", kInteger, "1024000", {}, 1, 1 << 28},
    Setting{"pubsub.max_rpc_bytes", kInteger, "1048576", {}, 8192, (1 << 28) + 4096},
    Setting{"pubsub.max_topics_per_peer", kInteger, "1000", {}, 1, 1 << 20},
    Setting{"pubsub.max_ihave_length", kInteger, "5000", {}, 1, 1 << 20},
    Setting{"pubsub.max_ihave_messages", kInteger, "10", {}, 1, 1 << 16},
    Setting{"pubsub.max_iwant_ids", kInteger, "5000", {}, 1, 1 << 20},
    Setting{"pubsub.signature_check_threads", kInteger, "-1", {}, -1, 256},
    Setting{"rr.max_request_bytes", kInteger, "1048576", {}, 1, 1 << 28},
    Setting{"rr.max_response_bytes", kInteger, "1048576", {}, 1, 1 << 28},
    Setting{"rr.default_timeout_ms", kInteger, "10000", {}, 1, kDayMs},
    Setting{"rr.max_timeout_ms", kInteger, "300000", {}, 1, kDayMs},
    Setting{"rr.inbound_timeout_ms", kInteger, "30000", {}, 1, kDayMs},
    Setting{"rr.max_outbound_per_peer", kInteger, "64", {}, 1, 1 << 16},
    Setting{"rr.max_inbound_per_peer", kInteger, "64", {}, 1, 1 << 16},
    Setting{"howl.pack", kString, R"("default")"},
    Setting{"howl.territory", kString, R"("default")"},
    Setting{"compute.threads", kInteger, "0", {}, 0, 1024},
    Setting{"compute.serve", kString, R"("on")", "on|off"},
    Setting{"compute.slots", kInteger, "0", {}, 0, 1 << 16},
    Setting{"compute.max_queued", kInteger, "4096", {}, 1, 1 << 24},
    Setting{"compute.max_result_bytes", kInteger, "67108864", {}, 1, int64_t{1} << 32},
    Setting{"compute.task_timeout_ms", kInteger, "60000", {}, 1, kDayMs},
    Setting{"compute.replicas", kInteger, "2", {}, 1, 16},
    Setting{"compute.quorum", kInteger, "2", {}, 1, 16},
    Setting{"compute.max_replicas", kInteger, "5", {}, 1, 16},
    Setting{"compute.adaptive", kString, R"("on")", "on|off"},
    Setting{"reputation.trust_threshold", kNumber, "0.7", {}, 0, 0, 0.0, 1.0},
    Setting{"reputation.decay", kNumber, "0.01", {}, 0, 0, 0.0, 1.0},
    Setting{"reputation.failed_attempts", kInteger, "3", {}, 1, 1000},
    Setting{"reputation.quarantine_s", kInteger, "3600", {}, 0, 30 * 24 * 3600},
};

// Splits a dotted path into its segments ("" has none).
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty()) return out;
  for (size_t start = 0;;) {
    const size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// How a setting's pattern relates to a path.
enum class Match { kNone, kExact, kPrefix };

Match match(const std::vector<std::string_view>& pattern,
            const std::vector<std::string_view>& path) {
  if (path.size() > pattern.size()) return Match::kNone;
  for (size_t i = 0; i < path.size(); ++i)
    if (path[i].empty() || (pattern[i] != "*" && pattern[i] != path[i])) return Match::kNone;
  return path.size() == pattern.size() ? Match::kExact : Match::kPrefix;
}

// Classifies segment lists, ignoring free-form nesting.
PathInfo classify_segments(const std::vector<std::string_view>& path) {
  bool section = path.empty();
  for (const Setting& setting : kSettings) {
    const Match m = match(segments(setting.path), path);
    if (m == Match::kExact) return {PathInfo::Kind::kSetting, &setting};
    if (m == Match::kPrefix) section = true;
  }
  return {section ? PathInfo::Kind::kSection : PathInfo::Kind::kUnknown, nullptr};
}

}  // namespace

std::span<const Setting> settings() { return kSettings; }

PathInfo classify_path(std::string_view path) {
  const std::vector<std::string_view> all = segments(path);
  // A path below a kObject setting is free-form; below any other setting, unknown.
  for (size_t n = 1; n < all.size(); ++n) {
    const PathInfo prefix = classify_segments({all.begin(), all.begin() + n});
    if (prefix.kind == PathInfo::Kind::kSetting)
      return {prefix.setting->type == kObject ? PathInfo::Kind::kFreeForm : PathInfo::Kind::kUnknown,
              nullptr};
    if (prefix.kind == PathInfo::Kind::kUnknown) return {};
  }
  return classify_segments(all);
}

std::string environment_name(std::string_view path) {
  std::string name = "PROWL_";
  for (char c : path)
    name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return name;
}

}  // namespace prowl::config
