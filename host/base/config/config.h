// prowl's configuration: defaults, then a JSON file, then PROWL_* environment
// variables, then command-line overrides, each validated against the schema
// in config_schema.h. docs/configuration.md documents every key.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/config/config_schema.h"

namespace prowl::config {

/// The largest configuration file accepted, in bytes.
inline constexpr size_t kMaxConfigBytes = 1 << 20;

/// A validated configuration. Move-only. Const methods may run concurrently;
/// the mutators (apply_environment, set_override) must not run alongside any
/// other call.
class Config {
 public:
  /// Every setting at its default; no plugin settings.
  Config();

  Config(Config&&) = default;
  Config& operator=(Config&&) = default;

  /// Parses configuration JSON over the defaults. On failure returns nullopt
  /// and sets `error` to "<source>:<line>:<column>: <message>", the message
  /// naming the key path (unknown key, wrong type, value not allowed) or
  /// RapidJSON's syntax error.
  static std::optional<Config> parse(std::string_view json, std::string_view source = "config",
                                     std::string* error = nullptr);

  /// Reads and parses a file of at most kMaxConfigBytes; errors as parse(),
  /// with the file's path as source, or say why the file cannot be read.
  static std::optional<Config> load_file(const std::filesystem::path& path,
                                         std::string* error = nullptr);

  /// Applies the PROWL_<PATH> environment variable of each setting that has
  /// one (see environment_name), as set_override does. `lookup` returns a
  /// variable's value or null (std::getenv by default). On failure returns
  /// false and sets `error` naming the variable; earlier variables stay applied.
  bool apply_environment(std::string* error = nullptr,
                         const std::function<const char*(const char*)>& lookup = {});

  /// Sets the setting at the dotted `path` from command-line text, validated
  /// as in a file. Strings take the text as is; integers decimal text; string
  /// lists a JSON array or comma-separated items; plugin settings
  /// ("plugins.<name>.<key>") JSON if the text is valid JSON, else a string.
  /// On failure returns false, sets `error` and changes nothing.
  bool set_override(std::string_view path, std::string_view value, std::string* error = nullptr);

  /// The value of a kString setting. REQUIRES: `path` names one (else throws
  /// std::invalid_argument).
  const std::string& get_string(std::string_view path) const;

  /// The value of a kInteger setting. REQUIRES: `path` names one (else throws
  /// std::invalid_argument).
  int64_t get_integer(std::string_view path) const;

  /// The value of a kNumber setting. REQUIRES: `path` names one (else
  /// throws std::invalid_argument).
  double get_number(std::string_view path) const;

  /// The value of a kStringList setting. REQUIRES: `path` names one (else
  /// throws std::invalid_argument).
  const std::vector<std::string>& get_string_list(std::string_view path) const;

  /// The value at dotted `key` inside "plugins.<plugin>": strings as their
  /// text, anything else as compact JSON; the empty key gives the plugin's
  /// whole object. nullopt when not set.
  std::optional<std::string> plugin_value(std::string_view plugin, std::string_view key) const;

 private:
  // Applies `json`, the value at `root`, reporting errors as "<where>: <message>"
  // ("<message>" for an empty `where`; line:column before the message when
  // `with_position`).
  bool apply(std::string_view json, std::string_view root, std::string_view where,
             bool with_position, std::string* error);
  const SettingValue& value_of(std::string_view path) const;

  std::map<std::string, SettingValue, std::less<>> values_;
  rapidjson::Document plugins_;  // object: plugin name -> its settings object
};

}  // namespace prowl::config
