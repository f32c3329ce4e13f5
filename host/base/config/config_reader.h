// Reads JSON text into validated setting values with RapidJSON's SAX
// Reader, so every error can say which key and where (line:column).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "host/base/config/config_schema.h"

namespace prowl::config {

/// The values read from one JSON text, not yet applied to a Config.
struct ConfigUpdate {
  /// Typed settings by dotted path.
  std::vector<std::pair<std::string, SettingValue>> values;
  /// Free-form values (plugin settings) as compact JSON by dotted path, e.g.
  /// "plugins.scout".
  std::vector<std::pair<std::string, std::string>> free_form;
};

/// Why a JSON text was refused, and where.
struct ReadError {
  size_t line = 0;    ///< 1-based
  size_t column = 0;  ///< 1-based, in characters (UTF-8 code points)
  std::string message;
};

/// The deepest nesting of objects and arrays accepted.
inline constexpr size_t kMaxNesting = 64;

/// Reads `json` as the value of the dotted path `root` ("" for a whole
/// configuration file) and validates it against the schema: unknown keys,
/// duplicate keys, wrong types, values outside their choices or bounds,
/// invalid UTF-8, NUL characters and syntax errors are refused.
/// Returns the update, or sets `error` and returns nullopt.
std::optional<ConfigUpdate> read_config_json(std::string_view json, std::string_view root,
                                             ReadError* error);

}  // namespace prowl::config
