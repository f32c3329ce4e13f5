#include "plugins/codons/semantic/packet_json.h"

#include <prowl/sdk.hpp>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace prowl::codons::semantic {
namespace {

// Keys and values echoed in errors are cut to this many characters.
constexpr size_t kEchoMax = 32;

std::string_view view(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

/// `text` quoted for an error message: cut short, non-printable bytes as \xNN.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kEchoMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  if (text.size() > kEchoMax) out += "...";
  return out + "\"";
}

const char* type_name(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return "a number";
  }
  return "an unknown value";
}

std::string allowed_keys() {
  std::string text;
  for (const CategoryRule& rule : kCategories) {
    if (!text.empty()) text += ", ";
    text += rule.key;
  }
  return text;
}

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
  throw InvalidInput(path + ": " + what);
}

/// Adds the value `v` found at `path` to `values` of category c.
void add_value(Category c, const rapidjson::Value& v, const std::string& path, Values& values) {
  if (!v.IsString())
    refuse(path, "expected a string (one of " + list_symbols(c) + "), not " + type_name(v));
  const auto id = find_symbol(c, view(v));
  if (!id) refuse(path, "unknown value " + quote(view(v)) + "; allowed: " + list_symbols(c));
  if (values.contains(*id)) refuse(path, "duplicate value " + quote(view(v)));
  values.add(*id);
}

/// Parses the instruction `object` found at `path` ("" for the root).
Instruction parse_instruction(const rapidjson::Value& object, const std::string& path) {
  const std::string here = path.empty() ? "/" : path;
  if (!object.IsObject())
    refuse(here, std::string("an instruction must be an object, not ") + type_name(object));
  Instruction instruction;
  std::array<bool, kCategoryCount> seen{};
  for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
    const std::string_view key = view(member->name);
    size_t k = 0;
    while (k < kCategoryCount && kCategories[k].key != key) ++k;
    if (k == kCategoryCount)
      refuse(here, "unknown key " + quote(key) + "; allowed keys: " + allowed_keys());
    const auto category = static_cast<Category>(k);
    const std::string member_path = path + "/" + std::string(key);
    if (seen[k]) refuse(member_path, "duplicate key");
    seen[k] = true;
    const rapidjson::Value& value = member->value;
    Values& values = instruction[category];
    if (kCategories[k].multiple && value.IsArray()) {
      if (value.Empty())
        refuse(member_path, "empty array; give at least one of " + list_symbols(category));
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
        add_value(category, value[i], member_path + "/" + std::to_string(i), values);
    } else if (kCategories[k].multiple && !value.IsString()) {
      refuse(member_path, "expected a string or an array of distinct strings (from " +
                              list_symbols(category) + "), not " + type_name(value));
    } else {
      add_value(category, value, member_path, values);
    }
  }
  for (size_t k = 0; k < kCategoryCount; ++k)
    if (kCategories[k].required && !seen[k])
      refuse(here, "missing required key \"" + std::string(kCategories[k].key) + "\" (one of " +
                       list_symbols(static_cast<Category>(k)) + ")");
  return instruction;
}

}  // namespace

Packet packet_from_json(std::string_view json) {
  if (json.size() > kMaxInputBytes)
    throw LimitExceeded("JSON input of " + std::to_string(json.size()) +
                        " bytes is longer than the limit of " + std::to_string(kMaxInputBytes));
  rapidjson::Document doc;
  // Iterative parsing keeps deep nesting off the stack.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                     json.size());
  if (doc.HasParseError())
    throw InvalidInput("invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                       rapidjson::GetParseError_En(doc.GetParseError()));
  Packet packet;
  if (doc.IsObject()) {
    packet.push_back(parse_instruction(doc, ""));
    return packet;
  }
  if (!doc.IsArray())
    refuse("/", std::string("a packet must be an instruction object or an array of them, not ") +
                    type_name(doc));
  if (doc.Empty()) refuse("/", "empty packet; give at least one instruction");
  if (doc.Size() > kMaxInstructions)
    throw LimitExceeded("the packet holds " + std::to_string(doc.Size()) +
                        " instructions; at most " + std::to_string(kMaxInstructions) +
                        " are allowed");
  packet.reserve(doc.Size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i)
    packet.push_back(parse_instruction(doc[i], "/" + std::to_string(i)));
  return packet;
}

std::string packet_to_json(const Packet& p) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  auto string = [&](std::string_view s) {
    writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  if (p.size() != 1) writer.StartArray();
  for (const Instruction& instruction : p) {
    writer.StartObject();
    for (size_t k = 0; k < kCategoryCount; ++k) {
      const Values& values = instruction.categories[k];
      if (values.count == 0) continue;
      string(kCategories[k].key);
      if (values.count > 1) writer.StartArray();
      for (size_t i = 0; i < values.count; ++i) string(kCodons[values.ids[i]].symbol);
      if (values.count > 1) writer.EndArray();
    }
    writer.EndObject();
  }
  if (p.size() != 1) writer.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace prowl::codons::semantic
