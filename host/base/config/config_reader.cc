#include "host/base/config/config_reader.h"

#include <cstdio>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <set>
#include <variant>

namespace prowl::config {
namespace {

// One JSON scalar as the SAX reader reports it.
using Scalar = std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string_view>;

std::string describe(const Scalar& value) {
  switch (value.index()) {
    case 0: return "null";
    case 1: return "a boolean";
    case 5: return "a string";
    default: return "a number";
  }
}

std::string join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string expected(const Setting& setting) {
  switch (setting.type) {
    case ValueType::kString: return "a string";
    case ValueType::kInteger: return "an integer";
    case ValueType::kNumber: return "a number";
    case ValueType::kStringList: return "an array of strings";
    case ValueType::kObject: return "an object";
  }
  return {};
}

// True when `value` is one of the '|'-separated `choices` (or there are none).
bool allowed(std::string_view choices, std::string_view value) {
  if (choices.empty()) return true;
  for (size_t start = 0;;) {
    const size_t bar = choices.find('|', start);
    if (choices.substr(start, bar - start) == value) return true;
    if (bar == std::string_view::npos) return false;
    start = bar + 1;
  }
}

// The SAX handler: tracks the key path of every event and its position, and
// refuses (returns false, setting message_) anything the schema does not allow.
// Positions come from the text itself (the reader's stream position at an
// event differs between token kinds and parsing modes): each token starts
// after the previous one's end and any separators, and ends where its
// grammar says.
class Handler {
 public:
  Handler(std::string_view text, std::string_view root) : text_(text), value_path_(root) {}

  bool Null() { return scalar(nullptr); }
  bool Bool(bool b) { return scalar(b); }
  bool Int(int i) { return scalar(int64_t{i}); }
  bool Uint(unsigned u) { return scalar(uint64_t{u}); }
  bool Int64(int64_t i) { return scalar(i); }
  bool Uint64(uint64_t u) { return scalar(u); }
  bool Double(double d) { return scalar(d); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }  // not enabled
  bool String(const char* s, rapidjson::SizeType n, bool) { return scalar(std::string_view(s, n)); }
  bool StartObject() { return start(true); }
  bool EndObject(rapidjson::SizeType count) { return end(true, count); }
  bool StartArray() { return start(false); }
  bool EndArray(rapidjson::SizeType count) { return end(false, count); }
  bool Key(const char* s, rapidjson::SizeType n, bool) { return key(std::string_view(s, n)); }

  ConfigUpdate& update() { return update_; }
  size_t error_offset() const { return token_start_; }
  const std::string& message() const { return message_; }

 private:
  enum class FrameKind { kSection, kList, kCapture };
  struct Frame {
    FrameKind kind;
    bool is_object;
    std::string path;
    std::set<std::string, std::less<>> keys;  // seen so far, for objects
  };

  // Positions the current token: it starts after the previous token and any
  // whitespace, commas and colons between them.
  void begin_token() {
    size_t at = last_end_;
    while (at < text_.size() && std::string_view(" \t\r\n,:").find(text_[at]) != std::string_view::npos)
      ++at;
    token_start_ = at;
  }
  // The end of the string token starting at token_start_ (after its closing quote).
  size_t string_end() const {
    size_t at = token_start_ + 1;
    while (at < text_.size() && text_[at] != '"') at += text_[at] == '\\' ? 2 : 1;
    return at + 1;
  }
  // The end of the number or literal (true, false, null) starting at token_start_.
  size_t literal_end() const {
    size_t at = token_start_;
    while (at < text_.size() &&
           std::string_view("0123456789+-.eEtruefalsn").find(text_[at]) != std::string_view::npos)
      ++at;
    return at;
  }
  bool end_token(size_t end) {
    last_end_ = end;
    return true;
  }
  bool fail(std::string message) {
    message_ = std::move(message);
    return false;
  }
  bool capturing() const { return capture_ != nullptr; }
  bool in_list() const { return !frames_.empty() && frames_.back().kind == FrameKind::kList; }
  std::string element_path() const {
    return frames_.back().path + "[" + std::to_string(list_.size()) + "]";
  }

