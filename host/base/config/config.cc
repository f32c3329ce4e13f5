#include "host/base/config/config.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "host/base/config/config_reader.h"

namespace prowl::config {
namespace {

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string quoted(std::string_view text) {
  rapidjson::Value value(rapidjson::StringRef(text.data(), text.size()));
  return to_json(value);
}

bool is_json(std::string_view text) {
  rapidjson::Document doc;
  return !doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size()).HasParseError();
}

// Command-line text for a setting as the JSON the schema expects; nullopt
// (with `error` set) when the text cannot be that type.
std::optional<std::string> override_json(const PathInfo& info, std::string_view text,
                                         std::string* error) {
  const ValueType type =
      info.kind == PathInfo::Kind::kFreeForm ? ValueType::kObject : info.setting->type;
  switch (type) {
    case ValueType::kObject:
      return is_json(text) ? std::string(text) : quoted(text);
    case ValueType::kString:
      return quoted(text);
    case ValueType::kInteger: {
      int64_t number = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        *error = "expected an integer, got \"" + std::string(text) + "\"";
        return std::nullopt;
      }
      return std::string(text);
    }
    case ValueType::kNumber: {
      double number = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        *error = "expected a number, got \"" + std::string(text) + "\"";
        return std::nullopt;
      }
      return std::string(text);
    }
    case ValueType::kStringList:
      break;
  }
  if (!text.empty() && text.front() == '[') return std::string(text);
  std::string json = "[";
  for (size_t start = 0; start < text.size();) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (json.size() > 1) json += ",";
    json += quoted(text.substr(start, comma - start));
    start = comma + 1;
  }
  return json + "]";
}

}  // namespace

Config::Config() : plugins_(rapidjson::kObjectType) {
  for (const Setting& setting : settings()) {
    if (setting.type == ValueType::kObject) continue;
    std::string error;
    if (!apply(setting.default_json, setting.path, "", false, &error))
      throw std::logic_error("invalid schema default: " + error);
  }
}

std::optional<Config> Config::parse(std::string_view json, std::string_view source,
                                    std::string* error) {
  std::string why;
  if (json.size() > kMaxConfigBytes) {
    why = std::string(source) + ": " + std::to_string(json.size()) + " bytes, more than the " +
          std::to_string(kMaxConfigBytes) + " allowed";
  } else if (Config config; config.apply(json, "", source, true, &why)) {
    return config;
  }
  if (error) *error = why;
  return std::nullopt;
}

