#include "host/base/log/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <mutex>
#include <string>
#include <utility>

#include "host/base/log/json_formatter.h"

namespace prowl::log {
namespace {

constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 5> kLevels = {{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
}};

std::unique_ptr<spdlog::formatter> make_formatter(Format format) {
  if (format == Format::kJson) return std::make_unique<JsonFormatter>();
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %l [%n] %v",
                                                     spdlog::pattern_time_type::utc);
}

spdlog::sink_ptr make_sink(spdlog::sink_ptr sink, Format format) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(make_formatter(format));
  return sink;
}

// The configuration every logger shares; guarded by `mutex`.
struct State {
  std::mutex mutex;
  spdlog::sink_ptr sink = make_sink(nullptr, Format::kText);
  spdlog::level::level_enum level = spdlog::level::info;
};

State& state() {
  static State instance;
  return instance;
}

// REQUIRES: state().mutex held.
std::shared_ptr<spdlog::logger> get_locked(const std::string& name) {
  State& s = state();
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = std::make_shared<spdlog::logger>(name, s.sink);
  logger->set_level(s.level);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  for (const auto& [text, level] : kLevels)
    if (text == name) return level;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

void configure(spdlog::level::level_enum level, Format format, spdlog::sink_ptr sink) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.sink = make_sink(std::move(sink), format);
  s.level = level;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->sinks().assign({s.sink});
    logger->set_level(level);
  });
  spdlog::set_default_logger(get_locked("prowl"));
}

std::shared_ptr<spdlog::logger> get_logger(std::string_view name) {
  std::lock_guard lock(state().mutex);
  return get_locked(std::string(name));
}

std::shared_ptr<spdlog::logger> plugin_logger(std::string_view plugin) {
  return get_logger("plugin:" + std::string(plugin));
}

}  // namespace prowl::log