  void forward(const Scalar& value) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) capture_->writer.Null();
          else if constexpr (std::is_same_v<T, bool>) capture_->writer.Bool(v);
          else if constexpr (std::is_same_v<T, int64_t>) capture_->writer.Int64(v);
          else if constexpr (std::is_same_v<T, uint64_t>) capture_->writer.Uint64(v);
          else if constexpr (std::is_same_v<T, double>) capture_->writer.Double(v);
          else capture_->writer.String(v.data(), static_cast<rapidjson::SizeType>(v.size()), true);
        },
        value);
  }

  void finish_capture_if_done() {
    if (!frames_.empty() && frames_.back().kind == FrameKind::kCapture) return;
    update_.free_form.emplace_back(std::move(capture_path_),
                                   std::string(capture_->buffer.GetString(), capture_->buffer.GetSize()));
    capture_.reset();
  }

  bool scalar(const Scalar& value) {
    begin_token();
    const size_t end = std::holds_alternative<std::string_view>(value) ? string_end() : literal_end();
    if (capturing()) {
      forward(value);
      finish_capture_if_done();
      return end_token(end);
    }
    if (in_list()) {
      const auto* text = std::get_if<std::string_view>(&value);
      if (!text) return fail(element_path() + ": expected a string, got " + describe(value));
      list_.emplace_back(*text);
      return end_token(end);
    }
    const PathInfo info = classify_path(value_path_);
    if (info.kind == PathInfo::Kind::kFreeForm) {
      capture_ = std::make_unique<Capture>();
      capture_path_ = value_path_;
      forward(value);
      finish_capture_if_done();
      return end_token(end);
    }
    if (info.kind != PathInfo::Kind::kSetting)
      return fail(value_path_.empty() ? "the configuration must be a JSON object, got " + describe(value)
                                      : value_path_ + ": expected an object, got " + describe(value));
    const Setting& setting = *info.setting;
    if (setting.type == ValueType::kString) {
      const auto* text = std::get_if<std::string_view>(&value);
      if (!text) return fail(value_path_ + ": expected a string, got " + describe(value));
      if (!allowed(setting.choices, *text))
        return fail(value_path_ + ": \"" + std::string(*text) + "\" is not one of " +
                    std::string(setting.choices));
      update_.values.emplace_back(value_path_, std::string(*text));
      return end_token(end);
    }
    if (setting.type == ValueType::kInteger) {
      std::optional<int64_t> number;
      if (const auto* i = std::get_if<int64_t>(&value)) number = *i;
      if (const auto* u = std::get_if<uint64_t>(&value); u && *u <= uint64_t(INT64_MAX)) number = int64_t(*u);
      if (!number)
        return fail(value_path_ + ": expected an integer" +
                    (std::holds_alternative<uint64_t>(value) ? std::string(" that fits 64 bits")
                                                             : ", got " + describe(value)));
      if (*number < setting.min || *number > setting.max)
        return fail(value_path_ + ": " + std::to_string(*number) + " is outside [" +
                    std::to_string(setting.min) + ", " + std::to_string(setting.max) + "]");
      update_.values.emplace_back(value_path_, *number);
      return end_token(end);
    }
    if (setting.type == ValueType::kNumber) {
      std::optional<double> number;
      if (const auto* i = std::get_if<int64_t>(&value)) number = static_cast<double>(*i);
      if (const auto* u = std::get_if<uint64_t>(&value)) number = static_cast<double>(*u);
      if (const auto* d = std::get_if<double>(&value)) number = *d;
      if (!number) return fail(value_path_ + ": expected a number, got " + describe(value));
      if (!(*number >= setting.min_number && *number <= setting.max_number)) {
        char text[96];
        std::snprintf(text, sizeof text, "%g is outside [%g, %g]", *number, setting.min_number, setting.max_number);
        return fail(value_path_ + ": " + text);
      }
      update_.values.emplace_back(value_path_, *number);
      return end_token(end);
    }
    return fail(value_path_ + ": expected " + expected(setting) + ", got " + describe(value));
  }

  bool start(bool is_object) {
    begin_token();
    const std::string_view what = is_object ? "an object" : "an array";
    if (frames_.size() >= kMaxNesting)
      return fail("nested deeper than " + std::to_string(kMaxNesting) + " levels");
    if (capturing()) {
      is_object ? capture_->writer.StartObject() : capture_->writer.StartArray();
      frames_.push_back({FrameKind::kCapture, is_object, value_path_, {}});
      return end_token(token_start_ + 1);
    }
    if (in_list()) return fail(element_path() + ": expected a string, got " + std::string(what));
    const PathInfo info = classify_path(value_path_);
    const bool free_form =
        info.kind == PathInfo::Kind::kFreeForm ||
        (info.kind == PathInfo::Kind::kSetting && info.setting->type == ValueType::kObject && is_object);
    if (free_form) {
      capture_ = std::make_unique<Capture>();
      capture_path_ = value_path_;
      is_object ? capture_->writer.StartObject() : capture_->writer.StartArray();
      frames_.push_back({FrameKind::kCapture, is_object, value_path_, {}});
    } else if (info.kind == PathInfo::Kind::kSection && is_object) {
      frames_.push_back({FrameKind::kSection, true, value_path_, {}});
    } else if (info.kind == PathInfo::Kind::kSetting &&
               info.setting->type == ValueType::kStringList && !is_object) {
      frames_.push_back({FrameKind::kList, false, value_path_, {}});
      list_.clear();
    } else if (info.kind == PathInfo::Kind::kSetting) {
      return fail(value_path_ + ": expected " + expected(*info.setting) + ", got " + std::string(what));
    } else {
      return fail(value_path_.empty() ? "the configuration must be a JSON object, got " + std::string(what)
                                      : value_path_ + ": expected an object, got " + std::string(what));
    }
    return end_token(token_start_ + 1);
  }

  bool key(std::string_view name) {
    begin_token();
    const size_t end = string_end();
    Frame& frame = frames_.back();
    const std::string path = join(frame.path, name);
    if (!frame.keys.insert(std::string(name)).second) return fail("duplicate key '" + path + "'");
    if (name.empty() || name.find('.') != std::string_view::npos)
      return fail("key '" + path + "': keys must be non-empty and hold no '.'");
    if (frame.kind == FrameKind::kCapture) {
      capture_->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
    } else if (classify_path(path).kind == PathInfo::Kind::kUnknown) {
      return fail("unknown key '" + path + "'");
    }
    value_path_ = path;
    return end_token(end);
  }

  bool end(bool is_object, rapidjson::SizeType count) {
    begin_token();
    const Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (frame.kind == FrameKind::kCapture) {
      is_object ? capture_->writer.EndObject(count) : capture_->writer.EndArray(count);
      finish_capture_if_done();
    } else if (frame.kind == FrameKind::kList) {
      update_.values.emplace_back(frame.path, std::move(list_));
      list_.clear();
    }
    return end_token(token_start_ + 1);
  }

  std::string_view text_;
  size_t last_end_ = 0;
  size_t token_start_ = 0;
  std::string message_;

  std::string value_path_;  // the path of the next value
  std::vector<Frame> frames_;
  std::vector<std::string> list_;  // the string list being read
  // The free-form value being read, re-written as compact JSON.
  struct Capture {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
  };
  std::unique_ptr<Capture> capture_;
  std::string capture_path_;
  ConfigUpdate update_;
};