std::optional<Config> Config::load_file(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  std::string text(kMaxConfigBytes + 1, '\0');
  if (in) {
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  if (!in && !in.eof()) {
    if (error) *error = "cannot read " + path.string() + ": " + std::generic_category().message(errno);
    return std::nullopt;
  }
  if (text.size() > kMaxConfigBytes) {
    if (error)
      *error = path.string() + ": larger than the " + std::to_string(kMaxConfigBytes) +
               " bytes allowed";
    return std::nullopt;
  }
  return parse(text, path.string(), error);
}

bool Config::apply_environment(std::string* error,
                               const std::function<const char*(const char*)>& lookup) {
  for (const Setting& setting : settings()) {
    if (setting.path.find('*') != std::string_view::npos) continue;
    const std::string name = environment_name(setting.path);
    const char* value = lookup ? lookup(name.c_str()) : std::getenv(name.c_str());
    if (!value) continue;
    std::string why;
    if (!set_override(setting.path, value, &why)) {
      if (error) *error = "environment variable " + name + ": " + why;
      return false;
    }
  }
  return true;
}

bool Config::set_override(std::string_view path, std::string_view value, std::string* error) {
  std::string why;
  const PathInfo info = classify_path(path);
  const bool settable = info.kind == PathInfo::Kind::kSetting ||
                        (info.kind == PathInfo::Kind::kFreeForm &&
                         path.find("..") == std::string_view::npos && path.back() != '.');
  if (!settable) {
    why = "unknown key '" + std::string(path) + "'";
  } else if (auto json = override_json(info, value, &why)) {
    return apply(*json, path, "", false, error);
  } else {
    why = std::string(path) + ": " + why;
  }
  if (error) *error = why;
  return false;
}

bool Config::apply(std::string_view json, std::string_view root, std::string_view where,
                   bool with_position, std::string* error) {
  ReadError failure;
  auto update = read_config_json(json, root, &failure);
  if (!update) {
    if (error) {
      *error = std::string(where);
      if (with_position)
        *error += ":" + std::to_string(failure.line) + ":" + std::to_string(failure.column);
      if (!error->empty()) *error += ": ";
      *error += failure.message;
    }
    return false;
  }
  for (auto& [path, value] : update->values) values_[path] = std::move(value);
  auto& allocator = plugins_.GetAllocator();
  for (const auto& [path, json_value] : update->free_form) {
    rapidjson::Document document;
    document.Parse(json_value.data(), json_value.size());
    // path is "plugins.<name>[.<key>...]": walk to the parent, creating objects.
    rapidjson::Value* node = &plugins_;
    size_t start = path.find('.') + 1;
    for (;;) {
      const size_t dot = path.find('.', start);
      const std::string name = path.substr(start, dot - start);
      auto member = node->FindMember(name.c_str());
      if (dot == std::string::npos) {
        rapidjson::Value copy(document, allocator);
        if (member != node->MemberEnd()) member->value = copy;
        else node->AddMember(rapidjson::Value(name.c_str(), allocator), copy, allocator);
        break;
      }
      if (member == node->MemberEnd()) {
        node->AddMember(rapidjson::Value(name.c_str(), allocator),
                        rapidjson::Value(rapidjson::kObjectType), allocator);
        member = node->MemberEnd() - 1;
      } else if (!member->value.IsObject()) {
        member->value.SetObject();
      }
      node = &member->value;
      start = dot + 1;
    }
  }
  return true;
}

const SettingValue& Config::value_of(std::string_view path) const {
  auto it = values_.find(path);
  if (it == values_.end()) throw std::invalid_argument("no setting '" + std::string(path) + "'");
  return it->second;
}

const std::string& Config::get_string(std::string_view path) const {
  const auto* value = std::get_if<std::string>(&value_of(path));
  if (!value) throw std::invalid_argument("setting '" + std::string(path) + "' is not a string");
  return *value;
}

int64_t Config::get_integer(std::string_view path) const {
  const auto* value = std::get_if<int64_t>(&value_of(path));
  if (!value) throw std::invalid_argument("setting '" + std::string(path) + "' is not an integer");
  return *value;
}

double Config::get_number(std::string_view path) const {
  const auto* value = std::get_if<double>(&value_of(path));
  if (!value) throw std::invalid_argument("setting '" + std::string(path) + "' is not a number");
  return *value;
}

const std::vector<std::string>& Config::get_string_list(std::string_view path) const {
  const auto* value = std::get_if<std::vector<std::string>>(&value_of(path));
  if (!value)
    throw std::invalid_argument("setting '" + std::string(path) + "' is not a string list");
  return *value;
}

std::optional<std::string> Config::plugin_value(std::string_view plugin,
                                                std::string_view key) const {
  auto find = [](const rapidjson::Value& object, std::string_view name) -> const rapidjson::Value* {
    if (!object.IsObject()) return nullptr;
    auto member = object.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return member == object.MemberEnd() ? nullptr : &member->value;
  };
  const rapidjson::Value* node = find(plugins_, plugin);
  for (size_t start = 0; node && !key.empty();) {
    const size_t dot = key.find('.', start);
    node = find(*node, key.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!node) return std::nullopt;
  if (node->IsString()) return std::string(node->GetString(), node->GetStringLength());
  return to_json(*node);
}

}  // namespace prowl::config
