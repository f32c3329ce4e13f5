#include "plugins/hunts/common/params.h"

#include <rapidjson/document.h>

#include <charconv>

namespace prowl::hunts {

std::optional<Params> Params::parse(std::string_view json, std::string* error) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    *error = "params must be a JSON object of strings, such as {\"from\":\"0\"}";
    return std::nullopt;
  }
  Params params;
  for (auto member = doc.MemberBegin(); member != doc.MemberEnd(); ++member) {
    const std::string key(member->name.GetString(), member->name.GetStringLength());
    if (member->value.IsString()) {
      params.values_[key] = std::string(member->value.GetString(), member->value.GetStringLength());
    } else if (member->value.IsUint64()) {
      params.values_[key] = std::to_string(member->value.GetUint64());
    } else {
      *error = "param '" + key + "' must be a string or a non-negative integer";
      return std::nullopt;
    }
  }
  return params;
}

std::optional<std::string> Params::text(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint64_t> Params::number(std::string_view key, std::optional<uint64_t> fallback, uint64_t min,
                                       uint64_t max, std::string* error) const {
  auto it = values_.find(key);
  if (it == values_.end()) {
    if (!fallback) *error = "param '" + std::string(key) + "' is required";
    return fallback;
  }
  uint64_t value = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) {
    *error = "param '" + std::string(key) + "' must be a non-negative integer, got '" + s + "'";
    return std::nullopt;
  }
  if (value < min || value > max) {
    *error = "param '" + std::string(key) + "' must be within [" + std::to_string(min) + ", " + std::to_string(max) +
             "], got " + s;
    return std::nullopt;
  }
  return value;
}

}  // namespace prowl::hunts