// 1-based line and column (in UTF-8 code points) of a byte offset.
ReadError at(std::string_view text, size_t offset, std::string message) {
  ReadError error{1, 1, std::move(message)};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else if ((static_cast<uint8_t>(text[i]) & 0xC0) != 0x80) {
      ++error.column;
    }
  }
  return error;
}

}  // namespace

std::optional<ConfigUpdate> read_config_json(std::string_view json, std::string_view root,
                                             ReadError* error) {
  if (const size_t nul = json.find('\0'); nul != std::string_view::npos) {
    *error = at(json, nul, "NUL character");
    return std::nullopt;
  }
  // The reader stops at a NUL. RapidJSON 1.1's UTF-8 validation reads the
  // whole of a multi-byte sequence (up to 3 bytes after its lead) before
  // judging it, so a lead byte at the very end needs that much padding.
  std::string text(json);
  text.append(4, '\0');
  rapidjson::StringStream stream(text.c_str());
  Handler handler(json, root);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, handler);
  if (result.Code() == rapidjson::kParseErrorTermination) {
    *error = at(json, handler.error_offset(), handler.message());
    return std::nullopt;
  }
  if (result.IsError()) {
    *error = at(json, result.Offset(), rapidjson::GetParseError_En(result.Code()));
    return std::nullopt;
  }
  return std::move(handler.update());
}

}  // namespace prowl::config
