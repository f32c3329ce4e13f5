// Logging setup: every prowl logger writes to one sink (stderr by default)
// as text or as JSON lines, at one level. Plugins get "plugin:<name>" loggers.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string_view>

namespace prowl::log {

/// The output formats of the `log.format` setting.
enum class Format { kText, kJson };

/// Parses a `log.level` value: trace, debug, info, warn or error.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);

/// Parses a `log.format` value: text or json.
std::optional<Format> parse_format(std::string_view name);

/// Sends every prowl logger, existing and future, to `sink` (stderr when
/// null) at `level` in `format`, and makes the "prowl" logger spdlog's
/// default. Text lines read "<UTC time> <level> [<logger>] <message>".
/// Call at start-up, before other threads log: loggers in use are re-pointed.
void configure(spdlog::level::level_enum level, Format format, spdlog::sink_ptr sink = nullptr);

/// The logger named `name`, created on first use with the configured sink
/// and level (stderr, info, text until configure is called). Thread-safe.
std::shared_ptr<spdlog::logger> get_logger(std::string_view name);

/// The logger of plugin `plugin`, named "plugin:<plugin>". Thread-safe.
std::shared_ptr<spdlog::logger> plugin_logger(std::string_view plugin);

}  // namespace prowl::log
