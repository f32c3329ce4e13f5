#include "host/base/log/json_formatter.h"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

namespace prowl::log {
namespace {

// ISO 8601 UTC with microseconds.
std::string utc_time(spdlog::log_clock::time_point time) {
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto micros = duration_cast<microseconds>(time - seconds).count();
  const std::time_t t = spdlog::log_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%06lldZ", static_cast<long long>(micros));
  return text;
}

// `text` with every byte sequence that is not valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  rapidjson::MemoryStream in(text.data(), text.size());
  while (in.Tell() < text.size()) {
    const size_t start = in.Tell();
    unsigned code_point = 0;
    if (rapidjson::UTF8<>::Decode(in, &code_point) && in.Tell() <= text.size()) {
      out.append(text.substr(start, in.Tell() - start));
    } else {
      out.append("\xEF\xBF\xBD");
      if (in.Tell() == start) in.Take();
    }
  }
  return out;
}

void add(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view key,
         std::string_view value) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto level = spdlog::level::to_string_view(msg.level);
  writer.StartObject();
  add(writer, "time", utc_time(msg.time));
  add(writer, "level", {level.data(), level.size()});
  add(writer, "logger", valid_utf8({msg.logger_name.data(), msg.logger_name.size()}));
  add(writer, "message", valid_utf8({msg.payload.data(), msg.payload.size()}));
  writer.EndObject();
  dest.append(buffer.GetString(), buffer.GetString() + buffer.GetSize());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const {
  return std::make_unique<JsonFormatter>();
}

}  // namespace prowl::log
