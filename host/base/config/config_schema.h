// The documented settings of prowl's JSON configuration file: their dotted
// paths, types, defaults and allowed values. docs/configuration.md lists the
// same table for users.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace prowl::config {

/// The JSON type a setting holds.
enum class ValueType {
  kString,      ///< a JSON string
  kInteger,     ///< a JSON integer within [min, max]
  kNumber,      ///< a JSON number (integer or decimal) within [min_number, max_number]
  kStringList,  ///< a JSON array of strings
  kObject,      ///< a free-form JSON object, passed on untouched (plugin settings)
};

/// A typed setting value (kObject settings are kept as JSON instead).
using SettingValue = std::variant<std::string, int64_t, std::vector<std::string>, double>;

/// One documented setting. A "*" path segment matches any one key.
struct Setting {
  std::string_view path;          ///< dotted path, e.g. "log.level"
  ValueType type;
  std::string_view default_json;  ///< JSON text of the default; empty for kObject
  std::string_view choices = {};  ///< kString: allowed values joined by '|'; empty = any
  int64_t min = std::numeric_limits<int64_t>::min();  ///< kInteger bounds
  int64_t max = std::numeric_limits<int64_t>::max();
  double min_number = 0;  ///< kNumber bounds
  double max_number = 0;
};

/// Every setting, in documentation order; when two paths match a key the
/// earlier one wins (so "plugins.dirs" is not a plugin named "dirs").
std::span<const Setting> settings();

/// What a dotted path names.
struct PathInfo {
  enum class Kind {
    kUnknown,   ///< nothing: a key the schema does not know
    kSection,   ///< an object holding settings ("" is the root, "log", "plugins")
    kSetting,   ///< a setting; `setting` says which
    kFreeForm,  ///< a path inside a kObject setting ("plugins.scout.interval")
  };
  Kind kind = Kind::kUnknown;
  const Setting* setting = nullptr;
};

/// Classifies a dotted path against the schema.
PathInfo classify_path(std::string_view path);

/// The environment variable that overrides a setting: "PROWL_" and the path
/// upper-cased with '.' as '_' (log.level -> PROWL_LOG_LEVEL).
std::string environment_name(std::string_view path);

}  // namespace prowl::config
